//! No figure moves unnoticed: every bundled scenario, shrunk as the other tests shrink it, must
//! produce the deterministic figures recorded in `tests/vectors/figures/<name>-<users>.json`, byte for
//! byte. Measured timing is left out. A change that is meant to move a figure re-records them
//! with `DOORMAT_BLESS=1 cargo test figures_fixed`, and the failure message lists each figure that
//! moved, old → new, for the commit message.

use std::path::PathBuf;

use doormat::{
    report::Summary,
    scenario::BUNDLED,
    sim::{RunOptions, run},
};
use serde_json::Value;

use super::shrunk;

/// `summary` as JSON, without its measured fields and doormat's version.
fn deterministic(summary: &Summary) -> Value {
    let mut json = summary.deterministic_part();
    json.as_object_mut().unwrap().remove("doormat_version");
    json
}

/// Every leaf where `old` and `new` differ, as `path: old → new`.
fn differences(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let (x, y) = (a.get(key), b.get(key));
                let (x, y) = (x.unwrap_or(&Value::Null), y.unwrap_or(&Value::Null));
                differences(&format!("{path}/{key}"), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}/{i}"), x, y, out);
            }
        }
        _ if old != new => out.push(format!("{path}: {old} → {new}")),
        _ => {}
    }
}

#[test]
fn no_figure_moves() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/figures");
    let bless = std::env::var_os("DOORMAT_BLESS").is_some();
    let mut moved = Vec::new();
    // The tests' usual shrink, and a wider one that reaches ghost and backup thefts.
    let sizes = [(80, 0.25), (300, 1.0)];
    for ((name, _, _), (users, days)) in BUNDLED.iter().flat_map(|b| sizes.map(|s| (b, s))) {
        let mut scenario = shrunk(name, users);
        scenario.duration_days = days;
        let output = run(&scenario, &RunOptions::default()).unwrap();
        let new = deterministic(&Summary::new(&scenario, &output));
        let file = folder.join(format!("{name}-{users}.json"));
        if bless {
            let text = serde_json::to_string_pretty(&new).unwrap() + "\n";
            std::fs::write(&file, text).unwrap();
            continue;
        }
        let old: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        differences(&format!("{name}-{users}"), &old, &new, &mut moved);
    }
    assert!(
        moved.is_empty(),
        "{} figures moved (re-record with DOORMAT_BLESS=1 if meant):\n{}",
        moved.len(),
        moved.join("\n")
    );
}
