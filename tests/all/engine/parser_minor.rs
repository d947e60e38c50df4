//! Small things a hostile or careless input showed: a detection before any compromise, float
//! noise and an empty trustee list in messages, a non-UTF-8 file, an absurd `--threads`, a CPU
//! ratio of 0/0, and the report page's Content-Security-Policy.

use std::process::Command;

use doormat::{
    report::Summary,
    scenario::{MAX_DESIGNS, Scenario, ScenarioError},
    sim::{RunOptions, run},
};
use serde_json::{Value, json};

fn base() -> Value {
    json!({"name": "t", "description": "d", "seed": 1, "duration_days": 1,
        "population": {"users": 10}, "designs": [{"kind": "plain"}]})
}

/// Every problem of `document`, as `path: message` lines.
fn problems(document: &Value) -> String {
    match Scenario::load(&document.to_string()) {
        Err(ScenarioError::Invalid(errors)) => errors.to_string(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

fn with_adversary(detected: f64, compromises: &[f64]) -> Value {
    let mut document = base();
    document["adversary"] = json!({
        "detected_at_hours": detected,
        "reference_victims": 2,
        "compromises": compromises.iter()
            .map(|at| json!({"at_hours": at, "secret": {"kind": "device", "users": 1}}))
            .collect::<Vec<_>>(),
    });
    document
}

#[test]
fn a_detection_before_every_compromise_is_refused() {
    let errors = problems(&with_adversary(2.0, &[8.0, 5.5]));
    assert!(
        errors.contains(
            "adversary.detected_at_hours: expected a time at or after the first compromise \
             (5.5 hours), found 2"
        ),
        "{errors}"
    );
    // At or after the first compromise is a dwell of zero or more.
    for detected in [5.5, 6.0, 20.0] {
        let document = with_adversary(detected, &[8.0, 5.5]);
        assert!(Scenario::load(&document.to_string()).is_ok(), "{detected}");
    }
}

#[test]
fn computed_bounds_are_printed_without_float_noise() {
    let mut document = with_adversary(1.0, &[3.0]);
    document["duration_days"] = json!(0.1);
    let errors = problems(&document);
    assert!(errors.contains("[0, 2.4] hours"), "{errors}");
    assert!(!errors.contains("00000"), "{errors}");
}

#[test]
fn an_empty_trustee_list_is_named_as_such() {
    let mut document = base();
    document["designs"] = json!([{"kind": "plain"}, {"kind": "escrow", "granularity": "chain",
        "scope": {"kind": "split", "threshold": 1, "trustees": []}}]);
    let errors = problems(&document);
    assert!(
        errors.contains("designs[1].scope.trustees: expected at least one trustee"),
        "{errors}"
    );
    assert!(!errors.contains("1 to 0"), "{errors}");
}

/// With no messages at all, `plain` spends no CPU, and a ratio against it is undefined.
#[test]
fn the_cpu_ratio_against_a_plain_that_spent_nothing_is_null() {
    let mut document = base();
    document["traffic"] = json!({"messages_per_user_per_day": 0});
    document["designs"] = json!([{"kind": "plain"}, {"kind": "backup"}]);
    let scenario = Scenario::load(&document.to_string()).unwrap();
    let output = run(&scenario, &RunOptions::default()).unwrap();
    let summary = serde_json::to_value(Summary::new(&scenario, &output)).unwrap();
    for design in summary["designs"].as_array().unwrap() {
        assert_eq!(design["cpu_ns_per_message"]["total"], json!(0.0));
        assert_eq!(design["cpu_ratio_vs_plain"], Value::Null, "{design}");
    }
}

#[test]
fn the_report_page_forbids_base_and_form_targets() {
    let summary = Summary::from_json(include_str!("../report/summary.json")).unwrap();
    let page = doormat::report::html::render(&summary, &[]).unwrap();
    let policy = page
        .split("Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    for directive in [
        "default-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
}

fn doormat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_scenario_file_that_is_not_utf8_is_named_as_such() {
    let dir = std::env::temp_dir().join(format!("doormat-parser-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("latin1.json");
    std::fs::write(&file, b"{\"name\": \"caf\xe9\"}").unwrap();
    let out = doormat(&["validate", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not valid UTF-8 at byte 13"), "{err}");
    assert!(
        !err.contains("not a file") && !err.contains("no such file"),
        "{err}"
    );
    let out = doormat(&["validate", dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_absurd_thread_count_is_refused_before_anything_runs() {
    for command in ["run", "sweep"] {
        for threads in ["18446744073709551615", "1025", "-1"] {
            let flag = format!("--threads={threads}");
            let out = doormat(&[command, "no-such-input", &flag]);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{err}");
            assert!(err.contains("--threads") && err.contains("1024"), "{err}");
        }
    }
}

/// Each design is a whole simulation, and duplicates are found by comparing every pair: a file
/// with twenty thousand distinct designs is refused at once, not checked for hours.
#[test]
fn too_many_designs_are_refused_quickly() {
    let mut document = base();
    let ghosts = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({"kind": "ghost", "notice_probability_per_day": i as f64 / n as f64}))
            .collect()
    };
    document["designs"] = json!(ghosts(MAX_DESIGNS));
    assert!(Scenario::load(&document.to_string()).is_ok());
    document["designs"] = json!(ghosts(20_000));
    let errors = problems(&document);
    assert!(
        errors.contains(&format!(
            "designs: expected at most {MAX_DESIGNS} designs, found 20000"
        )),
        "{}",
        &errors[..200]
    );
}
