//! Parameter sweeps: one scenario run over a grid of parameter values and seeds, each metric
//! summarised per grid point and design, so a question gets a curve rather than a point.
//!
//! A sweep file ([`SweepSpec`], JSON, unknown fields refused) names a base scenario, the
//! parameters to vary (JSON pointers, RFC 6901, into the scenario, with their values), the seeds,
//! fixed overrides, and the metrics to collect (JSON pointers into each design entry of
//! `summary.json`; `/run/…` into its top level). Loading ([`Sweep::load`]) checks everything and
//! builds and validates every grid point's scenario before anything runs.
//!
//! The grid times the seeds is a list of items in a fixed order ([`Grid`]); task `i` of `N`
//! runs items `j` with `j % N == i` ([`TaskSelection`]), writing a [`TaskResult`]. [`merge`]
//! checks that task results come from one sweep, that every field of each fits the others and
//! its checksums, and that they cover every item once, and gives n, mean,
//! standard deviation, 95 % Student-t half-width, min and max per point, design and metric
//! ([`Stats`]). A sweep run at once is merged from its single task, so it and any split of it
//! give byte-identical `sweep.json` and `sweep.csv` as long as its metrics are deterministic.
//! Measured figures (see [`is_measured`]) are kept apart, in `sweep-measured.json`.

mod bundled;
mod check;
pub(crate) mod checksum;
mod error;
mod figures;
pub(crate) mod file;
mod grid;
mod merge;
mod metric;
mod output;
mod pointer;
mod resolve;
mod schema;
mod spec;
mod stats;
mod task;

pub(crate) use self::merge::{ranges, short};
pub use self::{
    bundled::{BUNDLED, bundled},
    error::SweepError,
    figures::sweep_charts,
    file::{MAX_SWEEP_BYTES, MAX_TASK_BYTES},
    grid::{Grid, Item},
    merge::{
        DesignResult, MEASURED_FORMAT, MeasuredItem, MeasuredRuns, Merged, MetricInfo,
        MetricResult, PointResult, SWEEP_FORMAT, SWEEP_SCHEMA_VERSION, SweepResult, merge,
    },
    metric::{RUN_PREFIX, is_measured},
    output::{SWEEP_CSV, SWEEP_JSON, SWEEP_MEASURED_JSON, read_task, write_sweep, write_task},
    resolve::{MAX_ITEMS, MAX_NAME_CHARS, MAX_POINTS, Point, Sweep, check_name},
    spec::{Metric, Parameter, ScenarioSource, Seeds, SweepSpec},
    stats::{Stats, student_t_975},
    task::{DesignValues, ItemResult, TASK_FORMAT, TASK_SCHEMA_VERSION, TaskResult, TaskSelection},
};
