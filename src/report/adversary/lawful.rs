//! Lawful access in `summary.json`: what the authority obtained on its targets under one design.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ratio;
use crate::adversary::{Lawful, Roles};

/// What the authority obtained on its targets.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LawfulSummary {
    /// Warranted users.
    pub targets: u64,
    /// Of which evading.
    pub evading_targets: u64,
    /// Warrants signed by a judge.
    #[serde(default)]
    pub judge_warrants: u64,
    /// Warrants signed by a prefect.
    #[serde(default)]
    pub prefect_warrants: u64,
    /// Messages inside a warrant window of either of their users, each counted once.
    pub messages_in_windows: u64,
    /// Of which the authority read.
    pub messages_obtained: u64,
    /// `messages_obtained / messages_in_windows`.
    pub r#yield: f64,
    /// The yield on compliant targets.
    pub yield_compliant: Option<f64>,
    /// The yield on evading targets.
    pub yield_evading: Option<f64>,
    /// Device compromises the authority needed (`plain`: an implant per target).
    pub device_compromises: u64,
}

impl LawfulSummary {
    /// The authority's yield under one design; `by_implant` if it has no exceptional access, so
    /// that the authority needs an implant on each target's phone.
    pub fn new(lawful: &Lawful, roles: &Roles, by_implant: bool) -> Self {
        let targets = roles.targets.len() as u64;
        let in_window = lawful.compliant_in_window + lawful.evading_in_window;
        let obtained = lawful.compliant_obtained + lawful.evading_obtained;
        let prefect = roles
            .targets
            .values()
            .filter(|t| t.warrant.issuer == crate::adversary::Issuer::Prefect)
            .count() as u64;
        Self {
            targets,
            evading_targets: roles.targets.values().filter(|t| t.evades).count() as u64,
            judge_warrants: targets - prefect,
            prefect_warrants: prefect,
            messages_in_windows: in_window,
            messages_obtained: obtained,
            r#yield: ratio(obtained, in_window).unwrap_or(0.0),
            yield_compliant: ratio(lawful.compliant_obtained, lawful.compliant_in_window),
            yield_evading: ratio(lawful.evading_obtained, lawful.evading_in_window),
            device_compromises: if by_implant { targets } else { 0 },
        }
    }
}
