//! The receiving side: the current receiving chain (CKr, Nr) and the bounded store of skipped
//! message keys (MKSKIPPED, spec §3.2 and §6.4).
//!
//! Chains are advanced *tentatively*, on a copy of the chain key, and written back only once the
//! message authenticates, so a forged or corrupted message leaves no trace in the state.

use std::collections::VecDeque;

use x25519_dalek::PublicKey;
use zeroize::Zeroizing;

use crate::protocol::{
    error::SessionError,
    kdf::{ChainKey, MessageKey, kdf_ck},
};

/// The peer's current sending chain, as we follow it.
#[derive(Clone)]
pub(crate) struct ReceivingChain {
    pub(crate) ratchet_key: PublicKey,
    pub(crate) key: ChainKey,
    pub(crate) next_index: u32,
}

/// A chain advanced on a copy: the keys passed over, the target's key, and where it ends.
pub(crate) struct Advance {
    pub(crate) skipped: Vec<(u32, MessageKey)>,
    pub(crate) message_key: MessageKey,
    pub(crate) chain_key: Zeroizing<[u8; 32]>,
}

/// Derives, from `chain_key` at `from`, the keys `from..to` (skipped) and the key of `to`,
/// refusing to skip more than `max_skip`.
pub(crate) fn advance(
    chain_key: &[u8; 32],
    from: u32,
    to: u32,
    max_skip: u32,
) -> Result<Advance, SessionError> {
    let skip = to
        .checked_sub(from)
        .ok_or(SessionError::DuplicateOrExpired { index: to })?;
    check_skip(skip, max_skip)?;
    let mut key = Zeroizing::new(*chain_key);
    let mut skipped = Vec::with_capacity(skip as usize);
    for index in from..to {
        let (message_key, next) = kdf_ck(&key);
        *key = next;
        skipped.push((index, message_key));
    }
    let (message_key, next) = kdf_ck(&key);
    *key = next;
    Ok(Advance {
        skipped,
        message_key,
        chain_key: key,
    })
}

/// The keys left on the old receiving chain when a new ratchet key arrives.
pub(crate) struct ChainRest {
    /// The old chain's next index when they were derived.
    pub(crate) expected_from: u32,
    pub(crate) keys: Vec<(u32, MessageKey)>,
}

/// Derives the keys `from..to` that a new ratchet key's `PN` says remain on the old chain.
pub(crate) fn finish_chain(
    chain_key: &[u8; 32],
    from: u32,
    to: u32,
    max_skip: u32,
) -> Result<ChainRest, SessionError> {
    if to <= from {
        return Ok(ChainRest {
            expected_from: from,
            keys: Vec::new(),
        });
    }
    check_skip(to - from, max_skip)?;
    let mut key = Zeroizing::new(*chain_key);
    let keys = (from..to)
        .map(|index| {
            let (message_key, next) = kdf_ck(&key);
            *key = next;
            (index, message_key)
        })
        .collect();
    Ok(ChainRest {
        expected_from: from,
        keys,
    })
}

fn check_skip(skip: u32, max_skip: u32) -> Result<(), SessionError> {
    if skip > max_skip {
        return Err(SessionError::TooFarAhead {
            skip: u64::from(skip),
            max_skip,
        });
    }
    Ok(())
}

/// A message key kept for a message that has not arrived yet.
struct SkippedKey {
    ratchet_key: [u8; 32],
    index: u32,
    key: MessageKey,
}

impl Clone for SkippedKey {
    fn clone(&self) -> Self {
        Self {
            ratchet_key: self.ratchet_key,
            index: self.index,
            key: MessageKey::from_bytes(*self.key.as_bytes()),
        }
    }
}

/// MKSKIPPED: keys of messages not yet received, oldest first, capped at `capacity` entries.
/// When full, the oldest key is evicted (as libsignal and vodozemac do) rather than refusing new
/// messages; its message can then no longer be read.
#[derive(Clone)]
pub(crate) struct SkippedKeys {
    keys: VecDeque<SkippedKey>,
    capacity: usize,
}

impl SkippedKeys {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            keys: VecDeque::new(),
            capacity,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// A copy of the key for (`ratchet_key`, `index`), if it is held. Linear, but only reached
    /// by out-of-order messages, never by in-order delivery.
    pub(crate) fn find(&self, ratchet_key: &PublicKey, index: u32) -> Option<(usize, MessageKey)> {
        self.keys.iter().enumerate().find_map(|(position, entry)| {
            (entry.index == index && &entry.ratchet_key == ratchet_key.as_bytes())
                .then(|| (position, MessageKey::from_bytes(*entry.key.as_bytes())))
        })
    }

    /// Deletes a used key (spec: "delete the key from MKSKIPPED").
    pub(crate) fn remove(&mut self, position: usize) {
        self.keys.remove(position);
    }

    /// Stores the keys skipped on chain `ratchet_key`, evicting the oldest beyond capacity.
    pub(crate) fn extend(&mut self, ratchet_key: &PublicKey, keys: Vec<(u32, MessageKey)>) {
        for (index, key) in keys {
            if self.capacity == 0 {
                return;
            }
            if self.keys.len() == self.capacity {
                self.keys.pop_front();
            }
            self.keys.push_back(SkippedKey {
                ratchet_key: ratchet_key.to_bytes(),
                index,
                key,
            });
        }
    }

    /// The (ratchet key, index) of every held key, oldest first: public data only.
    pub(crate) fn entries(&self) -> impl Iterator<Item = ([u8; 32], u32)> + '_ {
        self.keys
            .iter()
            .map(|entry| (entry.ratchet_key, entry.index))
    }
}
