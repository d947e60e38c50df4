//! The estimate refuses absurd runs before they allocate, and stays within 2× of what small runs
//! measure.

use std::{path::Path, process::Command};

use doormat::scenario::{Budget, Refusal, Scenario};
use proptest::prelude::*;
use serde_json::{Value, json};

fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("doormat-estimate-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The bundled default, with `edit` applied to its JSON.
fn default_with(edit: impl FnOnce(&mut Value)) -> Value {
    let scenario = doormat::scenario::bundled("default").unwrap().unwrap();
    let mut value = serde_json::to_value(scenario).unwrap();
    edit(&mut value);
    value
}

/// `doormat ARGS…` under a 2 GiB address-space limit, as a small machine would run it.
fn limited(args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 2097152 && exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_doormat"))
        .args(args)
        .output()
        .unwrap()
}

/// Every absurd case of the issue: `run` exits 2 with the estimate before allocating, under a
/// limit where the allocation would abort, and writes nothing.
#[test]
fn absurd_runs_are_refused_before_they_allocate() {
    let dir = scratch("absurd");
    let cases = [
        (
            "crowd",
            default_with(|s| {
                s["population"]["users"] = json!(50_000_000);
                s["population"]["contacts"] = json!({"median": 200, "sigma": 0.8, "max": 200});
            }),
            "too large for this machine",
        ),
        (
            "huge-messages",
            default_with(|s| {
                s["traffic"]["message_bytes"] =
                    json!({"median": 16_777_216, "sigma": 0.0, "max": 16_777_216});
            }),
            "too large for this machine",
        ),
        (
            "long",
            default_with(|s| {
                s["population"]["users"] = json!(10_000_000);
                s["duration_days"] = json!(36);
            }),
            "--allow-long",
        ),
    ];
    for (name, scenario, expected) in cases {
        let file = dir.join(format!("{name}.json"));
        std::fs::write(&file, scenario.to_string()).unwrap();
        let out_dir = dir.join("results");
        let out = limited(&[
            "run",
            file.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--quiet",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(expected)
                && stderr.contains("CPU-hours")
                && stderr.contains("peak memory"),
            "{name}: {stderr}"
        );
        assert!(!out_dir.exists(), "{name}: wrote results");
        let validated = limited(&["validate", file.to_str().unwrap()]);
        assert_eq!(validated.status.code(), Some(2), "{name}");
        assert!(String::from_utf8_lossy(&validated.stdout).contains("CPU-hours"));
    }
    let long: Scenario =
        serde_json::from_str(&std::fs::read_to_string(dir.join("long.json")).unwrap()).unwrap();
    let hours = long.estimate().cpu_seconds / 3600.0;
    assert!(hours > 2000.0, "{hours} CPU-hours");
    // --allow-long lifts the CPU budget, not the memory one.
    let allowed = limited(&[
        "validate",
        "--allow-long",
        dir.join("long.json").to_str().unwrap(),
    ]);
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    let crowd = limited(&[
        "validate",
        "--allow-long",
        dir.join("crowd.json").to_str().unwrap(),
    ]);
    assert_eq!(crowd.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A user cannot have more contacts than there are other users: the estimate is capped by the
/// population, not by the contacts median.
#[test]
fn the_estimate_is_capped_by_the_population() {
    let scenario: Scenario = serde_json::from_value(default_with(|s| {
        s["population"]["users"] = json!(30);
        s["population"]["contacts"] = json!({"median": 1e9, "sigma": 0.8, "max": 200});
    }))
    .unwrap();
    let estimate = scenario.estimate();
    assert!(estimate.conversations <= 30.0 * 29.0 / 2.0, "{estimate:?}");
    assert!(estimate.conversations >= 400.0, "{estimate:?}");
    assert!(estimate.check(&Budget::of_machine(false), 2).is_ok());
}

/// The CPU budget refuses, and names `--allow-long` and the estimate; no budget, no refusal.
#[test]
fn the_cpu_budget_names_its_way_out() {
    let scenario: Scenario = serde_json::from_value(default_with(|_| {})).unwrap();
    let estimate = scenario.estimate();
    let tight = Budget {
        memory_bytes: f64::INFINITY,
        cpu_seconds: estimate.cpu_seconds / 2.0,
    };
    let Err(refusal @ Refusal::Cpu { .. }) = estimate.check(&tight, 2) else {
        panic!("not refused")
    };
    let message = refusal.to_string();
    assert!(
        message.contains("--allow-long") && message.contains("--task I --of N"),
        "{message}"
    );
    let roomy = Budget {
        memory_bytes: estimate.peak_memory_bytes(2),
        cpu_seconds: estimate.cpu_seconds,
    };
    assert!(estimate.check(&roomy, 2).is_ok());
    assert!(
        estimate.check(&roomy, 3).is_err(),
        "more threads, more memory"
    );
}

/// A task of N takes a N-th of the CPU and the messages but all of the plan's memory, and the
/// suggested split gives tasks of about an hour of one core; a national day suggests ~100
/// tasks, a sweep-sized run 1.
#[test]
fn a_task_takes_its_share_of_the_cpu_and_the_whole_plan() {
    let france: Scenario = serde_json::from_value(default_with(|s| {
        s["population"]["users"] = json!(68_000_000);
        s["designs"] = json!([{"kind": "plain"}]);
        s.as_object_mut().unwrap().remove("adversary");
        s.as_object_mut().unwrap().remove("lawful_access");
    }))
    .unwrap();
    france.validate().unwrap();
    let whole = france.estimate();
    let tasks = whole.suggested_tasks();
    let task = whole.for_task(tasks);
    assert!((50..500).contains(&tasks), "{tasks} tasks");
    assert!(
        (0.5 * 3600.0..=3600.0).contains(&task.cpu_seconds),
        "{} s a task",
        task.cpu_seconds
    );
    let total = task.messages_per_design * tasks as f64;
    assert!(
        (total / whole.messages_per_design - 1.0).abs() < 1e-12,
        "{total}"
    );
    assert_eq!(task.peak_memory_bytes(1), whole.peak_memory_bytes(1));
    let small: Scenario = serde_json::from_value(default_with(|_| {})).unwrap();
    assert_eq!(small.estimate().suggested_tasks(), 1);
}

/// Process CPU seconds and the engine's peak memory of a one-thread run of `scenario`.
fn measure(dir: &Path, scenario: &Value) -> (f64, f64) {
    let file = dir.join("scenario.json");
    std::fs::write(&file, scenario.to_string()).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" run "$1" --out "$2" --quiet --threads 1 >/dev/null && times"#)
        .arg(env!("CARGO_BIN_EXE_doormat"))
        .arg(&file)
        .arg(dir.join("results"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `times`: the shell's user and system time, then its children's: `0m1.230s 0m0.040s`.
    let text = String::from_utf8_lossy(&out.stdout);
    let children = text.lines().last().unwrap();
    let seconds: f64 = children
        .split_whitespace()
        .map(|t| {
            let (m, s) = t.trim_end_matches('s').split_once('m').unwrap();
            m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap()
        })
        .sum();
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("results/probe/summary.json")).unwrap(),
    )
    .unwrap();
    (seconds, summary["peak_memory_bytes"].as_f64().unwrap())
}

fn probe(users: u64, days: f64, rate: f64, bytes: f64, median: f64, design: usize) -> Value {
    let designs = [
        json!([{"kind": "plain"}]),
        json!([{"kind": "plain"}, {"kind": "escrow", "scope": {"kind": "global"}, "granularity": "message"}]),
        json!([{"kind": "escrow", "scope": {"kind": "global"}, "granularity": "chain"}]),
        json!([{"kind": "plain"}, {"kind": "ghost"}]),
        json!([{"kind": "backup"}]),
    ];
    json!({
        "name": "probe", "description": "estimate probe", "seed": 7, "duration_days": days,
        "population": {"users": users, "contacts": {"median": median, "sigma": 0.8, "max": 200}},
        "traffic": {"messages_per_user_per_day": rate,
                    "message_bytes": {"median": bytes, "sigma": 0.5, "max": 200_000}},
        "designs": designs[design],
        "adversary": {"compromises": [{"at_hours": 1, "secret": {"kind": "device", "users": 2}}],
                      "reference_victims": 2}
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    /// On random small runs, the estimate's CPU time and memory are within 2× of the measured
    /// ones. Both sides are *growth*: the run minus the same scenario with almost no messages
    /// (same designs, figures and process start), so the process's fixed baseline (code, tables,
    /// rendering of empty figures) does not hide the model. Messages are large, so the
    /// transcript the adversary reads dominates the memory, well above allocator noise.
    #[test]
    fn the_estimate_is_within_2x_of_a_small_run(
        users in 12u64..40,
        days in prop::sample::select(vec![0.5, 1.0]),
        rate in prop::sample::select(vec![20.0, 50.0]),
        bytes in prop::sample::select(vec![50_000.0, 100_000.0]),
        median in prop::sample::select(vec![2.0, 4.0]),
        design in 0usize..5,
    ) {
        let dir = scratch("within-2x");
        let run = probe(users, days, rate, bytes, median, design);
        let idle = probe(users, days, 0.001, bytes, median, design);
        let (cpu, memory) = measure(&dir, &run);
        let (idle_cpu, idle_memory) = measure(&dir, &idle);
        let [estimate, idle_estimate] = [&run, &idle]
            .map(|s| serde_json::from_value::<Scenario>(s.clone()).unwrap().estimate());
        let cpu_ratio = (estimate.cpu_seconds - idle_estimate.cpu_seconds) / (cpu - idle_cpu);
        let memory_ratio = (estimate.growth_bytes(1) - idle_estimate.growth_bytes(1))
            / (memory - idle_memory);
        std::fs::remove_dir_all(&dir).unwrap();
        prop_assert!((0.5..=2.0).contains(&cpu_ratio), "CPU ×{cpu_ratio:.2} ({cpu:.2} s measured)");
        prop_assert!(
            (0.5..=2.0).contains(&memory_ratio),
            "memory ×{memory_ratio:.2} ({:.1} MiB measured)",
            (memory - idle_memory) / f64::from(1u32 << 20)
        );
    }
}

/// A sweep checks every grid point it will run against the same budget before running any:
/// a point of 50 million users with 200 contacts is refused under a 2 GiB limit, naming it.
#[test]
fn a_sweep_with_an_absurd_grid_point_is_refused_before_it_runs() {
    let dir = scratch("sweep");
    let sweep = json!({
        "name": "absurd", "description": "a grid point far past the machine",
        "scenario": "default",
        "parameters": [{ "path": "/population/users", "values": [30, 50_000_000] }],
        "overrides": { "/population/contacts/median": 200, "/population/contacts/max": 200 },
        "metrics": [{ "path": "/counts/sent" }]
    });
    let file = dir.join("absurd.json");
    std::fs::write(&file, sweep.to_string()).unwrap();
    let out_dir = dir.join("results");
    let out = limited(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("grid point 1") && stderr.contains("too large for this machine"),
        "{stderr}"
    );
    assert!(!out_dir.join("absurd/sweep.json").exists());
    std::fs::remove_dir_all(dir).unwrap();
}
