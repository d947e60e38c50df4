//! Why a figure could not be drawn or written.

use std::path::PathBuf;

use crate::report::ReportError;

/// Why a figure could not be drawn, encoded or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The embedded font could not be loaded (a build problem, not an input one).
    #[error("the embedded font could not be loaded")]
    Font,
    /// plotters failed while drawing a chart.
    #[error("drawing {chart:?}: {message}")]
    Draw {
        /// The chart's title.
        chart: String,
        /// What plotters reported.
        message: String,
    },
    /// The PNG encoder failed.
    #[error("encoding {chart:?} as PNG: {message}")]
    Png {
        /// The chart's title.
        chart: String,
        /// What the encoder reported.
        message: String,
    },
    /// A folder could not be created.
    #[error("{path}: {error}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The OS error, printed in the message rather than chained, so it shows once.
        error: std::io::Error,
    },
    /// A figure file could not be written.
    #[error(transparent)]
    Write(#[from] ReportError),
}
