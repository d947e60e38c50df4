//! The adversary and lawful-access parts of `summary.json`: exposure, equivalent devices
//! compromised, healing (a Kaplan–Meier survival estimate per stolen session) and lawful yield,
//! derived from the merged counts.

use crate::model::{DAY, HOUR};
use serde::Serialize;

use crate::{
    adversary::{Counts, Exposure, Lawful, Reference, Roles, Survival},
    scenario::Scenario,
    sim::DesignMetrics,
};

/// Run-wide facts about the adversary.
#[derive(Debug, Clone, Serialize)]
pub struct AdversarySummary {
    /// When each compromise happened, in hours, scenario order.
    pub compromise_hours: Vec<f64>,
    /// When it was detected, in hours.
    pub detected_at_hours: Option<f64>,
    /// Dwell: hours from the first compromise to detection (or to the end of the run).
    pub dwell_hours: f64,
    /// The wiretap archive's retention, in days (`null`: everything).
    pub archive_retention_days: Option<f64>,
    /// Reference devices: the same users carry an implant and a one-time copy, both from the
    /// first compromise's time.
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
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Copy, Serialize)]
pub struct HourFraction {
    /// The instant, in hours.
    pub hour: f64,
    /// The fraction.
    pub fraction: f64,
}

/// A distribution's summary.
#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    /// Mean.
    pub mean: f64,
    /// 10th to 90th percentiles.
    pub deciles: Vec<f64>,
    /// `[bin centre, count]` pairs, every bin from 0 to the largest value, of equal width: each
    /// whole number up to 20 on its own, otherwise a round width giving about 20 bins.
    pub histogram: Vec<[f64; 2]>,
}

/// A round bin width (1, 2 or 5 × 10^k) giving at most about 20 bins up to `max`; at least 1
/// for whole numbers up to 20.
fn bin_width(max: f64) -> f64 {
    if max <= 20.0 {
        return 1.0;
    }
    let raw = max / 20.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|w| *w >= raw)
        .unwrap_or(10.0 * magnitude)
}

impl Distribution {
    fn new(counts: &Counts, scale: f64) -> Option<Self> {
        let total = counts.total();
        if total == 0 {
            return None;
        }
        let sum: f64 = counts.0.iter().map(|(v, c)| *v as f64 * *c as f64).sum();
        let quantile = |q: f64| {
            let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
            let mut seen = 0;
            for (value, count) in &counts.0 {
                seen += count;
                if seen >= rank {
                    return *value as f64 / scale;
                }
            }
            0.0
        };
        Some(Self {
            mean: sum / total as f64 / scale,
            deciles: (1..10).map(|d| quantile(f64::from(d) / 10.0)).collect(),
            histogram: {
                let max = counts.0.keys().last().map_or(0.0, |v| *v as f64 / scale);
                let width = bin_width(max);
                // Whole numbers counted one by one are centred on themselves.
                let offset = if scale == 1.0 && width == 1.0 {
                    0.0
                } else {
                    0.5
                };
                let bins = (max / width).floor() as usize + 1;
                let mut histogram: Vec<[f64; 2]> = (0..bins)
                    .map(|b| [(b as f64 + offset) * width, 0.0])
                    .collect();
                for (value, count) in &counts.0 {
                    let b = ((*value as f64 / scale) / width).floor() as usize;
                    histogram[b.min(bins - 1)][1] += *count as f64;
                }
                histogram
            },
        })
    }
}

/// How stolen sessions healed, from the reference device copies: per *session* (one reference
/// device's session with one contact), unlike the reference's per-device exposure. A survival
/// estimate: sessions still readable when the run ended are censored there, not dropped.
#[derive(Debug, Clone, Serialize)]
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
    pub unhealed_share_at: UnhealedShare,
}

/// One healing quantity as a right-censored survival estimate (Kaplan–Meier).
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct UnhealedShare {
    /// At 1 hour.
    pub hour_1: Option<f64>,
    /// At 24 hours.
    pub hours_24: Option<f64>,
    /// At 7 days.
    pub days_7: Option<f64>,
}

impl UnhealedShare {
    /// Each point's field in `summary.json` and its name in figures and prose.
    pub const POINTS: [(&'static str, &'static str); 3] = [
        ("hour_1", "1 h"),
        ("hours_24", "24 h"),
        ("days_7", "7 days"),
    ];
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

/// What the authority obtained on its targets.
#[derive(Debug, Clone, Serialize)]
pub struct LawfulSummary {
    /// Warranted users.
    pub targets: u64,
    /// Of which evading.
    pub evading_targets: u64,
    /// Warrants signed by a judge.
    pub judge_warrants: u64,
    /// Warrants signed by a prefect.
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

fn ratio(a: u64, b: u64) -> Option<f64> {
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
