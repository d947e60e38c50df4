//! The client side of escrow: a compliant sender attaches fields, a compliant recipient checks
//! them.
//!
//! At chain granularity the sender seals the chain key once per chain *and again whenever the
//! epoch changes mid-chain*, then under the new epoch's key and from the current index: every
//! message is covered by the key of the epoch it is sent in, and a long chain does not outlive
//! its epoch key's deletion. (The re-sealed chain key also derives the chain's later messages,
//! so an epoch key opens a chain from where it was sealed to its end.)
//!
//! The recipient checks a field against the directory of *public* keys and the message's send
//! time (as the provider's server stamps it on arrival), never against the authority's private
//! keys: a message sealed to the key in use when it was sent is accepted even if that key was
//! deleted while the message was in flight (an epoch kept 0 hours, a recipient offline).

use crate::model::SimTime;
use zeroize::Zeroizing;

use super::{
    Granularity, Verification, checksum,
    field::{self, binding},
    keys::Directory,
};
use crate::{
    design::DesignError,
    protocol::{
        ChainStart, DEFAULT_MAX_SKIP, KeyTrace, chain_key_after, message::WireMessage, x3dh::AD_LEN,
    },
};

/// Received chains remembered before the endpoint asks the session which are still alive.
const CHAINS_BEFORE_PRUNING: usize = 8;

/// What every compliant client knows: the granularity, the check, the authority's public keys,
/// and (weak-check mode) the family key sealed in every client.
#[derive(Clone)]
pub struct EscrowPolicy {
    granularity: Granularity,
    verification: Verification,
    directory: Directory,
    family_key: Zeroizing<[u8; 32]>,
}

/// The field a sender repeats on its chain, with the chain and epoch it was sealed for.
#[derive(Clone)]
struct SendingField {
    chain: [u8; 32],
    epoch: u32,
    field: Vec<u8>,
}

/// How far a received chain's checkpoint may lag behind the messages checked on it.
const CHECKPOINT_STRIDE: u32 = 1_024;

/// A received chain: its key at index 0, a checkpoint (its key at a recent index, kept within
/// [`CHECKPOINT_STRIDE`] of the messages checked), and the last field checked on it (none yet at
/// first). A field re-sealed deep in a chain longer than the skip limit is checked from the
/// checkpoint, in a few KDF steps, rather than from index 0.
#[derive(Clone)]
struct ReceivedChain {
    chain: [u8; 32],
    start: Zeroizing<[u8; 32]>,
    checkpoint: Option<(u32, Zeroizing<[u8; 32]>)>,
    field: Option<Vec<u8>>,
}

impl ReceivedChain {
    /// The chain key at `index`, from the checkpoint if it is not past `index`.
    fn key_at(&self, index: u32) -> Result<Zeroizing<[u8; 32]>, DesignError> {
        let (from, key) = match &self.checkpoint {
            Some((at, key)) if *at <= index => (*at, key),
            _ => (0, &self.start),
        };
        Ok(chain_key_after(key, index - from, DEFAULT_MAX_SKIP)?)
    }

    /// Moves the checkpoint up to `index` once it lags [`CHECKPOINT_STRIDE`] behind: one KDF
    /// step per message on average.
    fn advance(&mut self, index: u32) {
        let at = self.checkpoint.as_ref().map_or(0, |(at, _)| *at);
        if index >= at.saturating_add(CHECKPOINT_STRIDE)
            && let Ok(key) = self.key_at(index)
        {
            self.checkpoint = Some((index, key));
        }
    }
}

/// One session side's escrow memory: the field of its sending chain, the received chains that
/// can still deliver messages, and the session-start field.
#[derive(Clone, Default)]
pub struct EscrowEndpoint {
    sending: Option<SendingField>,
    received: Vec<ReceivedChain>,
    /// The chain of the message checked last, kept alive: its session may not have committed
    /// the message yet, so it cannot vouch for the chain.
    last_checked: Option<[u8; 32]>,
    session: Option<Vec<u8>>,
}

impl EscrowEndpoint {
    /// Forgets the received chains that can no longer deliver a message (`alive` says which
    /// can: the current chain, and chains with skipped keys left). Runs only once more than a few
    /// are held, so the usual cost is nothing.
    pub fn forget_dead_chains(&mut self, alive: impl Fn(&[u8; 32]) -> bool) {
        if self.received.len() > CHAINS_BEFORE_PRUNING {
            let last = self.last_checked;
            self.received
                .retain(|chain| Some(chain.chain) == last || alive(&chain.chain));
        }
    }
}

