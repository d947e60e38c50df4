//! What a run will take, from the scenario's parameters alone, and the budget that refuses a run
//! which cannot fit *before* it allocates: a 50-million-user plan or a transcript of 16 MiB
//! messages must be an error with a figure, not an abort in the middle of the run.
//!
//! The costs were calibrated on small measured runs (`tests/all/engine/estimate.rs` keeps them
//! within 2× of the measured allocation growth and CPU time).

use std::fmt;

use super::Scenario;
use crate::design::{Cost, Load};

/// What a run of the scenario will take, from its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Expected conversations (contact pairs), capped by the population.
    pub conversations: f64,
    /// Expected messages per design.
    pub messages_per_design: f64,
    /// Single-core CPU seconds for all designs (handshakes, DH steps, messages and their bytes,
    /// escrow fields, the adversary's decryptions).
    pub cpu_seconds: f64,
    /// Memory shared by all threads: the contact plan and per-user tables, in bytes.
    pub shared_bytes: f64,
    /// Memory of one worker thread: the conversation it simulates (its script, the wire bytes
    /// kept for the adversary, messages in flight) and its metrics, in bytes.
    pub per_thread_bytes: f64,
}

/// Resident memory of the process before the run allocates anything (code, tables, the
/// allocator's arenas), in bytes.
pub const BASELINE_BYTES: f64 = 16.0 * MIB;
/// Default CPU budget of one run: a day of one core. `--allow-long` lifts it.
pub const CPU_BUDGET_SECONDS: f64 = 24.0 * 3600.0;
/// Share of the machine's memory a run may take.
pub const MEMORY_SHARE: f64 = 0.8;
/// CPU time a task of a split run is sized for: an hour of one core, long enough that a batch
/// scheduler's start-up is negligible, short enough that a lost task costs little.
pub const TASK_TARGET_CPU_SECONDS: f64 = 3600.0;
/// Machine memory assumed where `/proc/meminfo` is unavailable.
pub const FALLBACK_MEMORY_BYTES: u64 = 8 << 30;

const MIB: f64 = (1u64 << 20) as f64;
/// One message's fixed cost (encrypt and decrypt, envelope, bookkeeping), in seconds.
const MESSAGE_COST_S: f64 = 2.7e-6;
/// One plaintext byte's cost: generated, encrypted, decrypted and compared, in seconds.
const BYTE_COST_S: f64 = 1.6e-9;
/// One conversation's start: two devices' keys and X3DH, both sides, in seconds.
const HANDSHAKE_COST_S: f64 = 8.5e-4;
/// One DH ratchet step (a key generation and two X25519), in seconds.
const DH_STEP_COST_S: f64 = 1.35e-4;
/// Wire bytes a message carries beyond its plaintext (header, tag, envelope).
const WIRE_OVERHEAD_BYTES: f64 = 80.0;
/// Engine bytes per message of the running conversation: its script entry, two events, the
/// in-flight and transcript slots.
const SLOT_BYTES: f64 = 110.0;
/// The plan's bytes per conversation: a pair, twice while the parallel collect concatenates.
const PAIR_BYTES: f64 = 16.0;
/// Per-user bytes: degrees, and the user bitmaps of the metrics.
const USER_BYTES: f64 = 4.0;

