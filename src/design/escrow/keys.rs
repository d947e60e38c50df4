//! The authority's HPKE keys (RFC 9180 base mode, DHKEM-X25519 / HKDF-SHA256 / AES-256-GCM) in
//! the three scopes, the public directory clients encrypt to, and the [`KeyRing`] a party holds.
//!
//! - **global**: one key pair for all time (Abelson et al. 2015, "Keys Under Doormats": its
//!   compromise opens "all data that ever made use of the compromised key").
//! - **epoch**: one key pair per epoch of `length`; a key is created when its epoch starts and
//!   deleted `retention` after it ends (the "granularity and scope" knob of the 1997 "Risks of Key
//!   Recovery" report; short-term keys as in Fetzer et al., ASIACRYPT 2023).
//! - **split**: one key pair whose private key is Shamir-shared k-of-n among named trustees
//!   (Micali's fair cryptosystems, US 5,276,737; Clipper was 2-of-2). The key is rebuilt only
//!   from k shares; with fewer, nothing opens.

use std::collections::BTreeMap;

use blahaj::{Share, Sharks};
use hpke::{Deserializable, Kem as _, Serializable};
use rand_core::CryptoRng;

use super::{EscrowSpec, Scope};
use crate::design::{DesignError, SimTime};

/// The KEM of the escrow fields.
pub(crate) type Kem = hpke::kem::X25519HkdfSha256;
/// The authority's public key.
pub type AuthorityPublicKey = <Kem as hpke::Kem>::PublicKey;
/// The authority's private key.
pub type AuthoritySecretKey = <Kem as hpke::Kem>::PrivateKey;

/// The public keys clients escrow to, by epoch (a single entry for global and split scopes).
#[derive(Clone)]
pub struct Directory {
    /// Epoch length and retention, for the epoch scope.
    epochs: Option<(SimTime, SimTime)>,
    keys: Vec<AuthorityPublicKey>,
}

impl Directory {
    /// The epoch at time `t` and its public key.
    pub fn key_at(&self, t: SimTime) -> Result<(u32, &AuthorityPublicKey), DesignError> {
        let epoch = match self.epochs {
            None => 0,
            Some((length, _)) => u32::try_from(t / length).unwrap_or(u32::MAX),
        };
        Ok((epoch, self.key(epoch)?))
    }

    /// The public key of `epoch`.
    pub fn key(&self, epoch: u32) -> Result<&AuthorityPublicKey, DesignError> {
        self.keys
            .get(epoch as usize)
            .ok_or(DesignError::NoKey("epoch beyond the horizon"))
    }

    /// Whether the authority still holds `epoch`'s private key at time `t`: the key exists from
    /// its epoch's start until `retention` after its end. Always true for single-key scopes.
    pub fn held_at(&self, epoch: u32, t: SimTime) -> bool {
        match self.epochs {
            None => epoch == 0,
            Some((length, retention)) => {
                let start = SimTime::from(epoch) * length;
                start <= t && t < start + length + retention
            }
        }
    }
}

/// Every private key the authority will ever create for a run, with when each exists.
pub struct AuthorityKeys {
    scope: Scope,
    directory: Directory,
    secrets: Vec<AuthoritySecretKey>,
    shares: Vec<Share>,
}

