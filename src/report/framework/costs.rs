//! Q4 and Q5, costs: CPU and wire bytes per message, each against the run's baseline design.

use std::fmt::Write;

use super::{label, plural};
use crate::report::{
    Summary,
    numbers::{NBSP, count, decimal, times},
};

pub(super) fn findings(summary: &Summary) -> Vec<String> {
    let mut findings = Vec::new();
    let baseline = summary.baseline_design().map(|d| d.label.as_str());
    for (i, design) in summary.designs.iter().enumerate() {
        let is_baseline = summary.baseline == Some(i);
        let mut s = format!(
            "{}{}: {}{NBSP}µs of CPU per message",
            label(design),
            if is_baseline { " (the baseline)" } else { "" },
            decimal(design.cpu_ns_per_message.total / 1_000.0, 1)
        );
        let against = baseline.filter(|_| !is_baseline);
        if let (Some(base), Some(ratio)) = (against, design.cpu_ratio_vs_plain) {
            let _ = write!(s, " ({} {base}'s)", times(ratio));
        }
        let _ = write!(
            s,
            " and {}{NBSP}B on the wire",
            decimal(design.wire_bytes_per_message, 1)
        );
        if let (Some(base), Some(extra)) = (against, design.wire_overhead_vs_plain) {
            let _ = write!(s, " ({:+}{NBSP}B over {base})", Signed(extra));
        }
        let _ = write!(
            s,
            "; one core handles {} messages per second",
            count(design.messages_per_cpu_second)
        );
        s.push('.');
        findings.push(s);
    }
    if findings.is_empty() {
        findings.push("This summary has no CPU or byte figures.".into());
        return findings;
    }
    findings.push(format!(
        "CPU times were measured on the machine that ran the scenario ({}) and vary between \
         runs; byte counts are exact.",
        plural(summary.threads as f64, "thread", "threads")
    ));
    if baseline.is_none() {
        findings.push(
            "This run has no plain design to compare against: adding {\"kind\": \"plain\"} \
             to the scenario's designs gives the overhead ratios."
                .into(),
        );
    }
    findings
}

/// A decimal that always shows its sign: `+80.5`, `-3.0`.
struct Signed(f64);

impl std::fmt::Display for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0.0 { "" } else { "+" };
        write!(f, "{sign}{}", decimal(self.0, 1))
    }
}
