use std::process::{Command, Output};

fn plot(dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(["plot", dir.to_str().unwrap()])
        .output()
        .unwrap()
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("doormat-plot-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn plot_draws_every_figure_into_plots() {
    let dir = temp("ok");
    std::fs::write(
        dir.join("summary.json"),
        super::fixture::summary_json().to_string(),
    )
    .unwrap();
    let out = plot(&dir);
    assert!(out.status.success(), "{}", stderr(&out));
    for stem in [
        "exposure",
        "equivalent_devices",
        "equivalent_device_copies",
        "overhead_cpu",
        "healing_hours",
        "lawful_yield",
    ] {
        assert!(
            dir.join(format!("plots/{stem}.svg")).is_file(),
            "{stem}.svg"
        );
        assert!(
            dir.join(format!("plots/{stem}.png")).is_file(),
            "{stem}.png"
        );
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("8 figures"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plot_on_a_missing_folder_says_to_run_first() {
    let dir = std::env::temp_dir().join("doormat-plot-no-such-folder");
    let out = plot(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no such results folder (run `doormat run` first)"),
        "{err}"
    );
    assert!(err.contains("doormat-plot-no-such-folder"), "{err}");
}

#[test]
fn plot_without_summary_names_the_file() {
    let dir = temp("empty");
    let out = plot(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("summary.json") && err.contains("doormat run"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plot_on_corrupt_summary_names_line_and_column() {
    let dir = temp("corrupt");
    std::fs::write(
        dir.join("summary.json"),
        "{\n  \"schema_version\": 1,\n  \"designs\": [,]\n}",
    )
    .unwrap();
    let out = plot(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("summary.json") && err.contains("line 3 column"),
        "{err}"
    );
    assert!(!dir.join("plots").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plot_on_another_schema_version_says_so() {
    let dir = temp("schema");
    let mut summary = super::fixture::summary_json();
    summary["schema_version"] = serde_json::json!(999);
    std::fs::write(dir.join("summary.json"), summary.to_string()).unwrap();
    let out = plot(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("summary.json") && err.contains("schema_version 999"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plot_on_a_summary_with_a_wrong_type_names_the_field() {
    let dir = temp("wrong-type");
    let mut summary = super::fixture::summary_json();
    summary["designs"][1]["counts"]["sent"] = serde_json::json!("many");
    std::fs::write(
        dir.join("summary.json"),
        serde_json::to_string_pretty(&summary).unwrap(),
    )
    .unwrap();
    let out = plot(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("summary.json: designs[1].counts.sent: invalid type: string \"many\"")
            && err.contains("line "),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.join("plots").exists());
    std::fs::remove_dir_all(dir).unwrap();
}
