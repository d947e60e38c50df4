//! Checks of the adversary and lawful-access blocks, each problem with its JSON path.

use crate::model::{HOUR, hours};
use std::collections::BTreeMap;

use super::ValidationError;
use crate::{
    adversary::{AdversarySpec, LawfulSpec},
    design::{DesignSpec, Secret},
};

fn push(errors: &mut Vec<ValidationError>, ok: bool, path: String, message: String) {
    if !ok {
        errors.push(ValidationError { path, message });
    }
}

fn in_run(hours: f64, duration_days: f64) -> bool {
    hours.is_finite() && hours >= 0.0 && hours <= duration_days * 24.0
}

/// Problems in `spec`, for a run of `duration_days` with `users` users and `designs`.
pub fn validate_adversary(
    spec: &AdversarySpec,
    duration_days: f64,
    users: u64,
    designs: &[DesignSpec],
) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let days = super::rounded(duration_days * 24.0);
    if let Some(retention) = spec.archive_retention_days {
        push(
            &mut errors,
            retention.is_finite() && retention >= 0.0,
            "adversary.archive_retention_days".into(),
            format!("expected a non-negative number of days or null, found {retention}"),
        );
    }
    if let Some(detected) = spec.detected_at_hours {
        let first = spec.compromises.iter().map(|c| c.at_hours).reduce(f64::min);
        push(
            &mut errors,
            in_run(detected, duration_days),
            "adversary.detected_at_hours".into(),
            format!("expected a time in [0, {days}] hours (the run), found {detected}"),
        );
        // Detection before anything was stolen would give a negative dwell; refused rather than
        // read as zero.
        if let Some(first) = first.filter(|f| f.is_finite() && in_run(detected, duration_days)) {
            push(
                &mut errors,
                detected >= first,
                "adversary.detected_at_hours".into(),
                format!(
                    "expected a time at or after the first compromise ({} hours), found {detected}",
                    super::rounded(first)
                ),
            );
        }
    }
    push(
        &mut errors,
        !spec.compromises.is_empty(),
        "adversary.compromises".into(),
        "expected at least one compromise".into(),
    );
    push(
        &mut errors,
        u64::from(spec.reference_victims) <= users,
        "adversary.reference_victims".into(),
        format!(
            "expected at most the {users} users, found {}",
            spec.reference_victims
        ),
    );
    let trustees = designs
        .iter()
        .map(|d| d.design().trustees())
        .filter(|&n| n > 0)
        .max();
    for (i, compromise) in spec.compromises.iter().enumerate() {
        let path = format!("adversary.compromises[{i}]");
        push(
            &mut errors,
            in_run(compromise.at_hours, duration_days),
            format!("{path}.at_hours"),
            format!(
                "expected a time in [0, {days}] hours (the run), found {}",
                compromise.at_hours
            ),
        );
        match &compromise.secret {
            Secret::EscrowShare { trustee } => push(
                &mut errors,
                trustees.is_some_and(|n| *trustee < n),
                format!("{path}.trustee"),
                match trustees {
                    Some(n) => format!("expected a trustee index below {n}, found {trustee}"),
                    None => "no design has a split escrow scope with trustees".into(),
                },
            ),
            Secret::Device { users: n } | Secret::GhostPower { users: n } => push(
                &mut errors,
                (1..=users).contains(&u64::from(*n)),
                format!("{path}.users"),
                format!("expected 1 to {users} users, found {n}"),
            ),
            Secret::EpochKeys { epochs } => push(
                &mut errors,
                !epochs.is_empty(),
                format!("{path}.epochs"),
                "expected at least one epoch".into(),
            ),
            Secret::EscrowKeyStore | Secret::BackupKey => {}
        }
    }
    errors.extend(thefts_outside_key_lives(spec, designs));
    errors
}

/// Thefts of epoch keys at a time the key exists in no epoch-scope design: before its epoch
/// starts, or once its retention has run out. Such a theft takes nothing anywhere, so it is
/// refused with the key's life. (A key alive in one design and deleted in another is the
/// comparison a scenario of retentions is for, and is accepted.)
fn thefts_outside_key_lives(spec: &AdversarySpec, designs: &[DesignSpec]) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    for (i, compromise) in spec.compromises.iter().enumerate() {
        let Secret::EpochKeys { epochs } = &compromise.secret else {
            continue;
        };
        if !compromise.at_hours.is_finite() {
            continue;
        }
        let at = hours(compromise.at_hours);
        for (j, &epoch) in epochs.iter().enumerate() {
            // Each life, with the designs whose key lives then.
            let mut lives: BTreeMap<(u64, u64), Vec<String>> = BTreeMap::new();
            for design in designs.iter().map(DesignSpec::design) {
                if let Some(life) = design.epoch_key_life_hours(epoch) {
                    lives.entry(life).or_default().push(design.label());
                }
            }
            let alive = lives
                .keys()
                .any(|(created, deleted)| created * HOUR <= at && at < deleted * HOUR);
            let described: Vec<String> = lives
                .iter()
                .map(|((created, deleted), labels)| {
                    format!(
                        "from hour {created} to hour {deleted} in {}",
                        labels.join(", ")
                    )
                })
                .collect();
            push(
                &mut errors,
                lives.is_empty() || alive,
                format!("adversary.compromises[{i}].secret.epochs[{j}]"),
                format!(
                    "epoch {epoch}'s key exists {} (from its epoch's start to the end of its \
                     retention), so a theft at hour {} takes nothing",
                    described.join("; "),
                    compromise.at_hours
                ),
            );
        }
    }
    errors
}

/// Problems in `spec` for a population of `users`.
pub fn validate_lawful(spec: &LawfulSpec, users: u64) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    for (value, name) in [
        (spec.prefect_share, "prefect_share"),
        (spec.evasion, "evasion"),
        (spec.issuance_fraction, "issuance_fraction"),
    ] {
        push(
            &mut errors,
            (0.0..=1.0).contains(&value),
            format!("lawful_access.{name}"),
            format!("expected a fraction in [0, 1], found {value}"),
        );
    }
    push(
        &mut errors,
        spec.window_days.is_finite() && spec.window_days > 0.0,
        "lawful_access.window_days".into(),
        format!(
            "expected a positive number of days, found {}",
            spec.window_days
        ),
    );
    if let Some(targets) = spec.targets {
        push(
            &mut errors,
            (1..=users).contains(&u64::from(targets)),
            "lawful_access.targets".into(),
            format!("expected 1 to {users} targets, or null, found {targets}"),
        );
    }
    errors
}
