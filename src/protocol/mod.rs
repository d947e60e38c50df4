//! Signal's X3DH handshake and Double Ratchet, on x25519-dalek, Ed25519, HKDF/HMAC-SHA256 and
//! AES-256-GCM.
//!
//! - Specs: <https://signal.org/docs/specifications/x3dh/> and
//!   <https://signal.org/docs/specifications/doubleratchet/> (rev 1).
//! - [`Account`] holds a device's identity and prekeys; [`Account::initiate`] and
//!   [`Account::accept`] start a [`Session`], which then encrypts and decrypts.
//! - Every random value comes from the caller's [`rand_core::CryptoRng`]: a seeded ChaCha RNG
//!   reproduces a session bit for bit.
//! - Secrets are zeroized on drop and never appear in `Debug` output.

mod account;
pub mod aead;
mod error;
mod kdf;
mod keys;
pub mod message;
mod ratchet;
mod trace;
pub mod x3dh;

pub(crate) use self::kdf::hkdf_sha256;
pub use self::{
    account::{Accepted, Account, SIGNED_PREKEYS_KEPT},
    error::{DecodeError, SessionError},
    kdf::MessageKey,
    keys::{IdentityKey, IdentityKeyPair, PreKeyBundle},
    ratchet::{Decrypted, Session},
    trace::{ChainStart, KeyTrace, chain_key_after, message_key_at, open_with_key},
};

/// Default MAX_SKIP: how many message keys one message may skip on one chain. libsignal's
/// `MAX_FORWARD_JUMPS`; a bound on the work (HMACs) one forged header can force.
pub const DEFAULT_MAX_SKIP: u32 = 25_000;
/// Default cap on stored skipped keys per session: libsignal's `MAX_MESSAGE_KEYS`, in line with
/// the spec's suggestion (§6.4) of about a thousand. The oldest key is evicted beyond it.
pub const DEFAULT_MAX_SKIPPED_KEYS: usize = 2_000;
/// Largest plaintext a session encrypts: 16 MiB, far below AES-GCM's 64 GiB limit.
pub const MAX_PLAINTEXT_LEN: usize = 1 << 24;

/// Limits a session enforces on what a peer may make it do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatchetConfig {
    /// MAX_SKIP: a message that skips more keys than this on one chain is refused, and the
    /// session is left unchanged.
    pub max_skip: u32,
    /// Cap on skipped message keys kept for late messages; the oldest is evicted beyond it.
    pub max_skipped_keys: usize,
}

impl Default for RatchetConfig {
    fn default() -> Self {
        Self {
            max_skip: DEFAULT_MAX_SKIP,
            max_skipped_keys: DEFAULT_MAX_SKIPPED_KEYS,
        }
    }
}
