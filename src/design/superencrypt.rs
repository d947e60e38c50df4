//! Superencryption: what an evading target does. Its client seals every plaintext under a key
//! shared out of band with its contact (AES-256-GCM, the message number as nonce) before the
//! messenger sees it, so the messenger's escrow field, ghost copy or backup carries only this
//! inner ciphertext. The key lives on the two devices: a device compromise takes it too.

use aes_gcm::{Aes256Gcm, KeyInit, Nonce, aead::Aead};
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::DesignError;

/// A conversation's out-of-band key.
#[derive(Clone)]
pub struct SuperKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for SuperKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SuperKey(..)")
    }
}

impl SuperKey {
    /// A fresh key.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(&mut key[..]);
        Self(key)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&(*self.0).into())
    }

    fn nonce(number: u64) -> Nonce<aes_gcm::aead::consts::U12> {
        let mut nonce = [0u8; 12];
        nonce[4..].copy_from_slice(&number.to_be_bytes());
        Nonce::from(nonce)
    }

    /// Seals message `number` of the conversation (each number once).
    pub fn seal(&self, number: u64, plaintext: &[u8]) -> Result<Vec<u8>, DesignError> {
        self.cipher()
            .encrypt(&Self::nonce(number), plaintext)
            .map_err(|_| DesignError::InvalidParameter {
                field: "superencryption",
                expected: "a plaintext under 64 GiB",
            })
    }

    /// Opens message `number`.
    pub fn open(&self, number: u64, ciphertext: &[u8]) -> Result<Vec<u8>, DesignError> {
        self.cipher()
            .decrypt(&Self::nonce(number), ciphertext)
            .map_err(|_| DesignError::FieldDoesNotOpen)
    }
}
