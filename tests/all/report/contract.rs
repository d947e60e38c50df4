//! `summary.json` as a typed contract: a real run's summary reads back into the same bytes, and
//! `doormat schema summary` prints its schema.

use std::process::Command;

use doormat::{
    report::Summary,
    sim::{RunOptions, run},
};

/// Every bundled scenario, shrunk: serialised, read back and serialised again, the same bytes.
#[test]
fn a_real_summary_round_trips_through_json() {
    for (name, _, _) in doormat::scenario::BUNDLED {
        let scenario = crate::engine::shrunk(name, 80);
        let output = run(&scenario, &RunOptions::default()).unwrap();
        let summary = Summary::new(&scenario, &output);
        let written = serde_json::to_string_pretty(&summary).unwrap();
        let read = Summary::from_json(&written).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            serde_json::to_string_pretty(&read).unwrap(),
            written,
            "{name}"
        );
        assert_eq!(read.baseline, Some(0), "{name}");
    }
}

fn schema(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_doormat"))
        .arg("schema")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn doormat_schema_prints_the_summary_or_the_scenario_schema() {
    let summary = schema(&["summary"]);
    let properties = summary["properties"].as_object().unwrap();
    for field in [
        "designs",
        "scenario",
        "baseline",
        "adversary",
        "schema_version",
    ] {
        assert!(properties.contains_key(field), "{field}");
    }
    assert_eq!(summary, Summary::json_schema());
    // `doormat schema` alone is still the scenario schema.
    let scenario = schema(&[]);
    assert_eq!(scenario, schema(&["scenario"]));
    assert_eq!(scenario, doormat::scenario::Scenario::json_schema());
    assert!(scenario["properties"].get("population").is_some());
}
