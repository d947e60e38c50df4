//! Independent random streams, derived from the scenario seed.
//!
//! Each stream is a ChaCha20 RNG keyed by SHA-256(label ‖ seed ‖ id), so a conversation's
//! traffic, its cryptography and the population graph never share randomness, and any
//! conversation can be simulated alone, on any thread, with the same result.

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sha2::{Digest, Sha256};

/// What a stream is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// A user's degree and contacts.
    Population,
    /// A conversation's messages, times and delivery.
    Traffic,
    /// A conversation's key generation.
    Crypto,
    /// A user's identity keys, the same in all of the user's conversations.
    Identity,
    /// Run-wide authority keys.
    Authority,
    /// Run-wide plan decisions (targets, compromises).
    Plan,
    /// Ghost devices' keys and when targets notice them.
    Ghost,
}

impl Stream {
    fn label(self) -> &'static [u8] {
        match self {
            Stream::Population => b"doormat population",
            Stream::Traffic => b"doormat traffic",
            Stream::Crypto => b"doormat crypto",
            Stream::Identity => b"doormat identity",
            Stream::Authority => b"doormat authority",
            Stream::Plan => b"doormat plan",
            Stream::Ghost => b"doormat ghost",
        }
    }
}

/// The RNG of `stream` for item `id` under `seed`.
pub fn rng(seed: u64, stream: Stream, id: u64) -> ChaCha20Rng {
    let digest = Sha256::new()
        .chain_update(stream.label())
        .chain_update(seed.to_be_bytes())
        .chain_update(id.to_be_bytes())
        .finalize();
    let mut key = [0u8; 32];
    key.copy_from_slice(&digest);
    ChaCha20Rng::from_seed(key)
}
