//! Q2, security: what the adversary's stolen secrets made readable, design by design, in
//! phones' worth, over which hours; and how the Double Ratchet locked a device thief out again.

use std::fmt::Write;

use super::{hour, label, plural};
use crate::report::{
    AdversarySummary, HealingSummary, Summary,
    numbers::{NBSP, count, decimal, percent},
};

pub(super) fn findings(summary: &Summary) -> Vec<String> {
    let mut findings = Vec::new();
    let adversary = summary.adversary.as_ref();
    let detected = adversary.and_then(|a| a.detected_at_hours);
    if let Some(adversary) = adversary {
        findings.push(setting(adversary));
    }
    let implant = adversary.and_then(|a| a.implant_exposure_per_device);
    let copy = adversary.and_then(|a| a.copy_exposure_per_device);
    // The implant and the copy are references on the baseline design.
    let reference = summary.baseline_design().map_or("", |d| d.label.as_str());
    let mut exposed_any = false;
    for design in &summary.designs {
        let Some(exposure) = &design.exposure else {
            continue;
        };
        exposed_any = true;
        let label = label(design);
        let exposed = exposure.exposed as f64;
        let secrets = plural(
            exposure.secrets_required as f64,
            "stolen secret",
            "stolen secrets",
        );
        let of_run = format!("of the run's {} messages", count(design.counts.sent as f64));
        if exposure.exposed == 0 {
            findings.push(format!(
                "With {label}, the adversary's {secrets} made none {of_run} readable."
            ));
            continue;
        }
        let mut s = format!(
            "With {label}, the adversary's {secrets} made {} {of_run} readable ({}; {} of them \
             retroactively, sent before the compromise), touching {} in {}.",
            percent(exposure.fraction),
            count(exposed),
            percent(exposure.retroactive as f64 / exposed),
            plural(exposure.users_touched as f64, "user", "users"),
            plural(
                exposure.conversations_touched as f64,
                "conversation",
                "conversations"
            ),
        );
        if let (Some(devices), Some(implant)) = (exposure.equivalent_devices, implant) {
            let _ = write!(
                s,
                " That is like hacking {} phones: one implanted phone in {reference} exposed {} \
                 messages on average, its history and traffic until removal",
                decimal(devices, 1),
                decimal(implant, 1)
            );
            if let (Some(copies), Some(copy)) = (exposure.equivalent_device_copies, copy) {
                let _ = write!(
                    s,
                    " (or {} one-time phone copies, at {} messages each before the ratchet \
                     healed)",
                    decimal(copies, 1),
                    decimal(copy, 1)
                );
            }
            s.push('.');
        }
        if let Some([first, last]) = exposure.window_hours {
            let _ = write!(
                s,
                " Readable messages span hours {}–{} of the run",
                hour(first),
                hour(last)
            );
            match detected {
                Some(at) => {
                    let _ = write!(
                        s,
                        "; {} sent after detection at hour {} stayed readable.",
                        plural(exposure.after_detection as f64, "message", "messages"),
                        hour(at)
                    );
                }
                None => s.push('.'),
            }
        }
        findings.push(s);
    }
    // Every design runs the same Double Ratchet, so healing is the same in all: say it once.
    if let Some((design, healing)) = summary.healing() {
        findings.push(healing_sentence(&label(design), healing));
    }
    if !exposed_any {
        findings.push(
            "This run has no adversary: an `adversary` block in the scenario (compromises, \
             detected_at_hours, archive_retention_days) adds exposure after a key leak, blast \
             radius, retroactivity and dwell time."
                .into(),
        );
    }
    findings
}

/// When the adversary struck, what it kept, and whether anyone noticed.
fn setting(adversary: &AdversarySummary) -> String {
    let mut hours = adversary.compromise_hours.clone();
    hours.sort_by(f64::total_cmp);
    hours.dedup();
    let when = match hours.as_slice() {
        [] => "The adversary gained its secrets".to_string(),
        [one] => format!("The adversary gained its secrets at hour {}", hour(*one)),
        many => format!(
            "The adversary gained its secrets at hours {}",
            many.iter().map(|h| hour(*h)).collect::<Vec<_>>().join(", ")
        ),
    };
    let archive = match adversary.archive_retention_days {
        Some(days) => format!("kept captured messages for {} days", decimal(days, 1)),
        None => "kept every captured message (harvest now, decrypt later)".into(),
    };
    let detection = match adversary.detected_at_hours {
        Some(at) => format!("the compromise was detected at hour {}", hour(at)),
        None => "the compromise was never detected".into(),
    };
    format!("{when} and {archive}; {detection}.")
}

/// How long the design took to lock a device thief out again (post-compromise security), per
/// stolen session, as a Kaplan–Meier estimate that counts the sessions still readable at the
/// end as censored.
fn healing_sentence(label: &str, healing: &HealingSummary) -> String {
    let sessions = healing.sessions as f64;
    let open = healing.not_healed_by_end as f64;
    let mut s = format!(
        "In {label}, {} of {} stolen sessions (one per copied device and contact) healed \
         before the run ended and {} were still readable",
        count(sessions - open),
        count(sessions),
        count(open)
    );
    if let Some(m) = healing.per_session_messages.as_ref().and_then(|c| c.median) {
        let _ = write!(
            s,
            "; the Kaplan–Meier median per session is {} messages read before a new DH ratchet \
             step shut the thief out",
            decimal(m, 1)
        );
    }
    if let Some(curve) = &healing.per_session_hours {
        match curve.median {
            Some(h) => {
                let _ = write!(s, ", {}{NBSP}h after the copy", decimal(h, 1));
            }
            None => s.push_str(
                "; in time, more than half were still readable when the run ended (median \
                 not reached)",
            ),
        }
    }
    let shares: Vec<String> = healing
        .unhealed_share_at
        .points()
        .iter()
        .filter_map(|(name, share)| {
            Some(format!("{} % after {name}", decimal(100.0 * (*share)?, 1)))
        })
        .collect();
    if !shares.is_empty() {
        let _ = write!(s, "; still unhealed: {}", shares.join(", "));
    }
    s.push('.');
    s
}