impl Scenario {
    /// What the run will take, from the parameters alone.
    pub fn estimate(&self) -> Estimate {
        let users = self.population.users as f64;
        let contacts = &self.population.contacts;
        // A user has at most `max` contacts, and at most everyone else.
        let degree_cap = f64::from(contacts.max).min(users - 1.0).max(1.0);
        let degree =
            (contacts.median * (contacts.sigma.powi(2) / 2.0).exp()).clamp(1.0, degree_cap);
        let conversations = (users * degree / 2.0).min(users * (users - 1.0) / 2.0);
        let t = &self.traffic;
        let user_days = t.messages_per_user_per_day * self.duration_days;
        let messages_per_design = users * user_days;
        // A DH step where a conversation turns: about once per turn.
        let dh_steps = messages_per_design / t.mean_turn();
        let sizes = &t.message_bytes;
        let mean_bytes = (sizes.median * (sizes.sigma.powi(2) / 2.0).exp())
            .min(f64::from(sizes.max))
            .max(1.0);
        let capture = self.adversary.is_some()
            || self
                .lawful_access
                .as_ref()
                .is_some_and(|l| l.target_count(self.population.users) > 0);
        let per_message = MESSAGE_COST_S + mean_bytes * BYTE_COST_S;
        let plain = messages_per_design * per_message
            + conversations * HANDSHAKE_COST_S
            + dh_steps * DH_STEP_COST_S
            // The adversary decrypts what it captured and compares it with the true plaintext,
            // which it generates again: each byte costs twice.
            + if capture {
                messages_per_design * (per_message + mean_bytes * BYTE_COST_S)
            } else {
                0.0
            };
        // The busiest conversation: a user with a single contact sends all its messages there,
        // and its partner, with about `median` contacts, replies; bursts and turns are
        // geometric, so a few standard deviations on top.
        let busiest = user_days * (1.0 + 2.0 / contacts.median.max(1.0)) + 12.0 * user_days.sqrt();
        let load = Load {
            messages: messages_per_design,
            dh_steps,
            conversations,
            mean_bytes,
            busiest,
            byte_cost_s: BYTE_COST_S,
            message_cost_s: per_message,
        };
        let costs: Vec<Cost> = self
            .designs
            .iter()
            .map(|d| d.design().cost(&load))
            .collect();
        let cpu_seconds = costs.iter().map(|c| plain + c.cpu_seconds).sum();
        let design_wire = costs.iter().map(|c| c.wire_bytes).fold(0.0, f64::max);
        let wire = mean_bytes + WIRE_OVERHEAD_BYTES + design_wire;
        // Without a reader the wire bytes are dropped on delivery: an exchange is in flight.
        let kept = if capture {
            busiest
        } else {
            busiest.min(1.0 + t.burst_mean * t.turns_mean)
        };
        let history = costs
            .iter()
            .map(|c| c.conversation_bytes)
            .fold(0.0, f64::max);
        let hours = 24.0 * self.duration_days;
        let metrics = self.designs.len() as f64 * (hours * 24.0 + users / 4.0);
        let per_thread =
            busiest * SLOT_BYTES + kept * wire + history + 4.0 * f64::from(sizes.max) + metrics;
        Estimate {
            conversations,
            messages_per_design,
            cpu_seconds,
            shared_bytes: conversations * PAIR_BYTES + users * USER_BYTES,
            per_thread_bytes: per_thread,
        }
    }
}

impl Estimate {
    /// What one task of `of` takes: its share of the conversations' messages and CPU time. The
    /// plan and the per-user tables are drawn whole in every task, so memory does not shrink.
    pub fn for_task(&self, of: usize) -> Self {
        let of = of.max(1) as f64;
        Self {
            messages_per_design: self.messages_per_design / of,
            cpu_seconds: self.cpu_seconds / of,
            ..*self
        }
    }

    /// The number of tasks that gives each about [`TASK_TARGET_CPU_SECONDS`] (1 for a run that
    /// short), at most one per conversation.
    pub fn suggested_tasks(&self) -> usize {
        let tasks = (self.cpu_seconds / TASK_TARGET_CPU_SECONDS).ceil();
        tasks.clamp(1.0, self.conversations.max(1.0)) as usize
    }

    /// Memory the run adds to the process on `threads` worker threads, in bytes.
    pub fn growth_bytes(&self, threads: usize) -> f64 {
        self.shared_bytes + threads.max(1) as f64 * self.per_thread_bytes
    }

    /// Peak resident memory of the process on `threads` worker threads, in bytes.
    pub fn peak_memory_bytes(&self, threads: usize) -> f64 {
        BASELINE_BYTES + self.growth_bytes(threads)
    }

    /// Checks the estimate against `budget` on `threads` worker threads.
    pub fn check(&self, budget: &Budget, threads: usize) -> Result<(), Refusal> {
        let memory = self.peak_memory_bytes(threads);
        if memory > budget.memory_bytes {
            return Err(Refusal::Memory {
                estimate: *self,
                threads,
                limit_bytes: budget.memory_bytes,
            });
        }
        if self.cpu_seconds > budget.cpu_seconds {
            return Err(Refusal::Cpu {
                estimate: *self,
                threads,
                limit_seconds: budget.cpu_seconds,
            });
        }
        Ok(())
    }

