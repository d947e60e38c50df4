//! Merging a run's tasks into the run's summary. No field of a task file is trusted alone: the
//! scenario is parsed and validated again from the text each file embeds, its hash recomputed,
//! every file checked against its checksum and against the first file, and the tasks must be
//! each of `0..N` once. Their counts must be ones a run can give and add up within their range
//! (`totals`), since a forger can recompute a checksum. The metrics then add up exactly, in any
//! order; the plan's facts that the summary needs (the roles, each design's secrets) are drawn
//! again from the scenario's seed, which costs what the adversary and the warrants hold, not
//! what the run sent.

use super::{
    RunTask, SplitError,
    task::scenario_hash,
    totals::{check_counts, check_totals},
};
use crate::sweep::{ranges, short};
use crate::{
    adversary::Roles,
    report::{RunRecord, Summary},
    scenario::{RunConfig, Scenario},
    sim::{RunMetrics, deploy},
};

/// Merges run tasks, each with a name for messages (its file), into the run's summary.
pub fn merge(tasks: &[(String, RunTask)]) -> Result<Summary, SplitError> {
    let Some((first_name, first)) = tasks.first() else {
        return Err(SplitError::NoTasks);
    };
    // Each file against itself first, so that an edited file is the one named, wherever it is
    // in the list, rather than a genuine one compared with it.
    for (name, task) in tasks {
        sealed(name, task)?;
    }
    for (name, task) in tasks {
        let mismatch = |difference: String| SplitError::Mismatch {
            first: first_name.clone(),
            other: name.clone(),
            difference,
        };
        if task.doormat_version != first.doormat_version {
            return Err(mismatch(format!(
                "doormat {} vs {}",
                task.doormat_version, first.doormat_version
            )));
        }
        if task.scenario_hash != first.scenario_hash {
            return Err(mismatch(format!(
                "scenario {:?} (hash {}) vs {:?} (hash {})",
                task.name,
                short(&task.scenario_hash),
                first.name,
                short(&first.scenario_hash)
            )));
        }
        if task.of != first.of {
            return Err(mismatch(format!(
                "split into {} tasks vs {}",
                task.of, first.of
            )));
        }
    }
    let scenario = load_scenario(first_name, first)?;
    for (name, task) in tasks {
        check(name, task, first, &scenario)?;
    }
    cover(tasks)?;
    for (name, task) in tasks {
        check_counts(name, task, &scenario)?;
    }
    check_totals(tasks, scenario.designs.len())?;
    let mut metrics = RunMetrics::new(scenario.designs.len());
    for (_, task) in tasks {
        let mut part = RunMetrics::new(0);
        part.designs = task.designs.iter().map(|d| d.metrics.clone()).collect();
        part.timing = task.designs.iter().map(|d| d.timing).collect();
        metrics += part;
    }
    let config = RunConfig::new(&scenario);
    let roles = Roles::draw(
        config.seed,
        scenario.population.users,
        config.horizon,
        config.adversary.as_ref(),
        config.lawful.as_ref(),
    );
    let secrets: Vec<u64> = deploy(&config)?
        .iter()
        .map(|d| d.secrets_required())
        .collect();
    let measured = tasks.iter().map(|(_, t)| &t.measured);
    let record = RunRecord {
        metrics: &metrics,
        secrets_required: &secrets,
        roles: &roles,
        conversations: first.conversations,
        tasks: first.of as u64,
        threads: measured.clone().map(|m| m.threads).max().unwrap_or(1),
        wall_seconds: measured.clone().map(|m| m.wall_seconds).sum(),
        peak_memory_bytes: measured.map(|m| m.peak_memory_bytes).max().unwrap_or(0),
    };
    Ok(Summary::from_record(&scenario, &record))
}

/// The scenario `task` (called `name` in messages) embeds, parsed and validated as a scenario
/// file is, and in doormat's normal form.
fn load_scenario(name: &str, task: &RunTask) -> Result<Scenario, SplitError> {
    let text = serde_json::to_string(&task.scenario).unwrap_or_default();
    let scenario = Scenario::load(&text).map_err(|error| SplitError::Scenario {
        source_name: name.to_string(),
        error,
    })?;
    if serde_json::to_value(&scenario).ok().as_ref() != Some(&task.scenario) {
        return Err(corrupt(
            name,
            "`scenario` is not in doormat's normal form (edited?)".into(),
        ));
    }
    Ok(scenario)
}

