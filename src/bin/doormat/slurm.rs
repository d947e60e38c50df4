//! `doormat slurm`: a run or a sweep as a Slurm job array and a merge job, written to
//! `<out>/<name>-slurm/submit.sh` with each task's memory and time sized from the estimate.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use doormat::{
    batch::{SlurmJob, Work},
    report::write_atomic,
    scenario::Estimate,
    sweep::bundled as bundled_sweep,
};

use crate::args::SlurmOptions;

/// Head-room over the estimated peak memory of a task, and a floor, in MiB: a task killed for
/// memory costs more than a generous request.
const MEMORY_MARGIN: f64 = 1.5;
const MEMORY_FLOOR_MIB: f64 = 256.0;
/// A task's default time limit: this many times its estimated CPU time, at least 10 minutes.
const TIME_MARGIN: f64 = 3.0;
const TIME_FLOOR_SECONDS: f64 = 600.0;

pub(crate) fn slurm(options: &SlurmOptions) -> Result<()> {
    let absolute = |path: &Path| -> Result<PathBuf> {
        std::path::absolute(path)
            .with_context(|| format!("{}: cannot make it absolute", path.display()))
    };
    let (name, work, task) = if is_sweep(&options.source) {
        let sweep = crate::sweep::load(&options.source)?;
        let items = sweep.grid().items();
        let per_task = items.div_ceil(options.tasks) as f64;
        // The task with the most items, each as costly as the costliest grid point.
        let costliest = sweep
            .points()
            .iter()
            .map(|p| p.scenario.estimate())
            .max_by(|a, b| a.cpu_seconds.total_cmp(&b.cpu_seconds));
        let task = costliest.map(|e| Estimate {
            cpu_seconds: e.cpu_seconds * per_task,
            ..e
        });
        (
            sweep.name().to_string(),
            Work::Sweep(source(&options.source)?),
            task,
        )
    } else {
        let scenario = crate::load(&options.source)?;
        let task = scenario.estimate().for_task(options.tasks);
        (
            scenario.name.clone(),
            Work::Run(source(&options.source)?),
            Some(task),
        )
    };
    let out = absolute(&options.out)?;
    let script_dir = out.join(format!("{name}-slurm"));
    let threads = options.threads;
    let cpu = task.map_or(0.0, |t| t.cpu_seconds);
    let memory = task.map_or(0.0, |t| t.peak_memory_bytes(threads)) / f64::from(1u32 << 20);
    let job = SlurmJob {
        name: name.clone(),
        work,
        doormat: std::env::current_exe().context("the doormat binary's path")?,
        out: out.clone(),
        script_dir: script_dir.clone(),
        tasks: options.tasks,
        parallel: options.parallel,
        threads,
        memory_mib: (memory * MEMORY_MARGIN).max(MEMORY_FLOOR_MIB).ceil() as u64,
        time: options.time.clone().unwrap_or_else(|| {
            slurm_time((TIME_MARGIN * cpu / threads as f64).max(TIME_FLOOR_SECONDS))
        }),
        merge_time: slurm_time(TIME_FLOOR_SECONDS * 3.0),
        partition: options.partition.clone(),
        max_array_size: options.max_array_size,
        allow_long: options.allow_long,
    };
    job.check()?;
    std::fs::create_dir_all(&script_dir)
        .with_context(|| format!("{}: cannot create this folder", script_dir.display()))?;
    let script = script_dir.join("submit.sh");
    write_atomic(&script, job.script().as_bytes())?;
    let arrays = job.arrays().len();
    println!(
        "{name}: {} tasks in {arrays} job array{} (each task: {} thread(s), {} MiB, {} at most; estimate {:.2} CPU-hours), then a merge job",
        options.tasks,
        if arrays == 1 { "" } else { "s" },
        threads,
        job.memory_mib,
        job.time,
        cpu / 3600.0,
    );
    println!("submit: bash {}", script.display());
    println!(
        "results: {}/{name}/ (copy back that folder; {}/logs/ holds each task's log)",
        out.display(),
        script_dir.display()
    );
    Ok(())
}

/// Whether `source` names a sweep: a bundled sweep, or a JSON file with `parameters`.
fn is_sweep(source: &str) -> bool {
    let path = Path::new(source);
    if !path.exists() {
        return bundled_sweep(source).is_some();
    }
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|value| value.get("parameters").is_some())
}

/// A file as an absolute path, or a bundled name as is.
fn source(source: &str) -> Result<String> {
    let path = Path::new(source);
    if !path.exists() {
        return Ok(source.to_string());
    }
    let absolute = std::path::absolute(path).with_context(|| source.to_string())?;
    absolute
        .to_str()
        .map(str::to_string)
        .with_context(|| format!("{source}: not a UTF-8 path"))
}

/// Seconds as Slurm's `D-HH:MM:SS`, rounded up to the minute.
fn slurm_time(seconds: f64) -> String {
    let minutes = (seconds / 60.0).ceil() as u64;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    format!("{days}-{hours:02}:{minutes:02}:00")
}
