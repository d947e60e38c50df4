//! Task files on disk: `task-I-of-N.json` of a run or of a sweep, told apart by their `format`
//! field, read only as regular files of bounded size and named for the task they hold.

use std::path::{Path, PathBuf};

use super::{RUN_TASK_FORMAT, RUN_TASK_SCHEMA_VERSION, RunTask, SplitError, declared_format};
use crate::{
    report::{ReportError, write_atomic},
    sweep::{SweepError, TASK_FORMAT, TaskResult, file::read_task_text},
};

/// A task file: a run's or a sweep's.
#[derive(Debug, Clone)]
pub enum TaskFile {
    /// One task of a run.
    Run(Box<RunTask>),
    /// One task of a sweep.
    Sweep(Box<TaskResult>),
}

/// Reads a task file, which must be a regular file of at most
/// [`MAX_TASK_BYTES`](crate::sweep::MAX_TASK_BYTES) named
/// `task-I-of-N.json` for the task its `task` and `of` fields say. Whether it fits the other
/// tasks and its checksums is checked when the tasks merge.
pub fn read_task_file(path: &Path) -> Result<TaskFile, SplitError> {
    let in_file = |error: SplitError| match error {
        SplitError::File(error) => SplitError::File(error.in_file(path)),
        other => other,
    };
    let (text, named) = read_task_text(path)?;
    let file = match declared_format(&text) {
        Some((format, Some(RUN_TASK_SCHEMA_VERSION))) if format == RUN_TASK_FORMAT => {
            TaskFile::Run(Box::new(RunTask::from_json(&text).map_err(in_file)?))
        }
        Some((format, _)) if format == RUN_TASK_FORMAT => {
            return Err(SplitError::File(SweepError::Unreadable {
                path: path.to_path_buf(),
                reason: format!(
                    "a {RUN_TASK_FORMAT} file of another layout: this doormat reads layout {RUN_TASK_SCHEMA_VERSION}"
                ),
            }));
        }
        Some((format, _)) if format == TASK_FORMAT => TaskFile::Sweep(Box::new(
            TaskResult::from_json(&text).map_err(|error| error.in_file(path))?,
        )),
        _ => {
            return Err(SplitError::File(SweepError::Unreadable {
                path: path.to_path_buf(),
                reason: format!(
                    "expected a task result: a JSON object with `format` {RUN_TASK_FORMAT:?} or {TASK_FORMAT:?}"
                ),
            }));
        }
    };
    let (task, of) = match &file {
        TaskFile::Run(task) => (task.task, task.of),
        TaskFile::Sweep(task) => (task.task, task.of),
    };
    if (task, of) != (named.index(), named.of()) {
        return Err(SplitError::Corrupt {
            source_name: path.display().to_string(),
            message: format!(
                "`task` and `of` say task {task} of {of}, but the file is named {}",
                named.file_name()
            ),
        });
    }
    Ok(file)
}

/// Writes `task` into `dir` (created if needed) as `task-I-of-N.json`, atomically; returns the
/// file.
pub fn write_run_task(dir: &Path, task: &RunTask) -> Result<PathBuf, SplitError> {
    let selection = task.selection().ok_or_else(|| SplitError::Corrupt {
        source_name: "this task".into(),
        message: format!("task {} of {}", task.task, task.of),
    })?;
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let file = dir.join(selection.file_name());
    let mut bytes =
        serde_json::to_vec_pretty(task).map_err(|error| ReportError::Encode(error.to_string()))?;
    bytes.push(b'\n');
    write_atomic(&file, &bytes)?;
    Ok(file)
}
