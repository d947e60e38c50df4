//! Results for machines and people: `summary.json` and CSV time series, written atomically.

mod files;
mod framework;
pub mod html;
mod numbers;
mod summary;

pub use self::{
    files::{ReportError, write_atomic},
    summary::{DesignSummary, PerMessage, SCHEMA_VERSION, Summary, peak_memory_bytes},
};

use std::path::Path;

/// Writes `summary.json` and `timeseries.csv` into `dir` (created if needed), each atomically.
pub fn write_results(dir: &Path, summary: &Summary) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let json =
        serde_json::to_vec_pretty(summary).map_err(|e| ReportError::Encode(e.to_string()))?;
    write_atomic(&dir.join("summary.json"), &json)?;
    write_atomic(
        &dir.join("timeseries.csv"),
        summary.timeseries_csv().as_bytes(),
    )?;
    Ok(())
}
