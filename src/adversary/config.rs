//! The adversary and the warrants of a run, with every time in simulated seconds: the scenario's
//! hours and days are converted once, here, when the run is configured.

use super::spec::{AdversarySpec, LawfulSpec};
use crate::{
    design::{Archive, Theft},
    model::{SimTime, days},
};

/// The run's adversary.
#[derive(Debug, Clone, PartialEq)]
pub struct Adversary {
    /// Every theft, in time order.
    pub thefts: Vec<Theft>,
    /// When the compromise is detected, if ever.
    pub detected_at: Option<SimTime>,
    /// The wiretap archive's reach.
    pub archive: Archive,
    /// Whether users re-key every session on detection.
    pub rekey_on_detection: bool,
    /// Reference phones, copied at the first compromise.
    pub reference_victims: u32,
}

impl Adversary {
    /// `spec` with its times resolved.
    pub fn new(spec: &AdversarySpec) -> Self {
        Self {
            thefts: spec.thefts(),
            detected_at: spec.detected_at(),
            archive: spec.archive(),
            rekey_on_detection: spec.rekey_on_detection,
            reference_victims: spec.reference_victims,
        }
    }

    /// The time of the first compromise: when the reference devices are copied.
    pub fn first_compromise(&self) -> SimTime {
        self.thefts.first().map_or(0, |t| t.at)
    }
}

/// The run's warrants and evasion.
#[derive(Debug, Clone, PartialEq)]
pub struct Lawful {
    /// Warranted users.
    pub targets: u32,
    /// Share of warrants signed by a prefect.
    pub prefect_share: f64,
    /// A warrant's window.
    pub window: SimTime,
    /// Warrants are issued at random times in this first share of the run.
    pub issuance_fraction: f64,
    /// Share of targets who evade.
    pub evasion: f64,
}

impl Lawful {
    /// `spec` for a population of `users`, with its times resolved.
    pub fn new(spec: &LawfulSpec, users: u64) -> Self {
        Self {
            targets: spec.target_count(users),
            prefect_share: spec.prefect_share,
            window: days(spec.window_days),
            issuance_fraction: spec.issuance_fraction,
            evasion: spec.evasion,
        }
    }
}
