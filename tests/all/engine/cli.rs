use std::process::Command;

fn doormat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn list_names_bundled_scenarios_and_designs() {
    let out = doormat(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["default", "scaling", "plain", "escrow", "ghost", "backup"] {
        assert!(text.contains(word), "{word} missing");
    }
}

#[test]
fn validate_reports_problems_on_stderr_with_exit_code_2() {
    let dir = std::env::temp_dir().join(format!("doormat-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"name":"x","description":"d","seed":1,"duration_days":0,"population":{"users":1},"designs":[]}"#).unwrap();
    let out = doormat(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("duration_days")
            && err.contains("population.users")
            && err.contains("designs"),
        "{err}"
    );
    let missing = doormat(&["validate", dir.join("none.json").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn run_writes_results_into_out() {
    let dir = std::env::temp_dir().join(format!("doormat-run-{}", std::process::id()));
    let scenario = dir.join("tiny.json");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&scenario, r#"{"name":"tiny","description":"d","seed":9,"duration_days":0.1,"population":{"users":30},"designs":[{"kind":"plain"}],"adversary":{"compromises":[{"at_hours":1,"secret":{"kind":"device","users":5}}],"reference_victims":5},"lawful_access":{"targets":8,"evasion":0.5}}"#).unwrap();
    let out = doormat(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
        "--threads",
        "2",
        "--seed",
        "4",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("plain") && stdout.contains("seed 4"),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(dir.join("tiny/summary.json")).unwrap();
    assert!(summary.contains("\"seed\": 4"));
    // The figures and the report page come with every run.
    for file in [
        "designs.csv",
        "exposure.csv",
        "report.html",
        "plots/exposure.svg",
        "plots/exposure.png",
        "plots/overhead_cpu.svg",
        "plots/lawful_yield.svg",
    ] {
        assert!(dir.join("tiny").join(file).is_file(), "{file} missing");
    }
    assert!(stdout.contains("report.html"), "{stdout}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn schema_prints_json() {
    let out = doormat(&["schema"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["properties"]["population"].is_object());
}
