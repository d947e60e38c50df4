//! `doormat run`: simulate, show progress, print the table, write the results.

use std::{
    path::Path,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::Duration,
};

use anyhow::{Context, Result};
use doormat::{
    model::TaskSelection,
    report::{ResultsFolder, Summary, peak_memory_bytes, write_results},
    scenario::{Budget, Scenario},
    sim::{
        RunOptions,
        engine::expected_messages,
        events::{EventSink, EventTable},
        run as simulate,
    },
    split::{RunTask, write_run_task},
};
use indicatif::{ProgressBar, ProgressStyle};

/// Runs `scenario`, whole or task `I` of `N` of it: refuses it before anything is allocated if
/// its estimate exceeds this machine's budget, and before anything is simulated if its results
/// folder cannot be written. A whole run writes `<out>/<name>/` (replaced whole); a task writes
/// only `<out>/<name>/task-I-of-N.json`, so tasks can run side by side. With `events`, a whole
/// run adds `events.parquet` to its folder and a task writes `events-task-I-of-N.parquet`.
pub(crate) fn run(
    scenario: &Scenario,
    threads: usize,
    task: Option<TaskSelection>,
    out: &Path,
    quiet: bool,
    allow_long: bool,
    events: bool,
) -> Result<()> {
    let of = task.map_or(1, |t| t.of());
    scenario
        .estimate()
        .for_task(of)
        .check(&Budget::of_machine(allow_long), self::threads(threads))?;
    let dir = out.join(&scenario.name);
    let folder = match task {
        None => Some(ResultsFolder::begin(&dir)?),
        Some(_) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("{}: cannot create this folder", dir.display()))?;
            None
        }
    };
    // The table goes into the staging folder of a whole run, so it is swapped in with the rest;
    // a task's is renamed into place when it is whole.
    let table = events
        .then(|| {
            let path = match &folder {
                Some(folder) => folder.path().join(EVENTS_FILE),
                None => dir.join(events_task_file(task.unwrap_or(TaskSelection::WHOLE))),
            };
            let task = task.unwrap_or(TaskSelection::WHOLE);
            EventTable::create(
                &path,
                scenario.designs.iter().map(|d| d.label()).collect(),
                &[
                    ("scenario", scenario.name.clone()),
                    ("seed", scenario.seed.to_string()),
                    ("version", env!("CARGO_PKG_VERSION").to_string()),
                    ("task", format!("{} of {}", task.index(), task.of())),
                ],
            )
        })
        .transpose()?;
    let progress = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let total = expected_messages(scenario) * scenario.designs.len() as u64 / of as u64;
    let output = std::thread::scope(|scope| {
        if !quiet {
            scope.spawn(|| show_progress(&progress, &done, total));
        }
        let output = simulate(
            scenario,
            &RunOptions {
                threads,
                task,
                progress: Some(&progress),
                events: table.as_ref().map(|t| t as &dyn EventSink),
            },
        );
        done.store(true, Ordering::Relaxed);
        output
    })?;
    let failed: u64 = output.metrics.designs.iter().map(|d| d.failed).sum();
    if let Some(table) = table {
        let path = table.path().to_path_buf();
        let rows = table.finish()?;
        if !quiet {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            println!("events: {rows} rows in {name}");
        }
    }
    match folder {
        Some(folder) => finish(folder, &Summary::new(scenario, &output), false, quiet)?,
        None => {
            let result = RunTask::new(scenario, &output, peak_memory_bytes(), batch_job());
            let file = write_run_task(&dir, &result)?;
            if !quiet {
                println!(
                    "{}: task {} of {}, {:.1} s on {} threads; result: {} (merge with `doormat merge {}`)",
                    scenario.name,
                    output.task.index(),
                    output.task.of(),
                    output.wall_seconds,
                    output.threads,
                    file.display(),
                    dir.display()
                );
            }
        }
    }
    anyhow::ensure!(
        failed == 0,
        "{failed} messages failed to decrypt or to pass their checks"
    );
    Ok(())
}

/// Writes a run's results into `folder`'s staging folder (`summary.json`, the CSVs, the figures
/// and `report.html`), keeps the task files already there if `keep_tasks` (a merge), swaps the
/// folder in whole, and prints the table and where the files went.
pub(crate) fn finish(
    folder: ResultsFolder,
    summary: &Summary,
    keep_tasks: bool,
    quiet: bool,
) -> Result<()> {
    write_results(folder.path(), summary)?;
    let figures = crate::plot::draw(folder.path(), summary)?;
    if keep_tasks {
        folder.carry_over(|name| {
            TaskSelection::from_file_name(name).is_some() || is_events_task_file(name)
        })?;
    }
    let dir = folder.commit()?;
    if !quiet {
        print_table(summary);
        println!(
            "results: {}/summary.json, designs.csv, timeseries.csv{}",
            dir.display(),
            if summary.adversary.is_some() {
                ", exposure.csv"
            } else {
                ""
            }
        );
        println!(
            "figures: {}/plots/ ({figures} as SVG and PNG); report: {}/report.html",
            dir.display(),
            dir.display()
        );
    }
    Ok(())
}

