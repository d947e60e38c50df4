//! The secrets each party holds for one design: the adversary's, gained over time, and the
//! authority's own.

use super::spec::{AdversarySpec, Secret, hours};
use crate::design::{
    DesignSpec,
    backup::BackupKey,
    escrow::{AuthorityKeys, KeyRing},
};
use crate::model::SimTime;

/// The provider's backup key, and the fresh one it switches to after a detection.
#[derive(Clone)]
pub struct BackupKeys {
    keys: [BackupKey; 2],
    rotation: Option<SimTime>,
}

impl BackupKeys {
    /// Keys from 64 random bytes; the second is used from `rotation` on.
    pub fn new(bytes: [[u8; 32]; 2], rotation: Option<SimTime>) -> Self {
        Self {
            keys: bytes.map(BackupKey::new),
            rotation,
        }
    }

    /// The generation (0, or 1 after rotation) in use at `t`.
    pub fn generation_at(&self, t: SimTime) -> usize {
        usize::from(self.rotation.is_some_and(|r| t >= r))
    }

    /// The key of `generation`.
    pub fn key(&self, generation: usize) -> &BackupKey {
        &self.keys[generation.min(1)]
    }
}

/// What the authority holds for a design: every escrow key it will create, and the backup keys.
#[derive(Clone, Default)]
pub struct Authority {
    /// Every escrow key or share (it opens live, when the key in use is always held).
    pub escrow: Option<KeyRing>,
    /// The provider's backup keys (a court orders the provider to open backups).
    pub backup: Option<BackupKeys>,
}

/// What the adversary holds for one design, gained over time.
#[derive(Clone, Default)]
pub struct Holdings {
    /// Escrow secrets, cumulative: after each escrow compromise (in time order), its time, its
    /// scenario index, and everything held from then on.
    pub escrow: Vec<(SimTime, usize, KeyRing)>,
    /// Backup keys stolen: time, scenario index, the generation in use then, and the key.
    pub backup: Vec<(SimTime, usize, usize, BackupKey)>,
    /// Distinct secrets the exposure needed, reported beside it (never divided into it): one
    /// per key-store or epoch-key theft that added keys, one per trustee's share until the
    /// threshold is met (k for a k-of-n split), one per device, the ghost power once, one per
    /// backup-key generation. Repeated thefts and shares taken after the key fell add nothing.
    pub secrets_required: u64,
}

impl Holdings {
    /// The adversary's holdings under `spec` for `design`.
    pub fn new(
        spec: &AdversarySpec,
        design: &DesignSpec,
        keys: Option<&AuthorityKeys>,
        backup: Option<&BackupKeys>,
    ) -> Self {
        let mut holdings = Holdings::default();
        let mut order: Vec<(SimTime, usize)> = spec
            .compromises
            .iter()
            .enumerate()
            .map(|(i, c)| (hours(c.at_hours), i))
            .collect();
        order.sort_unstable();
        let mut ring = KeyRing::default();
        let mut ghost_power = false;
        for (at, index) in order {
            let gained = match (&spec.compromises[index].secret, keys) {
                (Secret::EscrowKeyStore, Some(keys)) => Some(keys.store_at(at)),
                (Secret::EpochKeys { epochs }, Some(keys)) => {
                    Some(keys.epochs_at(epochs.iter().copied(), at))
                }
                (Secret::EscrowShare { trustee }, Some(keys)) => {
                    Some(keys.trustee_at(*trustee, at))
                }
                _ => None,
            };
            if let Some(gained) = gained.filter(|g| g.adds_to(&ring)) {
                ring.merge(&gained);
                holdings.escrow.push((at, index, ring.clone()));
                holdings.secrets_required += 1;
            }
            match (&spec.compromises[index].secret, design, backup) {
                (Secret::Device { users }, _, _) => {
                    holdings.secrets_required += u64::from(*users);
                }
                (Secret::GhostPower { .. }, DesignSpec::Ghost(_), _) if !ghost_power => {
                    ghost_power = true;
                    holdings.secrets_required += 1;
                }
                (Secret::BackupKey, DesignSpec::Backup(_), Some(keys)) => {
                    let generation = keys.generation_at(at);
                    if holdings.backup.iter().all(|(_, _, g, _)| *g != generation) {
                        holdings
                            .backup
                            .push((at, index, generation, keys.key(generation).clone()));
                        holdings.secrets_required += 1;
                    }
                }
                _ => {}
            }
        }
        holdings
    }
}
