use doormat::{
    report::{Summary, write_results},
    scenario::BUNDLED,
    sim::{RunOptions, run},
};

use super::shrunk;

/// Every bundled scenario loads, validates, and runs (shrunk) with zero failures.
#[test]
fn every_bundled_scenario_runs_small() {
    for (name, _, _) in BUNDLED {
        let scenario = shrunk(name, 80);
        let output = run(&scenario, &RunOptions::default()).unwrap();
        for design in &output.metrics.designs {
            assert_eq!(design.failed, 0, "{name}");
            assert!(design.sent > 0, "{name}: no traffic");
        }
    }
}

/// Results are written atomically as summary.json and timeseries.csv, with version and scenario.
#[test]
fn results_folder_holds_summary_and_series() {
    let scenario = shrunk("scaling", 60);
    let output = run(&scenario, &RunOptions::default()).unwrap();
    let summary = Summary::new(&scenario, &output);
    let dir = std::env::temp_dir().join(format!("doormat-results-{}", std::process::id()));
    write_results(&dir, &summary).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["seed"], scenario.seed);
    assert_eq!(json["scenario"]["name"], "scaling");
    assert_eq!(json["designs"][0]["label"], "plain");
    let csv = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    assert!(csv.starts_with("hour,design,sent\n0,plain,"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
    std::fs::remove_dir_all(dir).unwrap();
}
