//! `doormat sweep` and `doormat merge`: run a sweep or one task of it, with progress on stderr;
//! merge task results; write `sweep.json`, `sweep.csv` and `sweep-measured.json`.

use std::{
    path::Path,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::Duration,
};

use anyhow::{Context, Result};
use doormat::{
    report::ResultsFolder,
    scenario::Budget,
    sim::engine::expected_messages,
    sweep::{
        BUNDLED, ItemResult, Merged, SWEEP_CSV, SWEEP_JSON, SWEEP_MEASURED_JSON, Sweep,
        SweepResult, TaskSelection, bundled, merge as merge_tasks, write_sweep, write_task,
    },
};
use indicatif::{ProgressBar, ProgressStyle};

/// `doormat sweep`: the whole sweep (merged at once), or task `I` of `N` (its result file only).
pub(crate) fn sweep(
    source: &str,
    task: Option<(usize, usize)>,
    threads: usize,
    out: &Path,
    quiet: bool,
    allow_long: bool,
) -> Result<()> {
    let sweep = load(source)?;
    let selection = match task {
        Some((index, of)) => TaskSelection::new(index, of)?,
        None => TaskSelection::WHOLE,
    };
    let items = selection.items(sweep.grid().items());
    // Every grid point this task runs must fit the machine, before anything runs.
    let budget = Budget::of_machine(allow_long);
    for (k, point) in sweep.points().iter().enumerate() {
        if items
            .iter()
            .any(|&j| sweep.grid().item(j).is_some_and(|i| i.point == k))
        {
            point
                .scenario
                .estimate()
                .check(&budget, crate::run::threads(threads))
                .with_context(|| format!("grid point {k} ({})", sweep.assignment(k)))?;
        }
    }
    let dir = out.join(sweep.name());
    // Fail on an unwritable output before running anything. A whole sweep takes the folder's
    // lock and stages its files; a task writes only its own file, so tasks can run side by side.
    let folder = match task {
        None => Some(ResultsFolder::begin(&dir)?),
        Some(_) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("{}: cannot create this folder", dir.display()))?;
            None
        }
    };
    let results = run_items(&sweep, &items, threads, quiet)?;
    let failed: u64 = results.iter().map(|item| item.failed).sum();
    let result = sweep.task_result(selection, results);
    if let Some(folder) = folder {
        let merged = merge_tasks(&[("this run".to_string(), result)])?;
        finish(&merged, folder, quiet)?;
    } else {
        let file = write_task(&dir, &result)?;
        if !quiet {
            println!(
                "{}: task {} of {}, {} of {} runs; result: {}",
                sweep.name(),
                selection.index(),
                selection.of(),
                items.len(),
                sweep.grid().items(),
                file.display()
            );
        }
    }
    anyhow::ensure!(
        failed == 0,
        "{failed} messages failed to decrypt or to pass their checks"
    );
    Ok(())
}

/// A sweep file, or a bundled sweep by name.
pub(crate) fn load(source: &str) -> Result<Sweep> {
    let path = Path::new(source);
    if !path.exists() {
        if let Some(sweep) = bundled(source) {
            return sweep.with_context(|| format!("bundled sweep {source}"));
        }
        let names: Vec<&str> = BUNDLED.iter().map(|(n, _, _)| *n).collect();
        anyhow::bail!(
            "cannot read sweep {source} (not a file, nor a bundled sweep: {})",
            names.join(", ")
        );
    }
    Ok(Sweep::from_file(path)?)
}

/// Runs `items` one after the other, showing one bar over all their messages.
fn run_items(
    sweep: &Sweep,
    items: &[usize],
    threads: usize,
    quiet: bool,
) -> Result<Vec<ItemResult>> {
    let messages = |index: usize| {
        sweep
            .grid()
            .item(index)
            .and_then(|item| sweep.scenario(&item))
            .map_or(0, |s| expected_messages(&s) * s.designs.len() as u64)
    };
    let total: u64 = items.iter().map(|&j| messages(j)).sum::<u64>().max(1);
    let bar = match quiet {
        true => ProgressBar::hidden(),
        false => ProgressBar::new(total),
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {percent:>3}% run {msg}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                bar.set_position(progress.load(Ordering::Relaxed).min(total));
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        let results = items
            .iter()
            .enumerate()
            .map(|(k, &index)| {
                bar.set_message(format!(
                    "{}/{}: {}",
                    k + 1,
                    items.len(),
                    describe(sweep, index)
                ));
                sweep.run_item(index, threads, Some(&progress))
            })
            .collect::<Result<Vec<_>, _>>();
        done.store(true, Ordering::Relaxed);
        results
    });
    bar.finish_and_clear();
    Ok(results?)
}

/// `pointer=value, …, seed S` of item `index`.
fn describe(sweep: &Sweep, index: usize) -> String {
    sweep.grid().item(index).map_or(String::new(), |item| {
        format!("{}, seed {}", sweep.assignment(item.point), item.seed)
    })
}

/// Writes the merged files and draws the plots into `folder`'s staging folder, keeps the task
/// files already there, swaps the folder in whole, and prints where the files went.
pub(crate) fn finish(merged: &Merged, folder: ResultsFolder, quiet: bool) -> Result<()> {
    write_sweep(folder.path(), merged)?;
    draw_sweep_plots(&merged.result, folder.path())?;
    folder.carry_over(|name| TaskSelection::from_file_name(name).is_some())?;
    let dir = folder.commit()?;
    if !quiet {
        print_table(&merged.result);
        println!(
            "results: {}/{SWEEP_JSON}, {SWEEP_CSV}, {SWEEP_MEASURED_JSON}, plots/",
            dir.display()
        );
    }
    Ok(())
}

/// The sweep's plots, one per metric against the first parameter, into `dir/plots/`.
fn draw_sweep_plots(result: &SweepResult, dir: &Path) -> Result<()> {
    let plots = dir.join("plots");
    for (stem, chart) in doormat::sweep::sweep_charts(result) {
        doormat::plot::write(&chart, &plots, &stem)?;
    }
    Ok(())
}

/// One line per grid point, design and metric: mean ± 95 % half-width (n), if not too many.
fn print_table(result: &SweepResult) {
    let lines: usize = result
        .points
        .iter()
        .map(|p| p.designs.len() * result.metrics.len())
        .sum();
    println!(
        "{}: {} grid points × {} seeds",
        result.sweep,
        result.points.len(),
        result.seeds.len()
    );
    if lines > 200 {
        return;
    }
    let number = |v: Option<f64>| match v {
        None => "-".to_string(),
        Some(v) if v != 0.0 && !(1e-3..1e6).contains(&v.abs()) => format!("{v:.3e}"),
        Some(v) => format!("{v:.4}"),
    };
    for point in &result.points {
        let values: Vec<String> = point.values.iter().map(|v| v.to_string()).collect();
        println!("point {} ({})", point.point, values.join(", "));
        for design in &point.designs {
            for (metric, info) in design.metrics.iter().zip(&result.metrics) {
                println!(
                    "  {:<24} {:<40} {:>12} ± {:<10} (n={}){}",
                    design.label,
                    info.label,
                    number(metric.stats.mean),
                    number(metric.stats.ci95),
                    metric.stats.n,
                    if metric.measured { " measured" } else { "" }
                );
            }
        }
    }
}
