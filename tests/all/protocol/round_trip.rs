//! Long random conversations: whatever the interleaving, every message decrypts to what was
//! sent, and once everything is delivered no skipped key is left behind.

use std::collections::VecDeque;

use doormat::protocol::{Account, DEFAULT_MAX_SKIP, RatchetConfig, Session};
use rand::RngExt;
use rand_chacha::ChaCha20Rng;
use rand_core::Rng;

use super::support::rng;

/// How the network delivers each direction's messages.
#[derive(Clone, Copy)]
enum Network {
    /// In order per direction; the two directions interleave arbitrarily.
    Fifo,
    /// Any pending message of a direction may be delivered next.
    Shuffled,
}

/// A plaintext of random length in `0..2000` with random content.
fn random_plaintext(rng: &mut ChaCha20Rng) -> Vec<u8> {
    let mut plaintext = vec![0u8; rng.random_range(0..2000)];
    rng.fill_bytes(&mut plaintext);
    plaintext
}

/// Picks the next message of `queue` to deliver.
fn take(
    queue: &mut VecDeque<(Vec<u8>, Vec<u8>)>,
    network: Network,
    rng: &mut ChaCha20Rng,
) -> (Vec<u8>, Vec<u8>) {
    let position = match network {
        Network::Fifo => 0,
        Network::Shuffled => rng.random_range(0..queue.len()),
    };
    queue.remove(position).unwrap()
}

/// Runs a conversation of `messages` messages from a fresh X3DH start. Each step: Alice sends,
/// Bob sends (once he has accepted), or a pending message is delivered to one side. Bob's
/// first delivery goes through `Account::accept`, and with [`Network::Shuffled`] it may be any
/// of Alice's initial messages. Returns how many messages each side decrypted.
fn conversation(seed: u64, messages: usize, network: Network) -> (usize, usize) {
    let mut rng = rng(seed);
    let config = RatchetConfig {
        max_skip: DEFAULT_MAX_SKIP,
        max_skipped_keys: messages,
    };
    let alice_account = Account::with_config(&mut rng, config);
    let mut bob_account = Account::with_config(&mut rng, config);
    bob_account.generate_one_time_prekeys(&mut rng, 1);
    let bundle = bob_account.prekey_bundle();
    let mut alice = alice_account.initiate(&mut rng, &bundle).unwrap();
    let mut bob: Option<Session> = None;
    // (wire, plaintext) in flight, per direction.
    let mut to_bob: VecDeque<(Vec<u8>, Vec<u8>)> = VecDeque::new();
    let mut to_alice: VecDeque<(Vec<u8>, Vec<u8>)> = VecDeque::new();
    let (mut sent, mut received_by_alice, mut received_by_bob) = (0, 0, 0);

    while sent < messages || !to_bob.is_empty() || !to_alice.is_empty() {
        let can_send = sent < messages;
        match rng.random_range(0..4) {
            0 if can_send => {
                let plaintext = random_plaintext(&mut rng);
                to_bob.push_back((alice.encrypt(&mut rng, &plaintext).unwrap(), plaintext));
                sent += 1;
            }
            1 if can_send && bob.is_some() => {
                let plaintext = random_plaintext(&mut rng);
                let session = bob.as_mut().unwrap();
                to_alice.push_back((session.encrypt(&mut rng, &plaintext).unwrap(), plaintext));
                sent += 1;
            }
            2 if !to_bob.is_empty() => {
                let (wire, plaintext) = take(&mut to_bob, network, &mut rng);
                let decrypted = match bob.as_mut() {
                    Some(session) => session.decrypt(&wire).unwrap(),
                    None => {
                        let (session, first) = bob_account.accept(&wire).unwrap();
                        bob = Some(session);
                        first
                    }
                };
                assert_eq!(decrypted, plaintext, "Bob's message {received_by_bob}");
                received_by_bob += 1;
            }
            3 if !to_alice.is_empty() => {
                let (wire, plaintext) = take(&mut to_alice, network, &mut rng);
                assert_eq!(
                    alice.decrypt(&wire).unwrap(),
                    plaintext,
                    "Alice's message {received_by_alice}"
                );
                received_by_alice += 1;
            }
            _ => {}
        }
    }
    let bob = bob.unwrap();
    // Every skipped key belongs to a message that has now arrived, and was used up by it.
    assert_eq!(alice.skipped_key_count(), 0);
    assert_eq!(bob.skipped_key_count(), 0);
    assert!(!alice.is_awaiting_reply());
    (received_by_alice, received_by_bob)
}

#[test]
fn long_conversation_in_order_per_direction() {
    for seed in 0..2 {
        let (alice, bob) = conversation(seed, 500, Network::Fifo);
        assert_eq!(alice + bob, 500);
        assert!(
            alice > 100 && bob > 100,
            "both directions used: {alice} / {bob}"
        );
    }
}

#[test]
fn long_conversation_with_shuffled_delivery() {
    for seed in 10..12 {
        let (alice, bob) = conversation(seed, 500, Network::Shuffled);
        assert_eq!(alice + bob, 500);
        assert!(
            alice > 100 && bob > 100,
            "both directions used: {alice} / {bob}"
        );
    }
}

/// Strict alternation: a DH ratchet step on every single message, each way.
#[test]
fn ping_pong_takes_a_step_every_message() {
    let mut rng = rng(21);
    let mut pair = super::support::handshake(&mut rng, RatchetConfig::default());
    let mut last_keys = (*pair.alice.ratchet_key(), *pair.bob.ratchet_key());
    for i in 0..100usize {
        let plaintext = random_plaintext(&mut rng);
        let wire = pair.bob.encrypt(&mut rng, &plaintext).unwrap();
        assert_eq!(pair.alice.decrypt(&wire).unwrap(), plaintext);
        let wire = pair.alice.encrypt(&mut rng, &i.to_be_bytes()).unwrap();
        assert_eq!(pair.bob.decrypt(&wire).unwrap(), i.to_be_bytes());
        let keys = (*pair.alice.ratchet_key(), *pair.bob.ratchet_key());
        assert!(
            keys.0 != last_keys.0 && keys.1 != last_keys.1,
            "round {i}: no DH step"
        );
        last_keys = keys;
    }
}
