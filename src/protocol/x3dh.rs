//! The X3DH key agreement (Signal, "The X3DH Key Agreement Protocol", rev 1, §3).
//!
//! ```text
//! DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   DH4 = DH(EK_A, OPK_B)
//! SK  = HKDF-SHA256(salt = 0^32, ikm = 0xFF^32 ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4], info = X3DH_INFO)
//! AD  = IK_A ‖ IK_B   (the X25519 identity keys, 32 bytes each, so AD is self-delimiting)
//! ```
//!
//! The 32 bytes of 0xFF (spec §2.2, "F") separate X3DH's inputs from any X25519 output that could
//! be fed to the same KDF elsewhere. Every DH output must be contributory.

use rand_core::CryptoRng;
use x25519_dalek::{PublicKey, SharedSecret, StaticSecret};
use zeroize::Zeroize;

use super::{
    error::SessionError,
    kdf::{RootKey, hkdf_sha256},
    keys::{IdentityKeyPair, PreKey, PreKeyBundle},
    message::PreKeyFields,
};

/// The application-specific info string of X3DH's KDF.
pub const X3DH_INFO: &[u8] = b"doormat v1 X3DH X25519 SHA-256 AES-256-GCM";
/// Length of the associated data IK_A ‖ IK_B.
pub const AD_LEN: usize = 64;

/// What both sides hold once X3DH completes.
pub(crate) struct Agreement {
    /// SK, the first root key.
    pub(crate) root: RootKey,
    /// IK_A ‖ IK_B.
    pub(crate) associated_data: [u8; AD_LEN],
}

/// SK from the DH outputs, in order. Refuses any all-zero (non-contributory) output.
fn derive(outputs: &[Option<SharedSecret>; 4]) -> Result<RootKey, SessionError> {
    let mut ikm = [0xFFu8; 32 * 5];
    let mut len = 32;
    for output in outputs.iter().flatten() {
        if !output.was_contributory() {
            ikm.zeroize();
            return Err(SessionError::NonContributory);
        }
        ikm[len..len + 32].copy_from_slice(output.as_bytes());
        len += 32;
    }
    let sk: [u8; 32] = hkdf_sha256(&[0u8; 32], &ikm[..len], X3DH_INFO);
    ikm.zeroize();
    Ok(RootKey::new(sk))
}

fn associated_data(initiator: &PublicKey, responder: &PublicKey) -> [u8; AD_LEN] {
    let mut ad = [0u8; AD_LEN];
    ad[..32].copy_from_slice(initiator.as_bytes());
    ad[32..].copy_from_slice(responder.as_bytes());
    ad
}

/// The initiator's side (spec §3.3): verifies the bundle, then derives SK with a fresh EK_A.
pub(crate) fn initiate<R: CryptoRng + ?Sized>(
    rng: &mut R,
    identity: &IdentityKeyPair,
    bundle: &PreKeyBundle,
) -> Result<(Agreement, PreKeyFields), SessionError> {
    bundle.verify()?;
    let ephemeral = StaticSecret::random_from_rng(rng);
    let outputs = [
        Some(identity.dh_secret().diffie_hellman(&bundle.signed_prekey)),
        Some(ephemeral.diffie_hellman(&bundle.identity.dh)),
        Some(ephemeral.diffie_hellman(&bundle.signed_prekey)),
        bundle
            .one_time_prekey
            .map(|(_, key)| ephemeral.diffie_hellman(&key)),
    ];
    let ours = identity.public().dh;
    let fields = PreKeyFields {
        identity_key: ours,
        base_key: PublicKey::from(&ephemeral),
        signed_prekey_id: bundle.signed_prekey_id,
        one_time_prekey_id: bundle.one_time_prekey.map(|(id, _)| id),
    };
    let agreement = Agreement {
        root: derive(&outputs)?,
        associated_data: associated_data(&ours, &bundle.identity.dh),
    };
    Ok((agreement, fields))
}

