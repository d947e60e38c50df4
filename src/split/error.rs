//! Why a run task could not be written or its tasks merged. Every message names the file and
//! the field concerned.

use crate::{report::ReportError, scenario::ScenarioError, sim::EngineError, sweep::SweepError};

/// Why a run task could not be written, or run tasks merged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SplitError {
    /// A task file could not be read or parsed (named in the message).
    #[error("{0}")]
    File(#[from] SweepError),
    /// No task result was given to merge.
    #[error("no task results to merge")]
    NoTasks,
    /// Two task results do not come from the same run.
    #[error("{other} and {first} come from different runs: {difference}")]
    Mismatch {
        /// The first task result.
        first: String,
        /// The one that differs.
        other: String,
        /// What differs.
        difference: String,
    },
    /// A task result contradicts itself or its scenario (edited or corrupted).
    #[error("{source_name}: {message}")]
    Corrupt {
        /// The task result.
        source_name: String,
        /// What does not fit.
        message: String,
    },
    /// Two task results are the same task.
    #[error("task {task} of {of} appears twice: in {first} and in {second}")]
    Duplicate {
        /// The task.
        task: usize,
        /// The number of tasks.
        of: usize,
        /// The first file that holds it.
        first: String,
        /// The second.
        second: String,
    },
    /// Tasks are missing.
    #[error("{count} of {of} tasks missing: {files}")]
    Missing {
        /// How many.
        count: usize,
        /// The number of tasks.
        of: usize,
        /// The missing files, as ranges of task numbers.
        files: String,
    },
    /// The embedded scenario does not load.
    #[error("{source_name}: its scenario does not load: {error}")]
    Scenario {
        /// The task result.
        source_name: String,
        /// Why.
        error: ScenarioError,
    },
    /// The run could not start.
    #[error("{0}")]
    Engine(#[from] EngineError),
    /// Results could not be encoded or written.
    #[error("{0}")]
    Write(#[from] ReportError),
}
