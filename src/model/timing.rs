//! Measured CPU time, kept apart from what the simulation determines so that deterministic
//! figures can be compared byte for byte across runs.

use std::{ops::AddAssign, time::Instant};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Measured CPU time for one design, in nanoseconds, by phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Timing {
    /// Account creation and X3DH, both sides.
    pub handshake_ns: u64,
    /// Double Ratchet encrypt and decrypt.
    pub ratchet_ns: u64,
    /// The design's own client work: escrow fields sealed and checked, ghost fan-out copies,
    /// backups sealed.
    pub escrow_ns: u64,
    /// The adversary's and the authority's decryption attempts.
    pub adversary_ns: u64,
    /// Everything spent simulating the design's conversations, engine work included.
    pub total_ns: u64,
}

impl AddAssign<&Timing> for Timing {
    fn add_assign(&mut self, other: &Timing) {
        self.handshake_ns += other.handshake_ns;
        self.ratchet_ns += other.ratchet_ns;
        self.escrow_ns += other.escrow_ns;
        self.adversary_ns += other.adversary_ns;
        self.total_ns += other.total_ns;
    }
}

impl Timing {
    /// Time outside the cryptography: the engine's own overhead.
    pub fn engine_ns(&self) -> u64 {
        self.total_ns.saturating_sub(
            self.handshake_ns + self.ratchet_ns + self.escrow_ns + self.adversary_ns,
        )
    }
}

/// Nanoseconds since `since`.
pub fn elapsed_ns(since: Instant) -> u64 {
    since.elapsed().as_nanos() as u64
}
