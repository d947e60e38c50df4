//! The measurement in `assess`, pinned where a mutation pass found it untested.

use serde_json::{Value, json};

use super::{scenario, sent_between, summarise};

/// A message readable through two thefts counts from the earliest time it became readable,
/// and, at a tie, from the first theft: epoch 3's key (hours 6 to 8) stolen at 6 h, then the
/// whole store at 7 h. Keeping the latest time (or the later theft at a tie) would move the
/// messages of hours 6 to 8 to the store theft.
#[test]
fn a_message_counts_from_the_earliest_theft_that_reads_it() {
    let s = scenario(
        40,
        json!([{ "kind": "escrow",
                 "scope": { "kind": "epoch", "length_hours": 2, "retention_hours": 24 },
                 "granularity": "message" }]),
        json!({ "compromises": [
                    { "secret": { "kind": "epoch_keys", "epochs": [3] }, "at_hours": 6 },
                    { "secret": { "kind": "escrow_key_store" }, "at_hours": 7 }],
                "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let (epoch, before) = (
        sent_between(&summary, 0, 6, 8),
        sent_between(&summary, 0, 0, 6),
    );
    assert!(epoch > 0 && before > 0);
    let exposure = summary.designs[0].exposure.as_ref().unwrap();
    assert_eq!(exposure.by_compromise, vec![epoch, before]);
    assert_eq!(exposure.exposed, epoch + before);
}

/// With no archive, a key stolen in the very second a message is sent reads that message (it
/// is caught live) and nothing sent before: exactly the messages sent from that second on.
#[test]
fn with_no_archive_a_theft_reads_from_its_own_second_on() {
    let theft = |at_hours: f64| {
        scenario(
            40,
            json!([{ "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" }]),
            json!({ "compromises": [{ "secret": { "kind": "escrow_key_store" }, "at_hours": at_hours }],
                    "archive_retention_days": 0, "reference_victims": 0 }),
            Value::Null,
        )
    };
    let scripts = super::scripts(&theft(6.0));
    let at = scripts
        .iter()
        .flatten()
        .map(|m| m.sent_at)
        .filter(|&t| t >= 6 * 3600)
        .min()
        .unwrap();
    let from_then: u64 = scripts
        .iter()
        .flatten()
        .map(|m| u64::from(m.sent_at >= at))
        .sum();
    let summary = summarise(&theft(at as f64 / 3600.0));
    let exposure = summary.designs[0].exposure.as_ref().unwrap();
    assert!(from_then > 0 && from_then < summary.designs[0].counts.sent);
    assert_eq!(exposure.exposed, from_then);
    assert_eq!(exposure.retroactive, 0);
}

/// A holder's reading counts a message only if it names a message of the conversation and
/// opens to that message's true plaintext: a true entry counts, a wrong plaintext and an index
/// past the conversation do not (the check every design's reader runs, backups included).
#[test]
fn a_reading_counts_only_with_the_true_plaintext_of_a_real_message() {
    use doormat::{
        design::capture::Wiretap,
        model::{Scripted, Side, plaintext},
    };
    let script = [
        Scripted {
            from: Side::A,
            sent_at: 10,
            delivered_at: 11,
            size: 24,
        },
        Scripted {
            from: Side::B,
            sent_at: 20,
            delivered_at: 21,
            size: 24,
        },
    ];
    let conversation = 5;
    let tap = Wiretap {
        conversation,
        users: [7, 8],
        script: &script,
        wire: &[Some(vec![1]), Some(vec![2])],
        delivered: &[true, true],
        associated_data: None,
    };
    assert!(tap.is_truth(0, &plaintext(conversation, 0, 24)));
    assert!(!tap.is_truth(1, &plaintext(conversation, 0, 24)));
    assert!(!tap.is_truth(2, &plaintext(conversation, 2, 24)));
}

/// A global key stolen at the start reads every conversation: each conversation that carried a
/// message counts once as touched, and the plain design, which leaks nothing, touches none.
#[test]
fn every_conversation_read_counts_once_as_touched() {
    let s = scenario(
        30,
        json!([{ "kind": "plain" },
               { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" }]),
        json!({ "compromises": [{ "secret": { "kind": "escrow_key_store" }, "at_hours": 0 }],
                "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let touched = |d: usize| {
        summary.designs[d]
            .exposure
            .as_ref()
            .unwrap()
            .conversations_touched
    };
    let conversations = summary.designs[1].counts.conversations;
    assert!(conversations > 5, "{conversations}");
    assert_eq!(touched(1), conversations);
    assert_eq!(touched(0), 0);
}
