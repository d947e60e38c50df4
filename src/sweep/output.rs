//! Sweep files on disk: task results (`task-I-of-N.json`), and the merged `sweep.json`,
//! `sweep.csv` and `sweep-measured.json`, each written atomically.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use serde::Serialize;
use serde_json::Value;

use super::{Merged, SweepError, SweepResult, TaskResult, TaskSelection, file::read_task_text};
use crate::report::{ReportError, write_atomic};

/// The merged result's file names.
pub const SWEEP_JSON: &str = "sweep.json";
/// One row per grid point, design and metric.
pub const SWEEP_CSV: &str = "sweep.csv";
/// The measured figures of every item.
pub const SWEEP_MEASURED_JSON: &str = "sweep-measured.json";

/// Reads a task result file, which must be a regular file of at most
/// [`MAX_TASK_BYTES`](super::MAX_TASK_BYTES) named
/// `task-I-of-N.json` for the task its `task` and `of` fields say. Whether it fits its sweep and
/// its checksums is checked by [`merge`](super::merge).
pub fn read_task(path: &Path) -> Result<TaskResult, SweepError> {
    let (text, named) = read_task_text(path)?;
    let task = TaskResult::from_json(&text).map_err(|error| error.in_file(path))?;
    if (task.task, task.of) != (named.index(), named.of()) {
        return Err(SweepError::Corrupt {
            source_name: path.display().to_string(),
            message: format!(
                "`task` and `of` say task {} of {}, but the file is named {}",
                task.task,
                task.of,
                named.file_name()
            ),
        });
    }
    Ok(task)
}

/// Writes `task` into `dir` (created if needed) as `task-I-of-N.json`; returns the file.
pub fn write_task(dir: &Path, task: &TaskResult) -> Result<PathBuf, SweepError> {
    let file = dir.join(TaskSelection::new(task.task, task.of)?.file_name());
    write(dir, &file, &pretty(task)?)?;
    Ok(file)
}

/// Writes `sweep.json`, `sweep.csv` and `sweep-measured.json` into `dir` (created if needed).
pub fn write_sweep(dir: &Path, merged: &Merged) -> Result<(), SweepError> {
    write(dir, &dir.join(SWEEP_JSON), &pretty(&merged.result)?)?;
    write(dir, &dir.join(SWEEP_CSV), merged.result.csv().as_bytes())?;
    write(
        dir,
        &dir.join(SWEEP_MEASURED_JSON),
        &pretty(&merged.measured)?,
    )?;
    Ok(())
}

fn pretty(value: &impl Serialize) -> Result<Vec<u8>, SweepError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|error| ReportError::Encode(error.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn write(dir: &Path, file: &Path, bytes: &[u8]) -> Result<(), SweepError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(write_atomic(file, bytes)?)
}

impl SweepResult {
    /// `sweep.csv`: `point`, one column per parameter (headed by its label), `design`,
    /// `design_label`, `metric`, `metric_label`, `measured`, `n`, `mean`, `sd`, `ci95`, `min`,
    /// `max`; one row per grid point, design and metric. Undefined figures are empty.
    pub fn csv(&self) -> String {
        let mut header = vec!["point".to_string()];
        header.extend(self.spec.parameters.iter().map(|p| p.label().to_string()));
        header.extend(
            [
                "design",
                "design_label",
                "metric",
                "metric_label",
                "measured",
                "n",
                "mean",
                "sd",
                "ci95",
                "min",
                "max",
            ]
            .map(String::from),
        );
        let mut out = row(&header);
        for point in &self.points {
            for design in &point.designs {
                for (metric, info) in design.metrics.iter().zip(&self.metrics) {
                    let number = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
                    let mut cells = vec![point.point.to_string()];
                    cells.extend(point.values.iter().map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    }));
                    cells.extend([
                        design.design.to_string(),
                        design.label.clone(),
                        metric.path.clone(),
                        info.label.clone(),
                        metric.measured.to_string(),
                        metric.stats.n.to_string(),
                        number(metric.stats.mean),
                        number(metric.stats.sd),
                        number(metric.stats.ci95),
                        number(metric.stats.min),
                        number(metric.stats.max),
                    ]);
                    out.push_str(&row(&cells));
                }
            }
        }
        out
    }
}

/// One CSV line (RFC 4180 quoting).
fn row(cells: &[String]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            let _ = write!(line, "\"{}\"", cell.replace('"', "\"\""));
        } else {
            line.push_str(cell);
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn cells_with_commas_or_quotes_are_quoted() {
        let cells = ["a".to_string(), "b,c".into(), "say \"hi\"".into()];
        assert_eq!(row(&cells), "a,\"b,c\",\"say \"\"hi\"\"\"\n");
    }
}
