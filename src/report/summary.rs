//! `summary.json`: the scenario as run, its seed, doormat's version, and every figure per design.

use std::fmt::Write;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::adversary::{AdversarySummary, ExposureSummary, HealingSummary, LawfulSummary};
use crate::{
    adversary::Roles,
    model::Timing,
    scenario::Scenario,
    sim::{DesignMetrics, RunMetrics, RunOutput},
};

/// Version of the `summary.json` layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole summary of a run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Layout version.
    pub schema_version: u32,
    /// doormat's version.
    pub doormat_version: String,
    /// The scenario exactly as run (seed override included).
    pub scenario: Scenario,
    /// The seed used.
    pub seed: u64,
    /// Conversations in the plan.
    pub conversations: u64,
    /// Measured: processes the run was split into (`doormat run --task I --of N`, merged);
    /// 1 for a run in one process.
    #[serde(default = "one")]
    pub tasks: u64,
    /// Measured: worker threads (per task, the most any task had).
    pub threads: usize,
    /// Measured: wall-clock seconds (of a run in tasks, the sum of the tasks': the time they
    /// take one after the other, each on `threads` threads).
    pub wall_seconds: f64,
    /// Measured: delivered messages (all designs) per second of `wall_seconds`.
    pub messages_per_second: f64,
    /// Measured: peak resident memory of the process, in bytes (of a run in tasks, the largest
    /// task's; 0 where unknown).
    pub peak_memory_bytes: u64,
    /// The adversary's compromises and the plain reference, if the scenario has an adversary.
    pub adversary: Option<AdversarySummary>,
    /// Index in `designs` of the design overheads are measured against: the first with no
    /// exceptional access (`null` if the run has none).
    #[serde(default)]
    pub baseline: Option<usize>,
    /// Per design, in scenario order.
    pub designs: Vec<DesignSummary>,
}

/// One design's figures.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DesignSummary {
    /// Label, e.g. `escrow/global/chain`.
    pub label: String,
    /// Deterministic counts (identical for any thread count).
    pub counts: DesignMetrics,
    /// Wire bytes per message (deterministic).
    pub wire_bytes_per_message: f64,
    /// Extra wire bytes per message against the run's baseline design (see
    /// [`Summary::baseline`]).
    pub wire_overhead_vs_plain: Option<f64>,
    /// Measured CPU nanoseconds per message by phase.
    pub cpu_ns_per_message: PerMessage,
    /// Measured: extra CPU per message against `plain` (ratio of totals), if the run has `plain`
    /// and it spent any (`null` rather than 0/0).
    pub cpu_ratio_vs_plain: Option<f64>,
    /// Measured: messages this design simulates per second of one core.
    pub messages_per_cpu_second: f64,
    /// What the adversary decrypted, if the scenario has one.
    pub exposure: Option<ExposureSummary>,
    /// How stolen sessions healed, per session (Kaplan–Meier), if the scenario has an adversary.
    pub healing: Option<HealingSummary>,
    /// What the authority obtained, if the scenario has warrants.
    pub lawful: Option<LawfulSummary>,
}

/// Nanoseconds per sent message, by phase.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema)]
pub struct PerMessage {
    /// Account creation and X3DH.
    pub handshake: f64,
    /// Double Ratchet.
    pub ratchet: f64,
    /// The design's own client work: escrow fields, ghost fan-out copies, backups.
    pub escrow: f64,
    /// Adversary and authority decryption.
    pub adversary: f64,
    /// Engine overhead: the rest.
    pub engine: f64,
    /// Everything.
    pub total: f64,
}

impl PerMessage {
    fn new(timing: &Timing, messages: u64) -> Self {
        let per = |ns: u64| {
            if messages == 0 {
                0.0
            } else {
                ns as f64 / messages as f64
            }
        };
        Self {
            handshake: per(timing.handshake_ns),
            ratchet: per(timing.ratchet_ns),
            escrow: per(timing.escrow_ns),
            adversary: per(timing.adversary_ns),
            engine: per(timing.engine_ns()),
            total: per(timing.total_ns),
        }
    }
}

fn one() -> u64 {
    1
}

