//! Why a sweep could not be loaded, run or merged. Every message names the file, field, grid
//! point or item concerned.

use std::path::PathBuf;

use crate::{report::ReportError, scenario::ScenarioError, sim::EngineError};

/// Why a sweep could not be loaded, run or merged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// The JSON does not parse into a sweep or a task result.
    #[error("{path}: {message}")]
    Parse {
        /// JSON path of the problem.
        path: String,
        /// What serde said, with the line and column.
        message: String,
    },
    /// A problem inside a file: the file, then the problem.
    #[error("{file}: {error}")]
    InFile {
        /// The file.
        file: PathBuf,
        /// The problem.
        error: Box<SweepError>,
    },
    /// A file could not be read.
    #[error("{path}: {error}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// A file is not one doormat reads: not a regular file, too large, or not UTF-8.
    #[error("{path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What it is, and what was expected.
        reason: String,
    },
    /// A field of the sweep has a value it cannot use.
    #[error("{field}: {message}")]
    Invalid {
        /// Where, e.g. `parameters[0].path`.
        field: String,
        /// What was expected and what was found.
        message: String,
    },
    /// The base scenario does not load.
    #[error("scenario {source_name}: {error}")]
    Scenario {
        /// The bundled name, the file, or `inline`.
        source_name: String,
        /// The scenario's own error.
        error: ScenarioError,
    },
    /// A grid point gives a scenario that does not validate.
    #[error("grid point {point} ({assignment}): {error}")]
    Point {
        /// Index of the grid point.
        point: usize,
        /// Its parameter values, `pointer=value, …`.
        assignment: String,
        /// The scenario's own error.
        error: ScenarioError,
    },
    /// A run of one item failed to start.
    #[error("item {item} ({assignment}, seed {seed}): {error}")]
    Run {
        /// Index of the item.
        item: usize,
        /// Its parameter values.
        assignment: String,
        /// Its seed.
        seed: u64,
        /// The engine's error.
        error: EngineError,
    },
    /// No task result was given to merge.
    #[error("no task results to merge")]
    NoTasks,
    /// Two task results do not come from the same sweep.
    #[error("{other} and {first} come from different sweeps: {difference}")]
    Mismatch {
        /// The first task result.
        first: String,
        /// The one that differs.
        other: String,
        /// What differs.
        difference: String,
    },
    /// The task results leave items out.
    #[error("{count} of {total} items missing: {items}{hint}")]
    Missing {
        /// How many.
        count: usize,
        /// Items in the sweep.
        total: usize,
        /// The missing item indices, as ranges.
        items: String,
        /// Which task results would hold them, when that is known.
        hint: String,
    },
    /// Two task results hold the same item.
    #[error("item {item} ({assignment}) appears twice: in {first} and in {second}")]
    Duplicate {
        /// Index of the item.
        item: usize,
        /// Its grid point and seed.
        assignment: String,
        /// The first task result that holds it.
        first: String,
        /// The second.
        second: String,
    },
    /// A task result contradicts its own sweep (edited or corrupted).
    #[error("{source_name}: {message}")]
    Corrupt {
        /// The task result.
        source_name: String,
        /// What does not fit.
        message: String,
    },
    /// Results could not be encoded or written.
    #[error("{0}")]
    Write(ReportError),
}

/// Errors here print their cause in their own message, so none is chained as a `source`: a
/// chain printer would show it twice.
impl From<ReportError> for SweepError {
    fn from(error: ReportError) -> Self {
        SweepError::Write(error)
    }
}

impl SweepError {
    /// This error, as found in `file`.
    pub(crate) fn in_file(self, file: impl Into<PathBuf>) -> Self {
        SweepError::InFile {
            file: file.into(),
            error: Box::new(self),
        }
    }

    /// A serde error, with its JSON path (`(top level)` for the root).
    pub(crate) fn parse<E: std::fmt::Display>(error: serde_path_to_error::Error<E>) -> Self {
        SweepError::Parse {
            path: match error.path().to_string() {
                path if path == "." => "(top level)".to_string(),
                path => path,
            },
            message: error.into_inner().to_string(),
        }
    }
}

impl From<crate::model::TaskRangeError> for SweepError {
    fn from(error: crate::model::TaskRangeError) -> Self {
        SweepError::Invalid {
            field: "--task".into(),
            message: error.to_string(),
        }
    }
}
