//! One run split into tasks: `doormat run SCENARIO --task I --of N` simulates the conversations
//! `j` with `j % N == I` and writes `task-I-of-N.json` ([`RunTask`]); [`merge`] adds the tasks'
//! metrics into the run's [`Summary`](crate::report::Summary), whose deterministic figures are
//! byte-identical to the run in one process, for any N and any thread count.
//!
//! Every task draws the whole plan and the roles from the scenario's seed, so each conversation
//! has the same id, the same users and the same random streams as in one process, and the
//! metrics, which merge by addition (and union, for the users touched), add up to the same
//! counts whatever the split.

mod error;
mod files;
mod merge;
mod task;
mod totals;
mod users;

pub use self::{
    error::SplitError,
    files::{TaskFile, read_task_file, write_run_task},
    merge::merge,
    task::{
        MAX_RUN_TASKS, RUN_TASK_FORMAT, RUN_TASK_SCHEMA_VERSION, RunTask, TaskDesign, TaskMeasured,
        declared_format, scenario_hash,
    },
};
