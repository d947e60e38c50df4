//! The adversary and lawful-access blocks of a scenario, as written in its JSON.

use crate::{
    design::{Archive, Secret, Theft},
    model::{SimTime, days, hours},
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who watches the traffic and which secrets they steal, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdversarySpec {
    /// How long the wiretap archive keeps captured messages, in days; `null` keeps everything
    /// ("harvest now, decrypt later"). Default: `null`.
    #[serde(default)]
    pub archive_retention_days: Option<f64>,
    /// The secrets the adversary gains, each at its own time. It holds their union from then on.
    pub compromises: Vec<Compromise>,
    /// When the compromise is detected, in hours from the start; `null` if never. The authority
    /// then rotates its escrow keys (fields from then on use fresh keys) and the provider its
    /// backup key and ghost power.
    #[serde(default)]
    pub detected_at_hours: Option<f64>,
    /// Whether users re-key every session (a fresh X3DH) on detection. Default: false.
    #[serde(default)]
    pub rekey_on_detection: bool,
    /// Reference phones, each measured on its own: an implant (the yardstick of equivalent
    /// devices compromised) and a one-time copy at the first compromise's time (the second
    /// reference, and healing). Default: 20.
    #[serde(default = "default_reference_victims")]
    pub reference_victims: u32,
}

fn default_reference_victims() -> u32 {
    20
}

/// One secret, gained at `at_hours`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compromise {
    /// When, in hours from the start.
    pub at_hours: f64,
    /// What, e.g. `{"kind": "device", "users": 1}`.
    pub secret: Secret,
}

/// Warrants, issuers and evasion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LawfulSpec {
    /// Warranted users; `null` scales the CNCTR figure to the population: 24,209 people under
    /// surveillance in France in 2023 out of 68 million, 356 per million users (at least one).
    #[serde(default)]
    pub targets: Option<u32>,
    /// Share of warrants signed by a prefect (administrative interception) rather than a judge.
    /// Default: 0.5, an assumption.
    #[serde(default = "default_prefect_share")]
    pub prefect_share: f64,
    /// Length of a warrant's window, in days, cut at the end of the run. Default: 120 (French
    /// security interceptions are authorised for up to four months).
    #[serde(default = "default_window_days")]
    pub window_days: f64,
    /// Warrants are issued at random times in the first `issuance_fraction` of the run.
    /// Default: 0 (all at the start).
    #[serde(default)]
    pub issuance_fraction: f64,
    /// Share of targets who evade: they superencrypt with a key of their own and use a client
    /// that writes no usable escrow field, backup or ghost fan-out. Default: 0.2 (US 2023:
    /// about one wiretap in five met encryption).
    #[serde(default = "default_evasion")]
    pub evasion: f64,
}

fn default_prefect_share() -> f64 {
    0.5
}

fn default_window_days() -> f64 {
    120.0
}

fn default_evasion() -> f64 {
    0.2
}

/// Warranted users per million, from CNCTR 2023: 24,209 people out of 68 million.
pub const TARGETS_PER_MILLION: f64 = 24_209.0 / 68.0;

impl AdversarySpec {
    /// The time of the first compromise: when the reference devices are copied.
    pub fn first_compromise(&self) -> SimTime {
        self.thefts().first().map_or(0, |t| t.at)
    }

    /// Detection time, if any.
    pub fn detected_at(&self) -> Option<SimTime> {
        self.detected_at_hours.map(hours)
    }

    /// The wiretap archive's reach.
    pub fn archive(&self) -> Archive {
        Archive {
            retention: self.archive_retention_days.map(days),
        }
    }

    /// Device secrets the thefts took: one per user copied, under every design.
    pub fn device_secrets(&self) -> u64 {
        self.compromises
            .iter()
            .map(|c| match c.secret {
                Secret::Device { users } => u64::from(users),
                _ => 0,
            })
            .sum()
    }

    /// Every theft, in time order (scenario order within a second).
    pub fn thefts(&self) -> Vec<Theft> {
        let mut thefts: Vec<Theft> = self
            .compromises
            .iter()
            .enumerate()
            .map(|(compromise, c)| Theft {
                at: hours(c.at_hours),
                compromise,
                secret: c.secret.clone(),
            })
            .collect();
        thefts.sort_by_key(|t| (t.at, t.compromise));
        thefts
    }
}

impl LawfulSpec {
    /// The number of targets in a population of `users`.
    pub fn target_count(&self, users: u64) -> u32 {
        match self.targets {
            Some(n) => n,
            None => ((users as f64 * TARGETS_PER_MILLION / 1e6).round() as u32).max(1),
        }
        .min(u32::try_from(users).unwrap_or(u32::MAX))
    }
}
