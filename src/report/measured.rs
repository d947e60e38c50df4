//! Which figures of a run the machine measured, rather than the simulation determined. Measured
//! figures (time, throughput, memory, how the run was split) differ on every run; every other
//! figure derives from deterministic counts and is identical for a given scenario and seed,
//! whatever the thread count or the split into tasks.

use serde_json::Value;

use super::Summary;

/// Measured fields of `summary.json`'s top level.
pub const MEASURED_RUN_FIELDS: [&str; 5] = [
    "tasks",
    "threads",
    "wall_seconds",
    "messages_per_second",
    "peak_memory_bytes",
];

/// Measured fields of a design entry of `summary.json`.
pub const MEASURED_DESIGN_FIELDS: [&str; 3] = [
    "cpu_ns_per_message",
    "messages_per_cpu_second",
    "cpu_ratio_vs_plain",
];

/// Measured columns of `designs.csv`.
pub const MEASURED_CSV_COLUMNS: [&str; 2] = ["cpu_us_per_message", "cpu_ratio_vs_plain"];

/// Figures drawn from measured figures (stems under `plots/`).
pub const MEASURED_FIGURES: [&str; 1] = ["overhead_cpu"];

impl Summary {
    /// The summary as JSON without its measured fields: what two runs of one scenario and seed
    /// share byte for byte.
    pub fn deterministic_part(&self) -> Value {
        let mut json = serde_json::to_value(self).unwrap_or_default();
        without_measured(&mut json);
        json
    }
}

/// Removes the measured fields from a summary's JSON.
pub fn without_measured(json: &mut Value) {
    let Some(object) = json.as_object_mut() else {
        return;
    };
    for field in MEASURED_RUN_FIELDS {
        object.remove(field);
    }
    if let Some(Value::Array(designs)) = object.get_mut("designs") {
        for design in designs.iter_mut().filter_map(Value::as_object_mut) {
            for field in MEASURED_DESIGN_FIELDS {
                design.remove(field);
            }
        }
    }
}
