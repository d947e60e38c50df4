//! Metric paths checked against the schema of `summary.json` when a sweep is loaded, so a
//! misspelt metric is refused before anything runs rather than collected as a column of nulls.
//!
//! The walk follows what schemars emits for the summary's types: `$ref`s into `$defs`,
//! `anyOf`/`oneOf` branches (an `Option` is one with `null`; a tagged enum one per variant),
//! `properties`, `patternProperties` and `additionalProperties` of objects, and `items` of
//! arrays.

use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::{metric::RUN_PREFIX, pointer};
use crate::report::Summary;

/// The summary's schema, generated once.
static SCHEMA: LazyLock<Value> = LazyLock::new(Summary::json_schema);

/// Deeper than the summary's schema nests: guards against a `$ref` cycle.
const MAX_DEPTH: usize = 64;
/// Most field names listed when a token matches none.
const SHOWN: usize = 8;

/// Checks that metric `path` names a number of `summary.json`: in a design entry, or, starting
/// with `/run/`, in the summary's top level. On failure, says which token does not resolve and
/// what the fields there are, closest first.
pub(crate) fn check_metric(path: &str) -> Result<(), String> {
    let tokens = pointer::tokens(path)?;
    let root: &Value = &SCHEMA;
    let (start, tokens, prefix) = match tokens.split_first() {
        Some((first, rest)) if first == &RUN_PREFIX[1..] => (root, rest, RUN_PREFIX.to_string()),
        _ => {
            let design = root
                .pointer("/properties/designs/items")
                .ok_or("the summary schema has no design entries")?;
            (design, &tokens[..], String::new())
        }
    };
    let mut nodes = resolve(root, start, 0);
    let mut walked = prefix;
    for token in tokens {
        let next: Vec<&Value> = nodes
            .iter()
            .filter_map(|node| child(node, token))
            .flat_map(|node| resolve(root, node, 0))
            .collect();
        if next.is_empty() {
            return Err(unknown(&walked, token, &nodes));
        }
        walked.push('/');
        walked.push_str(token);
        nodes = next;
    }
    if nodes
        .iter()
        .any(|node| has_type(node, "number") || has_type(node, "integer"))
    {
        return Ok(());
    }
    let found = nodes
        .iter()
        .find_map(|node| types(node).into_iter().next())
        .unwrap_or("nothing");
    let hint = match nodes.iter().find_map(|node| fields(node)) {
        Some(fields) if !fields.is_empty() => format!(
            "; a metric is a number: one of its fields, e.g. {walked}/{}",
            fields[0]
        ),
        _ => String::new(),
    };
    Err(format!(
        "{path} is {} in summary.json, not a number{hint}",
        article(found)
    ))
}

/// The schemas `node` stands for once `$ref`s are followed and `anyOf`/`oneOf` branches
/// (`null` aside) are taken apart.
fn resolve<'a>(root: &'a Value, node: &'a Value, depth: usize) -> Vec<&'a Value> {
    let Some(object) = node.as_object() else {
        return vec![node];
    };
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(target) = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|r| root.pointer(r))
    {
        out.extend(resolve(root, target, depth + 1));
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in object
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(resolve(root, branch, depth + 1));
        }
    }
    let own = object
        .keys()
        .any(|k| !["$ref", "anyOf", "oneOf", "allOf", "description"].contains(&k.as_str()));
    if own && types(node) != ["null"] {
        out.push(node);
    }
    out
}

/// The schema of member or element `token` of `node`, if it has one.
fn child<'a>(node: &'a Value, token: &str) -> Option<&'a Value> {
    let object = node.as_object()?;
    if let Some(property) = object
        .get("properties")
        .and_then(Value::as_object)
        .and_then(|p| p.get(token))
    {
        return Some(property);
    }
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if let Some(patterns) = object.get("patternProperties").and_then(Value::as_object) {
        // schemars writes map keys that are numbers as `^\d+$`; other patterns match anything.
        if let Some((_, schema)) = patterns
            .iter()
            .find(|(pattern, _)| digits || pattern.as_str() != r"^\d+$")
        {
            return Some(schema);
        }
    }
    if let Some(additional) = object.get("additionalProperties").filter(|a| a.is_object()) {
        return Some(additional);
    }
    if has_type(node, "array") && digits {
        return object.get("items").filter(|items| items.is_object());
    }
    None
}

