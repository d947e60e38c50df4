//! Counters that merge by addition, so threads and shards combine exactly, whatever the order.
//!
//! [`DesignMetrics`] holds what the simulation *determines* (identical for any thread count);
//! [`Timing`] holds what the machine *measured* (CPU time per phase), kept apart so that the
//! first can be compared byte for byte across runs.

use std::ops::AddAssign;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    adversary::{Exposure, Implant, Lawful, Reference},
    model::Timing,
};

/// Deterministic counts for one design.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DesignMetrics {
    /// Conversations that exchanged at least one message.
    pub conversations: u64,
    /// X3DH handshakes completed.
    pub handshakes: u64,
    /// Messages encrypted and sent.
    pub sent: u64,
    /// Messages received that decrypted to the true plaintext and passed the design's checks.
    pub delivered: u64,
    /// Messages received that failed to decrypt or failed a check (must be 0).
    pub failed: u64,
    /// DH ratchet steps taken by senders (new sending chains).
    pub dh_steps: u64,
    /// Plaintext bytes sent.
    pub plaintext_bytes: u64,
    /// Bytes on the wire, envelopes included.
    pub wire_bytes: u64,
    /// Messages sent in each simulated hour.
    pub sent_per_hour: Vec<u64>,
    /// What the scenario's adversary decrypted.
    #[serde(default)]
    pub exposure: Exposure,
    /// One-time copies of the reference devices: the second reference, and healing.
    #[serde(default)]
    pub reference: Reference,
    /// Implants on the reference devices: the yardstick of equivalent devices compromised.
    #[serde(default)]
    pub implant: Implant,
    /// What the authority obtained on its targets.
    #[serde(default)]
    pub lawful: Lawful,
}

impl AddAssign<&DesignMetrics> for DesignMetrics {
    fn add_assign(&mut self, other: &DesignMetrics) {
        self.conversations += other.conversations;
        self.handshakes += other.handshakes;
        self.sent += other.sent;
        self.delivered += other.delivered;
        self.failed += other.failed;
        self.dh_steps += other.dh_steps;
        self.plaintext_bytes += other.plaintext_bytes;
        self.wire_bytes += other.wire_bytes;
        crate::model::add_series(&mut self.sent_per_hour, &other.sent_per_hour);
        self.exposure += &other.exposure;
        self.reference += &other.reference;
        self.implant += &other.implant;
        self.lawful += &other.lawful;
    }
}

/// Everything a run accumulates, per design in scenario order.
#[derive(Debug, Clone, Default)]
pub struct RunMetrics {
    /// Deterministic counts.
    pub designs: Vec<DesignMetrics>,
    /// Measured time.
    pub timing: Vec<Timing>,
}

impl RunMetrics {
    /// Empty metrics for `designs` designs.
    pub fn new(designs: usize) -> Self {
        Self {
            designs: vec![DesignMetrics::default(); designs],
            timing: vec![Timing::default(); designs],
        }
    }
}

impl AddAssign<RunMetrics> for RunMetrics {
    fn add_assign(&mut self, other: RunMetrics) {
        if self.designs.len() < other.designs.len() {
            self.designs
                .resize(other.designs.len(), DesignMetrics::default());
            self.timing.resize(other.timing.len(), Timing::default());
        }
        for (a, b) in self.designs.iter_mut().zip(&other.designs) {
            *a += b;
        }
        for (a, b) in self.timing.iter_mut().zip(&other.timing) {
            *a += b;
        }
    }
}
