//! One run split into tasks: merged, the tasks give the run in one process, byte for byte in
//! every deterministic figure, for any number of tasks and any thread count.

use doormat::{
    model::TaskSelection,
    plot::{render_svg, run_figures},
    report::Summary,
    scenario::Scenario,
    sim::{RunOptions, run},
    split::{RunTask, merge},
};

use super::shrunk;

/// The scenario: the bundled default (every design, compromises at hour 8, warrants), small.
fn scenario() -> Scenario {
    let mut scenario = shrunk("default", 60);
    scenario.duration_days = 1.0;
    scenario
}

/// Task `i` of `of` on `threads` threads, through its file's text as another machine reads it.
fn task(scenario: &Scenario, i: usize, of: usize, threads: usize) -> RunTask {
    let options = RunOptions {
        threads,
        task: Some(TaskSelection::new(i, of).unwrap()),
        ..RunOptions::default()
    };
    let output = run(scenario, &options).unwrap();
    let text = serde_json::to_string_pretty(&RunTask::new(scenario, &output, 0, None)).unwrap();
    RunTask::from_json(&text).unwrap()
}

/// The merge of all `of` tasks, given in the order `order` of their numbers.
fn merged(scenario: &Scenario, of: usize, threads: usize, order: &[usize]) -> Summary {
    let tasks: Vec<_> = order
        .iter()
        .map(|&i| (format!("task {i}"), task(scenario, i, of, threads)))
        .collect();
    merge(&tasks).unwrap()
}

/// Every deterministic output of a summary: its JSON without the measured fields, the CSVs
/// and the SVG of every figure not drawn from measured time.
fn outputs(summary: &Summary) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "summary.json".to_string(),
            summary.deterministic_part().to_string(),
        ),
        ("timeseries.csv".into(), summary.timeseries_csv()),
        ("exposure.csv".into(), summary.exposure_csv()),
    ];
    for (stem, chart) in run_figures(summary) {
        if !doormat::report::MEASURED_FIGURES.contains(&stem.as_str()) {
            out.push((stem, render_svg(&chart).unwrap()));
        }
    }
    out
}

#[test]
fn tasks_merged_give_the_run_in_one_process() {
    let scenario = scenario();
    let whole = run(
        &scenario,
        &RunOptions {
            threads: 2,
            ..RunOptions::default()
        },
    )
    .unwrap();
    let whole = Summary::new(&scenario, &whole);
    let escrow = &whole.designs[1].counts;
    assert!(escrow.exposure.exposed > 0 && escrow.lawful.compliant_obtained > 0);
    assert!(escrow.reference.sessions() > 0, "healing is part of it");
    let expected = outputs(&whole);
    assert!(
        expected.len() > 6,
        "figures are compared: {}",
        expected.len()
    );
    for (of, threads, order) in [(1, 1, vec![0]), (3, 1, vec![2, 0, 1]), (2, 2, vec![0, 1])] {
        let summary = merged(&scenario, of, threads, &order);
        assert_eq!(summary.tasks, of as u64);
        for ((name, want), (_, got)) in expected.iter().zip(outputs(&summary)) {
            assert_eq!(want, &got, "{name} differs merged from {of} tasks");
        }
    }
}

/// More tasks than conversations: most tasks simulate nothing, and the merge is still the run.
#[test]
fn tasks_beyond_the_conversations_are_empty_and_merge() {
    let mut scenario = shrunk("default", 8);
    scenario.designs.truncate(2);
    scenario.adversary = None;
    scenario.lawful_access = None;
    let whole = Summary::new(&scenario, &run(&scenario, &RunOptions::default()).unwrap());
    let of = whole.conversations as usize + 4;
    let empty = task(&scenario, of - 1, of, 1);
    assert_eq!(empty.designs[0].metrics.sent, 0);
    let all: Vec<usize> = (0..of).collect();
    assert_eq!(
        merged(&scenario, of, 1, &all).deterministic_part(),
        whole.deterministic_part()
    );
}

/// A task holds the set of users its exposed messages touched, not only its size: merged, two
/// tasks that touch the same user count that user once.
#[test]
fn users_touched_merge_by_union_not_by_sum() {
    let scenario = scenario();
    let tasks = [task(&scenario, 0, 2, 1), task(&scenario, 1, 2, 1)];
    let escrow = |t: &RunTask| t.designs[1].metrics.exposure.users.len();
    let summed = escrow(&tasks[0]) + escrow(&tasks[1]);
    let merged = merged(&scenario, 2, 1, &[0, 1]);
    let touched = merged.designs[1].counts.exposure.users.len();
    assert!(
        touched < summed,
        "a user in both tasks counted twice: {touched} of {summed}"
    );
}
