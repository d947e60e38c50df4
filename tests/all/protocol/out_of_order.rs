//! Out-of-order delivery: any order within MAX_SKIP works, a gap beyond it is refused without a
//! trace, and the skipped-key cache evicts its oldest keys first.

use doormat::protocol::{RatchetConfig, SessionError};
use proptest::prelude::*;

use super::support::{assert_same_state, established, key_id, rng, text};

/// The tightest limits under which every burst of up to 20 messages must still open in any
/// order: the last message delivered first skips at most 19 keys, on one chain or split over
/// two (finished old chain + new chain), and leaves at most 19 keys in the cache.
const BURST_MAX: usize = 20;
const TIGHT: RatchetConfig = RatchetConfig {
    max_skip: BURST_MAX as u32 - 1,
    max_skipped_keys: BURST_MAX - 1,
};

/// A burst of `total` messages from Alice; the first `split` go out on her current chain, then
/// Bob's reply arrives (so Alice takes a DH step) and the rest go out on her new chain with
/// PN = the old chain's length. Bob receives the burst in `order` (a permutation of
/// `0..total`) and must read every message.
fn burst_in_any_order(seed: u64, split: usize, order: &[usize]) {
    let mut rng = rng(seed);
    let mut pair = established(&mut rng, TIGHT);
    let mut burst = Vec::new();
    for i in 0..order.len() {
        if i == split {
            let reply = pair.bob.encrypt(&mut rng, b"reply").unwrap();
            assert_eq!(pair.alice.decrypt(&reply).unwrap(), b"reply");
        }
        burst.push(pair.alice.encrypt(&mut rng, &text(i)).unwrap());
    }
    if split == order.len() {
        // The reply still happens, after the burst: it must not disturb the burst's delivery.
        let reply = pair.bob.encrypt(&mut rng, b"reply").unwrap();
        assert_eq!(pair.alice.decrypt(&reply).unwrap(), b"reply");
    }
    for &i in order {
        assert_eq!(
            pair.bob.decrypt(&burst[i]).unwrap(),
            text(i),
            "message {i} of order {order:?}, split {split}"
        );
    }
    assert_eq!(pair.bob.skipped_key_count(), 0);
    // Still in step afterwards, both ways.
    let after = pair.alice.encrypt(&mut rng, b"after").unwrap();
    assert_eq!(pair.bob.decrypt(&after).unwrap(), b"after");
    let back = pair.bob.encrypt(&mut rng, b"back").unwrap();
    assert_eq!(pair.alice.decrypt(&back).unwrap(), b"back");
}

