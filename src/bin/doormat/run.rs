//! `doormat run`: simulate, show progress, print the table, write the results.

use std::{
    path::Path,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::Duration,
};

use anyhow::Result;
use doormat::{
    report::{ResultsFolder, Summary, write_results},
    scenario::{Budget, Scenario},
    sim::{RunOptions, engine::expected_messages, run as simulate},
};
use indicatif::{ProgressBar, ProgressStyle};

/// Runs `scenario`: refuses it before anything is allocated if its estimate exceeds this
/// machine's budget, and before anything is simulated if its results folder cannot be written.
pub(crate) fn run(
    scenario: &Scenario,
    threads: usize,
    out: &Path,
    quiet: bool,
    allow_long: bool,
) -> Result<()> {
    scenario
        .estimate()
        .check(&Budget::of_machine(allow_long), self::threads(threads))?;
    let folder = ResultsFolder::begin(&out.join(&scenario.name))?;
    let progress = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let total = expected_messages(scenario) * scenario.designs.len() as u64;
    let output = std::thread::scope(|scope| {
        if !quiet {
            scope.spawn(|| show_progress(&progress, &done, total));
        }
        let output = simulate(
            scenario,
            &RunOptions {
                threads,
                progress: Some(&progress),
            },
        );
        done.store(true, Ordering::Relaxed);
        output
    })?;
    let summary = Summary::new(scenario, &output);
    write_results(folder.path(), &summary)?;
    let figures = crate::plot::draw(folder.path(), &summary)?;
    let dir = folder.commit()?;
    if !quiet {
        print_table(&summary);
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
    let failed: u64 = summary.designs.iter().map(|d| d.counts.failed).sum();
    anyhow::ensure!(
        failed == 0,
        "{failed} messages failed to decrypt or to pass their checks"
    );
    Ok(())
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
