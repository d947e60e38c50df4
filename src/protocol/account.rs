//! A user's device: its identity, its prekeys, and the two ways a session starts (X3DH §3).

use std::collections::BTreeMap;

use rand_core::CryptoRng;

use super::{
    RatchetConfig,
    error::SessionError,
    keys::{IdentityKey, IdentityKeyPair, PreKey, PreKeyBundle, RatchetKeyPair, SignedPreKey},
    message::{PreKeyMessage, WireMessage},
    ratchet::Session,
    trace::KeyTrace,
    x3dh,
};

/// Signed prekeys kept after rotation, so late initial messages still open: Signal rotates every
/// 2 days and keeps old ones 30 days, i.e. 15 generations.
pub const SIGNED_PREKEYS_KEPT: usize = 15;

/// An initial message decrypted by [`Account::accept_pending`], not yet committed.
pub struct Accepted {
    /// The new session.
    pub session: Session,
    /// The first plaintext.
    pub plaintext: Vec<u8>,
    /// The keys the first message used.
    pub trace: KeyTrace,
    one_time_prekey: Option<u32>,
}

impl std::fmt::Debug for Accepted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accepted")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// One-time prekey with whether a server has already handed it out in a bundle.
#[derive(Clone)]
struct OneTimePreKey {
    key: PreKey,
    issued: bool,
}

/// A device: identity keys, signed prekeys (newest last) and unused one-time prekeys.
#[derive(Clone)]
pub struct Account {
    identity: IdentityKeyPair,
    signed_prekeys: Vec<SignedPreKey>,
    one_time_prekeys: BTreeMap<u32, OneTimePreKey>,
    next_prekey_id: u32,
    config: RatchetConfig,
}

