use std::sync::OnceLock;

use doormat::sweep::{
    Merged, SweepError, TaskResult, TaskSelection, merge, read_task, write_sweep, write_task,
};

use super::{TINY, scratch, tiny};

/// The tiny sweep as three tasks, each run once for all tests.
fn tasks() -> &'static [TaskResult] {
    static TASKS: OnceLock<Vec<TaskResult>> = OnceLock::new();
    TASKS.get_or_init(|| {
        let sweep = tiny();
        (0..3)
            .map(|i| {
                sweep
                    .run_task(TaskSelection::new(i, 3).unwrap(), 1)
                    .unwrap()
            })
            .collect()
    })
}

fn named(tasks: &[&TaskResult]) -> Vec<(String, TaskResult)> {
    tasks
        .iter()
        .map(|t| (format!("task-{}-of-{}.json", t.task, t.of), (*t).clone()))
        .collect()
}

fn files(dir: &std::path::Path, merged: &Merged) -> (Vec<u8>, Vec<u8>) {
    write_sweep(dir, merged).unwrap();
    (
        std::fs::read(dir.join("sweep.json")).unwrap(),
        std::fs::read(dir.join("sweep.csv")).unwrap(),
    )
}

/// The property that lets a sweep be split across machines: a sweep run at once (two threads
/// per run) and the same sweep run as three tasks (one thread each), written to files, read back
/// and merged, give the same `sweep.json` and `sweep.csv`, byte for byte.
#[test]
fn three_tasks_merge_to_the_bytes_of_one_run() {
    let sweep = tiny();
    let whole = sweep.run_task(TaskSelection::WHOLE, 2).unwrap();
    assert_eq!(whole.items.len(), 4);
    let at_once = merge(&[("whole".into(), whole)]).unwrap();

    let dir = scratch("three-tasks");
    let mut read = Vec::new();
    // Out of order on purpose: items are merged in index order whatever the task order.
    for task in tasks().iter().rev() {
        let file = write_task(&dir.join("tasks"), task).unwrap();
        read.push((file.display().to_string(), read_task(&file).unwrap()));
    }
    assert_eq!(read[0].1, tasks()[2], "a task result survives its file");
    let split = merge(&read).unwrap();

    let (json_once, csv_once) = files(&dir.join("once"), &at_once);
    let (json_split, csv_split) = files(&dir.join("split"), &split);
    assert_eq!(
        String::from_utf8(json_once).unwrap(),
        String::from_utf8(json_split).unwrap()
    );
    assert_eq!(csv_once, csv_split);
    assert_eq!(at_once.measured.items.len(), 4);
    assert_eq!(split.measured.items[1].task, 1);

    let result = &split.result;
    assert_eq!(result.points.len(), 2);
    assert_eq!(result.seeds, vec![11, 12]);
    let sent = &result.points[1].designs[0].metrics[0];
    assert_eq!((sent.path.as_str(), sent.stats.n), ("/counts/sent", 2));
    assert!(sent.stats.mean.unwrap() > result.points[0].designs[0].metrics[0].stats.mean.unwrap());
    let exposure = &result.points[0].designs[0].metrics[3];
    assert_eq!((exposure.stats.n, exposure.stats.mean), (0, None));
    assert!(String::from_utf8(csv_once).unwrap().starts_with(
        "point,messages per user per day,design,design_label,metric,metric_label,measured,n,"
    ));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_task_is_named() {
    let error = merge(&named(&[&tasks()[0], &tasks()[2]])).unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, SweepError::Missing { count: 1, .. }),
        "{message}"
    );
    assert!(message.contains("task-1-of-3.json"), "{message}");
}

#[test]
fn a_duplicated_task_is_named() {
    let error = merge(&named(&[
        &tasks()[0],
        &tasks()[1],
        &tasks()[2],
        &tasks()[1],
    ]))
    .unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, SweepError::Duplicate { item: 1, .. }),
        "{message}"
    );
    assert!(message.contains("appears twice"), "{message}");
}

#[test]
fn tasks_of_another_sweep_are_refused() {
    let other = doormat::sweep::Sweep::load(&TINY.replace("two message rates", "other"), None)
        .unwrap()
        .task_result(TaskSelection::new(1, 3).unwrap(), tasks()[1].items.clone());
    let mut inputs = named(&[&tasks()[0], &tasks()[2]]);
    inputs.push(("other.json".into(), other));
    let error = merge(&inputs).unwrap_err();
    assert!(
        matches!(&error, SweepError::Mismatch { other, .. } if other == "other.json"),
        "{error}"
    );
    assert!(matches!(merge(&[]), Err(SweepError::NoTasks)));
}

#[test]
fn an_edited_task_result_is_refused() {
    let mut edited = named(&tasks().iter().collect::<Vec<_>>());
    for (_, task) in &mut edited {
        task.scenario["population"]["users"] = 41.into();
    }
    let error = merge(&edited).unwrap_err();
    assert!(matches!(error, SweepError::Corrupt { .. }), "{error}");
}

#[test]
fn another_file_is_not_taken_for_a_task_result() {
    let error = TaskResult::from_json(r#"{"format": "doormat-sweep", "schema_version": 1}"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("doormat-sweep-task"), "{error}");
    let error = TaskResult::from_json("{\"format\": ")
        .unwrap_err()
        .to_string();
    assert!(error.contains("line 1"), "{error}");
}

/// The sweep's figures: one chart per metric, a line per design across the grid points, each
/// point with its 95 % half-width, drawn to SVG with every line in it.
#[test]
fn sweep_charts_draw_a_line_per_design_with_confidence_bars() {
    let all: Vec<&TaskResult> = tasks().iter().collect();
    let merged = merge(&named(&all)).unwrap();
    let charts = doormat::sweep::sweep_charts(&merged.result);
    assert_eq!(charts.len(), merged.result.metrics.len());
    let (stem, sent) = &charts[0];
    assert_eq!(stem, "counts_sent");
    assert_eq!(sent.series.len(), merged.result.points[0].designs.len());
    let line = &sent.series[0];
    assert_eq!(line.points.len(), 2);
    let errors = line.error.as_ref().unwrap();
    assert!(
        errors.iter().all(|e| e.is_finite() && *e >= 0.0),
        "{errors:?}"
    );
    let svg = doormat::plot::render_svg(sent).unwrap();
    assert!(svg.contains(&line.name), "legend names the design");
    assert!(svg.matches("<path").count() + svg.matches("<polyline").count() >= 2);
}
