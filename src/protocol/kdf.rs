//! The Double Ratchet's key derivation chains (spec §2, §5.2): KDF_RK over the root key and
//! KDF_CK over the chain keys, and the single-use message keys they produce.
//!
//! Root and chain keys live in a `Box` so that updating them in place leaves no stale copy on the
//! stack; message keys are short-lived and consumed by value, so they stay inline to keep the
//! per-message path free of allocations. All three are zeroized on drop and have no `Debug`.

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Info string of KDF_RK (HKDF-SHA256 with the root key as salt and the DH output as input).
const ROOT_INFO: &[u8] = b"doormat v1 ratchet root";
/// KDF_CK input byte for the message key (spec §5.2).
const MESSAGE_KEY_SEED: u8 = 0x01;
/// KDF_CK input byte for the next chain key (spec §5.2).
const CHAIN_KEY_SEED: u8 = 0x02;

/// HKDF-SHA256 into a fixed-size output.
///
/// Every caller asks for at most 64 bytes, far below HKDF's limit of 255 · 32, so the expansion
/// cannot fail; the bound is checked when the constant is evaluated.
pub(crate) fn hkdf_sha256<const N: usize>(salt: &[u8], ikm: &[u8], info: &[u8]) -> [u8; N] {
    const { assert!(N <= 255 * 32) };
    let mut out = [0u8; N];
    #[allow(clippy::expect_used)]
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, &mut out)
        .expect("N <= 255 * HashLen, checked at compile time");
    out
}

/// HMAC-SHA256 keyed with a 32-byte key.
///
/// HMAC pads a key shorter than the hash block with zeros, so keying with the 64-byte block
/// `key ‖ 0^32` is the same MAC as keying with `key`, and needs no fallible length check.
fn hmac_sha256(key: &[u8; 32]) -> Hmac<Sha256> {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
    block.zeroize();
    mac
}

/// KDF_CK on raw bytes: (HMAC(ck, 0x01), HMAC(ck, 0x02)), the message key and the next chain
/// key. Both MACs share one keyed HMAC state, cloned, so HMAC's key schedule runs once per step.
pub(crate) fn kdf_ck(chain_key: &[u8; 32]) -> (MessageKey, [u8; 32]) {
    let keyed = hmac_sha256(chain_key);
    let mut message = keyed.clone();
    message.update(&[MESSAGE_KEY_SEED]);
    let mut next = keyed;
    next.update(&[CHAIN_KEY_SEED]);
    (
        MessageKey(message.finalize().into_bytes().into()),
        next.finalize().into_bytes().into(),
    )
}

/// The root key RK, advanced by KDF_RK on every DH ratchet step.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct RootKey(Box<[u8; 32]>);

impl RootKey {
    /// The session's first root key, the X3DH shared secret SK.
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        Self(Box::new(bytes))
    }

    /// KDF_RK(rk, dh_out) → (RK', CK): HKDF-SHA256 with salt = RK, ikm = DH output.
    pub(crate) fn ratchet(&self, dh_out: &[u8; 32]) -> (RootKey, ChainKey) {
        let mut okm: [u8; 64] = hkdf_sha256(&self.0[..], dh_out, ROOT_INFO);
        let mut root = [0u8; 32];
        let mut chain = [0u8; 32];
        root.copy_from_slice(&okm[..32]);
        chain.copy_from_slice(&okm[32..]);
        okm.zeroize();
        (RootKey::new(root), ChainKey::new(chain))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// A sending or receiving chain key CK, advanced by KDF_CK once per message.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct ChainKey(Box<[u8; 32]>);

impl ChainKey {
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        Self(Box::new(bytes))
    }

    /// KDF_CK: returns HMAC(CK, 0x01) as the message key and replaces CK by HMAC(CK, 0x02).
    pub(crate) fn step(&mut self) -> MessageKey {
        let (message, mut next) = kdf_ck(&self.0);
        self.0.copy_from_slice(&next);
        next.zeroize();
        message
    }

    /// Overwrites the chain key in place, committing a tentatively advanced chain.
    pub(crate) fn set(&mut self, bytes: &[u8; 32]) {
        self.0.copy_from_slice(bytes);
    }

    /// The raw chain key, for escrow designs that hand a chain to an authority.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// A message key MK: seals or opens exactly one message, then is gone.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct MessageKey([u8; 32]);

impl MessageKey {
    /// Wraps raw message-key bytes, for instance ones an escrow authority recovered.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

#[cfg(test)]
mod test {
    use super::*;

    /// RFC 5869 appendix A.1 (test case 1), HKDF-SHA256 with a salt and an info string.
    #[test]
    fn hkdf_matches_rfc5869_test_case_1() {
        let ikm = [0x0bu8; 22];
        let salt = hex::decode("000102030405060708090a0b0c").unwrap();
        let info = hex::decode("f0f1f2f3f4f5f6f7f8f9").unwrap();
        let okm: [u8; 42] = hkdf_sha256(&salt, &ikm, &info);
        assert_eq!(
            hex::encode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
    }

    /// RFC 4231 test case 2 ("Jefe"), padded-key HMAC equals the plain HMAC of a short key.
    #[test]
    fn padded_hmac_key_is_the_same_mac() {
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let mut padded = hmac_sha256(&key);
        padded.update(b"what do ya want for nothing?");
        let mut plain = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
        plain.update(b"what do ya want for nothing?");
        assert_eq!(
            padded.finalize().into_bytes(),
            plain.finalize().into_bytes()
        );
    }

    #[test]
    fn chain_step_uses_distinct_constants_for_message_and_chain() {
        let mut chain = ChainKey::new([7u8; 32]);
        let before = *chain.bytes();
        let mk = chain.step();
        let mut m1 = <Hmac<Sha256> as KeyInit>::new_from_slice(&before).unwrap();
        m1.update(&[0x01]);
        let mut m2 = <Hmac<Sha256> as KeyInit>::new_from_slice(&before).unwrap();
        m2.update(&[0x02]);
        assert_eq!(mk.as_bytes()[..], m1.finalize().into_bytes()[..]);
        assert_eq!(chain.bytes()[..], m2.finalize().into_bytes()[..]);
    }

    #[test]
    fn root_ratchet_splits_64_bytes_of_hkdf() {
        let root = RootKey::new([1u8; 32]);
        let (next, chain) = root.ratchet(&[2u8; 32]);
        let okm: [u8; 64] = hkdf_sha256(&[1u8; 32], &[2u8; 32], ROOT_INFO);
        assert_eq!(next.bytes()[..], okm[..32]);
        assert_eq!(chain.bytes()[..], okm[32..]);
    }
}
