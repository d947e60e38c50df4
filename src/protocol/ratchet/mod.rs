//! The Double Ratchet session (Signal, "The Double Ratchet Algorithm", rev 1, §3).
//!
//! State, in the spec's names: `ratchet` is DHs, `their_ratchet` DHr, `root` RK, `sending` CKs
//! and Ns, `receiving` CKr and Nr, `previous_chain_length` PN, `skipped` MKSKIPPED.
//!
//! Two choices the spec leaves open:
//! - **Lazy ratchet keys** (§6.5): receiving a new ratchet key only derives the receiving chain;
//!   our new ratchet key pair is generated on our *next send*. A user who only reads never pays
//!   for a key generation, and the key's secret exists for the shortest time.
//! - **Commit on authentication** (§3.5): decryption advances chains on copies and writes them
//!   back only after AES-GCM authenticates, so a forged message changes nothing.

mod decrypt;
mod receiving;
mod sending;

use rand_core::CryptoRng;
use x25519_dalek::PublicKey;
use zeroize::Zeroizing;

use self::{
    receiving::{ChainRest, ReceivingChain, SkippedKeys, advance, finish_chain},
    sending::SendingChain,
};
use super::{
    MAX_PLAINTEXT_LEN, RatchetConfig,
    error::SessionError,
    kdf::{ChainKey, MessageKey, RootKey},
    keys::{RatchetKeyPair, hex},
    message::{
        HEADER_LEN, Header, MESSAGE_OVERHEAD, Message, PREKEY_PREFIX_MAX, PreKeyFields, WireMessage,
    },
    trace::{ChainStart, KeyTrace},
    x3dh::{AD_LEN, Agreement},
};

/// A message opened by [`Session::decrypt_pending`] whose state change is not yet applied.
pub struct Decrypted {
    /// The plaintext.
    pub plaintext: Vec<u8>,
    /// The keys it used.
    pub trace: KeyTrace,
    update: Update,
}

impl std::fmt::Debug for Decrypted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decrypted")
            .field("trace", &self.trace)
            .finish_non_exhaustive()
    }
}

/// The state change a decrypted message implies.
enum Update {
    /// A skipped key was used: delete it.
    Skipped { ratchet_key: PublicKey, index: u32 },
    /// The current receiving chain advanced from `from`.
    Chain {
        from: u32,
        chain_key: Zeroizing<[u8; 32]>,
        skipped: Vec<(u32, MessageKey)>,
    },
    /// A DH ratchet step: the old chain's remaining keys, a new root and receiving chain.
    NewChain {
        previous: Option<ChainRest>,
        root: RootKey,
        chain: ReceivingChain,
        skipped: Vec<(u32, MessageKey)>,
    },
}

/// One side of a two-party Double Ratchet session.
///
/// `Clone` on purpose: the simulator's adversary steals copies of device state. The clone holds
/// the same secrets and is zeroized on drop like the original.
#[derive(Clone)]
pub struct Session {
    config: RatchetConfig,
    associated_data: [u8; AD_LEN],
    /// The X3DH fields of the session's initial messages (EK_A names the session), so a repeated
    /// initial message is accepted only if every field is exactly the same.
    prekey_fields: PreKeyFields,
    root: RootKey,
    ratchet: RatchetKeyPair,
    their_ratchet: PublicKey,
    /// `None` when our next send must first take a DH ratchet step.
    sending: Option<SendingChain>,
    previous_chain_length: u32,
    receiving: Option<ReceivingChain>,
    skipped: SkippedKeys,
    /// The initiator's X3DH fields, sent with every message until the first reply arrives.
    initial: Option<PreKeyFields>,
}

impl Session {
    /// The initiator's session (spec §3.3 `RatchetInitAlice`): DHr is the responder's signed
    /// prekey, and the first sending chain is derived at once.
    pub(crate) fn initiator<R: CryptoRng + ?Sized>(
        rng: &mut R,
        agreement: Agreement,
        fields: PreKeyFields,
        their_signed_prekey: PublicKey,
        config: RatchetConfig,
    ) -> Result<Self, SessionError> {
        let mut session = Self {
            config,
            associated_data: agreement.associated_data,
            prekey_fields: fields,
            root: agreement.root,
            ratchet: RatchetKeyPair::generate(rng),
            their_ratchet: their_signed_prekey,
            sending: None,
            previous_chain_length: 0,
            receiving: None,
            skipped: SkippedKeys::new(config.max_skipped_keys),
            initial: Some(fields),
        };
        // The first ratchet key pair, just generated, starts the first sending chain.
        let (root, chain) = session.root_step(&session.ratchet)?;
        session.root = root;
        session.sending = Some(SendingChain::new(chain));
        Ok(session)
    }