/// The responder's side (spec §3.4), given the prekeys the initial message names.
pub(crate) fn respond(
    identity: &IdentityKeyPair,
    signed_prekey: &PreKey,
    one_time_prekey: Option<&PreKey>,
    fields: &PreKeyFields,
) -> Result<Agreement, SessionError> {
    let outputs = [
        Some(signed_prekey.secret.diffie_hellman(&fields.identity_key)),
        Some(identity.dh_secret().diffie_hellman(&fields.base_key)),
        Some(signed_prekey.secret.diffie_hellman(&fields.base_key)),
        one_time_prekey.map(|key| key.secret.diffie_hellman(&fields.base_key)),
    ];
    Ok(Agreement {
        root: derive(&outputs)?,
        associated_data: associated_data(&fields.identity_key, &identity.public().dh),
    })
}

#[cfg(test)]
mod test {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;
    use sha2::Sha256;

    use super::*;
    use crate::protocol::keys::SignedPreKey;

    struct Fixture {
        alice: IdentityKeyPair,
        bob: IdentityKeyPair,
        spk: SignedPreKey,
        opk: PreKey,
        bundle: PreKeyBundle,
    }

    fn fixture() -> Fixture {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let alice = IdentityKeyPair::generate(&mut rng);
        let bob = IdentityKeyPair::generate(&mut rng);
        let spk = SignedPreKey::generate(1, &bob, &mut rng);
        let opk = PreKey::generate(2, &mut rng);
        let bundle = PreKeyBundle {
            identity: bob.public(),
            signed_prekey_id: 1,
            signed_prekey: spk.key.public,
            signature: spk.signature,
            one_time_prekey: Some((2, opk.public)),
        };
        Fixture {
            alice,
            bob,
            spk,
            opk,
            bundle,
        }
    }

    #[test]
    fn both_sides_agree_with_and_without_one_time_prekey() {
        let f = fixture();
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        for with_opk in [true, false] {
            let mut bundle = f.bundle.clone();
            if !with_opk {
                bundle.one_time_prekey = None;
            }
            let (a, fields) = initiate(&mut rng, &f.alice, &bundle).unwrap();
            let opk = with_opk.then_some(&f.opk);
            let b = respond(&f.bob, &f.spk.key, opk, &fields).unwrap();
            assert_eq!(a.root.bytes(), b.root.bytes());
            assert_eq!(a.associated_data, b.associated_data);
            assert_eq!(&a.associated_data[..32], f.alice.public().dh.as_bytes());
        }
    }

    /// Recomputes SK from the spec's formula with the hkdf crate directly, so a wrong prefix
    /// (such as `[0xFF, 32]`, two bytes), salt, order or info string is caught.
    #[test]
    fn sk_follows_the_spec_formula() {
        let f = fixture();
        let mut rng = ChaCha20Rng::seed_from_u64(13);
        let (a, fields) = initiate(&mut rng, &f.alice, &f.bundle).unwrap();
        let dh = |s: &StaticSecret, p: &PublicKey| s.diffie_hellman(p).to_bytes();
        let mut ikm = vec![0xFFu8; 32];
        ikm.extend(dh(&f.spk.key.secret, &fields.identity_key));
        ikm.extend(dh(f.bob.dh_secret(), &fields.base_key));
        ikm.extend(dh(&f.spk.key.secret, &fields.base_key));
        ikm.extend(dh(&f.opk.secret, &fields.base_key));
        let mut sk = [0u8; 32];
        hkdf::Hkdf::<Sha256>::new(Some(&[0u8; 32]), &ikm)
            .expand(X3DH_INFO, &mut sk)
            .unwrap();
        assert_eq!(a.root.bytes(), &sk);
    }

    #[test]
    fn a_low_order_base_key_is_refused() {
        let f = fixture();
        let mut rng = ChaCha20Rng::seed_from_u64(14);
        let (_, mut fields) = initiate(&mut rng, &f.alice, &f.bundle).unwrap();
        fields.base_key = PublicKey::from([0u8; 32]);
        assert!(matches!(
            respond(&f.bob, &f.spk.key, None, &fields),
            Err(SessionError::NonContributory)
        ));
    }
}