/// The binding item of a chain field: the chain's ratchet key and the first index covered.
fn chain_item(ratchet_key: &[u8; 32], index: u32) -> [u8; 36] {
    let mut item = [0u8; 36];
    item[..32].copy_from_slice(ratchet_key);
    item[32..].copy_from_slice(&index.to_be_bytes());
    item
}

impl EscrowPolicy {
    /// The policy for `granularity` and `verification` over `directory`.
    pub fn new(
        granularity: Granularity,
        verification: Verification,
        directory: Directory,
        family_key: [u8; 32],
    ) -> Self {
        Self {
            granularity,
            verification,
            directory,
            family_key: Zeroizing::new(family_key),
        }
    }

    /// The granularity clients escrow at.
    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// The escrow field a compliant sender attaches to `wire`, sent at `now` (empty when the
    /// granularity puts no field on this message).
    pub fn field_for_send(
        &self,
        endpoint: &mut EscrowEndpoint,
        wire: &[u8],
        trace: &KeyTrace,
        associated_data: &[u8; AD_LEN],
        now: SimTime,
    ) -> Result<Vec<u8>, DesignError> {
        let parsed = WireMessage::try_from(wire).map_err(crate::protocol::SessionError::from)?;
        let message = parsed.message();
        match self.granularity {
            Granularity::Message => self.seal(
                now,
                message.header.index,
                &trace.message_key[..],
                associated_data,
                message.header_bytes,
            ),
            Granularity::Chain => {
                let chain = message.header.ratchet_key.to_bytes();
                let (epoch, _) = self.directory.key_at(now)?;
                let current = endpoint
                    .sending
                    .as_ref()
                    .filter(|s| s.chain == chain && s.epoch == epoch);
                if let Some(sending) = current {
                    return Ok(sending.field.clone());
                }
                let chain_key = trace.chain_key.as_ref().ok_or(DesignError::EscrowRejected(
                    "sender has no chain key to escrow",
                ))?;
                let item = chain_item(&chain, trace.index);
                let field = self.seal(now, trace.index, &chain_key[..], associated_data, &item)?;
                endpoint.sending = Some(SendingField {
                    chain,
                    epoch,
                    field: field.clone(),
                });
                Ok(field)
            }
            Granularity::Session => {
                let WireMessage::PreKey(prekey) = parsed else {
                    return Ok(Vec::new());
                };
                if let (Some(start), None) = (&trace.chain_start, &endpoint.session) {
                    let material = session_material(start);
                    let base = prekey.fields.base_key.to_bytes();
                    endpoint.session =
                        Some(self.seal(now, 0, &material[..], associated_data, &base)?);
                }
                endpoint
                    .session
                    .clone()
                    .ok_or(DesignError::EscrowRejected("sender lost its session field"))
            }
        }
    }

    /// A compliant recipient's check of `field` on `wire`, which it has just decrypted with the
    /// keys in `trace`; the message was sent at `sent_at`. An error means the message must be
    /// dropped.
    pub fn check_received(
        &self,
        endpoint: &mut EscrowEndpoint,
        field: &[u8],
        wire: &[u8],
        trace: &KeyTrace,
        associated_data: &[u8; AD_LEN],
        sent_at: SimTime,
    ) -> Result<(), DesignError> {
        let parsed = WireMessage::try_from(wire).map_err(crate::protocol::SessionError::from)?;
        let message = parsed.message();
        if self.verification == Verification::Full && !field.is_empty() {
            let epoch = field::parse(field, false)
                .map_err(|_| DesignError::EscrowRejected("malformed escrow field"))?
                .epoch;
            self.check_key_in_use(epoch, sent_at)?;
        }
        match self.granularity {
            Granularity::Message => self.verify(
                field,
                message.header.index,
                &trace.message_key[..],
                associated_data,
                message.header_bytes,
            ),
            Granularity::Chain => {
                let chain = message.header.ratchet_key.to_bytes();
                endpoint.last_checked = Some(chain);
                if let Some(start) = &trace.chain_start {
                    endpoint.received.retain(|c| c.chain != chain);
                    endpoint.received.push(ReceivedChain {
                        chain,
                        start: start.chain_key.clone(),
                        checkpoint: None,
                        field: None,
                    });
                }
                let known = endpoint
                    .received
                    .iter_mut()
                    .find(|c| c.chain == chain)
                    .ok_or(DesignError::EscrowRejected(
                        "chain start not seen, field unchecked",
                    ))?;
                if known.field.as_deref() == Some(field) {
                    known.advance(message.header.index);
                    return Ok(());
                }
                // A new field on this chain (its first, or re-sealed for a new epoch): it must
                // seal the chain key at the index it names, no later than this message.
                let index = field::parse(field, self.verification == Verification::Checksum16)
                    .map_err(|_| DesignError::EscrowRejected("malformed escrow field"))?
                    .index;
                if index > message.header.index {
                    return Err(DesignError::EscrowRejected(
                        "field starts after its message",
                    ));
                }
                let chain_key = known.key_at(index)?;
                let item = chain_item(&chain, index);
                self.verify(field, index, &chain_key[..], associated_data, &item)?;
                known.field = Some(field.to_vec());
                known.advance(index);
                Ok(())
            }
            Granularity::Session => {
                let WireMessage::PreKey(prekey) = parsed else {
                    return if field.is_empty() {
                        Ok(())
                    } else {
                        Err(DesignError::EscrowRejected(
                            "field on a non-initial message",
                        ))
                    };
                };
                if let Some(known) = &endpoint.session {
                    return if known.as_slice() == field {
                        Ok(())
                    } else {
                        Err(DesignError::EscrowRejected(
                            "field differs within the session",
                        ))
                    };
                }
                let start = trace
                    .chain_start
                    .as_ref()
                    .ok_or(DesignError::EscrowRejected("session start not seen"))?;
                let material = session_material(start);
                let base = prekey.fields.base_key.to_bytes();
                self.verify(field, 0, &material[..], associated_data, &base)?;
                endpoint.session = Some(field.to_vec());
                Ok(())
            }
        }
    }