    /// One line: CPU-hours, peak memory, conversations and messages.
    pub fn describe(&self, threads: usize) -> String {
        format!(
            "about {} CPU-hours and {} peak memory on {threads} thread(s) ({:.0} conversations, {:.3e} messages per design)",
            hours(self.cpu_seconds),
            bytes(self.peak_memory_bytes(threads)),
            self.conversations,
            self.messages_per_design,
        )
    }
}

/// What a run may take on this machine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Peak memory, in bytes: [`MEMORY_SHARE`] of the machine's.
    pub memory_bytes: f64,
    /// CPU seconds; infinite with `--allow-long`.
    pub cpu_seconds: f64,
}

impl Budget {
    /// This machine's budget: 80 % of its memory (or of the process's address-space limit, if
    /// lower), and [`CPU_BUDGET_SECONDS`] unless `allow_long`.
    pub fn of_machine(allow_long: bool) -> Self {
        Self {
            memory_bytes: MEMORY_SHARE * machine_memory_bytes() as f64,
            cpu_seconds: if allow_long {
                f64::INFINITY
            } else {
                CPU_BUDGET_SECONDS
            },
        }
    }
}

/// The memory a run can use: `MemTotal` of `/proc/meminfo`, lowered to the address-space limit
/// (`ulimit -v`) where one is set, or [`FALLBACK_MEMORY_BYTES`] where neither is readable.
pub fn machine_memory_bytes() -> u64 {
    let field = |file: &str, key: &str, column: usize, unit: u64| {
        std::fs::read_to_string(file).ok().and_then(|text| {
            text.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l[key.len()..].split_whitespace().nth(column)?.parse().ok())
                .map(|v: u64| v.saturating_mul(unit))
        })
    };
    let total = field("/proc/meminfo", "MemTotal:", 0, 1024).unwrap_or(FALLBACK_MEMORY_BYTES);
    // `Max address space  <soft> <hard> bytes`; "unlimited" does not parse.
    let limit = field("/proc/self/limits", "Max address space", 0, 1).unwrap_or(u64::MAX);
    total.min(limit)
}

/// A run refused before it starts, with its estimate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Refusal {
    /// The estimated peak memory exceeds the budget.
    Memory {
        /// The estimate.
        estimate: Estimate,
        /// Worker threads it was computed for.
        threads: usize,
        /// The budget, in bytes.
        limit_bytes: f64,
    },
    /// The estimated CPU time exceeds the budget.
    Cpu {
        /// The estimate.
        estimate: Estimate,
        /// Worker threads it was computed for.
        threads: usize,
        /// The budget, in seconds.
        limit_seconds: f64,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Memory {
                estimate,
                threads,
                limit_bytes,
            } => write!(
                f,
                "run too large for this machine: {}; the limit is {} (80 % of the memory this process may use); \
                 lower population.users, population.contacts, traffic or message sizes, or --threads",
                estimate.describe(*threads),
                bytes(*limit_bytes),
            ),
            Self::Cpu {
                estimate,
                threads,
                limit_seconds,
            } => write!(
                f,
                "run too long: {}; the budget is {} CPU-hours; pass --allow-long to run it anyway, \
                 or split it into tasks with `doormat run --task I --of N` (`doormat validate` suggests N)",
                estimate.describe(*threads),
                hours(*limit_seconds),
            ),
        }
    }
}

impl std::error::Error for Refusal {}

fn hours(seconds: f64) -> String {
    let hours = seconds / 3600.0;
    if hours < 0.1 {
        format!("{hours:.4}")
    } else {
        format!("{hours:.1}")
    }
}

fn bytes(bytes: f64) -> String {
    if bytes >= 1024.0 * MIB {
        format!("{:.1} GiB", bytes / (1024.0 * MIB))
    } else {
        format!("{:.0} MiB", bytes / MIB)
    }
}
