//! Q1, effectiveness: what the authority read of its targets' messages, design by design, and
//! how evasion cut it.

use std::fmt::Write;

use super::{label, plural};
use crate::report::{
    Summary,
    numbers::{count, percent},
};

pub(super) fn findings(summary: &Summary) -> Vec<String> {
    let mut findings = Vec::new();
    for design in &summary.designs {
        let Some(lawful) = &design.lawful else {
            continue;
        };
        let targets = lawful.targets as f64;
        let mut s = format!(
            "With {}, the authority read {} of the {} messages in the warrant windows of its {}",
            label(design),
            percent(lawful.r#yield),
            count(lawful.messages_in_windows as f64),
            plural(targets, "target", "targets"),
        );
        let _ = write!(
            s,
            " ({})",
            plural(lawful.messages_obtained as f64, "message", "messages")
        );
        let evading = lawful.evading_targets as f64;
        if let (true, Some(compliant), Some(evader)) =
            (evading > 0.0, lawful.yield_compliant, lawful.yield_evading)
        {
            let _ = write!(
                s,
                ": {} for the {} who did not evade, {} for the {} who did",
                percent(compliant),
                count(targets - evading),
                percent(evader),
                count(evading),
            );
        }
        if lawful.device_compromises > 0 {
            let _ = write!(
                s,
                ", using {}",
                plural(
                    lawful.device_compromises as f64,
                    "targeted device compromise",
                    "targeted device compromises"
                )
            );
        }
        s.push('.');
        findings.push(s);
    }
    if findings.is_empty() {
        findings.push(
            "This run measured no lawful access: a `lawful` block in the scenario (targets, \
             window_days, evasion) adds lawful-access yield and evasion."
                .into(),
        );
    } else if let Some(lawful) = &summary.scenario.lawful_access {
        findings.push(format!(
            "The scenario sets {} of targets to evade: they superencrypt with a key of their own \
             or use a client without exceptional access.",
            percent(lawful.evasion)
        ));
    }
    findings
}