    /// Seals `material` (covering messages from `index`) bound to `item`, with the weak-check
    /// checksum when that mode is on.
    fn seal(
        &self,
        now: SimTime,
        index: u32,
        material: &[u8],
        associated_data: &[u8; AD_LEN],
        item: &[u8],
    ) -> Result<Vec<u8>, DesignError> {
        let (epoch, public) = self.directory.key_at(now)?;
        let binding = binding(associated_data, self.granularity, item);
        let mut out = field::seal(self.granularity, epoch, index, public, material, &binding)?;
        if self.verification == Verification::Checksum16 {
            let sum = checksum::checksum(&self.family_key, material, &out);
            out.extend_from_slice(&sum);
        }
        Ok(out)
    }

    /// Whether a field naming key `id` may travel on a message sent at `sent_at`, from public
    /// data alone. A `message` field is sealed as its message is sent, and a `chain` field is
    /// re-sealed when the epoch changes mid-chain, so both name the key in use at the sending. A
    /// `session` field is sealed once, at the session's start, and repeated on the initial
    /// messages, so it names a key in use at or before the sending.
    fn check_key_in_use(&self, id: u32, sent_at: SimTime) -> Result<(), DesignError> {
        let in_use = match self.granularity {
            Granularity::Message | Granularity::Chain => self.directory.key_at(sent_at)?.0 == id,
            Granularity::Session => self
                .directory
                .in_use(id)
                .is_some_and(|(from, _)| from <= sent_at),
        };
        if in_use {
            Ok(())
        } else {
            Err(DesignError::EscrowRejected(
                "sealed to a key not in use when the message was sent",
            ))
        }
    }

    fn verify(
        &self,
        field: &[u8],
        index: u32,
        material: &[u8],
        associated_data: &[u8; AD_LEN],
        item: &[u8],
    ) -> Result<(), DesignError> {
        let weak = self.verification == Verification::Checksum16;
        let parsed = field::parse(field, weak)
            .map_err(|_| DesignError::EscrowRejected("malformed escrow field"))?;
        if parsed.granularity != self.granularity {
            return Err(DesignError::EscrowRejected("wrong granularity"));
        }
        match self.verification {
            Verification::Checksum16 => {
                let expected = checksum::checksum(&self.family_key, material, parsed.body);
                if parsed.checksum == Some(expected) {
                    Ok(())
                } else {
                    Err(DesignError::EscrowRejected("checksum mismatch"))
                }
            }
            Verification::Full => {
                let public = self.directory.key(parsed.epoch)?;
                let binding = binding(associated_data, self.granularity, item);
                let expected = field::seal(
                    self.granularity,
                    parsed.epoch,
                    index,
                    public,
                    material,
                    &binding,
                )?;
                if expected == field {
                    Ok(())
                } else {
                    Err(DesignError::EscrowRejected(
                        "field does not match its message",
                    ))
                }
            }
        }
    }
}

/// Session-start material: the root key after the first DH step, then the first chain key.
fn session_material(start: &ChainStart) -> Zeroizing<[u8; 64]> {
    let mut material = Zeroizing::new([0u8; 64]);
    material[..32].copy_from_slice(&start.root_key[..]);
    material[32..].copy_from_slice(&start.chain_key[..]);
    material
}
