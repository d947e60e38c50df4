//! `doormat merge`: task results, given as files or as folders of them, merged into a run's
//! results or a sweep's, whichever the files are. A mix of the two is refused.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use doormat::{
    report::ResultsFolder,
    split::{TaskFile, merge as merge_run, read_task_file},
    sweep::{check_name, merge as merge_sweep},
};

/// `doormat merge`: task result files, or folders of them, into one result in `out`.
pub(crate) fn merge(inputs: &[PathBuf], out: &Path, quiet: bool) -> Result<()> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = task_files(input)?;
            anyhow::ensure!(
                !found.is_empty(),
                "{}: no task-I-of-N.json file in this folder",
                input.display()
            );
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    let mut runs = Vec::new();
    let mut sweeps = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        match read_task_file(file)? {
            TaskFile::Run(task) => runs.push((name, *task)),
            TaskFile::Sweep(task) => sweeps.push((name, *task)),
        }
    }
    if let (Some((run, _)), Some((sweep, _))) = (runs.first(), sweeps.first()) {
        anyhow::bail!(
            "{run} is a run's task and {sweep} a sweep's: merge the tasks of one run or one sweep"
        );
    }
    if !runs.is_empty() {
        let summary = merge_run(&runs)?;
        // The folder's name comes from the task files: checked again here, where it becomes a
        // path, so it stays one folder in `out`.
        check_name(&summary.scenario.name)?;
        let folder = ResultsFolder::begin(&out.join(&summary.scenario.name))?;
        crate::run::finish(folder, &summary, true, quiet)?;
        let failed: u64 = summary.designs.iter().map(|d| d.counts.failed).sum();
        anyhow::ensure!(
            failed == 0,
            "{failed} messages failed to decrypt or to pass their checks"
        );
        return Ok(());
    }
    let merged = merge_sweep(&sweeps)?;
    check_name(&merged.result.sweep)?;
    let folder = ResultsFolder::begin(&out.join(&merged.result.sweep))?;
    crate::sweep::finish(&merged, folder, quiet)?;
    anyhow::ensure!(
        merged.result.failed == 0,
        "{} messages failed to decrypt or to pass their checks",
        merged.result.failed
    );
    Ok(())
}

/// The `task-*-of-*.json` files in `dir`, by name only: what each is (a FIFO, a folder) and
/// whether its name is exactly `task-I-of-N.json` is checked when it is read.
fn task_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("{}", dir.display()))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("task-") && name.contains("-of-") && name.ends_with(".json") {
            files.push(path);
        }
    }
    Ok(files)
}
