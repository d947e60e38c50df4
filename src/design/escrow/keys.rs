//! The authority's HPKE keys (RFC 9180 base mode, DHKEM-X25519 / HKDF-SHA256 / AES-256-GCM) in
//! the three scopes, and the public directory clients encrypt to. What a party holds of them is a
//! [`KeyRing`](super::KeyRing).
//!
//! - **global**: one key pair for all time (Abelson et al. 2015, "Keys Under Doormats": its
//!   compromise opens "all data that ever made use of the compromised key").
//! - **epoch**: one key pair per epoch of `length`; a key is created when its epoch starts and
//!   deleted `retention` after it ends (the "granularity and scope" knob of the 1997 "Risks of Key
//!   Recovery" report; short-term keys as in Fetzer et al., ASIACRYPT 2023).
//! - **split**: one key pair whose private key is Shamir-shared k-of-n among named trustees
//!   (Micali's fair cryptosystems, US 5,276,737; Clipper was 2-of-2). The key is rebuilt only
//!   from k shares; with fewer, nothing opens.

use crate::model::SimTime;

use blahaj::{Share, Sharks};
use hpke::{Kem as _, Serializable};
use rand_core::CryptoRng;

use super::{EscrowSpec, KeyRing, Scope};
use crate::design::DesignError;

/// The KEM of the escrow fields.
pub(crate) type Kem = hpke::kem::X25519HkdfSha256;
/// The authority's public key.
pub type AuthorityPublicKey = <Kem as hpke::Kem>::PublicKey;
/// The authority's private key.
pub type AuthoritySecretKey = <Kem as hpke::Kem>::PrivateKey;

/// The public keys clients escrow to, by key id. A key id is an epoch number (0 for global and
/// split scopes), plus `per_generation` for the keys made after a rotation.
#[derive(Clone)]
pub struct Directory {
    /// Epoch length and retention, for the epoch scope.
    epochs: Option<(SimTime, SimTime)>,
    /// When the authority rotated every key, after detecting a compromise.
    rotation: Option<SimTime>,
    /// Keys in one generation: the number of epochs, or 1.
    per_generation: u32,
    keys: Vec<AuthorityPublicKey>,
}

impl Directory {
    /// The key id in use at time `t` and its public key.
    pub fn key_at(&self, t: SimTime) -> Result<(u32, &AuthorityPublicKey), DesignError> {
        let local = match self.epochs {
            None => 0,
            Some((length, _)) => u32::try_from(t / length).unwrap_or(u32::MAX),
        };
        let generation = u32::from(self.rotation.is_some_and(|r| t >= r));
        let id = generation
            .saturating_mul(self.per_generation)
            .saturating_add(local.min(self.per_generation.saturating_sub(1)));
        Ok((id, self.key(id)?))
    }

    /// When clients seal to key `id`: from its epoch's start (or the rotation, for the new
    /// generation) to its epoch's end (or the rotation, for the old one); the last epoch's key
    /// also covers any time past the horizon. `None` for a key never in use. Public: it follows
    /// from the directory alone, whatever the authority has deleted since.
    pub fn in_use(&self, id: u32) -> Option<(SimTime, SimTime)> {
        let per_generation = self.per_generation.max(1);
        let (generation, local) = (id / per_generation, id % per_generation);
        let (mut from, mut until) = match self.epochs {
            None => (0, SimTime::MAX),
            Some((length, _)) => {
                let start = SimTime::from(local) * length;
                let last = local + 1 == per_generation;
                (start, if last { SimTime::MAX } else { start + length })
            }
        };
        match (generation, self.rotation) {
            (0, None) => {}
            (0, Some(rotation)) => until = until.min(rotation),
            (1, Some(rotation)) => from = from.max(rotation),
            _ => return None,
        }
        (from < until && id < self.keys.len() as u32).then_some((from, until))
    }

    /// The public key of key id `id`.
    pub fn key(&self, id: u32) -> Result<&AuthorityPublicKey, DesignError> {
        self.keys
            .get(id as usize)
            .ok_or(DesignError::NoKey("epoch beyond the horizon"))
    }

