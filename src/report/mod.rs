//! Results for machines and people: `summary.json` and CSV time series, written into a
//! [`ResultsFolder`] that replaces the old results whole.

mod adversary;
mod compare;
mod contract;
mod files;
mod framework;
pub mod html;
mod measured;
mod numbers;
mod summary;

pub use self::{
    adversary::{
        AdversarySummary, Distribution, ExposureSummary, HealingCurve, HealingSummary,
        HourFraction, LawfulSummary, UnhealedShare,
    },
    compare::{Comparison, compare_results},
    contract::SummaryError,
    files::{ReportError, ResultsFolder, write_atomic},
    measured::{
        MEASURED_CSV_COLUMNS, MEASURED_DESIGN_FIELDS, MEASURED_FIGURES, MEASURED_RUN_FIELDS,
        without_measured,
    },
    summary::{DesignSummary, PerMessage, RunRecord, SCHEMA_VERSION, Summary, peak_memory_bytes},
};

use std::path::Path;

/// Writes `summary.json`, `timeseries.csv`, `designs.csv` and, with an adversary,
/// `exposure.csv` into `dir` (created if needed): a [`ResultsFolder`]'s temporary folder, so
/// that the run's files replace the old ones all together.
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
    write_atomic(&dir.join("designs.csv"), summary.designs_csv().as_bytes())?;
    if summary.adversary.is_some() {
        write_atomic(&dir.join("exposure.csv"), summary.exposure_csv().as_bytes())?;
    }
    Ok(())
}