/// What a summary is built from: a run's metrics, merged from all its conversations (in one
/// process or from its tasks), the facts every task shares, and what the machine measured.
#[derive(Debug, Clone, Copy)]
pub struct RunRecord<'a> {
    /// The metrics of every conversation, per design in scenario order.
    pub metrics: &'a RunMetrics,
    /// Per design: the secrets its exposure requires the adversary to hold.
    pub secrets_required: &'a [u64],
    /// Who was compromised or warranted.
    pub roles: &'a Roles,
    /// Conversations in the plan.
    pub conversations: u64,
    /// Processes whose measurements are combined.
    pub tasks: u64,
    /// Worker threads per process.
    pub threads: usize,
    /// Wall-clock seconds, summed over the processes.
    pub wall_seconds: f64,
    /// Peak resident memory of the largest process.
    pub peak_memory_bytes: u64,
}

impl Summary {
    /// Summarises a run of `scenario` in this process.
    pub fn new(scenario: &Scenario, output: &RunOutput) -> Self {
        let secrets: Vec<u64> = output
            .designs
            .iter()
            .map(|d| d.secrets_required())
            .collect();
        Self::from_record(
            scenario,
            &RunRecord {
                metrics: &output.metrics,
                secrets_required: &secrets,
                roles: &output.roles,
                conversations: output.conversations,
                tasks: 1,
                threads: output.threads,
                wall_seconds: output.wall_seconds,
                peak_memory_bytes: peak_memory_bytes(),
            },
        )
    }

    /// Summarises a run of `scenario` from its record.
    pub fn from_record(scenario: &Scenario, output: &RunRecord<'_>) -> Self {
        let plain = scenario.baseline();
        let per_message = |i: usize| {
            let counts = &output.metrics.designs[i];
            (
                counts.wire_bytes as f64 / counts.sent.max(1) as f64,
                output.metrics.timing[i].total_ns as f64 / counts.sent.max(1) as f64,
            )
        };
        let adversary = AdversarySummary::new(scenario, output.roles, &output.metrics.designs);
        let hours = scenario.horizon().div_ceil(crate::model::HOUR) as usize;
        let designs = (0..scenario.designs.len())
            .map(|i| {
                let counts = output.metrics.designs[i].clone();
                let secrets = scenario.adversary.as_ref().map_or(0, |a| {
                    a.device_secrets() + output.secrets_required.get(i).copied().unwrap_or(0)
                });
                let spec = &scenario.designs[i];
                let timing = &output.metrics.timing[i];
                let (wire, cpu) = per_message(i);
                let baseline = plain.map(per_message);
                DesignSummary {
                    label: spec.label(),
                    wire_bytes_per_message: wire,
                    wire_overhead_vs_plain: baseline.map(|(plain_wire, _)| wire - plain_wire),
                    cpu_ns_per_message: PerMessage::new(timing, counts.sent),
                    // No ratio when `plain` spent no CPU (it sent nothing): 0/0 is not 0.
                    cpu_ratio_vs_plain: baseline
                        .and_then(|(_, plain_cpu)| (plain_cpu > 0.0).then(|| cpu / plain_cpu)),
                    messages_per_cpu_second: counts.sent as f64
                        / (timing.total_ns as f64 / 1e9).max(1e-9),
                    exposure: adversary
                        .as_ref()
                        .map(|a| ExposureSummary::new(&counts, secrets, a, hours)),
                    healing: adversary
                        .as_ref()
                        .map(|_| HealingSummary::new(&counts.reference)),
                    lawful: scenario.lawful_access.as_ref().map(|_| {
                        LawfulSummary::new(
                            &counts.lawful,
                            output.roles,
                            !spec.design().exceptional_access(),
                        )
                    }),
                    counts,
                }
            })
            .collect::<Vec<_>>();
        let delivered: u64 = output.metrics.designs.iter().map(|d| d.delivered).sum();
        Self {
            schema_version: SCHEMA_VERSION,
            doormat_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenario.clone(),
            seed: scenario.seed,
            conversations: output.conversations,
            tasks: output.tasks,
            threads: output.threads,
            wall_seconds: output.wall_seconds,
            messages_per_second: delivered as f64 / output.wall_seconds.max(1e-9),
            peak_memory_bytes: output.peak_memory_bytes,
            adversary,
            baseline: plain,
            designs,
        }
    }

