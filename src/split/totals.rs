//! What a task's metrics must satisfy before they are added: a file whose checksum was
//! recomputed after an edit proves nothing, so the merge checks that the counts are ones a run
//! can give (a part is never more than its whole, no user beyond the population) and that the
//! tasks' counts add up within the counters' range, as the summary adds them. A file that fails
//! is refused, naming the file and the field, before anything is added.

use serde_json::Value;

use super::{RunTask, SplitError};
use crate::scenario::Scenario;

/// The members of [`DesignMetrics`] that merge by minimum or maximum (times), not by addition:
/// left out of the totals.
const NOT_ADDED: [&str; 2] = ["first_sent", "last_sent"];

fn corrupt(name: &str, message: String) -> SplitError {
    SplitError::Corrupt {
        source_name: name.to_string(),
        message,
    }
}

/// Checks the counts of `task` (called `name`) against each other and against `scenario`.
pub(super) fn check_counts(
    name: &str,
    task: &RunTask,
    scenario: &Scenario,
) -> Result<(), SplitError> {
    let users = scenario.population.users;
    for (d, design) in task.designs.iter().enumerate() {
        let m = &design.metrics;
        let parts = [
            (
                "exposure.retroactive",
                m.exposure.retroactive,
                "exposure.exposed",
                m.exposure.exposed,
            ),
            (
                "exposure.after_detection",
                m.exposure.after_detection,
                "exposure.exposed",
                m.exposure.exposed,
            ),
            (
                "reference.retroactive",
                m.reference.retroactive,
                "reference.exposed",
                m.reference.exposed,
            ),
            (
                "lawful.compliant_obtained",
                m.lawful.compliant_obtained,
                "lawful.compliant_in_window",
                m.lawful.compliant_in_window,
            ),
            (
                "lawful.evading_obtained",
                m.lawful.evading_obtained,
                "lawful.evading_in_window",
                m.lawful.evading_in_window,
            ),
        ];
        for (part, value, whole, total) in parts {
            if value > total {
                return Err(corrupt(
                    name,
                    format!(
                        "`designs[{d}].metrics.{part}` is {value}, more than `{whole}`, {total}, \
                         which it is part of"
                    ),
                ));
            }
        }
        let words = m.exposure.users.words();
        if let Some(last) = words.last() {
            let highest = 64 * (words.len() as u64 - 1) + u64::from(63 - last.leading_zeros());
            if highest >= users {
                return Err(corrupt(
                    name,
                    format!(
                        "`designs[{d}].users_touched` holds user {highest}, but the scenario has \
                         {users} users"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Checks that the tasks' counts add up within `u64`: per design, the total of all its
/// counters together over the tasks, so that every counter's total, and any sum the summary takes
/// of them, fits; and the same for its measured times. Names the first file that takes a total
/// beyond the range, and its largest counter.
pub(super) fn check_totals(tasks: &[(String, RunTask)], designs: usize) -> Result<(), SplitError> {
    let most = u128::from(u64::MAX);
    for d in 0..designs {
        let (mut all, mut time) = (0u128, 0u128);
        for (name, task) in tasks {
            let Some(design) = task.designs.get(d) else {
                continue;
            };
            let value = serde_json::to_value(&design.metrics).unwrap_or_default();
            all += sum(&value);
            if all > most {
                let (path, largest) = largest(&value, String::new());
                return Err(corrupt(
                    name,
                    format!(
                        "`designs[{d}].metrics{path}` is {largest}: the design's counts, with the \
                         other tasks', add up beyond {}",
                        u64::MAX
                    ),
                ));
            }
            let t = &design.timing;
            let phases = [
                ("handshake_ns", t.handshake_ns),
                ("ratchet_ns", t.ratchet_ns),
                ("escrow_ns", t.escrow_ns),
                ("adversary_ns", t.adversary_ns),
                ("total_ns", t.total_ns),
            ];
            time += phases.iter().map(|(_, ns)| u128::from(*ns)).sum::<u128>();
            if time > most {
                let (field, ns) = phases
                    .into_iter()
                    .max_by_key(|(_, ns)| *ns)
                    .unwrap_or(("total_ns", 0));
                return Err(corrupt(
                    name,
                    format!(
                        "`designs[{d}].timing.{field}` is {ns}: the design's times, with the \
                         other tasks', add up beyond {} ns",
                        u64::MAX
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The sum of the whole numbers in `value` (a task's metrics as JSON, whose numbers are its
/// counters, the users as their count), except the members of [`NOT_ADDED`].
fn sum(value: &Value) -> u128 {
    match value {
        Value::Number(number) => u128::from(number.as_u64().unwrap_or(u64::MAX)),
        Value::Array(items) => items.iter().map(sum).sum(),
        Value::Object(members) => members
            .iter()
            .filter(|(key, _)| !NOT_ADDED.contains(&key.as_str()))
            .map(|(_, member)| sum(member))
            .sum(),
        _ => 0,
    }
}

/// The largest number [`sum`] adds in `value`, with its path from `path` (`.member`,
/// `[index]`).
fn largest(value: &Value, path: String) -> (String, u64) {
    let pick = |a: (String, u64), b: (String, u64)| if b.1 > a.1 { b } else { a };
    match value {
        Value::Number(number) => (path, number.as_u64().unwrap_or(u64::MAX)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| largest(item, format!("{path}[{i}]")))
            .fold((path.clone(), 0), pick),
        Value::Object(members) => members
            .iter()
            .filter(|(key, _)| !NOT_ADDED.contains(&key.as_str()))
            .map(|(key, member)| largest(member, format!("{path}.{key}")))
            .fold((path.clone(), 0), pick),
        _ => (path, 0),
    }
}
