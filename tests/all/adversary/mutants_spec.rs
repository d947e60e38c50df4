//! The adversary and lawful-access blocks as written: defaults, times and counts, pinned where a
//! mutation pass found them untested.

use doormat::{
    adversary::{AdversarySpec, LawfulSpec},
    model::HOUR,
};
use serde_json::{Value, json};

use super::{scenario, sent_between, summarise};

/// The documented defaults: 20 reference victims; warrants half by prefects, 120 days long,
/// all issued at the start, a fifth of targets evading.
#[test]
fn omitted_fields_take_their_documented_defaults() {
    let adversary: AdversarySpec = serde_json::from_value(json!({ "compromises": [] })).unwrap();
    assert_eq!(adversary.reference_victims, 20);
    assert_eq!(adversary.archive_retention_days, None);
    let lawful: LawfulSpec = serde_json::from_value(json!({})).unwrap();
    assert_eq!(lawful.prefect_share, 0.5);
    assert_eq!(lawful.window_days, 120.0);
    assert_eq!(lawful.issuance_fraction, 0.0);
    assert_eq!(lawful.evasion, 0.2);
}

/// Without a target count, CNCTR's 24,209 people under surveillance out of 68 million scale
/// to the population, rounded, at least one, at most everyone.
#[test]
fn the_default_target_count_scales_the_cnctr_figure() {
    let lawful: LawfulSpec = serde_json::from_value(json!({})).unwrap();
    assert_eq!(lawful.target_count(68_000_000), 24_209);
    assert_eq!(lawful.target_count(10_000), 4);
    assert_eq!(lawful.target_count(100), 1);
    let named: LawfulSpec = serde_json::from_value(json!({ "targets": 50 })).unwrap();
    assert_eq!(named.target_count(30), 30);
    assert_eq!(named.target_count(300), 50);
}

/// The reference devices are copied at the earliest compromise, whatever the listed order.
#[test]
fn the_first_compromise_is_the_earliest() {
    let spec: AdversarySpec = serde_json::from_value(json!({ "compromises": [
        { "at_hours": 5, "secret": { "kind": "escrow_key_store" } },
        { "at_hours": 2.5, "secret": { "kind": "backup_key" } }] }))
    .unwrap();
    assert_eq!(spec.first_compromise(), 2 * HOUR + HOUR / 2);
    assert_eq!(spec.detected_at(), None);
}

/// An archive kept 3 hours gives a key stolen at 9 h the messages sent from 6 h on, those of
/// 6 to 9 h retroactively.
#[test]
fn a_three_hour_archive_reaches_back_three_hours() {
    let s = scenario(
        40,
        json!([{ "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" }]),
        json!({ "compromises": [{ "secret": { "kind": "escrow_key_store" }, "at_hours": 9 }],
                "archive_retention_days": 0.125, "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let exposure = summary.designs[0].exposure.as_ref().unwrap();
    assert_eq!(exposure.exposed, sent_between(&summary, 0, 6, 12));
    assert_eq!(exposure.retroactive, sent_between(&summary, 0, 6, 9));
    assert!(exposure.retroactive > 0);
}