    /// The design overheads are measured against, if the run has one.
    pub fn baseline_design(&self) -> Option<&DesignSummary> {
        self.baseline.and_then(|i| self.designs.get(i))
    }

    /// The healing the report and the figures show: the baseline design's, or else the first
    /// design's that has one. Every design runs the same Double Ratchet, so one tells it.
    pub fn healing(&self) -> Option<(&DesignSummary, &HealingSummary)> {
        fn healing(d: &DesignSummary) -> Option<(&DesignSummary, &HealingSummary)> {
            d.healing.as_ref().map(|h| (d, h))
        }
        self.baseline_design()
            .and_then(healing)
            .or_else(|| self.designs.iter().find_map(healing))
    }

    /// The deterministic part only, as JSON: what must be identical for any thread count.
    pub fn deterministic_json(&self) -> String {
        let counts: Vec<(&str, &DesignMetrics)> = self
            .designs
            .iter()
            .map(|d| (d.label.as_str(), &d.counts))
            .collect();
        serde_json::to_string(&(&self.scenario, self.conversations, counts)).unwrap_or_default()
    }

    /// `hour,design,sent` rows, one per design and simulated hour.
    pub fn timeseries_csv(&self) -> String {
        let mut out = String::from("hour,design,sent\n");
        for design in &self.designs {
            for (hour, sent) in design.counts.sent_per_hour.iter().enumerate() {
                let _ = writeln!(out, "{hour},{},{sent}", design.label);
            }
        }
        out
    }
}

impl Summary {
    /// One row per design with the headline figures:
    /// `design,sent,failed,wire_bytes_per_message,cpu_us_per_message,cpu_ratio_vs_plain,`
    /// `exposed,exposed_fraction,retroactive,users_touched,secrets_required,equivalent_devices,`
    /// `equivalent_device_copies,lawful_yield`; empty cells where a figure does not apply.
    pub fn designs_csv(&self) -> String {
        let mut out = String::from(
            "design,sent,failed,wire_bytes_per_message,cpu_us_per_message,cpu_ratio_vs_plain,\
             exposed,exposed_fraction,retroactive,users_touched,secrets_required,\
             equivalent_devices,equivalent_device_copies,lawful_yield\n",
        );
        let cell = |v: Option<String>| v.unwrap_or_default();
        for d in &self.designs {
            let e = d.exposure.as_ref();
            let _ = writeln!(
                out,
                "{},{},{},{:.3},{:.3},{},{},{},{},{},{},{},{},{}",
                d.label,
                d.counts.sent,
                d.counts.failed,
                d.wire_bytes_per_message,
                d.cpu_ns_per_message.total / 1e3,
                cell(d.cpu_ratio_vs_plain.map(|r| format!("{r:.4}"))),
                cell(e.map(|e| e.exposed.to_string())),
                cell(e.map(|e| format!("{:.6}", e.fraction))),
                cell(e.map(|e| e.retroactive.to_string())),
                cell(e.map(|e| e.users_touched.to_string())),
                cell(e.map(|e| e.secrets_required.to_string())),
                cell(
                    e.and_then(|e| e.equivalent_devices)
                        .map(|g| format!("{g:.4}"))
                ),
                cell(
                    e.and_then(|e| e.equivalent_device_copies)
                        .map(|g| format!("{g:.4}"))
                ),
                cell(d.lawful.as_ref().map(|l| format!("{:.6}", l.r#yield))),
            );
        }
        out
    }

    /// `hour,design,readable_fraction` rows: the exposure curve of each design.
    pub fn exposure_csv(&self) -> String {
        let mut out = String::from("hour,design,readable_fraction\n");
        for d in &self.designs {
            for point in d.exposure.iter().flat_map(|e| &e.readable_over_time) {
                let _ = writeln!(out, "{},{},{:.6}", point.hour, d.label, point.fraction);
            }
        }
        out
    }
}

/// Peak resident set size of this process (Linux `VmHWM`), or 0 where unavailable.
pub fn peak_memory_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|line| {
                    line.split_whitespace()
                        .nth(1)
                        .and_then(|kb| kb.parse::<u64>().ok())
                })
        })
        .map_or(0, |kb| kb * 1024)
}