/// A burst size, where it is split by Alice's DH step, and a delivery order.
fn burst() -> impl Strategy<Value = (usize, Vec<usize>)> {
    (1..=BURST_MAX).prop_flat_map(|total| {
        (
            0..=total,
            Just((0..total).collect::<Vec<_>>()).prop_shuffle(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_permutation_of_a_burst_decrypts(seed in any::<u64>(), (split, order) in burst()) {
        burst_in_any_order(seed, split, &order);
    }
}

/// The extreme orders, deterministically: reversed bursts of the maximum size, unsplit and
/// split in the middle.
#[test]
fn reversed_maximal_bursts_decrypt() {
    let reversed: Vec<usize> = (0..BURST_MAX).rev().collect();
    for split in [0, 1, BURST_MAX / 2, BURST_MAX - 1, BURST_MAX] {
        burst_in_any_order(split as u64, split, &reversed);
    }
}

/// `max_skip = 5`: refusing a message must leave the session exactly as it was.
const MAX_SKIP_5: RatchetConfig = RatchetConfig {
    max_skip: 5,
    max_skipped_keys: 100,
};

/// Refuses `far` with `expected`, then checks that nothing changed: the session equals a
/// clone taken before (see [`assert_same_state`]), and both then read `in_order` identically.
fn assert_refused_without_trace(
    session: &mut doormat::protocol::Session,
    far: &[u8],
    expected: SessionError,
    in_order: &[(Vec<u8>, Vec<u8>)],
) {
    let before = session.clone();
    assert_eq!(session.decrypt(far), Err(expected));
    assert_same_state(&before, session);
    let mut before = before;
    for (wire, plaintext) in in_order {
        assert_eq!(session.decrypt(wire).unwrap(), *plaintext);
        assert_eq!(before.decrypt(wire).unwrap(), *plaintext);
    }
    assert_same_state(&before, session);
}

/// Gap on the current receiving chain: Bob expects index 1, message 7 would skip 6 > 5 keys.
/// Skipping exactly 5 is allowed.
#[test]
fn gap_beyond_max_skip_on_the_current_chain_is_refused_without_trace() {
    let mut rng = rng(31);
    let mut pair = established(&mut rng, MAX_SKIP_5);
    let messages: Vec<(Vec<u8>, Vec<u8>)> = (1..=7)
        .map(|i| (pair.alice.encrypt(&mut rng, &text(i)).unwrap(), text(i)))
        .collect();
    let far = &messages[6].0;
    assert_eq!(key_id(far).1, 7);
    assert_refused_without_trace(
        &mut pair.bob,
        far,
        SessionError::TooFarAhead {
            skip: 6,
            max_skip: 5,
        },
        &[],
    );
    // Exactly max_skip: message 6 skips 1..=5.
    assert_eq!(pair.bob.decrypt(&messages[5].0).unwrap(), text(6));
    assert_eq!(pair.bob.skipped_key_count(), 5);
    for (wire, plaintext) in &messages[..5] {
        assert_eq!(pair.bob.decrypt(wire).unwrap(), *plaintext);
    }
    assert_eq!(pair.bob.decrypt(far).unwrap(), text(7));
    assert_eq!(pair.bob.skipped_key_count(), 0);
}

/// Same on the in-order path: refused, then messages 1..=7 in order all open, and the far one
/// (now in order) too, on the session and on a clone taken before the refusal.
#[test]
fn refused_gap_leaves_in_order_delivery_intact() {
    let mut rng = rng(32);
    let mut pair = established(&mut rng, MAX_SKIP_5);
    let messages: Vec<(Vec<u8>, Vec<u8>)> = (1..=7)
        .map(|i| (pair.alice.encrypt(&mut rng, &text(i)).unwrap(), text(i)))
        .collect();
    assert_refused_without_trace(
        &mut pair.bob,
        &messages[6].0,
        SessionError::TooFarAhead {
            skip: 6,
            max_skip: 5,
        },
        &messages,
    );
}

/// Gap on a *new* chain: the first message Bob sees from Alice's next ratchet key has index 6.
#[test]
fn gap_beyond_max_skip_on_a_new_chain_is_refused_without_trace() {
    let mut rng = rng(33);
    let mut pair = established(&mut rng, MAX_SKIP_5);
    let reply = pair.bob.encrypt(&mut rng, b"reply").unwrap();
    pair.alice.decrypt(&reply).unwrap();
    let messages: Vec<(Vec<u8>, Vec<u8>)> = (0..7)
        .map(|i| (pair.alice.encrypt(&mut rng, &text(i)).unwrap(), text(i)))
        .collect();
    assert_eq!(key_id(&messages[6].0).1, 6);
    assert_refused_without_trace(
        &mut pair.bob,
        &messages[6].0,
        SessionError::TooFarAhead {
            skip: 6,
            max_skip: 5,
        },
        &messages,
    );
}

/// Gap on the *old* chain: Alice sent 6 more messages on her previous chain (Bob saw none), so
/// her first message on the new chain has PN = 7 while Bob expects index 1 there: finishing
/// the old chain would skip 6 > 5 keys.
#[test]
fn gap_beyond_max_skip_in_previous_chain_length_is_refused_without_trace() {
    let mut rng = rng(34);
    let mut pair = established(&mut rng, MAX_SKIP_5);
    let mut messages: Vec<(Vec<u8>, Vec<u8>)> = (1..=6)
        .map(|i| (pair.alice.encrypt(&mut rng, &text(i)).unwrap(), text(i)))
        .collect();
    let reply = pair.bob.encrypt(&mut rng, b"reply").unwrap();
    pair.alice.decrypt(&reply).unwrap();
    let next_chain = pair.alice.encrypt(&mut rng, b"new chain").unwrap();
    assert_eq!(key_id(&next_chain).1, 0);
    let far = next_chain.clone();
    messages.push((next_chain, b"new chain".to_vec()));
    assert_refused_without_trace(
        &mut pair.bob,
        &far,
        SessionError::TooFarAhead {
            skip: 6,
            max_skip: 5,
        },
        &messages,
    );
}

/// `max_skipped_keys = 3`: message 6 skips 1..=5, the cache keeps the newest three (3, 4, 5);
/// 1 and 2 are evicted and can no longer be read, 3, 4 and 5 can.
#[test]
fn skipped_key_cache_evicts_the_oldest() {
    let mut rng = rng(35);
    let config = RatchetConfig {
        max_skip: 100,
        max_skipped_keys: 3,
    };
    let mut pair = established(&mut rng, config);
    let messages: Vec<Vec<u8>> = (1..=6)
        .map(|i| pair.alice.encrypt(&mut rng, &text(i)).unwrap())
        .collect();
    assert_eq!(pair.bob.decrypt(&messages[5]).unwrap(), text(6));
    let expected_ids: Vec<_> = messages[2..5].iter().map(|m| key_id(m)).collect();
    assert_eq!(pair.bob.skipped_key_ids(), expected_ids);
    for (i, wire) in messages.iter().enumerate().take(2) {
        let result = pair.bob.decrypt(wire);
        assert!(
            matches!(
                result,
                Err(SessionError::DuplicateOrExpired { .. } | SessionError::Authentication)
            ),
            "evicted message {} gave {result:?}",
            i + 1
        );
    }
    for (i, wire) in messages.iter().enumerate().skip(2).take(3) {
        assert_eq!(pair.bob.decrypt(wire).unwrap(), text(i + 1));
    }
    assert_eq!(pair.bob.skipped_key_count(), 0);
}
