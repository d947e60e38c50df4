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
    let (epoch, before) = (sent_between(&summary, 0, 6, 8), sent_between(&summary, 0, 0, 6));
    assert!(epoch > 0 && before > 0);
    let exposure = summary.designs[0].exposure.as_ref().unwrap();
    assert_eq!(exposure.by_compromise, vec![epoch, before]);
    assert_eq!(exposure.exposed, epoch + before);
}