    /// Whether the authority holds key `id`'s private key at time `t`: from its epoch's start
    /// (or the rotation, for the new generation) until `retention` after its epoch's end.
    /// Single-key scopes keep their key for the whole run.
    pub fn held_at(&self, id: u32, t: SimTime) -> bool {
        let generation = id / self.per_generation.max(1);
        let local = id % self.per_generation.max(1);
        let created = match (generation, self.rotation) {
            (0, _) => 0,
            (1, Some(rotation)) => rotation,
            _ => return false,
        };
        match self.epochs {
            None => t >= created,
            Some((length, retention)) => {
                let start = SimTime::from(local) * length;
                start.max(created) <= t && t < start + length + retention
            }
        }
    }

    /// The key ids in use during `epoch` (epoch 0 covers the whole run for single-key scopes):
    /// one, or two if the rotation falls inside it.
    pub fn ids_of_epoch(&self, epoch: u32) -> Vec<u32> {
        let (start, end) = match self.epochs {
            None if epoch == 0 => (0, SimTime::MAX),
            None => return Vec::new(),
            Some((length, _)) => (
                SimTime::from(epoch) * length,
                (SimTime::from(epoch) + 1) * length,
            ),
        };
        let mut ids = Vec::with_capacity(2);
        if self.rotation.is_none_or(|r| start < r) {
            ids.push(epoch);
        }
        if self.rotation.is_some_and(|r| r < end) {
            ids.push(self.per_generation + epoch);
        }
        ids
    }
}

/// Every private key the authority will ever create for a run, with when each exists.
pub struct AuthorityKeys {
    scope: Scope,
    directory: Directory,
    secrets: Vec<AuthoritySecretKey>,
    /// Per key id of a split scope, each trustee's share.
    shares: Vec<Vec<Share>>,
}

impl AuthorityKeys {
    /// Generates the keys for a run lasting `horizon` seconds, and the public directory.
    pub fn generate<R: CryptoRng + ?Sized>(
        spec: &EscrowSpec,
        horizon: SimTime,
        rng: &mut R,
    ) -> Result<(Self, Directory), DesignError> {
        Self::generate_rotating(spec, horizon, None, rng)
    }

    /// [`AuthorityKeys::generate`], with every key replaced by a fresh generation at `rotation`
    /// (after the authority detects a compromise).
    pub fn generate_rotating<R: CryptoRng + ?Sized>(
        spec: &EscrowSpec,
        horizon: SimTime,
        rotation: Option<SimTime>,
        rng: &mut R,
    ) -> Result<(Self, Directory), DesignError> {
        spec.validate()?;
        let (per_generation, epochs) = match &spec.scope {
            Scope::Epoch {
                length_hours,
                retention_hours,
            } => {
                let length = SimTime::from(*length_hours) * crate::model::HOUR;
                let retention = SimTime::from(*retention_hours) * crate::model::HOUR;
                let count = u32::try_from(horizon / length + 1).map_err(|_| {
                    DesignError::InvalidParameter {
                        field: "scope.length_hours",
                        expected: "fewer than 2^32 epochs in the run",
                    }
                })?;
                (count, Some((length, retention)))
            }
            _ => (1, None),
        };
        let generations = if rotation.is_some() { 2 } else { 1 };
        let mut secrets = Vec::new();
        let mut publics = Vec::new();
        let mut shares = Vec::new();
        let mut rng = rng;
        for _ in 0..generations * per_generation {
            let (sk, pk) = Kem::gen_keypair_with_rng(&mut rng);
            if let Scope::Split {
                threshold,
                trustees,
            } = &spec.scope
            {
                shares.push(
                    Sharks(*threshold)
                        .dealer_rng(&sk.to_bytes(), &mut rng)
                        .take(trustees.len())
                        .collect(),
                );
            }
            secrets.push(sk);
            publics.push(pk);
        }
        let directory = Directory {
            epochs,
            rotation,
            per_generation,
            keys: publics,
        };
        let keys = Self {
            scope: spec.scope.clone(),
            directory: directory.clone(),
            secrets,
            shares,
        };
        Ok((keys, directory))
    }

