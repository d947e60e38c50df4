//! The weak-check mode, after the Clipper chip's Law Enforcement Access Field (FIPS 185).
//!
//! The LEAF carried a 16-bit checksum that the receiving chip checked with a key every chip held
//! (the family key) but no user could read. Here every compliant client holds a family key and
//! checks only `HMAC-SHA256(family key, material ‖ field)[..2]`, not the field itself. Blaze
//! (1994, "Protocol Failure in the Escrowed Encryption Standard") showed that a rogue sender can
//! then send garbage: it tries random fields against a compliant device until one passes, which
//! takes 2^16 tries on average. [`forge`] is that rogue sender, and counts its tries.

use hmac::{Hmac, KeyInit, Mac};
use rand_core::CryptoRng;
use sha2::Sha256;

/// The 16-bit checksum a compliant client computes and checks.
pub(crate) fn checksum(family_key: &[u8; 32], material: &[u8], body: &[u8]) -> [u8; 2] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&pad(family_key).into());
    mac.update(material);
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    [tag[0], tag[1]]
}

fn pad(key: &[u8; 32]) -> [u8; 64] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    block
}

/// A rogue sender without the family key: draws random fields of `len` bytes, each ending in a
/// random checksum, until `accepted` (a compliant device used as an oracle) takes one. Returns the
/// forged field and the number of tries, or `None` after `max_tries`.
pub fn forge<R: CryptoRng + ?Sized>(
    rng: &mut R,
    template: &[u8],
    max_tries: u64,
    mut accepted: impl FnMut(&[u8]) -> bool,
) -> Option<(Vec<u8>, u64)> {
    let mut candidate = template.to_vec();
    let keep = 1.min(candidate.len());
    for tries in 1..=max_tries {
        // The granularity byte stays valid; everything after it, checksum included, is random.
        rng.fill_bytes(&mut candidate[keep..]);
        if accepted(&candidate) {
            return Some((candidate, tries));
        }
    }
    None
}
