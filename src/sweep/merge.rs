//! Merging task results into the sweep's result: check that they come from one sweep and cover
//! every item exactly once, then summarise each metric per grid point and design over the seeds.
//!
//! Items are taken in index order whatever the order of the tasks, so a sweep run at once and the
//! same sweep run as N tasks merge to the same bytes. Measured figures go to a separate record
//! ([`MeasuredRuns`]); a measured *metric* (see [`is_measured`](super::is_measured)) is
//! summarised with the others but flagged, and only it differs between runs.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Grid, ItemResult, Stats, SweepError, SweepSpec, TaskResult, check, metric, resolve};

/// The `format` field of `sweep.json`.
pub const SWEEP_FORMAT: &str = "doormat-sweep";
/// The `format` field of `sweep-measured.json`.
pub const MEASURED_FORMAT: &str = "doormat-sweep-measured";
/// Version of the `sweep.json` and `sweep-measured.json` layouts.
pub const SWEEP_SCHEMA_VERSION: u32 = 1;

/// A merged sweep: what `sweep.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// Always [`SWEEP_FORMAT`].
    pub format: String,
    /// [`SWEEP_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The doormat version that ran the items.
    pub doormat_version: String,
    /// The sweep's name.
    pub sweep: String,
    /// The sweep's hash.
    pub sweep_hash: String,
    /// The sweep as written.
    pub spec: SweepSpec,
    /// The base scenario, normalised, overrides applied.
    pub scenario: Value,
    /// The seeds every grid point ran with.
    pub seeds: Vec<u64>,
    /// The metrics, in the spec's order, with whether each is measured.
    pub metrics: Vec<MetricInfo>,
    /// Messages that failed to decrypt or to pass their checks, all items (must be 0).
    pub failed: u64,
    /// Per grid point, in grid order.
    pub points: Vec<PointResult>,
}

/// A metric of the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricInfo {
    /// Its JSON pointer.
    pub path: String,
    /// Its label.
    pub label: String,
    /// Whether it is measured (varies run to run).
    pub measured: bool,
}

/// One grid point's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    /// Index of the grid point.
    pub point: usize,
    /// Its parameter values, in the spec's order.
    pub values: Vec<Value>,
    /// Per design, in scenario order.
    pub designs: Vec<DesignResult>,
}

/// One design at one grid point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignResult {
    /// Its position in the scenario: the stable key across grid points.
    pub design: usize,
    /// Its label at this point (it may change with the parameters, e.g. `escrow/epoch6h-keep1d/chain`).
    pub label: String,
    /// Per metric, in the spec's order.
    pub metrics: Vec<MetricResult>,
}

/// One metric's statistics over the seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricResult {
    /// Its JSON pointer.
    pub path: String,
    /// Whether it is measured.
    pub measured: bool,
    /// n, mean, sd, 95 % half-width, min, max.
    #[serde(flatten)]
    pub stats: Stats,
}

/// The measured figures of every item: what `sweep-measured.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasuredRuns {
    /// Always [`MEASURED_FORMAT`].
    pub format: String,
    /// [`SWEEP_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The sweep's name.
    pub sweep: String,
    /// The sweep's hash.
    pub sweep_hash: String,
    /// Per item, in item order.
    pub items: Vec<MeasuredItem>,
}

/// One item's measured figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasuredItem {
    /// Index of the item.
    pub index: usize,
    /// Its grid point.
    pub point: usize,
    /// Its seed.
    pub seed: u64,
    /// The task that ran it.
    pub task: usize,
    /// Out of how many tasks.
    pub of: usize,
    /// Wall time, throughput, memory, threads, CPU per message by design.
    pub measured: Value,
}

/// A merged sweep: the deterministic result and the measured record.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// What goes to `sweep.json` and `sweep.csv`.
    pub result: SweepResult,
    /// What goes to `sweep-measured.json`.
    pub measured: MeasuredRuns,
}

/// Merges task results, each with a name for messages (its file). Refuses results of different
/// sweeps, splits or doormat versions, a result any field of which does not fit the others or its
/// checksums (see [`check`](super::check)), and a set that leaves an item out or holds one twice.
pub fn merge(tasks: &[(String, TaskResult)]) -> Result<Merged, SweepError> {
    let Some((first_name, first)) = tasks.first() else {
        return Err(SweepError::NoTasks);
    };
    for (name, task) in tasks {
        // First, so that a name such as `../x` is named as invalid, not as merely different.
        check::check_sweep_name(name, task)?;
        let mismatch = |difference: String| SweepError::Mismatch {
            first: first_name.clone(),
            other: name.clone(),
            difference,
        };
        if task.sweep != first.sweep {
            return Err(mismatch(format!(
                "sweep {:?} vs {:?}",
                task.sweep, first.sweep
            )));
        }
        if task.doormat_version != first.doormat_version {
            return Err(mismatch(format!(
                "doormat {} vs {}",
                task.doormat_version, first.doormat_version
            )));
        }
        if task.sweep_hash != first.sweep_hash {
            return Err(mismatch(format!(
                "sweep {:?} (hash {}) vs {:?} (hash {})",
                task.sweep,
                short(&task.sweep_hash),
                first.sweep,
                short(&first.sweep_hash)
            )));
        }
        if task.of != first.of {
            return Err(mismatch(format!(
                "split into {} tasks vs {}",
                task.of, first.of
            )));
        }
    }
    // Equal hashes, each checked against its own file below, mean one sweep for all.
    let sweep = check::rebuild(first_name, first)?;
    for (name, task) in tasks {
        check::check_task(name, task, &sweep)?;
    }
    let grid = sweep.grid();
    let items = cover(tasks, grid)?;
    let result = summarise(first, grid, &items);
    let measured = MeasuredRuns {
        format: MEASURED_FORMAT.into(),
        schema_version: SWEEP_SCHEMA_VERSION,
        sweep: first.sweep.clone(),
        sweep_hash: first.sweep_hash.clone(),
        items: items
            .iter()
            .map(|(source, item)| MeasuredItem {
                index: item.index,
                point: item.point,
                seed: item.seed,
                task: tasks[*source].1.task,
                of: tasks[*source].1.of,
                measured: item.measured.clone(),
            })
            .collect(),
    };
    Ok(Merged { result, measured })
}

