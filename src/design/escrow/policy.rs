//! The client side of escrow: a compliant sender attaches fields, a compliant recipient checks
//! them.

use zeroize::Zeroizing;

use super::{
    Granularity, Verification, checksum,
    field::{self, binding},
    keys::Directory,
};
use crate::{
    design::{DesignError, SimTime},
    protocol::{KeyTrace, message::WireMessage, x3dh::AD_LEN},
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

/// One session side's escrow memory: the field of its sending chain, the checked fields of the
/// received chains that can still deliver messages, and the session-start field.
#[derive(Clone, Default)]
pub struct EscrowEndpoint {
    sending: Option<([u8; 32], Vec<u8>)>,
    received: Vec<([u8; 32], Vec<u8>)>,
    session: Option<Vec<u8>>,
}

impl EscrowEndpoint {
    fn received_field(&self, ratchet_key: &[u8; 32]) -> Option<&Vec<u8>> {
        self.received
            .iter()
            .find(|(key, _)| key == ratchet_key)
            .map(|(_, field)| field)
    }

    /// Forgets the fields of received chains that can no longer deliver a message (`alive`
    /// says which can: the current chain, and chains with skipped keys left). Runs only once
    /// more than a few are held, so the usual cost is nothing.
    pub fn forget_dead_chains(&mut self, alive: impl Fn(&[u8; 32]) -> bool) {
        if self.received.len() > CHAINS_BEFORE_PRUNING {
            self.received.retain(|(key, _)| alive(key));
        }
    }
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
        let header = &parsed.message().header;
        match self.granularity {
            Granularity::Message => self.seal(
                now,
                &trace.message_key[..],
                associated_data,
                parsed.message().header_bytes,
            ),
            Granularity::Chain => {
                let key = header.ratchet_key.to_bytes();
                if let Some(start) = &trace.chain_start {
                    let field = self.seal(now, &start.chain_key[..], associated_data, &key)?;
                    endpoint.sending = Some((key, field));
                }
                match &endpoint.sending {
                    Some((chain, field)) if *chain == key => Ok(field.clone()),
                    _ => Err(DesignError::EscrowRejected("sender lost its chain's field")),
                }
            }
            Granularity::Session => {
                let WireMessage::PreKey(prekey) = parsed else {
                    return Ok(Vec::new());
                };
                if let (Some(start), None) = (&trace.chain_start, &endpoint.session) {
                    let material = session_material(start);
                    let base = prekey.fields.base_key.to_bytes();
                    endpoint.session =
                        Some(self.seal(now, &material[..], associated_data, &base)?);
                }
                endpoint
                    .session
                    .clone()
                    .ok_or(DesignError::EscrowRejected("sender lost its session field"))
            }
        }
    }

    /// A compliant recipient's check of `field` on `wire`, which it has just decrypted with the
    /// keys in `trace`, at time `now`. An error means the message must be dropped.
    pub fn check_received(
        &self,
        endpoint: &mut EscrowEndpoint,
        field: &[u8],
        wire: &[u8],
        trace: &KeyTrace,
        associated_data: &[u8; AD_LEN],
        now: SimTime,
    ) -> Result<(), DesignError> {
        let parsed = WireMessage::try_from(wire).map_err(crate::protocol::SessionError::from)?;
        let message = parsed.message();
        match self.granularity {
            Granularity::Message => self.verify(
                field,
                &trace.message_key[..],
                associated_data,
                message.header_bytes,
                now,
            ),
            Granularity::Chain => {
                let key = message.header.ratchet_key.to_bytes();
                if let Some(start) = &trace.chain_start {
                    self.verify(field, &start.chain_key[..], associated_data, &key, now)?;
                    endpoint.received.push((key, field.to_vec()));
                    return Ok(());
                }
                match endpoint.received_field(&key) {
                    Some(known) if known.as_slice() == field => Ok(()),
                    Some(_) => Err(DesignError::EscrowRejected("field differs within a chain")),
                    None => Err(DesignError::EscrowRejected(
                        "chain start not seen, field unchecked",
                    )),
                }
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
                self.verify(field, &material[..], associated_data, &base, now)?;
                endpoint.session = Some(field.to_vec());
                Ok(())
            }
        }
    }

    /// Seals `material` bound to `item`, with the weak-check checksum when that mode is on.
    fn seal(
        &self,
        now: SimTime,
        material: &[u8],
        associated_data: &[u8; AD_LEN],
        item: &[u8],
    ) -> Result<Vec<u8>, DesignError> {
        let (epoch, public) = self.directory.key_at(now)?;
        let binding = binding(associated_data, self.granularity, item);
        let mut out = field::seal(self.granularity, epoch, public, material, &binding)?;
        if self.verification == Verification::Checksum16 {
            let sum = checksum::checksum(&self.family_key, material, &out);
            out.extend_from_slice(&sum);
        }
        Ok(out)
    }

    fn verify(
        &self,
        field: &[u8],
        material: &[u8],
        associated_data: &[u8; AD_LEN],
        item: &[u8],
        now: SimTime,
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
                if !self.directory.held_at(parsed.epoch, now) {
                    return Err(DesignError::EscrowRejected(
                        "sealed to a key the authority no longer holds",
                    ));
                }
                let public = self.directory.key(parsed.epoch)?;
                let binding = binding(associated_data, self.granularity, item);
                let expected =
                    field::seal(self.granularity, parsed.epoch, public, material, &binding)?;
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
fn session_material(start: &crate::protocol::ChainStart) -> Zeroizing<[u8; 64]> {
    let mut material = Zeroizing::new([0u8; 64]);
    material[..32].copy_from_slice(&start.root_key[..]);
    material[32..].copy_from_slice(&start.chain_key[..]);
    material
}
