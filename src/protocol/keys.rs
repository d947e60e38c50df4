//! Long-term and prekey material (X3DH §2): identity keys, signed prekeys, one-time prekeys and
//! the prekey bundle a server hands to an initiator.
//!
//! **Signatures.** An identity is an X25519 key for the DH computations *and* an Ed25519 key that
//! signs the signed prekey, as Olm and Matrix do, rather than one X25519 key signing through
//! XEdDSA. XEdDSA would need scalar and point arithmetic below x25519-dalek's public API (our own
//! code over curve25519-dalek internals); Ed25519 comes from the audited ed25519-dalek crate and
//! costs 32 extra bytes in a bundle, never on a message. The initiator verifies the signature
//! before any DH is computed.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand_core::CryptoRng;
use x25519_dalek::{PublicKey, StaticSecret};

use super::error::SessionError;

/// Domain separator prefixed to a signed prekey before signing, so the identity signing key's
/// signatures cannot be replayed as anything else.
const SIGNED_PREKEY_CONTEXT: &[u8] = b"doormat v1 signed prekey";

/// The public half of an identity: what a contact pins and a safety number compares.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct IdentityKey {
    /// X25519 key used in X3DH's DH1 and DH2 and in the associated data.
    pub dh: PublicKey,
    /// Ed25519 key that signs the signed prekeys.
    pub signing: VerifyingKey,
}

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityKey")
            .field("dh", &hex(self.dh.as_bytes()))
            .finish_non_exhaustive()
    }
}

/// A user's long-term identity secrets. Zeroized on drop by the underlying key types.
#[derive(Clone)]
pub struct IdentityKeyPair {
    dh: StaticSecret,
    signing: SigningKey,
}

impl IdentityKeyPair {
    /// Generates a fresh identity from `rng`.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self {
            dh: StaticSecret::random_from_rng(rng),
            signing: SigningKey::generate(rng),
        }
    }

    /// The public identity.
    pub fn public(&self) -> IdentityKey {
        IdentityKey {
            dh: PublicKey::from(&self.dh),
            signing: self.signing.verifying_key(),
        }
    }

    pub(crate) fn dh_secret(&self) -> &StaticSecret {
        &self.dh
    }

    fn sign_prekey(&self, prekey: &PublicKey) -> Signature {
        self.signing.sign(&signed_prekey_message(prekey))
    }
}

impl std::fmt::Debug for IdentityKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityKeyPair")
            .field("public", &self.public())
            .finish_non_exhaustive()
    }
}

fn signed_prekey_message(prekey: &PublicKey) -> [u8; SIGNED_PREKEY_CONTEXT.len() + 32] {
    let mut message = [0u8; SIGNED_PREKEY_CONTEXT.len() + 32];
    message[..SIGNED_PREKEY_CONTEXT.len()].copy_from_slice(SIGNED_PREKEY_CONTEXT);
    message[SIGNED_PREKEY_CONTEXT.len()..].copy_from_slice(prekey.as_bytes());
    message
}

/// An X25519 key pair with an identifier: a signed prekey or a one-time prekey.
#[derive(Clone)]
pub(crate) struct PreKey {
    pub(crate) id: u32,
    pub(crate) secret: StaticSecret,
    pub(crate) public: PublicKey,
}

impl PreKey {
    pub(crate) fn generate<R: CryptoRng + ?Sized>(id: u32, rng: &mut R) -> Self {
        let secret = StaticSecret::random_from_rng(rng);
        Self {
            id,
            public: PublicKey::from(&secret),
            secret,
        }
    }
}

/// A signed prekey with its signature by the identity's Ed25519 key.
#[derive(Clone)]
pub(crate) struct SignedPreKey {
    pub(crate) key: PreKey,
    pub(crate) signature: Signature,
}

impl SignedPreKey {
    pub(crate) fn generate<R: CryptoRng + ?Sized>(
        id: u32,
        identity: &IdentityKeyPair,
        rng: &mut R,
    ) -> Self {
        let key = PreKey::generate(id, rng);
        Self {
            signature: identity.sign_prekey(&key.public),
            key,
        }
    }
}

/// What a server hands an initiator so that it can start a session offline (X3DH §3.2).
#[derive(Clone, PartialEq, Eq)]
pub struct PreKeyBundle {
    /// The responder's identity.
    pub identity: IdentityKey,
    /// Identifier of the signed prekey, echoed in the initial message.
    pub signed_prekey_id: u32,
    /// The signed prekey SPK_B.
    pub signed_prekey: PublicKey,
    /// Ed25519 signature over the signed prekey, by `identity.signing`.
    pub signature: Signature,
    /// A one-time prekey OPK_B with its identifier, if the server had one left.
    pub one_time_prekey: Option<(u32, PublicKey)>,
}

impl PreKeyBundle {
    /// Checks the signed prekey's signature (X3DH §3.3: before anything else is computed).
    pub fn verify(&self) -> Result<(), SessionError> {
        self.identity
            .signing
            .verify(&signed_prekey_message(&self.signed_prekey), &self.signature)
            .map_err(|_| SessionError::BadPreKeySignature)
    }
}

impl std::fmt::Debug for PreKeyBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreKeyBundle")
            .field("identity", &self.identity)
            .field("signed_prekey_id", &self.signed_prekey_id)
            .field(
                "one_time_prekey_id",
                &self.one_time_prekey.map(|(id, _)| id),
            )
            .finish_non_exhaustive()
    }
}

/// A ratchet key pair DHs. Reused for two DH computations (the sending step that creates it and
/// the receiving step that answers the peer's next key), hence a static rather than ephemeral
/// secret.
#[derive(Clone)]
pub(crate) struct RatchetKeyPair {
    pub(crate) secret: StaticSecret,
    pub(crate) public: PublicKey,
}

impl RatchetKeyPair {
    pub(crate) fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let secret = StaticSecret::random_from_rng(rng);
        Self {
            public: PublicKey::from(&secret),
            secret,
        }
    }
}

/// Lower-case hex of public bytes, for `Debug` output of public keys only.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod test {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    use super::*;

    fn bundle() -> PreKeyBundle {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let identity = IdentityKeyPair::generate(&mut rng);
        let spk = SignedPreKey::generate(7, &identity, &mut rng);
        PreKeyBundle {
            identity: identity.public(),
            signed_prekey_id: 7,
            signed_prekey: spk.key.public,
            signature: spk.signature,
            one_time_prekey: None,
        }
    }

    #[test]
    fn a_genuine_bundle_verifies() {
        assert_eq!(bundle().verify(), Ok(()));
    }

    #[test]
    fn a_substituted_signed_prekey_is_refused() {
        let mut forged = bundle();
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        forged.signed_prekey = PreKey::generate(7, &mut rng).public;
        assert_eq!(forged.verify(), Err(SessionError::BadPreKeySignature));
    }

    #[test]
    fn debug_shows_no_secret_bytes() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let identity = IdentityKeyPair::generate(&mut rng);
        let printed = format!("{identity:?}");
        assert!(!printed.contains(&hex(identity.dh.as_bytes())));
        assert!(!printed.contains(&hex(identity.signing.as_bytes())));
        assert!(printed.contains(&hex(identity.public().dh.as_bytes())));
    }
}
