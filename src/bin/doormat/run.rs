//! `doormat run`: simulate, show progress, print the table, write the results.

use std::{
    path::Path,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::Duration,
};

use anyhow::Result;
use doormat::{
    report::{Summary, write_results},
    scenario::Scenario,
    sim::{RunOptions, engine::expected_messages, run as simulate},
};
use indicatif::{ProgressBar, ProgressStyle};

pub(crate) fn run(scenario: &Scenario, threads: usize, out: &Path, quiet: bool) -> Result<()> {
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
    let dir = out.join(&scenario.name);
    write_results(&dir, &summary)?;
    if !quiet {
        print_table(&summary);
        println!("results: {}/summary.json, timeseries.csv", dir.display());
    }
    let failed: u64 = summary.designs.iter().map(|d| d.counts.failed).sum();
    anyhow::ensure!(
        failed == 0,
        "{failed} messages failed to decrypt or to pass their checks"
    );
    Ok(())
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
    println!(
        "{:<28} {:>10} {:>10} {:>7} {:>9} {:>10} {:>9}",
        "design", "sent", "delivered", "failed", "wire B/m", "CPU µs/m", "CPU ×plain"
    );
    for design in &summary.designs {
        let ratio = design
            .cpu_ratio_vs_plain
            .map_or("-".to_string(), |r| format!("{r:.2}"));
        println!(
            "{:<28} {:>10} {:>10} {:>7} {:>9.1} {:>10.2} {:>9}",
            design.label,
            design.counts.sent,
            design.counts.delivered,
            design.counts.failed,
            design.wire_bytes_per_message,
            design.cpu_ns_per_message.total / 1e3,
            ratio,
        );
    }
}
