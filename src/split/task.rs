//! A run task's result, `task-I-of-N.json`: the mergeable metrics of its share of the
//! conversations, exactly (every counter, histogram and the set of users touched), with what it
//! measured, the doormat version, the scenario as run and its hash, and checksums.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{SplitError, users};
use crate::{
    model::{TaskSelection, Timing},
    scenario::Scenario,
    sim::{DesignMetrics, RunOutput},
    sweep::{
        SweepError,
        checksum::{digest, sha256_hex},
        file::parse_strict,
    },
};

/// The `format` field of run task files.
pub const RUN_TASK_FORMAT: &str = "doormat-run-task";
/// Version of the run task layout; bumped on any incompatible change.
pub const RUN_TASK_SCHEMA_VERSION: u32 = 1;
/// Most tasks a run splits into: far beyond any cluster's array, and few enough that a merge
/// sizes its table of tasks before reading them.
pub const MAX_RUN_TASKS: usize = 1_000_000;

/// What `task-I-of-N.json` holds for a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunTask {
    /// Always [`RUN_TASK_FORMAT`].
    pub format: String,
    /// [`RUN_TASK_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// doormat's version.
    pub doormat_version: String,
    /// The scenario's name.
    pub name: String,
    /// SHA-256 of doormat's version and the scenario as run ([`scenario_hash`]).
    pub scenario_hash: String,
    /// This task's index.
    pub task: usize,
    /// The number of tasks.
    pub of: usize,
    /// The scenario as run (seed override applied), in doormat's normal form.
    pub scenario: Value,
    /// Conversations in the whole plan (every task draws the same plan).
    pub conversations: u64,
    /// Per design, in scenario order.
    pub designs: Vec<TaskDesign>,
    /// What the machine measured.
    pub measured: TaskMeasured,
    /// SHA-256 of the file's canonical JSON without this field.
    pub checksum: String,
}

/// One design's mergeable metrics in one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDesign {
    /// The design's label.
    pub label: String,
    /// The deterministic counts of this task's conversations.
    pub metrics: DesignMetrics,
    /// The users who sent or received an exposed message, as runs or a bitmap ([`users`]); the
    /// count in `metrics` is its size.
    pub users_touched: String,
    /// Measured CPU time of this task's conversations.
    pub timing: Timing,
}

/// What a task measured: it varies from run to run and is left out of every comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskMeasured {
    /// Worker threads.
    pub threads: usize,
    /// Wall-clock seconds of the simulation.
    pub wall_seconds: f64,
    /// Peak resident memory of the task's process, in bytes (0 where unknown).
    pub peak_memory_bytes: u64,
    /// The batch job that ran it, e.g. Slurm's `<array job>_<task>`, if any.
    pub job: Option<String>,
}

/// SHA-256 of doormat's `version` and the normal form of a scenario: equal for tasks of one
/// run, whatever machine ran them.
pub fn scenario_hash(version: &str, scenario: &Value) -> String {
    sha256_hex(&serde_json::to_vec(&(version, scenario)).unwrap_or_default())
}

impl RunTask {
    /// The result of `task` of a run of `scenario` that gave `output`, sealed with its checksum.
    pub fn new(
        scenario: &Scenario,
        output: &RunOutput,
        peak_memory_bytes: u64,
        job: Option<String>,
    ) -> Self {
        let version = env!("CARGO_PKG_VERSION");
        let value = serde_json::to_value(scenario).unwrap_or_default();
        let designs = scenario
            .designs
            .iter()
            .zip(&output.metrics.designs)
            .zip(&output.metrics.timing)
            .map(|((spec, metrics), timing)| TaskDesign {
                label: spec.label(),
                users_touched: users::encode(&metrics.exposure.users),
                metrics: metrics.clone(),
                timing: *timing,
            })
            .collect();
        let mut task = Self {
            format: RUN_TASK_FORMAT.into(),
            schema_version: RUN_TASK_SCHEMA_VERSION,
            doormat_version: version.into(),
            name: scenario.name.clone(),
            scenario_hash: scenario_hash(version, &value),
            task: output.task.index(),
            of: output.task.of(),
            scenario: value,
            conversations: output.conversations,
            designs,
            measured: TaskMeasured {
                threads: output.threads,
                wall_seconds: output.wall_seconds,
                peak_memory_bytes,
                job,
            },
            checksum: String::new(),
        };
        task.checksum = task.expected_checksum();
        task
    }

    /// The checksum this file's content gives: SHA-256 of its canonical JSON (serde_json's
    /// compact form, members in key order) without the `checksum` member.
    pub fn expected_checksum(&self) -> String {
        digest(self)
    }

    /// Its task number.
    pub fn selection(&self) -> Option<TaskSelection> {
        TaskSelection::new(self.task, self.of).ok()
    }

    /// Parses a run task file, naming the JSON path, line and column of the first error, and
    /// refusing other formats and layouts and anything after the document. The sets of users
    /// are read back from their encoding. Whether it fits its scenario and checksum is checked by
    /// [`merge`](super::merge).
    pub fn from_json(text: &str) -> Result<Self, SplitError> {
        let mut task: RunTask = parse_strict(text)?;
        for (d, design) in task.designs.iter_mut().enumerate() {
            let field = format!(".designs[{d}].users_touched");
            let users = users::decode(&design.users_touched).map_err(|message| {
                SplitError::File(SweepError::Parse {
                    path: field.clone(),
                    message,
                })
            })?;
            if users.len() != design.metrics.exposure.users.len() {
                return Err(SplitError::File(SweepError::Parse {
                    path: field,
                    message: format!(
                        "holds {} users, but `metrics.exposure.users` says {}",
                        users.len(),
                        design.metrics.exposure.users.len()
                    ),
                }));
            }
            design.metrics.exposure.users = users;
        }
        Ok(task)
    }
}

/// The format and layout a task file's text declares, read before anything else so that
/// another kind of file gets a clear message: `(format, schema_version)`.
pub fn declared_format(text: &str) -> Option<(String, Option<u32>)> {
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        schema_version: Option<u32>,
    }
    let header: Header = serde_json::from_str(text).ok()?;
    Some((header.format?, header.schema_version))
}