/// "No `token` in …", with the fields or indices there, closest to `token` first.
fn unknown(walked: &str, token: &str, nodes: &[&Value]) -> String {
    let at = if walked.is_empty() {
        "a design entry".to_string()
    } else {
        walked.to_string()
    };
    if nodes.iter().any(|node| has_type(node, "array")) {
        return format!("{at} is an array: expected an index (0, 1, …), found {token:?}");
    }
    let mut names: Vec<&str> = nodes.iter().filter_map(|n| fields(n)).flatten().collect();
    names.sort_by_key(|name| (distance(name, token), *name));
    names.dedup();
    if names.is_empty() {
        let found = nodes
            .iter()
            .find_map(|node| types(node).into_iter().next())
            .unwrap_or("nothing");
        return format!("{at} is {}, which has no field {token:?}", article(found));
    }
    let more = names.len().saturating_sub(SHOWN);
    names.truncate(SHOWN);
    format!(
        "{at} has no field {token:?} in summary.json; its fields, closest first: {}{}",
        names.join(", "),
        if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        }
    )
}

/// The field names of an object schema, in schema order.
fn fields(node: &Value) -> Option<Vec<&str>> {
    node.get("properties")
        .and_then(Value::as_object)
        .map(|p: &Map<String, Value>| p.keys().map(String::as_str).collect())
}

/// The JSON types a schema allows.
fn types(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn has_type(node: &Value, name: &str) -> bool {
    types(node).contains(&name)
}

fn article(kind: &str) -> String {
    match kind {
        "object" | "array" | "integer" => format!("an {kind}"),
        "nothing" => kind.to_string(),
        _ => format!("a {kind}"),
    }
}

/// Levenshtein distance between two names, to list the likeliest meant first.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn design_and_run_metrics_resolve() {
        for path in [
            "/exposure/fraction",
            "/counts/sent",
            "/counts/exposure/users",
            "/counts/reference/healed_messages/3",
            "/healing/per_session_hours/median",
            "/exposure/window_hours/1",
            "/cpu_ns_per_message/total",
            "/lawful/yield",
            "/run/messages_per_second",
            "/run/designs/0/counts/sent",
            "/run/adversary/dwell_hours",
            "/run/scenario/population/users",
            "/run/baseline",
        ] {
            assert_eq!(check_metric(path), Ok(()), "{path}");
        }
    }

    #[test]
    fn a_misspelt_field_lists_the_closest_first() {
        let error = check_metric("/exposure/fractoin").unwrap_err();
        assert!(
            error.starts_with(
                "/exposure has no field \"fractoin\" in summary.json; its fields, closest first: \
                 fraction,"
            ),
            "{error}"
        );
        let error = check_metric("/run/wall_second").unwrap_err();
        assert!(error.contains("closest first: wall_seconds"), "{error}");
        let error = check_metric("/sent").unwrap_err();
        assert!(
            error.starts_with("a design entry has no field \"sent\""),
            "{error}"
        );
    }

    #[test]
    fn a_metric_must_be_a_number() {
        let error = check_metric("/label").unwrap_err();
        assert!(error.contains("/label is a string"), "{error}");
        let error = check_metric("/exposure").unwrap_err();
        assert!(error.contains("e.g. /exposure/after_detection"), "{error}");
        let error = check_metric("/run/designs/x/counts/sent").unwrap_err();
        assert!(error.contains("expected an index"), "{error}");
        assert!(check_metric("/counts/sent/0").is_err());
    }
}
