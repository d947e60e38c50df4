//! Tasks: a sweep's items split N ways (task `i` of `N` takes items `j` with `j % N == i`), so
//! they run on separate machines or jobs and merge afterwards.
//!
//! A task runs its items one after the other, each with every thread it is given, rather than
//! several items at once on one thread each: the measured figures (throughput, CPU per message)
//! then mean what they mean for `doormat run`, and memory stays that of one run. Deterministic
//! figures do not depend on the choice: the engine gives the same counts for any thread count.
//! Peak memory is the process's high-water mark so far; for a memory curve, run one item per
//! task.

use std::sync::atomic::AtomicU64;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Sweep, SweepError, SweepSpec, file, metric};
pub use crate::model::TaskSelection;
use crate::{
    report::Summary,
    sim::{RunOptions, run},
};

/// The `format` field of task result files.
pub const TASK_FORMAT: &str = "doormat-sweep-task";
/// Version of the task result layout; bumped on any incompatible change (2: checksums).
pub const TASK_SCHEMA_VERSION: u32 = 2;

/// One item's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    /// Index among the sweep's items.
    pub index: usize,
    /// Its grid point.
    pub point: usize,
    /// Its seed.
    pub seed: u64,
    /// The grid point's parameter values.
    pub parameters: Vec<Value>,
    /// Messages that failed to decrypt or to pass their checks, all designs (must be 0).
    pub failed: u64,
    /// Per design, in scenario order: its label and the metrics' values.
    pub designs: Vec<DesignValues>,
    /// The run's measured figures (wall time, throughput, memory, CPU per message), which
    /// differ on every run: kept apart from the metrics.
    pub measured: Value,
    /// SHA-256 of this item's canonical JSON without this field
    /// ([`ItemResult::expected_checksum`]).
    pub checksum: String,
}

/// One design's metric values in one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignValues {
    /// The design's label at this grid point.
    pub label: String,
    /// One per metric, in the spec's order; `null` where the metric does not resolve or is not
    /// a number.
    pub metrics: Vec<Option<f64>>,
}

/// A task's results: what `task-I-of-N.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskResult {
    /// Always [`TASK_FORMAT`].
    pub format: String,
    /// [`TASK_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// doormat's version.
    pub doormat_version: String,
    /// The sweep's name.
    pub sweep: String,
    /// The sweep's hash ([`Sweep::hash`]).
    pub sweep_hash: String,
    /// This task's index.
    pub task: usize,
    /// The number of tasks.
    pub of: usize,
    /// Items in the whole sweep.
    pub items_total: usize,
    /// The sweep as written.
    pub spec: SweepSpec,
    /// The base scenario, normalised, overrides applied.
    pub scenario: Value,
    /// This task's items, in order.
    pub items: Vec<ItemResult>,
    /// SHA-256 of the file's canonical JSON without this field
    /// ([`TaskResult::expected_checksum`]).
    pub checksum: String,
}

impl Sweep {
    /// Runs item `index` with `threads` worker threads (0: one per core), counting its messages
    /// into `progress`.
    pub fn run_item(
        &self,
        index: usize,
        threads: usize,
        progress: Option<&AtomicU64>,
    ) -> Result<ItemResult, SweepError> {
        let item = self.grid().item(index).ok_or_else(|| SweepError::Invalid {
            field: "item".into(),
            message: format!("no item {index}: the sweep has {}", self.grid().items()),
        })?;
        let point = &self.points()[item.point];
        let scenario = crate::scenario::Scenario {
            seed: item.seed,
            ..point.scenario.clone()
        };
        let output = run(
            &scenario,
            &RunOptions {
                threads,
                progress,
                ..RunOptions::default()
            },
        )
        .map_err(|error| SweepError::Run {
            item: index,
            assignment: self.assignment(item.point),
            seed: item.seed,
            error,
        })?;
        let summary = Summary::new(&scenario, &output);
        let json = serde_json::to_value(&summary).unwrap_or_default();
        let designs = summary
            .designs
            .iter()
            .enumerate()
            .map(|(d, design)| DesignValues {
                label: design.label.clone(),
                metrics: self
                    .spec()
                    .metrics
                    .iter()
                    .map(|m| metric::extract(&json, d, &m.path))
                    .collect(),
            })
            .collect();
        Ok(ItemResult {
            index,
            point: item.point,
            seed: item.seed,
            parameters: point.values.clone(),
            failed: summary.designs.iter().map(|d| d.counts.failed).sum(),
            designs,
            measured: metric::measured_part(&json),
            checksum: String::new(),
        }
        .sealed())
    }

    /// Runs every item of `task`, one after the other.
    pub fn run_task(&self, task: TaskSelection, threads: usize) -> Result<TaskResult, SweepError> {
        let items = task
            .items(self.grid().items())
            .into_iter()
            .map(|index| self.run_item(index, threads, None))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.task_result(task, items))
    }

    /// A task's result from its items' results, sealed with checksums ([`TaskResult::seal`]).
    pub fn task_result(&self, task: TaskSelection, items: Vec<ItemResult>) -> TaskResult {
        let mut result = TaskResult {
            format: TASK_FORMAT.into(),
            schema_version: TASK_SCHEMA_VERSION,
            doormat_version: env!("CARGO_PKG_VERSION").into(),
            sweep: self.name().into(),
            sweep_hash: self.hash().into(),
            task: task.index(),
            of: task.of(),
            items_total: self.grid().items(),
            spec: self.spec().clone(),
            scenario: self.base_scenario().clone(),
            items,
            checksum: String::new(),
        };
        result.seal();
        result
    }
}

impl TaskResult {
    /// Parses a task result, naming the JSON path, line and column of the first error, and
    /// refusing other formats and layout versions and anything after the document. Whether it
    /// fits its sweep and its checksums is checked by [`merge`](super::merge).
    pub fn from_json(text: &str) -> Result<Self, SweepError> {
        /// Just the header, read first so that another kind of file gets a clear message.
        #[derive(Deserialize)]
        struct Header {
            format: Option<String>,
            schema_version: Option<u32>,
        }
        let wrong = |found: String| SweepError::Invalid {
            field: "format".into(),
            message: format!(
                "expected a {TASK_FORMAT} file of layout {TASK_SCHEMA_VERSION}, found {found}"
            ),
        };
        if let Ok(header) = serde_json::from_str::<Header>(text) {
            match (header.format, header.schema_version) {
                (Some(format), Some(TASK_SCHEMA_VERSION)) if format == TASK_FORMAT => {}
                (Some(format), version) => {
                    let version = version.map_or("?".to_string(), |v| v.to_string());
                    return Err(wrong(format!("{format} of layout {version}")));
                }
                (None, _) => return Err(wrong("no `format` field".into())),
            }
        }
        file::parse_strict(text)
    }
}
