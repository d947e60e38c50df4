//! Comparing two results folders figure by figure: what a run split into tasks, on another
//! machine or thread count, must share byte for byte with the run in one process. Measured
//! figures (time, memory, CPU per message, the figure drawn from them, the page quoting them)
//! differ on every run: they are named and skipped, never compared.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{MEASURED_CSV_COLUMNS, MEASURED_FIGURES, ReportError, Summary};
use crate::model::TaskSelection;

/// What two results folders share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Files equal in their deterministic content.
    pub same: Vec<String>,
    /// Files not compared, with why.
    pub skipped: Vec<(String, String)>,
    /// Files that differ, with the first difference.
    pub differ: Vec<(String, String)>,
}

impl Comparison {
    /// Whether every compared file is the same.
    pub fn identical(&self) -> bool {
        self.differ.is_empty()
    }
}

/// Compares the results folders `a` and `b`: every file either holds, except task results.
pub fn compare_results(a: &Path, b: &Path) -> Result<Comparison, ReportError> {
    let mut names = files(a, a)?;
    names.extend(files(b, b)?);
    names.sort();
    names.dedup();
    let mut comparison = Comparison::default();
    for name in names {
        let (left, right) = (a.join(&name), b.join(&name));
        match (left.is_file(), right.is_file()) {
            (true, false) => {
                comparison
                    .differ
                    .push((name, format!("only in {}", a.display())));
                continue;
            }
            (false, true) => {
                comparison
                    .differ
                    .push((name, format!("only in {}", b.display())));
                continue;
            }
            _ => {}
        }
        if let Some(why) = measured(&name) {
            comparison.skipped.push((name, why));
            continue;
        }
        let (x, y) = (read(&left)?, read(&right)?);
        let difference = match name.as_str() {
            "summary.json" => summaries(&x, &y),
            "designs.csv" => csv(&x, &y),
            _ => (x != y).then(|| first_byte(&x, &y)),
        };
        match difference {
            Some(detail) => comparison.differ.push((name, detail)),
            None => comparison.same.push(name),
        }
    }
    Ok(comparison)
}

/// Why the file `name` is not compared, if it is not.
fn measured(name: &str) -> Option<String> {
    if name == "report.html" {
        return Some("quotes measured figures (CPU, throughput)".into());
    }
    let stem = name.strip_prefix("plots/")?.rsplit_once('.')?.0;
    MEASURED_FIGURES
        .contains(&stem)
        .then(|| "drawn from measured CPU time".into())
}

/// The files under `dir`, as paths relative to `root` with `/`, leaving out hidden files and
/// task results (the inputs of a merge, not its results).
fn files(root: &Path, dir: &Path) -> Result<Vec<String>, ReportError> {
    let io = |path: PathBuf| move |source| ReportError::Io { path, source };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir.to_path_buf()))? {
        let entry = entry.map_err(io(dir.to_path_buf()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let task = name
            .strip_prefix("events-")
            .map_or(name.as_str(), |rest| rest)
            .replace(".parquet", ".json");
        if name.starts_with('.') || TaskSelection::from_file_name(&task).is_some() {
            continue;
        }
        let kind = entry.file_type().map_err(io(path.clone()))?;
        if kind.is_dir() {
            out.extend(files(root, &path)?);
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(out)
}

/// A regular file's bytes; anything else (a FIFO, a device) is refused unopened.
fn read(path: &Path) -> Result<Vec<u8>, ReportError> {
    let io = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(ReportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other("not a regular file"),
        });
    }
    std::fs::read(path).map_err(io)
}

/// The first differing byte of `x` and `y`, for a message.
fn first_byte(x: &[u8], y: &[u8]) -> String {
    let at = x.iter().zip(y).position(|(a, b)| a != b);
    match at {
        Some(at) => format!("bytes differ from offset {at}"),
        None => format!("{} bytes against {}", x.len(), y.len()),
    }
}

/// Two `summary.json`s without their measured fields: the JSON pointer of the first difference.
fn summaries(x: &[u8], y: &[u8]) -> Option<String> {
    let parse = |bytes: &[u8]| {
        std::str::from_utf8(bytes)
            .map_err(|e| e.to_string())
            .and_then(|text| Summary::from_json(text).map_err(|e| e.to_string()))
            .map(|summary| summary.deterministic_part())
    };
    match (parse(x), parse(y)) {
        (Ok(a), Ok(b)) => first_difference(&a, &b, String::new()),
        (Err(error), _) | (_, Err(error)) => Some(format!("does not read as a summary: {error}")),
    }
}

/// The JSON pointer of the first place `a` and `b` differ, with both values.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|key| {
                let path = format!("{at}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => first_difference(p, q, path),
                    _ => Some(format!("{path}: present in one only")),
                }
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ => (a != b).then(|| format!("{at}: {a} against {b}")),
    }
}

/// Two `designs.csv`s without their measured columns: the first differing line.
fn csv(x: &[u8], y: &[u8]) -> Option<String> {
    let rows = |bytes: &[u8]| -> Vec<String> {
        let text = String::from_utf8_lossy(bytes);
        let header = text.lines().next().unwrap_or("");
        let keep: Vec<bool> = header
            .split(',')
            .map(|h| !MEASURED_CSV_COLUMNS.contains(&h))
            .collect();
        text.lines()
            .map(|line| {
                let cells: Vec<&str> = line
                    .split(',')
                    .zip(&keep)
                    .filter_map(|(cell, kept)| kept.then_some(cell))
                    .collect();
                cells.join(",")
            })
            .collect()
    };
    let (a, b) = (rows(x), rows(y));
    if a == b {
        return None;
    }
    let line = a
        .iter()
        .zip(&b)
        .position(|(p, q)| p != q)
        .unwrap_or(a.len().min(b.len()));
    Some(format!(
        "line {} differs (measured columns left out)",
        line + 1
    ))
}