    /// The public directory.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// What the authority itself holds at time `t`: every key created and not yet deleted, or,
    /// for a split scope, all trustees' shares of the keys created by then.
    pub fn held_at(&self, t: SimTime) -> KeyRing {
        let ids = (0..self.key_count()).filter(|&id| self.directory.held_at(id, t));
        match &self.scope {
            Scope::Split { trustees, .. } => {
                let ids: Vec<u32> = ids.collect();
                let mut ring = KeyRing::default();
                for trustee in 0..trustees.len() {
                    ring.merge(&self.shares_of(trustee, ids.iter().copied()));
                }
                ring
            }
            _ => self.keys(ids),
        }
    }

    /// Every key (or every share) the authority will ever create.
    pub fn all(&self) -> KeyRing {
        match &self.scope {
            Scope::Split { trustees, .. } => {
                let mut ring = KeyRing::default();
                for trustee in 0..trustees.len() {
                    ring.merge(&self.shares_of(trustee, 0..self.key_count()));
                }
                ring
            }
            _ => self.keys(0..self.key_count()),
        }
    }

    /// What a thief of the authority's key store gets at `t`: [`AuthorityKeys::held_at`] for
    /// global and epoch scopes; nothing for a split scope, whose key is never stored whole.
    pub fn store_at(&self, t: SimTime) -> KeyRing {
        match &self.scope {
            Scope::Split { .. } => KeyRing::default(),
            _ => self.held_at(t),
        }
    }

    /// A ring with the keys of the given epochs, every generation used in them, whenever they
    /// exist (epoch 0 is the key of a global scope; a split scope yields nothing). A theft gets
    /// only the live ones: [`AuthorityKeys::epochs_at`].
    pub fn epochs(&self, epochs: impl IntoIterator<Item = u32>) -> KeyRing {
        if matches!(self.scope, Scope::Split { .. }) {
            return KeyRing::default();
        }
        self.keys(
            epochs
                .into_iter()
                .flat_map(|e| self.directory.ids_of_epoch(e)),
        )
    }

    /// What a thief of the given epochs' keys gets at `t`: only those alive then, created (the
    /// epoch has started, or the rotation, for the new generation) and not yet deleted (its
    /// retention has not run out). A split scope yields nothing.
    pub fn epochs_at(&self, epochs: impl IntoIterator<Item = u32>, t: SimTime) -> KeyRing {
        if matches!(self.scope, Scope::Split { .. }) {
            return KeyRing::default();
        }
        self.keys(
            epochs
                .into_iter()
                .flat_map(|e| self.directory.ids_of_epoch(e))
                .filter(|&id| self.directory.held_at(id, t)),
        )
    }

    fn keys(&self, ids: impl IntoIterator<Item = u32>) -> KeyRing {
        let mut ring = KeyRing::default();
        for id in ids {
            if let Some(secret) = self.secrets.get(id as usize) {
                ring.keys.insert(id, secret.clone());
            }
        }
        ring
    }

    /// A ring with the shares of the trustees at `indices`, of the first generation's key
    /// (split scope).
    pub fn shares(&self, indices: impl IntoIterator<Item = usize>) -> KeyRing {
        let mut ring = KeyRing::default();
        for trustee in indices {
            ring.merge(&self.shares_of(trustee, [0]));
        }
        ring
    }

    /// What trustee `trustee` holds at time `t`: its shares of every key created by then.
    pub fn trustee_at(&self, trustee: usize, t: SimTime) -> KeyRing {
        let ids = (0..self.key_count()).filter(|&id| self.directory.held_at(id, t));
        self.shares_of(trustee, ids)
    }

    fn shares_of(&self, trustee: usize, ids: impl IntoIterator<Item = u32>) -> KeyRing {
        let mut ring = KeyRing {
            threshold: match self.scope {
                Scope::Split { threshold, .. } => threshold,
                _ => 0,
            },
            ..KeyRing::default()
        };
        for id in ids {
            if let Some(share) = self.shares.get(id as usize).and_then(|s| s.get(trustee)) {
                ring.shares.entry(id).or_default().push(share.clone());
            }
        }
        ring
    }

    /// The number of epochs of one generation (or 1).
    pub fn epoch_count(&self) -> u32 {
        self.directory.per_generation
    }

    /// The number of keys, all generations.
    pub fn key_count(&self) -> u32 {
        self.secrets.len() as u32
    }
}
