//! Checking a task result before it merges. A task file may come from another machine, so no
//! field of it is trusted alone: its sweep is rebuilt from the spec and base scenario it embeds
//! and checked as a sweep file is; its sweep hash is recomputed; its name, task number, item
//! count and every item's index, grid point, seed and parameters are compared with that sweep;
//! and each item's checksum and the file's cover everything else (metric values, measured
//! figures, labels).

use serde_json::{Map, Value};

use super::{
    ScenarioSource, Sweep, SweepError, SweepSpec, TaskResult, TaskSelection,
    resolve::{self, name_problem},
};

fn corrupt(name: &str, message: String) -> SweepError {
    SweepError::Corrupt {
        source_name: name.to_string(),
        message,
    }
}

/// The sweep task result `task` (called `name` in messages) ran, rebuilt from its spec and
/// base scenario and checked like a sweep file: name, parameters, metrics, seeds, and every grid
/// point's scenario.
pub(crate) fn rebuild(name: &str, task: &TaskResult) -> Result<Sweep, SweepError> {
    let Value::Object(base) = &task.scenario else {
        return Err(corrupt(name, "`scenario`: expected an object".into()));
    };
    // The overrides are already applied to the base scenario, and a scenario file named in the
    // spec may not exist here: the embedded base stands in for both.
    let spec = SweepSpec {
        scenario: ScenarioSource::Inline(base.clone()),
        overrides: Map::new(),
        ..task.spec.clone()
    };
    Sweep::from_spec(spec, None)
        .map_err(|error| corrupt(name, format!("its sweep does not load: {error}")))
}

/// Checks that the `sweep` field of `task` (called `name` in messages) is a valid sweep name,
/// which alone keeps the results folder inside `--out`.
pub(crate) fn check_sweep_name(name: &str, task: &TaskResult) -> Result<(), SweepError> {
    match name_problem(&task.sweep) {
        Some(problem) => Err(corrupt(name, format!("`sweep`: {problem}"))),
        None => Ok(()),
    }
}

/// Checks every field of `task` (called `name` in messages) against the others and against
/// `sweep`, rebuilt from the first task result of the merge (see [`rebuild`]).
pub(crate) fn check_task(name: &str, task: &TaskResult, sweep: &Sweep) -> Result<(), SweepError> {
    let corrupt = |message: String| corrupt(name, message);
    check_sweep_name(name, task)?;
    if task.sweep != task.spec.name {
        return Err(corrupt(format!(
            "`sweep` is {:?} but its spec is named {:?}",
            task.sweep, task.spec.name
        )));
    }
    let selection = TaskSelection::new(task.task, task.of).map_err(|_| {
        corrupt(format!(
            "`task`: expected 0 to {} (`of` is {}), found {}",
            task.of.saturating_sub(1),
            task.of,
            task.task
        ))
    })?;
    let hash = resolve::fingerprint(&task.doormat_version, &task.spec, &task.scenario);
    if hash != task.sweep_hash {
        return Err(corrupt(
            "`sweep_hash` does not match its spec, scenario and doormat version (edited?)".into(),
        ));
    }
    let total = sweep.grid().items();
    if task.items_total != total {
        return Err(corrupt(format!(
            "`items_total` is {}, but its sweep has {total} items",
            task.items_total
        )));
    }
    let expected = selection.items(total);
    if task.items.len() != expected.len() {
        return Err(corrupt(format!(
            "`items`: task {} of {} holds {} items, found {}",
            task.task,
            task.of,
            expected.len(),
            task.items.len()
        )));
    }
    for (k, (item, &index)) in task.items.iter().zip(&expected).enumerate() {
        let at = |message: String| corrupt(format!("items[{k}] (item {index}): {message}"));
        if item.index != index {
            return Err(at(format!(
                "`index` is {}, expected {index} (task {} of {} holds items {}, {}, …)",
                item.index,
                task.task,
                task.of,
                task.task,
                task.task.saturating_add(task.of)
            )));
        }
        let Some(grid_item) = sweep.grid().item(index) else {
            return Err(at(format!("beyond the sweep's {total} items")));
        };
        if item.point != grid_item.point {
            return Err(at(format!(
                "`point` is {}, expected {}",
                item.point, grid_item.point
            )));
        }
        if item.seed != grid_item.seed {
            return Err(at(format!(
                "`seed` is {}, expected {}",
                item.seed, grid_item.seed
            )));
        }
        if item.parameters != sweep.grid().point_values(grid_item.point) {
            return Err(at(format!(
                "`parameters` are not grid point {}'s ({})",
                grid_item.point,
                sweep.assignment(grid_item.point)
            )));
        }
        let designs = sweep
            .points()
            .get(grid_item.point)
            .map_or(0, |point| point.scenario.designs.len());
        if item.designs.len() != designs {
            return Err(at(format!(
                "{} designs, expected {designs}",
                item.designs.len()
            )));
        }
        let metrics = task.spec.metrics.len();
        if let Some(d) = item.designs.iter().position(|d| d.metrics.len() != metrics) {
            return Err(at(format!(
                "designs[{d}]: {} metric values, expected {metrics}",
                item.designs[d].metrics.len()
            )));
        }
        if item.checksum != item.expected_checksum() {
            return Err(at(
                "its values do not match its `checksum` (edited or damaged)".into(),
            ));
        }
    }
    if task.checksum != task.expected_checksum() {
        return Err(corrupt(
            "its content does not match its `checksum` (edited or damaged)".into(),
        ));
    }
    Ok(())
}