/// Every item once, in index order, each with the index of the task that holds it. The items
/// are already checked to be their tasks' and to fit the grid.
fn cover<'a>(
    tasks: &'a [(String, TaskResult)],
    grid: &Grid,
) -> Result<Vec<(usize, &'a ItemResult)>, SweepError> {
    let total = grid.items();
    let mut slots: Vec<Option<(usize, &ItemResult)>> = vec![None; total];
    for (source, (name, task)) in tasks.iter().enumerate() {
        for item in &task.items {
            let Some(slot) = slots.get_mut(item.index) else {
                continue;
            };
            match slot {
                Some((earlier, _)) => {
                    return Err(SweepError::Duplicate {
                        item: item.index,
                        assignment: format!(
                            "{}, seed {}",
                            resolve::assignment(&task.spec, &item.parameters),
                            item.seed
                        ),
                        first: tasks[*earlier].0.clone(),
                        second: name.clone(),
                    });
                }
                None => *slot = Some((source, item)),
            }
        }
    }
    let missing: Vec<usize> = (0..total).filter(|&j| slots[j].is_none()).collect();
    if !missing.is_empty() {
        // Every task has the same `of`, checked above.
        let of = tasks[0].1.of;
        let mut absent: Vec<usize> = missing.iter().map(|j| j % of).collect();
        absent.sort_unstable();
        absent.dedup();
        let files: Vec<String> = absent
            .iter()
            .map(|&i| format!("task-{i}-of-{of}.json"))
            .collect();
        return Err(SweepError::Missing {
            count: missing.len(),
            total,
            items: ranges(&missing),
            hint: format!(" (no result from {})", files.join(", ")),
        });
    }
    Ok(slots.into_iter().flatten().collect())
}

/// The statistics per point, design and metric. Every item's designs and metric values are
/// already checked to be as many as its grid point's scenario and the spec have.
fn summarise(first: &TaskResult, grid: &Grid, items: &[(usize, &ItemResult)]) -> SweepResult {
    let spec = &first.spec;
    let seeds = grid.seeds().len();
    let mut points = Vec::with_capacity(grid.points());
    for point in 0..grid.points() {
        let runs = &items[point * seeds..(point + 1) * seeds];
        let (_, head) = runs[0];
        let designs = head
            .designs
            .iter()
            .enumerate()
            .map(|(d, design)| DesignResult {
                design: d,
                label: design.label.clone(),
                metrics: spec
                    .metrics
                    .iter()
                    .enumerate()
                    .map(|(m, metric)| {
                        let values: Vec<f64> = runs
                            .iter()
                            .filter_map(|(_, item)| {
                                item.designs.get(d).and_then(|design| design.metrics.get(m))
                            })
                            .filter_map(|value| *value)
                            .collect();
                        MetricResult {
                            path: metric.path.clone(),
                            measured: metric::is_measured(&metric.path),
                            stats: Stats::of(&values),
                        }
                    })
                    .collect(),
            })
            .collect();
        points.push(PointResult {
            point,
            values: head.parameters.clone(),
            designs,
        });
    }
    SweepResult {
        format: SWEEP_FORMAT.into(),
        schema_version: SWEEP_SCHEMA_VERSION,
        doormat_version: first.doormat_version.clone(),
        sweep: first.sweep.clone(),
        sweep_hash: first.sweep_hash.clone(),
        spec: spec.clone(),
        scenario: first.scenario.clone(),
        seeds: grid.seeds().to_vec(),
        metrics: spec
            .metrics
            .iter()
            .map(|m| MetricInfo {
                path: m.path.clone(),
                label: m.label().to_string(),
                measured: metric::is_measured(&m.path),
            })
            .collect(),
        failed: items
            .iter()
            .fold(0, |sum: u64, (_, item)| sum.saturating_add(item.failed)),
        points,
    }
}

/// The first 12 hex digits of a hash, for messages.
pub(crate) fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// `0-3, 7, 9-10`, cut after 20 ranges.
pub(crate) fn ranges(sorted: &[usize]) -> String {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for &j in sorted {
        match spans.last_mut() {
            Some((_, end)) if *end + 1 == j => *end = j,
            _ => spans.push((j, j)),
        }
    }
    let mut parts: Vec<String> = spans
        .iter()
        .take(20)
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    if spans.len() > 20 {
        parts.push("…".into());
    }
    parts.join(", ")
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn ranges_compress_runs() {
        assert_eq!(ranges(&[0, 1, 2, 3, 7, 9, 10]), "0-3, 7, 9-10");
        assert_eq!(ranges(&[5]), "5");
    }
}
