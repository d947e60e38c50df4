//! What one party holds of the authority's escrow keys: whole keys, or trustees' shares of a
//! split key, which rebuild it only at the threshold.

use std::collections::BTreeMap;

use blahaj::{Share, Sharks};
use hpke::{Deserializable, Kem as _};

use super::keys::{AuthoritySecretKey, Kem};
use crate::design::DesignError;

/// The escrow secrets one party holds: the authority, a trustee, or an attacker who stole some.
#[derive(Clone, Default)]
pub struct KeyRing {
    pub(super) keys: BTreeMap<u32, AuthoritySecretKey>,
    pub(super) shares: BTreeMap<u32, Vec<Share>>,
    pub(super) threshold: u8,
}

impl KeyRing {
    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &KeyRing) {
        for (id, key) in &other.keys {
            self.keys.insert(*id, key.clone());
        }
        for (id, shares) in &other.shares {
            self.shares
                .entry(*id)
                .or_default()
                .extend(shares.iter().cloned());
        }
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
        for share in ring.shares.values_mut().flatten() {
            for y in share.y.iter_mut() {
                y.0 ^= 0x5A;
            }
        }
        ring
    }

    /// Whether this ring opens something `held` does not: a key it lacks, or a new trustee's
    /// share of a key whose threshold `held` has not reached. A repeated theft, or a share taken
    /// after its key already fell, adds nothing.
    pub fn adds_to(&self, held: &KeyRing) -> bool {
        let opens = |ring: &KeyRing, id: u32| ring.secret_for(id).is_ok();
        self.keys.keys().any(|id| !opens(held, *id))
            || self.shares.iter().any(|(id, shares)| {
                !opens(held, *id)
                    && shares.iter().any(|share| {
                        held.shares
                            .get(id)
                            .is_none_or(|kept| kept.iter().all(|k| k.x.0 != share.x.0))
                    })
            })
    }

    /// Whether the ring holds anything at all.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.shares.is_empty()
    }

    /// The private key `id`, rebuilding it from shares when the ring holds enough.
    pub(crate) fn secret_for(&self, id: u32) -> Result<AuthoritySecretKey, DesignError> {
        if let Some(key) = self.keys.get(&id) {
            return Ok(key.clone());
        }
        let shares = self
            .shares
            .get(&id)
            .ok_or(DesignError::NoKey("no key for this epoch"))?;
        // One share per trustee: a repeated share would count once towards the threshold but
        // twice in the interpolation, and rebuild a wrong key.
        let mut distinct: Vec<&Share> = Vec::with_capacity(shares.len());
        for share in shares {
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
