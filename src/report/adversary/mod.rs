//! The adversary and lawful-access parts of `summary.json`: exposure, equivalent devices
//! compromised, healing (a Kaplan–Meier survival estimate per stolen session) and lawful yield,
//! derived from the merged counts.

mod distribution;
mod healing;
mod lawful;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use self::{
    distribution::Distribution,
    healing::{HealingCurve, HealingSummary, UnhealedShare},
    lawful::LawfulSummary,
};
use crate::{
    adversary::{Exposure, Roles},
    model::HOUR,
    scenario::Scenario,
    sim::DesignMetrics,
};

/// Run-wide facts about the adversary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AdversarySummary {
    /// When each compromise happened, in hours, scenario order.
    pub compromise_hours: Vec<f64>,
    /// When it was detected, in hours.
    pub detected_at_hours: Option<f64>,
    /// Dwell: hours from the first compromise to detection (or to the end of the run).
    #[serde(default)]
    pub dwell_hours: f64,
    /// The wiretap archive's retention, in days (`null`: everything).
    pub archive_retention_days: Option<f64>,
    /// Reference devices: the same users carry an implant and a one-time copy, both from the
    /// first compromise's time.
    #[serde(default)]
    pub reference_victims: u32,
    /// When the reference implants are removed, in hours: the detection (`null`: never, they
    /// read to the end of the run).
    pub implant_removed_at_hours: Option<f64>,
    /// Messages one implanted `plain` device exposes, per device (summed over its
    /// conversations), averaged over the reference devices: its stored history and everything
    /// it sends or receives until removal. The denominator of `equivalent_devices`; `null`
    /// without `plain`, without reference devices, or if they exchanged nothing.
    pub implant_exposure_per_device: Option<f64>,
    /// Messages one one-time copy of a `plain` device exposes, per device (summed over its
    /// sessions), averaged over the reference devices: what the copied sessions read until the
    /// ratchet heals them. The denominator of `equivalent_device_copies`; `null` as above, or
    /// when the copies read nothing (a copy taken at t = 0 holds no session yet).
    pub copy_exposure_per_device: Option<f64>,
}

/// What the adversary read of one design's traffic.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ExposureSummary {
    /// Messages decrypted to their true plaintext.
    pub exposed: u64,
    /// Their share of all messages sent.
    pub fraction: f64,
    /// Sent before the compromise that exposed them.
    pub retroactive: u64,
    /// Sent after it.
    pub prospective: u64,
    /// Sent after the detection.
    pub after_detection: u64,
    /// Users who sent or received an exposed message.
    pub users_touched: u64,
    /// Conversations with an exposed message.
    pub conversations_touched: u64,
    /// Send times of the first and last exposed messages, in hours.
    pub window_hours: Option<[f64; 2]>,
    /// Exposed messages by the compromise that first made them readable (scenario order).
    #[serde(default)]
    pub by_compromise: Vec<u64>,
    /// Distinct secrets this exposure required (1 for a key store, k for a k-of-n split, one per
    /// device): reported beside the exposure, never divided into it.
    pub secrets_required: u64,
    /// Equivalent devices compromised: `exposed` over what one implanted `plain` device
    /// exposes over the same dwell (`implant_exposure_per_device`). "This leak is like hacking
    /// N phones."
    pub equivalent_devices: Option<f64>,
    /// `exposed` over what one one-time `plain` device copy exposes before its sessions heal
    /// (`copy_exposure_per_device`): the second, post-compromise-security-limited reference.
    pub equivalent_device_copies: Option<f64>,
    /// At each whole simulated hour h from 0: messages readable at or before h over messages
    /// sent at or before h (a theft at hour 8 shows at hour 8).
    pub readable_over_time: Vec<HourFraction>,
}

/// A point of a curve over simulated time.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
pub struct HourFraction {
    /// The instant, in hours.
    pub hour: f64,
    /// The fraction.
    pub fraction: f64,
}

pub(super) fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl AdversarySummary {
    /// The run-wide part, if the scenario has an adversary.
    pub fn new(scenario: &Scenario, roles: &Roles, designs: &[DesignMetrics]) -> Option<Self> {
        let adversary = scenario.adversary.as_ref()?;
        let plain = scenario.baseline();
        let first = adversary.first_compromise();
        let end = adversary.detected_at().unwrap_or(scenario.horizon());
        let victims = roles.reference_victims;
        let per_device = |exposed: fn(&DesignMetrics) -> u64| {
            plain
                .filter(|_| victims > 0)
                .map(|p| exposed(&designs[p]) as f64 / f64::from(victims))
                .filter(|per| *per > 0.0)
        };
        Some(Self {
            compromise_hours: adversary.compromises.iter().map(|c| c.at_hours).collect(),
            detected_at_hours: adversary.detected_at_hours,
            dwell_hours: end.saturating_sub(first) as f64 / HOUR as f64,
            archive_retention_days: adversary.archive_retention_days,
            reference_victims: victims,
            implant_removed_at_hours: adversary.detected_at_hours,
            implant_exposure_per_device: per_device(|d| d.implant.exposed),
            copy_exposure_per_device: per_device(|d| d.reference.exposed),
        })
    }
}

impl ExposureSummary {
    /// One design's exposure, requiring `secrets_required` secrets, against the run's reference
    /// devices.
    pub fn new(
        counts: &DesignMetrics,
        secrets_required: u64,
        adversary: &AdversarySummary,
        hours: usize,
    ) -> Self {
        let e: &Exposure = &counts.exposure;
        let over = |per_device: Option<f64>| per_device.map(|r| e.exposed as f64 / r);
        let mut readable = 0;
        let mut sent = 0;
        let readable_over_time = (0..=hours)
            .map(|h| {
                readable += e.readable_per_hour.get(h).copied().unwrap_or(0);
                sent += e.sent_per_hour.get(h).copied().unwrap_or(0);
                HourFraction {
                    hour: h as f64,
                    fraction: ratio(readable, sent).unwrap_or(0.0),
                }
            })
            .collect();
        let to_hours = |t: u64| t as f64 / HOUR as f64;
        Self {
            exposed: e.exposed,
            fraction: ratio(e.exposed, counts.sent).unwrap_or(0.0),
            retroactive: e.retroactive,
            prospective: e.exposed - e.retroactive,
            after_detection: e.after_detection,
            users_touched: e.users.len(),
            conversations_touched: e.conversations,
            window_hours: e
                .first_sent
                .zip(e.last_sent)
                .map(|(a, b)| [to_hours(a), to_hours(b)]),
            by_compromise: e.by_compromise.clone(),
            secrets_required,
            equivalent_devices: over(adversary.implant_exposure_per_device),
            equivalent_device_copies: over(adversary.copy_exposure_per_device),
            readable_over_time,
        }
    }
}