impl AuthorityKeys {
    /// Generates the keys for a run lasting `horizon` seconds, and the public directory.
    pub fn generate<R: CryptoRng + ?Sized>(
        spec: &EscrowSpec,
        horizon: SimTime,
        rng: &mut R,
    ) -> Result<(Self, Directory), DesignError> {
        spec.validate()?;
        let mut rng = rng;
        let generate = |rng: &mut &mut R| Kem::gen_keypair_with_rng(rng);
        let (secrets, publics, shares, epochs): (Vec<_>, Vec<_>, _, _) = match &spec.scope {
            Scope::Global => {
                let (sk, pk) = generate(&mut rng);
                (vec![sk], vec![pk], Vec::new(), None)
            }
            Scope::Epoch {
                length_hours,
                retention_hours,
            } => {
                let length = SimTime::from(*length_hours) * crate::design::HOUR;
                let retention = SimTime::from(*retention_hours) * crate::design::HOUR;
                let count = horizon / length + 1;
                let (sks, pks) = (0..count).map(|_| generate(&mut rng)).unzip();
                (sks, pks, Vec::new(), Some((length, retention)))
            }
            Scope::Split {
                threshold,
                trustees,
            } => {
                let (sk, pk) = generate(&mut rng);
                let shares = Sharks(*threshold)
                    .dealer_rng(&sk.to_bytes(), &mut rng)
                    .take(trustees.len())
                    .collect();
                (vec![sk], vec![pk], shares, None)
            }
        };
        let directory = Directory {
            epochs,
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

    /// What the authority itself holds at time `t`: the global key, every epoch key not yet
    /// deleted (created, and not past its retention), or all trustees' shares.
    pub fn held_at(&self, t: SimTime) -> KeyRing {
        match &self.scope {
            Scope::Global => KeyRing::single(self.secrets[0].clone()),
            Scope::Epoch { .. } => {
                let epochs = (0..self.epoch_count()).filter(|&e| self.directory.held_at(e, t));
                self.epochs(epochs)
            }
            Scope::Split { .. } => self.shares(0..self.shares.len()),
        }
    }

    /// A ring with the given epochs' keys (or the single key, for epoch 0 of other scopes).
    pub fn epochs(&self, epochs: impl IntoIterator<Item = u32>) -> KeyRing {
        let mut ring = KeyRing::default();
        for epoch in epochs {
            if let Some(secret) = self.secrets.get(epoch as usize) {
                ring.keys.insert(epoch, secret.clone());
            }
        }
        ring
    }

    /// A ring with the shares of the trustees at `indices` (split scope).
    pub fn shares(&self, indices: impl IntoIterator<Item = usize>) -> KeyRing {
        KeyRing {
            keys: BTreeMap::new(),
            shares: indices
                .into_iter()
                .filter_map(|i| self.shares.get(i).cloned())
                .collect(),
            threshold: match self.scope {
                Scope::Split { threshold, .. } => threshold,
                _ => 0,
            },
        }
    }

    /// The number of epochs (or 1).
    pub fn epoch_count(&self) -> u32 {
        self.secrets.len() as u32
    }
}

/// The escrow secrets one party holds: the authority, a trustee, or an attacker who stole some.
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: BTreeMap<u32, AuthoritySecretKey>,
    shares: Vec<Share>,
    threshold: u8,
}

impl KeyRing {
    fn single(secret: AuthoritySecretKey) -> Self {
        let mut ring = Self::default();
        ring.keys.insert(0, secret);
        ring
    }

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &KeyRing) {
        for (epoch, key) in &other.keys {
            self.keys.insert(*epoch, key.clone());
        }
        self.shares.extend(other.shares.iter().cloned());
        self.threshold = self.threshold.max(other.threshold);
    }

    /// A ring whose every key is replaced by an unrelated one: for tests that check exposure is
    /// measured by real decryption.
    pub fn corrupted(&self) -> Self {
        let (wrong, _) = Kem::derive_keypair(b"doormat corrupted escrow key, for tests only");
        let mut ring = self.clone();
        for key in ring.keys.values_mut() {
            *key = wrong.clone();
        }
        for share in &mut ring.shares {
            for y in share.y.iter_mut() {
                y.0 ^= 0x5A;
            }
        }
        ring
    }

    /// Whether the ring holds anything at all.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.shares.is_empty()
    }

    /// The private key for `epoch`, rebuilding it from shares when the ring holds enough.
    pub(crate) fn secret_for(&self, epoch: u32) -> Result<AuthoritySecretKey, DesignError> {
        if let Some(key) = self.keys.get(&epoch) {
            return Ok(key.clone());
        }
        if self.shares.is_empty() {
            return Err(DesignError::NoKey("no key for this epoch"));
        }
        // One share per trustee: a repeated share would count once towards the threshold but
        // twice in the interpolation, and rebuild a wrong key.
        let mut distinct: Vec<&Share> = Vec::with_capacity(self.shares.len());
        for share in &self.shares {
            if distinct.iter().all(|kept| kept.x.0 != share.x.0) {
                distinct.push(share);
            }
        }
        let bytes = Sharks(self.threshold.max(1))
            .recover(distinct)
            .map_err(|_| DesignError::NoKey("fewer shares than the threshold"))?;
        AuthoritySecretKey::from_bytes(&bytes)
            .map_err(|_| DesignError::NoKey("shares rebuild no key"))
    }
}
