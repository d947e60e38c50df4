//! The key holder's side: opening captured messages with only the escrow secrets held.
//!
//! Used alike by the authority (under a warrant) and by an attacker who stole
//! keys (no warrant). Every plaintext it returns came from really opening the field with HPKE and
//! the message with AES-GCM; holding a key of the right label proves nothing.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::{
    Granularity, Verification,
    field::{self, binding},
    ring::KeyRing,
};
use crate::{
    design::{DesignError, envelope},
    protocol::{
        DEFAULT_MAX_SKIP, MessageKey, message::WireMessage, message_key_at, open_with_key,
        x3dh::AD_LEN,
    },
};

/// Opens captured envelopes with a [`KeyRing`], as a key holder who keeps what it decrypted.
///
/// Every chain key it comes to hold (from a chain field, or from the session-start field) is
/// kept, with the lowest index it is known at: the holder derives the rest of that chain's
/// message keys from it, whatever key the chain's later fields are sealed to (a rotated or
/// deleted one included). It also remembers the material of each field it opened (or failed to
/// open), so a chain field repeated on every message of its chain costs one HPKE operation.
pub struct Opener {
    ring: KeyRing,
    weak: bool,
    chains: BTreeMap<[u8; 32], HeldChain>,
    opened: BTreeMap<Vec<u8>, Option<Zeroizing<Vec<u8>>>>,
}

/// A chain key held: the index it stands at, and the key.
struct HeldChain {
    index: u32,
    key: Zeroizing<[u8; 32]>,
}

impl Opener {
    /// An opener holding `ring`, for fields written under `verification`.
    pub fn new(ring: KeyRing, verification: Verification) -> Self {
        Self {
            ring,
            weak: verification == Verification::Checksum16,
            chains: BTreeMap::new(),
            opened: BTreeMap::new(),
        }
    }

    /// The plaintext of a captured envelope, if the ring's keys open it.
    pub fn open(
        &mut self,
        captured: &[u8],
        associated_data: &[u8; AD_LEN],
    ) -> Result<Vec<u8>, DesignError> {
        let (field_bytes, wire) = envelope::open(captured)?;
        let parsed = WireMessage::try_from(wire).map_err(crate::protocol::SessionError::from)?;
        let message = parsed.message();
        let header = &message.header;
        let ratchet_key = header.ratchet_key.to_bytes();
        if let Some(held) = self
            .chains
            .get(&ratchet_key)
            .filter(|held| held.index <= header.index)
        {
            // A chain key already held derives this message's key: no field needed.
            let key = message_key_at(&held.key, header.index - held.index, DEFAULT_MAX_SKIP)?;
            return Ok(open_with_key(key, associated_data, message)?);
        }
        if field_bytes.is_empty() {
            return Err(DesignError::NoKey("no escrowed key covers this chain"));
        }
        let field = field::parse(field_bytes, self.weak)?;
        let item: Vec<u8> = match (field.granularity, &parsed) {
            (Granularity::Message, _) => message.header_bytes.to_vec(),
            (Granularity::Chain, _) => {
                let mut item = ratchet_key.to_vec();
                item.extend_from_slice(&field.index.to_be_bytes());
                item
            }
            (Granularity::Session, WireMessage::PreKey(prekey)) => {
                prekey.fields.base_key.to_bytes().to_vec()
            }
            (Granularity::Session, WireMessage::Normal(_)) => {
                return Err(DesignError::Malformed {
                    what: "escrow field",
                    offset: 0,
                    expected: "session escrow only on initial messages",
                });
            }
        };
        let mut cache_key = field_bytes.to_vec();
        cache_key.extend_from_slice(&item);
        let material = match self.opened.get(&cache_key) {
            Some(known) => known.clone().ok_or(DesignError::FieldDoesNotOpen)?,
            None => {
                let opened = self.ring.secret_for(field.epoch).and_then(|secret| {
                    field::open(
                        &field,
                        &secret,
                        &binding(associated_data, field.granularity, &item),
                    )
                });
                self.opened.insert(cache_key, opened.as_ref().ok().cloned());
                opened?
            }
        };
        let key = match field.granularity {
            Granularity::Message => MessageKey::from_bytes(to_key(&material[..])?),
            Granularity::Chain => {
                let steps = header
                    .index
                    .checked_sub(field.index)
                    .ok_or(DesignError::NoKey("field covers only later messages"))?;
                let chain = Zeroizing::new(to_key(&material[..])?);
                let key = message_key_at(&chain, steps, DEFAULT_MAX_SKIP)?;
                self.hold(ratchet_key, field.index, chain);
                key
            }
            Granularity::Session => {
                let chain = Zeroizing::new(to_key(&material[32..])?);
                let key = message_key_at(&chain, header.index, DEFAULT_MAX_SKIP)?;
                self.hold(ratchet_key, 0, chain);
                key
            }
        };
        Ok(open_with_key(key, associated_data, message)?)
    }

    /// Keeps chain key `key`, standing at `index` of the chain of `ratchet_key`, unless a key of
    /// that chain at a lower index is already held.
    fn hold(&mut self, ratchet_key: [u8; 32], index: u32, key: Zeroizing<[u8; 32]>) {
        if self
            .chains
            .get(&ratchet_key)
            .is_none_or(|held| index < held.index)
        {
            self.chains.insert(ratchet_key, HeldChain { index, key });
        }
    }
}

fn to_key(bytes: &[u8]) -> Result<[u8; 32], DesignError> {
    bytes
        .get(..32)
        .and_then(|b| b.try_into().ok())
        .ok_or(DesignError::FieldDoesNotOpen)
}
