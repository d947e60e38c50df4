//! The adversary's counters record and merge exactly, pinned where a mutation pass found them
//! untested: shards and threads combine by these merges.

use doormat::adversary::{Counts, Exposed, Exposure, Lawful, Reference, UserSet};

fn exposed(sender: u32, sent_at: u64, readable_at: u64, compromise: usize) -> Exposed {
    Exposed {
        sender,
        recipient: sender + 1,
        sent_at,
        readable_at,
        compromise,
        compromised_at: 3_600,
        after_detection: sent_at >= 7_200,
    }
}

fn counts(values: &[u64]) -> Counts {
    let mut counts = Counts::default();
    for &v in values {
        counts.add(v);
    }
    counts
}

/// A user set counts distinct users, across 64-bit words, and merges by union.
#[test]
fn a_user_set_counts_distinct_users_and_merges_by_union() {
    let mut a = UserSet::default();
    assert!(a.is_empty());
    for user in [3, 64, 130, 3, 63] {
        a.insert(user);
    }
    assert_eq!(a.len(), 4);
    assert!(!a.is_empty());
    assert_eq!(serde_json::to_value(&a).unwrap(), 4);
    let mut b = UserSet::default();
    b.insert(3);
    b.insert(300);
    let mut short = UserSet::default();
    short.insert(5);
    b += &a;
    b += &short;
    assert_eq!(b.len(), 6);
    let mut only = UserSet::default();
    only.insert(1);
    assert_eq!(only.len(), 1);
}

/// Recording exposed messages: counts, what was retroactive (sent strictly before its
/// compromise) or after the detection, users, the send-time range, and the readable-time
/// curve binned at the first whole hour at or after each time.
#[test]
fn recording_exposed_messages_fills_every_counter() {
    let mut exposure = Exposure::default();
    exposure.record(&exposed(10, 3_600, 3_600, 1));
    exposure.record(&exposed(20, 1_000, 3_601, 0));
    exposure.record(&exposed(10, 9_000, 9_000, 1));
    assert_eq!(exposure.exposed, 3);
    assert_eq!(exposure.retroactive, 1);
    assert_eq!(exposure.after_detection, 1);
    assert_eq!(exposure.users.len(), 4);
    assert_eq!(exposure.first_sent, Some(1_000));
    assert_eq!(exposure.last_sent, Some(9_000));
    assert_eq!(exposure.readable_per_hour, [0, 1, 1, 1]);
    assert_eq!(exposure.by_compromise, [1, 2]);
}

/// Merging two shards' exposure gives what one shard recording everything gives.
#[test]
fn merged_exposure_equals_one_shard_recording_everything() {
    let messages = [
        exposed(10, 3_000, 3_600, 1),
        exposed(20, 8_000, 8_000, 0),
        exposed(30, 500, 3_600, 2),
        exposed(40, 7_500, 7_600, 1),
    ];
    let mut whole = Exposure::default();
    let (mut left, mut right) = (Exposure::default(), Exposure::default());
    for (k, message) in messages.iter().enumerate() {
        whole.record(message);
        if k < 2 { &mut left } else { &mut right }.record(message);
    }
    whole.conversations = 3;
    left.conversations = 1;
    right.conversations = 2;
    whole.sent_per_hour = vec![2, 4, 1];
    left.sent_per_hour = vec![1, 3];
    right.sent_per_hour = vec![1, 1, 1];
    let mut merged = left.clone();
    merged += &right;
    assert_eq!(merged, whole);
    let mut other_way = right;
    other_way += &left;
    assert_eq!(other_way, whole);
    let mut from_empty = Exposure::default();
    from_empty += &whole;
    assert_eq!(from_empty, whole);
    let mut into_empty = whole.clone();
    into_empty += &Exposure::default();
    assert_eq!(into_empty, whole);
}

/// Counts merge value by value; a reference's sessions are those healed plus those censored;
/// references and lawful counters merge field by field.
#[test]
fn counts_references_and_lawful_counters_merge_by_addition() {
    let mut a = counts(&[1, 5, 5]);
    a += &counts(&[5, 7]);
    assert_eq!(a, counts(&[1, 5, 5, 5, 7]));
    assert_eq!(a.total(), 5);
    let reference = |k: u64| Reference {
        exposed: k,
        retroactive: k + 1,
        healed_messages: counts(&[k, 2]),
        healed_seconds: counts(&[10 * k]),
        censored_messages: counts(&[k + 3]),
        censored_seconds: counts(&[10 * k, 99]),
    };
    assert_eq!(reference(1).sessions(), 3);
    let mut merged = reference(1);
    merged += &reference(2);
    assert_eq!(
        merged,
        Reference {
            exposed: 3,
            retroactive: 5,
            healed_messages: counts(&[1, 2, 2, 2]),
            healed_seconds: counts(&[10, 20]),
            censored_messages: counts(&[4, 5]),
            censored_seconds: counts(&[10, 99, 20, 99]),
        }
    );
    let lawful = |k: u64| Lawful {
        compliant_in_window: k,
        compliant_obtained: k + 1,
        evading_in_window: k + 2,
        evading_obtained: k + 3,
    };
    let mut sum = lawful(1);
    sum += &lawful(4);
    assert_eq!(
        sum,
        Lawful {
            compliant_in_window: 5,
            compliant_obtained: 7,
            evading_in_window: 9,
            evading_obtained: 11,
        }
    );
}