/// A whole run's event table, in its results folder.
const EVENTS_FILE: &str = "events.parquet";

/// A task's event table: `events-task-I-of-N.parquet`.
fn events_task_file(task: TaskSelection) -> String {
    let json = task.file_name();
    format!("events-{}.parquet", json.trim_end_matches(".json"))
}

/// Whether `name` is exactly a task's event table, `events-task-I-of-N.parquet`: what a merge
/// keeps in the folder it rebuilds.
fn is_events_task_file(name: &str) -> bool {
    name.strip_prefix("events-")
        .and_then(|rest| rest.strip_suffix(".parquet"))
        .and_then(|task| TaskSelection::from_file_name(&format!("{task}.json")))
        .is_some()
}

/// The batch job running this process, if any: Slurm's `<array job id>_<task id>`, or its job
/// id. Recorded in a task result as provenance; it changes nothing in the run.
fn batch_job() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (var("SLURM_ARRAY_JOB_ID"), var("SLURM_ARRAY_TASK_ID")) {
        (Some(job), Some(task)) => Some(format!("slurm {job}_{task}")),
        _ => var("SLURM_JOB_ID").map(|job| format!("slurm {job}")),
    }
}

/// The worker threads a run will use: `requested`, or one per core for 0.
pub(crate) fn threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn show_progress(progress: &AtomicU64, done: &AtomicBool, total: u64) {
    let bar = ProgressBar::new(total.max(1));
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {percent:>3}% {human_pos}/~{human_len} messages, {per_sec}, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    while !done.load(Ordering::Relaxed) {
        bar.set_position(progress.load(Ordering::Relaxed).min(total));
        std::thread::sleep(Duration::from_millis(200));
    }
    bar.finish_and_clear();
}

fn print_table(summary: &Summary) {
    println!(
        "{} (seed {}): {} conversations, {:.1} s on {} threads, {:.0} messages/s, peak {:.0} MiB",
        summary.scenario.name,
        summary.seed,
        summary.conversations,
        summary.wall_seconds,
        summary.threads,
        summary.messages_per_second,
        summary.peak_memory_bytes as f64 / f64::from(1u32 << 20),
    );
    let width = summary
        .designs
        .iter()
        .map(|d| d.label.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    println!(
        "{:<width$} {:>9} {:>6} {:>8} {:>8} {:>6} {:>9} {:>7} {:>7} {:>9} {:>7}",
        "design",
        "sent",
        "failed",
        "wire B/m",
        "CPU µs/m",
        "×plain",
        "exposed %",
        "users",
        "secrets",
        "≡ phones",
        "yield %"
    );
    let dash = || "-".to_string();
    for design in &summary.designs {
        let exposure = design.exposure.as_ref();
        println!(
            "{:<width$} {:>9} {:>6} {:>8.1} {:>8.2} {:>6} {:>9} {:>7} {:>7} {:>9} {:>7}",
            design.label,
            design.counts.sent,
            design.counts.failed,
            design.wire_bytes_per_message,
            design.cpu_ns_per_message.total / 1e3,
            design
                .cpu_ratio_vs_plain
                .map_or_else(dash, |r| format!("{r:.2}")),
            exposure.map_or_else(dash, |e| format!("{:.3}", 100.0 * e.fraction)),
            exposure.map_or_else(dash, |e| e.users_touched.to_string()),
            exposure.map_or_else(dash, |e| e.secrets_required.to_string()),
            exposure
                .and_then(|e| e.equivalent_devices)
                .map_or_else(dash, |g| format!("{g:.1}")),
            design
                .lawful
                .as_ref()
                .map_or_else(dash, |l| format!("{:.1}", 100.0 * l.r#yield)),
        );
    }
    if let Some(adversary) = &summary.adversary {
        let removed = adversary
            .detected_at_hours
            .map_or("the end".to_string(), |h| format!("hour {h}"));
        println!(
            "adversary: compromises at {:?} h, detected at {}, dwell {:.1} h",
            adversary.compromise_hours,
            adversary
                .detected_at_hours
                .map_or("never".to_string(), |h| format!("{h} h")),
            adversary.dwell_hours,
        );
        println!(
            "≡ phones: exposed messages over what one implanted plain phone exposes (its history and traffic until {removed}): {} messages per phone, mean of {} phones; one one-time copy of such a phone exposes {} before healing",
            adversary
                .implant_exposure_per_device
                .map_or_else(dash, |r| format!("{r:.1}")),
            adversary.reference_victims,
            adversary
                .copy_exposure_per_device
                .map_or_else(dash, |r| format!("{r:.1}")),
        );
    }
}