impl Account {
    /// A new device with a fresh identity and one signed prekey, using the default limits.
    pub fn new<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::with_config(rng, RatchetConfig::default())
    }

    /// A new device whose sessions enforce `config`.
    pub fn with_config<R: CryptoRng + ?Sized>(rng: &mut R, config: RatchetConfig) -> Self {
        let identity = IdentityKeyPair::generate(rng);
        let signed = SignedPreKey::generate(0, &identity, rng);
        Self {
            identity,
            signed_prekeys: vec![signed],
            one_time_prekeys: BTreeMap::new(),
            next_prekey_id: 1,
            config,
        }
    }

    /// The public identity.
    pub fn identity_key(&self) -> IdentityKey {
        self.identity.public()
    }

    /// Replaces the current signed prekey, keeping the last [`SIGNED_PREKEYS_KEPT`].
    pub fn rotate_signed_prekey<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) {
        let id = self.take_id();
        self.signed_prekeys
            .push(SignedPreKey::generate(id, &self.identity, rng));
        let excess = self
            .signed_prekeys
            .len()
            .saturating_sub(SIGNED_PREKEYS_KEPT);
        self.signed_prekeys.drain(..excess);
    }

    /// Generates `count` one-time prekeys for the server to hand out.
    pub fn generate_one_time_prekeys<R: CryptoRng + ?Sized>(&mut self, rng: &mut R, count: usize) {
        for _ in 0..count {
            let id = self.take_id();
            self.one_time_prekeys.insert(
                id,
                OneTimePreKey {
                    key: PreKey::generate(id, rng),
                    issued: false,
                },
            );
        }
    }

    /// Unused one-time prekeys still held (issued or not).
    pub fn one_time_prekey_count(&self) -> usize {
        self.one_time_prekeys.len()
    }

    /// The bundle a server would serve now: the newest signed prekey and, while any remain, a
    /// one-time prekey not handed out before (the server gives each to one initiator only).
    pub fn prekey_bundle(&mut self) -> PreKeyBundle {
        let one_time_prekey = self
            .one_time_prekeys
            .values_mut()
            .find(|opk| !opk.issued)
            .map(|opk| {
                opk.issued = true;
                (opk.key.id, opk.key.public)
            });
        let signed = self.current_signed_prekey();
        PreKeyBundle {
            identity: self.identity.public(),
            signed_prekey_id: signed.key.id,
            signed_prekey: signed.key.public,
            signature: signed.signature,
            one_time_prekey,
        }
    }

    /// Starts a session to the owner of `bundle` (X3DH initiator). The bundle's signature is
    /// verified first; messages carry the X3DH fields until the peer replies.
    pub fn initiate<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        bundle: &PreKeyBundle,
    ) -> Result<Session, SessionError> {
        let (agreement, fields) = x3dh::initiate(rng, &self.identity, bundle)?;
        Session::initiator(rng, agreement, fields, bundle.signed_prekey, self.config)
    }

    /// Accepts an initial message (X3DH responder): returns the new session and the first
    /// plaintext. The one-time prekey is deleted only once the message authenticates, so a
    /// forged initial message cannot burn it.
    pub fn accept(&mut self, bytes: &[u8]) -> Result<(Session, Vec<u8>), SessionError> {
        self.accept_traced(bytes)
            .map(|(session, plaintext, _)| (session, plaintext))
    }

    /// [`Account::accept`], also returning the keys the first message used.
    pub fn accept_traced(
        &mut self,
        bytes: &[u8],
    ) -> Result<(Session, Vec<u8>, KeyTrace), SessionError> {
        let accepted = self.accept_pending(bytes)?;
        self.commit(accepted)
    }

    /// Runs X3DH and decrypts an initial message without changing the account, so the caller
    /// can check the message before [`Account::commit`] consumes the one-time prekey.
    pub fn accept_pending(&self, bytes: &[u8]) -> Result<Accepted, SessionError> {
        let WireMessage::PreKey(PreKeyMessage { fields, message }) = WireMessage::try_from(bytes)?
        else {
            return Err(SessionError::NotAnInitialMessage);
        };
        let signed = self
            .signed_prekeys
            .iter()
            .find(|spk| spk.key.id == fields.signed_prekey_id)
            .ok_or(SessionError::UnknownSignedPreKey(fields.signed_prekey_id))?;
        let one_time = match fields.one_time_prekey_id {
            None => None,
            Some(id) => Some(
                self.one_time_prekeys
                    .get(&id)
                    .map(|opk| &opk.key)
                    .ok_or(SessionError::UnknownOneTimePreKey(id))?,
            ),
        };
        let agreement = x3dh::respond(&self.identity, &signed.key, one_time, &fields)?;
        let ratchet = RatchetKeyPair {
            secret: signed.key.secret.clone(),
            public: signed.key.public,
        };
        let mut session = Session::responder(
            agreement,
            fields,
            ratchet,
            message.header.ratchet_key,
            self.config,
        );
        let decrypted = session.open_message(&message)?;
        let (plaintext, trace) = session.commit(decrypted)?;
        Ok(Accepted {
            session,
            plaintext,
            trace,
            one_time_prekey: fields.one_time_prekey_id,
        })
    }

    /// Makes an accepted initial message count: deletes its one-time prekey (X3DH §3.4) and
    /// hands over the session. Fails if that prekey was used meanwhile.
    pub fn commit(
        &mut self,
        accepted: Accepted,
    ) -> Result<(Session, Vec<u8>, KeyTrace), SessionError> {
        let Accepted {
            session,
            plaintext,
            trace,
            one_time_prekey,
        } = accepted;
        if let Some(id) = one_time_prekey {
            self.one_time_prekeys
                .remove(&id)
                .ok_or(SessionError::UnknownOneTimePreKey(id))?;
        }
        Ok((session, plaintext, trace))
    }

    /// The newest signed prekey; the list is never empty (created with one, rotation appends
    /// before trimming to a positive count).
    fn current_signed_prekey(&self) -> &SignedPreKey {
        let last = self.signed_prekeys.len() - 1;
        &self.signed_prekeys[last]
    }

    fn take_id(&mut self) -> u32 {
        let id = self.next_prekey_id;
        self.next_prekey_id = self.next_prekey_id.wrapping_add(1);
        id
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("identity", &self.identity.public())
            .field("signed_prekey_id", &self.current_signed_prekey().key.id)
            .field("one_time_prekeys", &self.one_time_prekeys.len())
            .finish_non_exhaustive()
    }
}
