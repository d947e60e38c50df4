//! ENCRYPT and DECRYPT of the Double Ratchet (spec §5.2) on AES-256-GCM.
//!
//! The message key is used directly as the AES-256 key, with a constant all-zero nonce. The spec
//! allows a constant nonce because each message key seals exactly one message: [`MessageKey`] is
//! consumed by value, so no key can seal twice and no (key, nonce) pair repeats. Deriving a key
//! and nonce through HKDF, as the spec recommends for CBC + HMAC, would add four SHA-256
//! compressions per message (about 40 % of the per-message floor) and buy nothing here, because
//! GCM needs no separate MAC key. Escrow designs that hand out message keys rely on the same
//! fact: a message key opens one message and nothing else.

use aes_gcm::{AeadInOut, Aes256Gcm, KeyInit, Nonce, Tag};

use super::kdf::MessageKey;

/// Length of the GCM authentication tag appended to every ciphertext.
pub const TAG_LEN: usize = 16;

/// The nonce, constant because every key is single-use (see the module doc).
const NONCE: [u8; 12] = [0u8; 12];

/// An authentication failure. Deliberately carries nothing, so it is no oracle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AeadError;

impl MessageKey {
    /// Encrypts `buffer` in place and returns the tag to append. Fails only past GCM's length
    /// limits, which callers refuse earlier with a descriptive error.
    pub(crate) fn seal(
        self,
        associated_data: &[u8],
        buffer: &mut [u8],
    ) -> Result<[u8; TAG_LEN], AeadError> {
        let cipher = Aes256Gcm::new(&(*self.as_bytes()).into());
        let nonce = Nonce::from(NONCE);
        cipher
            .encrypt_inout_detached(&nonce, associated_data, buffer.into())
            .map(Into::into)
            .map_err(|_| AeadError)
    }

    /// Authenticates and decrypts `buffer` in place against `tag`.
    pub(crate) fn open(
        self,
        associated_data: &[u8],
        buffer: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<(), AeadError> {
        let cipher = Aes256Gcm::new(&(*self.as_bytes()).into());
        let nonce = Nonce::from(NONCE);
        cipher
            .decrypt_inout_detached(&nonce, associated_data, buffer.into(), &Tag::from(*tag))
            .map_err(|_| AeadError)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    /// NIST GCM test vector (McGrew & Viega, "The Galois/Counter Mode of Operation", test case
    /// 13): AES-256, zero key, zero 96-bit IV, empty plaintext.
    #[test]
    fn empty_message_under_zero_key_matches_gcm_spec_test_case_13() {
        let tag = MessageKey::from_bytes([0u8; 32])
            .seal(&[], &mut [])
            .unwrap();
        assert_eq!(hex::encode(tag), "530f8afbc74536b9a963b4f1c4cb738b");
    }

    /// Test case 14 of the same paper: one zero block under the zero key and IV.
    #[test]
    fn one_block_matches_gcm_spec_test_case_14() {
        let mut block = [0u8; 16];
        let tag = MessageKey::from_bytes([0u8; 32])
            .seal(&[], &mut block)
            .unwrap();
        assert_eq!(hex::encode(block), "cea7403d4d606b6e074ec5d3baf39d18");
        assert_eq!(hex::encode(tag), "d0d1c8a799996bf0265b98b5d48ab919");
    }

    #[test]
    fn open_rejects_changed_associated_data() {
        let mut buffer = *b"attack at dawn";
        let tag = MessageKey::from_bytes([3u8; 32])
            .seal(b"ad", &mut buffer)
            .unwrap();
        let mut copy = buffer;
        assert!(
            MessageKey::from_bytes([3u8; 32])
                .open(b"ae", &mut copy, &tag)
                .is_err()
        );
        assert!(
            MessageKey::from_bytes([3u8; 32])
                .open(b"ad", &mut buffer, &tag)
                .is_ok()
        );
        assert_eq!(&buffer, b"attack at dawn");
    }
}
