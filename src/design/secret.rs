//! The secrets an adversary can steal, and the thefts of a run in time order. Each design says
//! which of them it creates and what they open; a device copy exists under every design.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::SimTime;

/// A secret the adversary can gain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Secret {
    /// The authority's key store: the global key, or every epoch key still retained at that
    /// time. Escrow designs with a global or epoch scope (a split key has no store).
    EscrowKeyStore,
    /// The listed epochs' keys (epoch 0 is the global key). Global and epoch scopes.
    EpochKeys {
        /// Epoch numbers, counted from 0 at the start.
        epochs: Vec<u32>,
    },
    /// One trustee's share of a split key. Split scope.
    EscrowShare {
        /// The trustee's position in the scope's `trustees` list.
        trustee: usize,
    },
    /// Whole device state (all its sessions, and any superencryption key) of `users` users
    /// chosen at random, copied at that time. Every design.
    Device {
        /// How many users.
        users: u32,
    },
    /// The provider's power to add ghost devices, used on `users` users chosen at random from
    /// that time on. Ghost designs.
    GhostPower {
        /// How many users.
        users: u32,
    },
    /// The provider's backup key. Backup designs.
    BackupKey,
}

/// One theft of a run: compromise number `compromise` (scenario order) took `secret` at `at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Theft {
    /// When.
    pub at: SimTime,
    /// Its position in the scenario's compromises.
    pub compromise: usize,
    /// What.
    pub secret: Secret,
}

/// How far back the adversary's wiretap archive reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Archive {
    /// How long it keeps a captured message; `None` keeps everything.
    pub retention: Option<SimTime>,
}

impl Archive {
    /// The earliest send time still kept at `t`.
    pub fn start(&self, t: SimTime) -> SimTime {
        self.retention.map_or(0, |r| t.saturating_sub(r))
    }
}
