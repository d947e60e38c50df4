//! Reading metrics out of a run's summary, and telling deterministic metrics from measured ones.
//!
//! A metric path points into one design entry of `summary.json`; one starting with `/run/`
//! points into the summary's top level instead. **Measured** (machine-dependent, different on
//! every run) are: in a design entry, anything under `cpu_ns_per_message`,
//! `messages_per_cpu_second` and `cpu_ratio_vs_plain`; at the top level, `wall_seconds`,
//! `messages_per_second`, `peak_memory_bytes`, `threads` and `tasks`
//! ([`crate::report::MEASURED_RUN_FIELDS`]). Every other figure derives from
//! deterministic counts and is identical for a given scenario and seed.

use serde_json::{Map, Value};

use super::pointer;
use crate::report::{MEASURED_DESIGN_FIELDS, MEASURED_RUN_FIELDS};

/// The prefix of metric paths that point into the summary's top level.
pub const RUN_PREFIX: &str = "/run";

/// Whether the metric at `path` is measured (varies run to run) rather than deterministic.
pub fn is_measured(path: &str) -> bool {
    let Ok(tokens) = pointer::tokens(path) else {
        return false;
    };
    let in_design = |tokens: &[String]| {
        tokens
            .first()
            .is_some_and(|t| MEASURED_DESIGN_FIELDS.contains(&t.as_str()))
    };
    match tokens.split_first() {
        Some((first, rest)) if first == &RUN_PREFIX[1..] => match rest.split_first() {
            Some((field, _)) if MEASURED_RUN_FIELDS.contains(&field.as_str()) => true,
            Some((field, rest)) if field == "designs" => rest.get(1..).is_some_and(in_design),
            _ => false,
        },
        _ => in_design(&tokens),
    }
}

/// The value of metric `path` for design `design` of a summary (as JSON), or `None` when the
/// pointer does not resolve or does not point at a number.
pub(crate) fn extract(summary: &Value, design: usize, path: &str) -> Option<f64> {
    let value = match path.strip_prefix(RUN_PREFIX) {
        Some(rest) if rest.starts_with('/') => pointer::get(summary, rest),
        _ => summary
            .get("designs")
            .and_then(|designs| designs.get(design))
            .and_then(|entry| pointer::get(entry, path)),
    };
    value.and_then(Value::as_f64)
}

/// The measured part of a summary: its measured top-level fields, and per design its label and
/// measured fields. Kept apart from metrics so that results compare byte for byte.
pub(crate) fn measured_part(summary: &Value) -> Value {
    let pick = |from: &Value, keys: &[&str]| -> Map<String, Value> {
        keys.iter()
            .filter_map(|k| from.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect()
    };
    let mut out = pick(summary, &MEASURED_RUN_FIELDS);
    let designs = summary
        .get("designs")
        .and_then(Value::as_array)
        .map(|designs| {
            designs
                .iter()
                .map(|design| {
                    let mut entry = pick(design, &["label"]);
                    entry.extend(pick(design, &MEASURED_DESIGN_FIELDS));
                    Value::Object(entry)
                })
                .collect()
        })
        .unwrap_or_default();
    out.insert("designs".into(), Value::Array(designs));
    Value::Object(out)
}

#[cfg(test)]
mod test {
    use serde_json::json;

    use super::*;

    #[test]
    fn measured_paths_are_the_timing_fields() {
        for path in [
            "/cpu_ns_per_message/total",
            "/messages_per_cpu_second",
            "/cpu_ratio_vs_plain",
            "/run/wall_seconds",
            "/run/messages_per_second",
            "/run/peak_memory_bytes",
            "/run/designs/0/cpu_ns_per_message/escrow",
        ] {
            assert!(is_measured(path), "{path}");
        }
        for path in [
            "/exposure/fraction",
            "/lawful/yield",
            "/counts/sent",
            "/wire_bytes_per_message",
            "/run/conversations",
            "/run/designs/0/counts/sent",
        ] {
            assert!(!is_measured(path), "{path}");
        }
    }

    #[test]
    fn extract_reads_designs_and_the_top_level() {
        let summary = json!({
            "messages_per_second": 5.5,
            "designs": [
                {"label": "plain", "counts": {"sent": 3}, "exposure": null},
                {"label": "ghost", "counts": {"sent": 4}, "exposure": {"fraction": 0.25}}
            ]
        });
        assert_eq!(extract(&summary, 1, "/counts/sent"), Some(4.0));
        assert_eq!(extract(&summary, 0, "/exposure/fraction"), None);
        assert_eq!(extract(&summary, 1, "/exposure/fraction"), Some(0.25));
        assert_eq!(extract(&summary, 0, "/run/messages_per_second"), Some(5.5));
        assert_eq!(extract(&summary, 0, "/label"), None);
        assert_eq!(extract(&summary, 5, "/counts/sent"), None);
    }
}
