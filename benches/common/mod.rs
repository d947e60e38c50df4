//! Helpers shared by the `ratchet` and `peers` benches: a seeded RNG and doormat session pairs
//! that have already talked, so steady-state benches start from realistic state.

use doormat::protocol::{Account, Session};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// Plaintext length of the burst and ping-pong workloads: a short chat message.
pub(crate) const MESSAGE_LEN: usize = 100;

/// Rounds of ping-pong (a DH ratchet step in each direction) before a bench starts.
const WARM_UP_ROUNDS: usize = 8;
/// Messages Alice sends on her current chain, after the ping-pong rounds, before a bench starts.
const WARM_UP_BURST: usize = 4;

/// A deterministic RNG, so every run benchmarks the same keys.
pub(crate) fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// Alice's and Bob's sessions after X3DH and a warm-up conversation: a few ping-pong rounds,
/// then a short burst from Alice that Bob has read. Alice therefore has a live sending chain and
/// Bob the matching receiving chain: the next Alice → Bob message takes no DH step.
pub(crate) fn burst_ready(rng: &mut ChaCha20Rng) -> (Session, Session) {
    let alice_account = Account::new(rng);
    let mut bob_account = Account::new(rng);
    bob_account.generate_one_time_prekeys(rng, 1);
    let bundle = bob_account.prekey_bundle();
    let mut alice = alice_account
        .initiate(rng, &bundle)
        .expect("a fresh bundle verifies");
    let first = alice
        .encrypt(rng, b"hello bob")
        .expect("a short plaintext encrypts");
    let (mut bob, _) = bob_account
        .accept(&first)
        .expect("the initial message opens");
    let payload = [0x5au8; MESSAGE_LEN];
    for _ in 0..WARM_UP_ROUNDS {
        send(rng, &mut bob, &mut alice, &payload);
        send(rng, &mut alice, &mut bob, &payload);
    }
    for _ in 0..WARM_UP_BURST {
        send(rng, &mut alice, &mut bob, &payload);
    }
    (alice, bob)
}

/// Alice's and Bob's sessions in the ping-pong position: Bob's last message has just reached
/// Alice, so Alice's next send takes a DH ratchet step, and so does Bob's decryption of it.
pub(crate) fn ping_pong_ready(rng: &mut ChaCha20Rng) -> (Session, Session) {
    let (mut alice, mut bob) = burst_ready(rng);
    send(rng, &mut bob, &mut alice, &[0x5au8; MESSAGE_LEN]);
    (alice, bob)
}

/// One message from `from` to `to`, checked end to end.
fn send(rng: &mut ChaCha20Rng, from: &mut Session, to: &mut Session, plaintext: &[u8]) {
    let message = from.encrypt(rng, plaintext).expect("encryption succeeds");
    let opened = to.decrypt(&message).expect("an in-order message opens");
    assert_eq!(opened, plaintext, "the round trip preserves the plaintext");
}