    /// The responder's session (spec §3.3 `RatchetInitBob`): DHs is the signed prekey, and
    /// nothing can be sent until the initiator's first message has been decrypted.
    pub(crate) fn responder(
        agreement: Agreement,
        prekey_fields: PreKeyFields,
        signed_prekey: RatchetKeyPair,
        first_ratchet_key: PublicKey,
        config: RatchetConfig,
    ) -> Self {
        Self {
            config,
            associated_data: agreement.associated_data,
            prekey_fields,
            root: agreement.root,
            ratchet: signed_prekey,
            their_ratchet: first_ratchet_key,
            sending: None,
            previous_chain_length: 0,
            receiving: None,
            skipped: SkippedKeys::new(config.max_skipped_keys),
            initial: None,
        }
    }

    /// Encrypts `plaintext` into wire bytes. Takes a DH ratchet step first if a new ratchet key
    /// has arrived since our last send; `rng` supplies the new key pair.
    pub fn encrypt<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, SessionError> {
        self.encrypt_traced(rng, plaintext).map(|(bytes, _)| bytes)
    }

    /// [`Session::encrypt`], also returning the keys the message used, for designs that escrow
    /// them.
    pub fn encrypt_traced<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        plaintext: &[u8],
    ) -> Result<(Vec<u8>, KeyTrace), SessionError> {
        if plaintext.len() > MAX_PLAINTEXT_LEN {
            return Err(SessionError::PlaintextTooLong {
                len: plaintext.len(),
                max: MAX_PLAINTEXT_LEN,
            });
        }
        let chain = match self.sending.take() {
            Some(chain) => chain,
            None => self.step_sending(rng)?,
        };
        let chain = self.sending.insert(chain);
        let chain_start = (chain.next_index == 0).then(|| ChainStart {
            ratchet_key: self.ratchet.public,
            root_key: Zeroizing::new(*self.root.bytes()),
            chain_key: Zeroizing::new(*chain.key.bytes()),
        });
        let chain_key = Some(Zeroizing::new(*chain.key.bytes()));
        let (index, message_key) = chain.next().ok_or(SessionError::ChainExhausted)?;
        let trace = KeyTrace {
            index,
            message_key: Zeroizing::new(*message_key.as_bytes()),
            chain_start,
            chain_key,
        };
        let header = Header {
            ratchet_key: self.ratchet.public,
            previous_chain_length: self.previous_chain_length,
            index,
        }
        .encode();
        let mut out = Vec::with_capacity(PREKEY_PREFIX_MAX + MESSAGE_OVERHEAD + plaintext.len());
        if let Some(fields) = &self.initial {
            fields.encode_into(&mut out);
        }
        let body = out.len() + HEADER_LEN;
        out.extend_from_slice(&header);
        out.extend_from_slice(plaintext);
        let tag = message_key
            .seal(&self.full_associated_data(&header), &mut out[body..])
            .map_err(|_| SessionError::PlaintextTooLong {
                len: plaintext.len(),
                max: MAX_PLAINTEXT_LEN,
            })?;
        out.extend_from_slice(&tag);
        Ok((out, trace))
    }

    /// Decrypts wire bytes: a normal message, or an initial message of this same session (the
    /// initiator repeats its X3DH fields until it hears back).
    pub fn decrypt(&mut self, bytes: &[u8]) -> Result<Vec<u8>, SessionError> {
        self.decrypt_traced(bytes).map(|(plaintext, _)| plaintext)
    }

    /// [`Session::decrypt`], also returning the keys the message used, so that a compliant
    /// recipient can check an escrow field.
    pub fn decrypt_traced(&mut self, bytes: &[u8]) -> Result<(Vec<u8>, KeyTrace), SessionError> {
        let decrypted = self.decrypt_pending(bytes)?;
        self.commit(decrypted)
    }

    /// The sending half of the DH ratchet: a new DHs, and RK, CKs = KDF_RK(RK, DH(DHs, DHr)).
    fn step_sending<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
    ) -> Result<SendingChain, SessionError> {
        let ratchet = RatchetKeyPair::generate(rng);
        let (root, chain) = self.root_step(&ratchet)?;
        self.root = root;
        self.ratchet = ratchet;
        Ok(SendingChain::new(chain))
    }

    /// KDF_RK(RK, DH(ratchet, DHr)), refusing a non-contributory DH output.
    fn root_step(&self, ratchet: &RatchetKeyPair) -> Result<(RootKey, ChainKey), SessionError> {
        let shared = ratchet.secret.diffie_hellman(&self.their_ratchet);
        if !shared.was_contributory() {
            return Err(SessionError::NonContributory);
        }
        Ok(self.root.ratchet(shared.as_bytes()))
    }

    /// AD ‖ header: the X3DH associated data followed by the encoded header.
    fn full_associated_data(&self, header: &[u8; HEADER_LEN]) -> [u8; AD_LEN + HEADER_LEN] {
        let mut out = [0u8; AD_LEN + HEADER_LEN];
        out[..AD_LEN].copy_from_slice(&self.associated_data);
        out[AD_LEN..].copy_from_slice(header);
        out
    }

    /// Opens a message this side itself sent, from the sending chain this state still holds:
    /// what a thief holding a copy of the sender's device reads of its later messages, until
    /// the sender's next DH ratchet step moves to a key pair the copy never saw. Changes nothing.
    pub fn open_own(&self, bytes: &[u8]) -> Result<Vec<u8>, SessionError> {
        let wire = WireMessage::try_from(bytes)?;
        let message = wire.message();
        let chain = self
            .sending
            .as_ref()
            .filter(|_| message.header.ratchet_key.as_bytes() == self.ratchet.public.as_bytes())
            .ok_or(SessionError::Authentication)?;
        let steps = message
            .header
            .index
            .checked_sub(chain.next_index)
            .ok_or(SessionError::Authentication)?;
        let key = super::trace::message_key_at(chain.key.bytes(), steps, self.config.max_skip)?;
        super::trace::open_with_key(key, &self.associated_data, message)
    }

    /// The associated data `IK_A ‖ IK_B` that every message of the session authenticates.
    pub fn associated_data(&self) -> &[u8; AD_LEN] {
        &self.associated_data
    }

    /// EK_A, the initiator's base key, which names this session on both sides.
    pub fn base_key(&self) -> &PublicKey {
        &self.prekey_fields.base_key
    }

    /// Our current ratchet public key (DHs).
    pub fn ratchet_key(&self) -> &PublicKey {
        &self.ratchet.public
    }

    /// Whether a message on the chain of `ratchet_key` can still be decrypted: it is the current
    /// receiving chain, or skipped keys of it are held.
    pub fn holds_chain(&self, ratchet_key: &[u8; 32]) -> bool {
        self.receiving
            .as_ref()
            .is_some_and(|chain| chain.ratchet_key.as_bytes() == ratchet_key)
            || self.skipped.entries().any(|(key, _)| &key == ratchet_key)
    }

    /// How many skipped message keys are held for late messages.
    pub fn skipped_key_count(&self) -> usize {
        self.skipped.len()
    }

    /// The (ratchet key, index) of each held skipped key, oldest first.
    pub fn skipped_key_ids(&self) -> Vec<(PublicKey, u32)> {
        self.skipped
            .entries()
            .map(|(key, index)| (PublicKey::from(key), index))
            .collect()
    }

    /// Whether our messages still carry the X3DH fields (no reply received yet).
    pub fn is_awaiting_reply(&self) -> bool {
        self.initial.is_some()
    }

    /// The configuration the session enforces.
    pub fn config(&self) -> &RatchetConfig {
        &self.config
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            prekey_fields,
            ratchet,
            their_ratchet,
            sending,
            receiving,
            skipped,
            initial,
            ..
        } = self;
        f.debug_struct("Session")
            .field("base_key", &hex(prekey_fields.base_key.as_bytes()))
            .field("ratchet_key", &hex(ratchet.public.as_bytes()))
            .field("their_ratchet_key", &hex(their_ratchet.as_bytes()))
            .field("sent_on_chain", &sending.as_ref().map(|c| c.next_index))
            .field(
                "received_on_chain",
                &receiving.as_ref().map(|c| c.next_index),
            )
            .field("skipped_keys", &skipped.len())
            .field("awaiting_reply", &initial.is_some())
            .finish_non_exhaustive()
    }
}
