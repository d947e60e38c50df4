//! The `doormat` command line: a thin layer over the library. Errors go to stderr with exit
//! code 2.

mod args;
mod merge;
mod plot;
mod run;
mod slurm;
mod sweep;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use doormat::{
    model::TaskSelection,
    report::Summary,
    scenario::{BUNDLED, Budget, Scenario, ScenarioError, bundled},
};

use crate::args::{Args, Command, SchemaKind};

fn main() -> ExitCode {
    let args = Args::parse();
    if let Command::Compare { a, b } = &args.command {
        return compare(a, b);
    }
    match dispatch(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `doormat compare A B`: 0 if every deterministic file is the same, 1 if any differs, 2 if the
/// folders cannot be read.
fn compare(a: &std::path::Path, b: &std::path::Path) -> ExitCode {
    for dir in [a, b] {
        if !dir.is_dir() {
            eprintln!("error: {}: not a results folder", dir.display());
            return ExitCode::from(2);
        }
    }
    match doormat::report::compare_results(a, b) {
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Ok(comparison) => {
            for (file, why) in &comparison.skipped {
                println!("skipped  {file}: {why}");
            }
            for (file, difference) in &comparison.differ {
                println!("DIFFERS  {file}: {difference}");
            }
            println!(
                "{} files the same, {} differ, {} measured and skipped",
                comparison.same.len(),
                comparison.differ.len(),
                comparison.skipped.len()
            );
            if comparison.identical() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn dispatch(args: Args) -> Result<()> {
    match args.command {
        Command::Run {
            scenario,
            threads,
            seed,
            task,
            of,
            out,
            quiet,
            allow_long,
            events,
        } => {
            let task = match (task, of) {
                (Some(index), Some(of)) => Some(TaskSelection::new(index, of)?),
                _ => None,
            };
            let mut scenario = load(scenario.as_deref().unwrap_or("default"))?;
            if let Some(seed) = seed {
                scenario.seed = seed;
            }
            run::run(&scenario, threads, task, &out, quiet, allow_long, events)
        }
        Command::Sweep {
            sweep,
            task,
            of,
            threads,
            out,
            quiet,
            allow_long,
        } => sweep::sweep(&sweep, task.zip(of), threads, &out, quiet, allow_long),
        Command::Merge { inputs, out, quiet } => merge::merge(&inputs, &out, quiet),
        Command::Validate {
            scenario,
            allow_long,
        } => {
            let scenario = load(&scenario)?;
            let threads = run::threads(0);
            let estimate = scenario.estimate();
            println!(
                "{}: every field is valid; estimate: {}",
                scenario.name,
                estimate.describe(threads)
            );
            let tasks = estimate.suggested_tasks();
            println!(
                "{}: split into tasks of about an hour of one core: --of {tasks} (each task: {})",
                scenario.name,
                estimate.for_task(tasks).describe(1)
            );
            estimate.check(&Budget::of_machine(allow_long), threads)?;
            println!(
                "{}: fits this machine's budget: ready to run",
                scenario.name
            );
            Ok(())
        }
        Command::Plot { results } => plot::plot(&results),
        Command::Compare { .. } => Ok(()),
        Command::Slurm(options) => slurm::slurm(&options),
        Command::List => {
            println!("bundled scenarios:");
            for (name, summary, _) in BUNDLED {
                println!("  {name:<10} {summary}");
            }
            println!("designs (the `kind` of an entry in `designs`):");
            for (kind, summary) in doormat::design::KINDS {
                println!("  {kind:<10} {summary}");
            }
            println!("bundled sweeps (`doormat sweep NAME`):");
            for (name, summary, _) in doormat::sweep::BUNDLED {
                println!("  {name:<16} {summary}");
            }
            Ok(())
        }
        Command::Schema { of } => {
            let schema = match of {
                SchemaKind::Scenario => Scenario::json_schema(),
                SchemaKind::Summary => Summary::json_schema(),
            };
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(())
        }
    }
}

/// Largest scenario file read: real ones are a few KiB, and a larger file is read whole.
const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// Loads a scenario from a file, or a bundled one by name.
pub(crate) fn load(source: &str) -> Result<Scenario> {
    let path = std::path::Path::new(source);
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(error).with_context(|| format!("cannot read scenario {source}"));
        }
        Err(_) => {
            if let Some(scenario) = bundled(source) {
                return scenario
                    .map_err(describe)
                    .with_context(|| format!("bundled scenario {source}"));
            }
            let names: Vec<&str> = BUNDLED.iter().map(|(n, _, _)| *n).collect();
            anyhow::bail!(
                "cannot read scenario {source}: no such file, nor a bundled scenario ({})",
                names.join(", ")
            );
        }
    };
    // A FIFO or a device would block or never end: only regular files are read.
    anyhow::ensure!(
        metadata.is_file(),
        "cannot read scenario {source}: not a regular file"
    );
    anyhow::ensure!(
        metadata.len() <= MAX_SCENARIO_BYTES,
        "cannot read scenario {source}: {} bytes, more than the {MAX_SCENARIO_BYTES} a scenario \
         file may have",
        metadata.len()
    );
    let bytes = std::fs::read(path).with_context(|| format!("cannot read scenario {source}"))?;
    Scenario::load_bytes(&bytes)
        .map_err(describe)
        .with_context(|| format!("scenario {source}"))
}

fn describe(error: ScenarioError) -> anyhow::Error {
    match error {
        ScenarioError::Invalid(errors) => {
            anyhow::anyhow!("{} problem(s):\n{errors}", errors.0.len())
        }
        other => anyhow::anyhow!(other),
    }
}
