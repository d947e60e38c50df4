//! Property tests for the files doormat reads from users: scenario files, sweep files and saved
//! summaries. Whatever the bytes, loading returns a value or an error, never a panic; and an
//! out-of-range value in the adversary block is named by its JSON path.

use doormat::{scenario::Scenario, sweep::Sweep};
use proptest::prelude::*;

const DEFAULT: &str = include_str!("../../../scenarios/default.json");
const SWEEP: &str = include_str!("../../../scenarios/sweeps/detection-delay.json");
const SUMMARY: &str = include_str!("../report/summary.json");

/// `text` with some bytes replaced, then cut at `cut` (as a fraction of its length).
fn mutate(text: &str, edits: &[(usize, u8)], cut: f64) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for (at, byte) in edits {
        let at = at % bytes.len();
        bytes[at] = *byte;
    }
    bytes.truncate(((bytes.len() as f64) * cut).ceil() as usize);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8)>> {
    prop::collection::vec(
        (
            any::<usize>(),
            prop::sample::select(b"0123456789-.,:{}[]\"e nul".to_vec()),
        ),
        0..6,
    )
}

/// Values a hand-edited or damaged summary could hold where a number belongs.
fn odd() -> Vec<serde_json::Value> {
    serde_json::from_str(r#"[null, true, 0, -1, 1e300, -1e300, 0.5, "12"]"#).unwrap()
}

/// JSON pointers to every number in `value`.
fn numbers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Number(_) => out.push(at),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                numbers(item, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                numbers(item, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_scenarios_load_or_fail_cleanly(edits in edits(), cut in 0.0f64..=1.0) {
        let text = mutate(DEFAULT, &edits, cut);
        if let Err(error) = Scenario::load(&text) {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn mutated_sweeps_load_or_fail_cleanly(edits in edits(), cut in 0.0f64..=1.0) {
        let text = mutate(SWEEP, &edits, cut);
        if let Err(error) = Sweep::load(&text, None) {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn summaries_with_odd_numbers_plot_or_fail_cleanly(
        picks in prop::collection::vec((any::<usize>(), prop::sample::select(odd())), 1..12)
    ) {
        let mut summary: serde_json::Value = serde_json::from_str(SUMMARY).unwrap();
        let mut leaves = Vec::new();
        numbers(&summary, String::new(), &mut leaves);
        for (pick, value) in picks {
            let pointer = &leaves[pick % leaves.len()];
            if let Some(slot) = summary.pointer_mut(pointer) {
                *slot = value;
            }
        }
        // A summary reads back or is refused with the field named; one that reads draws.
        let summary = match doormat::report::Summary::from_json(&summary.to_string()) {
            Ok(summary) => summary,
            Err(error) => {
                prop_assert!(!error.to_string().is_empty());
                return Ok(());
            }
        };
        {
            for (_, chart) in &doormat::plot::run_figures(&summary) {
                let svg = match chart {
                    doormat::plot::Chart::Line(c) => doormat::plot::render_svg(c),
                    doormat::plot::Chart::Bar(c) => doormat::plot::render_svg(c),
                    doormat::plot::Chart::Histogram(c) => doormat::plot::render_svg(c),
                };
                prop_assert!(svg.is_ok());
            }
        }
        let html = doormat::report::html::render(&summary, &[]);
        prop_assert!(html.is_ok());
    }

    #[test]
    fn compromise_times_outside_the_run_are_named(hours in -1e6f64..1e6) {
        let mut scenario: serde_json::Value = serde_json::from_str(DEFAULT).unwrap();
        scenario["adversary"]["compromises"][0]["at_hours"] = serde_json::json!(hours);
        let loaded = Scenario::load(&scenario.to_string());
        let inside = (0.0..=24.0).contains(&hours);
        prop_assert_eq!(loaded.is_ok(), inside);
        if let Err(error) = loaded {
            prop_assert!(error.to_string().contains("adversary.compromises[0].at_hours"), "{}", error);
        }
    }
}
