//! Forward secrecy: a copy of a receiver's state, taken after it read some messages, opens none
//! of them, and opens exactly the messages it has not read yet; among the ones behind its
//! position, exactly those whose keys sit in the skipped-key cache.

use std::collections::HashSet;

use doormat::protocol::RatchetConfig;
use proptest::prelude::*;

use super::support::{established, key_id, rng, text};

/// Alice sends `first_chain` messages, Bob replies (Alice reads it and so takes a DH step), and
/// Alice sends `second_chain` more on her new chain. Bob reads the messages listed in
/// `delivered`, in that order. Then the state is stolen: `stolen = bob.clone()`.
///
/// Checked, for every message of both chains:
/// - delivered → the stolen state cannot open it (the keys are deleted);
/// - not delivered → the stolen state opens it (to the right plaintext): the key is either in
///   the skipped-key cache or still ahead on a chain;
/// - the cache holds exactly the undelivered messages that are *behind* Bob's position, i.e.
///   sent before some delivered message (on the same chain, or on an older chain that Bob
///   finished up to PN when the newer chain's message arrived).
fn stolen_receiver_state(seed: u64, first_chain: usize, second_chain: usize, delivered: &[usize]) {
    let mut rng = rng(seed);
    let mut pair = established(&mut rng, RatchetConfig::default());
    let mut sent = Vec::new();
    for i in 0..first_chain + second_chain {
        if i == first_chain {
            let reply = pair.bob.encrypt(&mut rng, b"reply").unwrap();
            assert_eq!(pair.alice.decrypt(&reply).unwrap(), b"reply");
        }
        sent.push(pair.alice.encrypt(&mut rng, &text(i)).unwrap());
    }
    for &i in delivered {
        assert_eq!(pair.bob.decrypt(&sent[i]).unwrap(), text(i));
    }

    let stolen = pair.bob.clone();
    let last_delivered = delivered.iter().max();
    let behind: HashSet<_> = (0..sent.len())
        .filter(|i| !delivered.contains(i) && last_delivered.is_some_and(|last| i < last))
        .map(|i| key_id(&sent[i]))
        .collect();
    let cached: HashSet<_> = stolen.skipped_key_ids().into_iter().collect();
    assert_eq!(cached, behind, "delivered {delivered:?}");
    assert_eq!(stolen.skipped_key_count(), behind.len(), "no duplicate ids");

    for (i, wire) in sent.iter().enumerate() {
        let result = stolen.clone().decrypt(wire);
        if delivered.contains(&i) {
            assert!(
                result.is_err(),
                "message {i} was read, yet the stolen state opens it"
            );
        } else {
            assert_eq!(result.unwrap(), text(i), "message {i} was not read yet");
        }
    }
}

/// Two chains of messages, and some of them delivered in some order.
fn deliveries() -> impl Strategy<Value = (usize, usize, Vec<usize>)> {
    (0usize..=8, 0usize..=8).prop_flat_map(|(first, second)| {
        let total = first + second;
        (
            Just(first),
            Just(second),
            Just((0..total).collect::<Vec<_>>())
                .prop_shuffle()
                .prop_flat_map(move |order| {
                    (0..=total).prop_map(move |count| order[..count].to_vec())
                }),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn stolen_receiver_state_opens_exactly_the_unread_messages(
        seed in any::<u64>(),
        (first, second, delivered) in deliveries(),
    ) {
        stolen_receiver_state(seed, first, second, &delivered);
    }
}

/// A fixed case with all the kinds at once: read in order, read out of order, skipped on the
/// current chain, skipped on the finished chain, ahead on the current chain.
#[test]
fn stolen_receiver_state_fixed_case() {
    // Chain one: 0..6, chain two: 6..12. Bob reads 0, 3, 5, 2, then 7, 9; 1, 4 (chain one) and
    // 6, 8 (chain two) are cached; 10, 11 are ahead.
    stolen_receiver_state(51, 6, 6, &[0, 3, 5, 2, 7, 9]);
}