fn corrupt(name: &str, message: String) -> SplitError {
    SplitError::Corrupt {
        source_name: name.to_string(),
        message,
    }
}

/// Checks `task` (called `name`) against its checksum, and its scenario hash against its
/// scenario and doormat version.
fn sealed(name: &str, task: &RunTask) -> Result<(), SplitError> {
    if task.checksum != task.expected_checksum() {
        return Err(corrupt(
            name,
            "`checksum` does not match the file's content (edited or damaged)".into(),
        ));
    }
    if task.scenario_hash != scenario_hash(&task.doormat_version, &task.scenario) {
        return Err(corrupt(
            name,
            "`scenario_hash` does not match its scenario and doormat version (edited?)".into(),
        ));
    }
    Ok(())
}

/// Checks every field of `task` (called `name`), whose checksum and hash hold, against its
/// scenario and the first task of the merge.
fn check(
    name: &str,
    task: &RunTask,
    first: &RunTask,
    scenario: &Scenario,
) -> Result<(), SplitError> {
    let corrupt = |message: String| corrupt(name, message);
    if task.scenario != first.scenario {
        return Err(corrupt("`scenario` differs from the first task's".into()));
    }
    if task.name != scenario.name {
        return Err(corrupt(format!(
            "`name` is {:?} but its scenario is named {:?}",
            task.name, scenario.name
        )));
    }
    let Some(selection) = task.selection() else {
        return Err(corrupt(format!(
            "`task`: expected 0 to {} (`of` is {}), found {}",
            task.of.saturating_sub(1),
            task.of,
            task.task
        )));
    };
    if task.of > super::MAX_RUN_TASKS {
        return Err(corrupt(format!(
            "`of`: at most {} tasks, found {}",
            super::MAX_RUN_TASKS,
            task.of
        )));
    }
    if task.conversations != first.conversations {
        return Err(corrupt(format!(
            "`conversations`: its plan has {} but the first task's has {}",
            task.conversations, first.conversations
        )));
    }
    if task.designs.len() != scenario.designs.len() {
        return Err(corrupt(format!(
            "`designs`: {} entries, but its scenario has {} designs",
            task.designs.len(),
            scenario.designs.len()
        )));
    }
    let share = selection.share_of(task.conversations);
    for (d, (design, spec)) in task.designs.iter().zip(&scenario.designs).enumerate() {
        if design.label != spec.label() {
            return Err(corrupt(format!(
                "`designs[{d}].label` is {:?}, but its scenario's design {d} is {:?}",
                design.label,
                spec.label()
            )));
        }
        if design.metrics.conversations > share {
            return Err(corrupt(format!(
                "`designs[{d}].metrics.conversations` is {}, more than the task's {share} of {} conversations",
                design.metrics.conversations, task.conversations
            )));
        }
    }
    let measured = &task.measured;
    if !(measured.wall_seconds.is_finite() && measured.wall_seconds >= 0.0) {
        return Err(corrupt(format!(
            "`measured.wall_seconds`: expected a time ≥ 0, found {}",
            measured.wall_seconds
        )));
    }
    Ok(())
}

/// Checks that the tasks are `0..N`, each once.
fn cover(tasks: &[(String, RunTask)]) -> Result<(), SplitError> {
    let of = tasks[0].1.of;
    let mut slots: Vec<Option<usize>> = vec![None; of];
    for (source, (name, task)) in tasks.iter().enumerate() {
        match slots[task.task] {
            Some(earlier) => {
                return Err(SplitError::Duplicate {
                    task: task.task,
                    of,
                    first: tasks[earlier].0.clone(),
                    second: name.clone(),
                });
            }
            None => slots[task.task] = Some(source),
        }
    }
    let missing: Vec<usize> = (0..of).filter(|&i| slots[i].is_none()).collect();
    if !missing.is_empty() {
        return Err(SplitError::Missing {
            count: missing.len(),
            of,
            files: format!("task-I-of-{of}.json for I in {}", ranges(&missing)),
        });
    }
    Ok(())
}
