//! Fixtures shared by the protocol tests: seeded RNGs, established sessions, header parsing.

use doormat::protocol::{Account, RatchetConfig, Session, message::WireMessage};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use x25519_dalek::PublicKey;

/// A deterministic RNG: every test is reproducible from its seed.
pub(crate) fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// The two ends of a session.
pub(crate) struct Pair {
    /// Alice's session (the initiator).
    pub(crate) alice: Session,
    /// Bob's session (the responder).
    pub(crate) bob: Session,
}

/// Alice initiates to Bob (with a one-time prekey) and sends one message; Bob accepts it.
/// Nothing else is exchanged: Alice is still awaiting a reply.
pub(crate) fn handshake(rng: &mut ChaCha20Rng, config: RatchetConfig) -> Pair {
    let alice_account = Account::with_config(rng, config);
    let mut bob_account = Account::with_config(rng, config);
    bob_account.generate_one_time_prekeys(rng, 2);
    let bundle = bob_account.prekey_bundle();
    let mut alice = alice_account.initiate(rng, &bundle).unwrap();
    let first = alice.encrypt(rng, b"hello bob").unwrap();
    let (bob, plaintext) = bob_account.accept(&first).unwrap();
    assert_eq!(plaintext, b"hello bob");
    Pair { alice, bob }
}

/// A session past the handshake: Alice → Bob, Bob → Alice, Alice → Bob, so each side has taken
/// a DH ratchet step and both have a current receiving chain.
pub(crate) fn established(rng: &mut ChaCha20Rng, config: RatchetConfig) -> Pair {
    let mut pair = handshake(rng, config);
    let reply = pair.bob.encrypt(rng, b"hello alice").unwrap();
    assert_eq!(pair.alice.decrypt(&reply).unwrap(), b"hello alice");
    let again = pair.alice.encrypt(rng, b"how are you").unwrap();
    assert_eq!(pair.bob.decrypt(&again).unwrap(), b"how are you");
    assert!(!pair.alice.is_awaiting_reply());
    pair
}

/// The (ratchet key, index) a wire message names, which is how skipped keys are identified.
pub(crate) fn key_id(bytes: &[u8]) -> (PublicKey, u32) {
    let wire = WireMessage::try_from(bytes).unwrap();
    let header = wire.message().header;
    (header.ratchet_key, header.index)
}

/// A distinct, recognisable plaintext for message `i`.
pub(crate) fn text(i: usize) -> Vec<u8> {
    format!("message number {i}").into_bytes()
}

/// Asserts that two sessions are in the same state as far as the public API can tell: the
/// same `Debug` output, skipped key ids and ratchet key, and (the strong part) the same wire
/// bytes when both encrypt with identically seeded RNGs, which depends on the root key, the
/// sending chain and the peer's ratchet key. Receiving chains are compared by the callers,
/// which decrypt the same messages with both.
pub(crate) fn assert_same_state(a: &Session, b: &Session) {
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_eq!(a.skipped_key_ids(), b.skipped_key_ids());
    assert_eq!(a.ratchet_key(), b.ratchet_key());
    assert_eq!(a.is_awaiting_reply(), b.is_awaiting_reply());
    let probe = |s: &Session| s.clone().encrypt(&mut rng(0x0bad_5eed), b"probe").unwrap();
    assert_eq!(probe(a), probe(b));
}
