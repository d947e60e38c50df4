//! Healing in `summary.json`: how the sessions of the one-time reference copies healed, as a
//! Kaplan–Meier survival estimate per stolen session.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Distribution;
use crate::{
    adversary::{Counts, Reference, Survival},
    model::{DAY, HOUR},
};

/// How stolen sessions healed, from the reference device copies: per *session* (one reference
/// device's session with one contact), unlike the reference's per-device exposure. A survival
/// estimate: sessions still readable when the run ended are censored there, not dropped.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct HealingSummary {
    /// Stolen sessions followed: one per reference device and contact it had a session with.
    pub sessions: u64,
    /// Of which healed before the run ended.
    pub healed_sessions: u64,
    /// Of which still readable when the run ended (censored).
    pub not_healed_by_end: u64,
    /// Messages per session read after the copy until healing.
    pub per_session_messages: Option<HealingCurve>,
    /// Simulated hours per session from the copy to healing.
    pub per_session_hours: Option<HealingCurve>,
    /// Kaplan–Meier share of sessions still unhealed 1 h, 24 h and 7 days after the copy;
    /// `null` where no session was followed that long (the run is shorter than the point).
    #[serde(default)]
    pub unhealed_share_at: UnhealedShare,
}

/// One healing quantity as a right-censored survival estimate (Kaplan–Meier).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct HealingCurve {
    /// The Kaplan–Meier median; `null` if more than half the sessions had not healed within
    /// the follow-up.
    pub median: Option<f64>,
    /// The Kaplan–Meier restricted mean: the area under the curve up to the longest
    /// follow-up, the mean if every session had been followed until it healed.
    pub restricted_mean: Option<f64>,
    /// `[value, share still unhealed just after it]` at each value where sessions healed.
    pub survival: Vec<[f64; 2]>,
    /// The healed sessions only (mean, deciles, histogram), a lower bound when some are
    /// censored.
    pub healed: Option<Distribution>,
    /// The histogram's last bar: sessions not healed by the end of the run.
    pub not_healed_by_end: u64,
}

/// Shares of sessions still unhealed at fixed times after the copy.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct UnhealedShare {
    /// At 1 hour.
    pub hour_1: Option<f64>,
    /// At 24 hours.
    pub hours_24: Option<f64>,
    /// At 7 days.
    pub days_7: Option<f64>,
}

impl UnhealedShare {
    /// Each point's name in figures and prose, with its share (`None` where not followed that
    /// long), in time order.
    pub fn points(&self) -> [(&'static str, Option<f64>); 3] {
        [
            ("1 h", self.hour_1),
            ("24 h", self.hours_24),
            ("7 days", self.days_7),
        ]
    }
}

impl HealingCurve {
    fn new(healed: &Counts, censored: &Counts, curve: Survival, scale: f64) -> Option<Self> {
        if healed.total() + censored.total() == 0 {
            return None;
        }
        Some(Self {
            median: curve.median().map(|v| v as f64 / scale),
            restricted_mean: curve.restricted_mean().map(|v| v / scale),
            survival: curve
                .steps
                .iter()
                .map(|(v, s)| [*v as f64 / scale, *s])
                .collect(),
            healed: Distribution::new(healed, scale),
            not_healed_by_end: censored.total(),
        })
    }
}

impl HealingSummary {
    /// Healing of the reference copies under one design.
    pub fn new(reference: &Reference) -> Self {
        let seconds = Survival::estimate(&reference.healed_seconds, &reference.censored_seconds);
        Self {
            sessions: reference.sessions(),
            healed_sessions: reference.healed_messages.total(),
            not_healed_by_end: reference.censored_messages.total(),
            // A session censored after m messages read at least m; one censored at the end of
            // the run could not have healed there (nothing is sent at the end).
            per_session_messages: HealingCurve::new(
                &reference.healed_messages,
                &reference.censored_messages,
                Survival::estimate_at_least(
                    &reference.healed_messages,
                    &reference.censored_messages,
                ),
                1.0,
            ),
            per_session_hours: HealingCurve::new(
                &reference.healed_seconds,
                &reference.censored_seconds,
                seconds.clone(),
                HOUR as f64,
            ),
            unhealed_share_at: UnhealedShare {
                hour_1: seconds.at(HOUR),
                hours_24: seconds.at(DAY),
                days_7: seconds.at(7 * DAY),
            },
        }
    }
}
