//! Lawful access: the authority reads its compliant targets' messages through the design's
//! path and none of the evaders'; under plain it needs an implant per target.

use serde_json::json;

use super::{scenario, summarise};

fn designs() -> serde_json::Value {
    json!([
        { "kind": "plain" },
        { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" },
        { "kind": "escrow", "scope": { "kind": "epoch", "length_hours": 2, "retention_hours": 24 }, "granularity": "message" },
        { "kind": "ghost", "notice_probability_per_day": 0.0 }
    ])
}

/// Without evasion, every design's own path reads every target message in its windows.
#[test]
fn without_evasion_the_yield_is_complete() {
    let s = scenario(
        60,
        designs(),
        serde_json::Value::Null,
        json!({ "targets": 10, "evasion": 0.0 }),
    );
    let summary = summarise(&s);
    for design in &summary.designs {
        let lawful = design.lawful.as_ref().unwrap();
        assert!(lawful.messages_in_windows > 0);
        assert_eq!(lawful.r#yield, 1.0, "{}", design.label);
    }
}

/// Evaders superencrypt: the escrow and ghost paths read none of their messages (nor their
/// contacts' messages to them), so the yield falls to about the compliant share.
#[test]
fn yield_is_one_minus_evasion_on_escrow() {
    let s = scenario(
        80,
        json!([
            { "kind": "plain" },
            { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" },
            { "kind": "escrow", "scope": { "kind": "epoch", "length_hours": 2, "retention_hours": 24 }, "granularity": "message" },
            { "kind": "ghost", "notice_probability_per_day": 0.0 }
        ]),
        serde_json::Value::Null,
        json!({ "targets": 40, "evasion": 0.25 }),
    );
    let summary = summarise(&s);
    let plain = summary.designs[0].lawful.as_ref().unwrap();
    assert_eq!(plain.targets, 40);
    assert_eq!(plain.device_compromises, 40);
    assert_eq!(
        plain.r#yield, 1.0,
        "an implant reads everything, evaders included"
    );
    for design in &summary.designs[1..] {
        let lawful = design.lawful.as_ref().unwrap();
        assert_eq!(lawful.device_compromises, 0);
        assert_eq!(lawful.yield_evading, Some(0.0), "{}", design.label);
        // Compliant targets lose only what they exchange with evaders.
        assert!(lawful.yield_compliant.unwrap() > 0.8, "{}", design.label);
        assert!(lawful.evading_targets > 0);
        // Per-message yield tracks the share of targets who comply.
        let compliant = 1.0 - lawful.evading_targets as f64 / lawful.targets as f64;
        assert!(
            (lawful.r#yield - compliant).abs() < 0.2,
            "{} {}",
            design.label,
            lawful.r#yield
        );
        assert_eq!(lawful.messages_in_windows, plain.messages_in_windows);
    }
    assert!(summary.designs.iter().all(|d| d.counts.failed == 0));
}

/// When every user is a target, every message is between two targets: it still counts once in
/// the yield's denominator and numerator.
#[test]
fn a_message_between_two_targets_counts_once() {
    let s = scenario(
        12,
        designs(),
        serde_json::Value::Null,
        json!({ "targets": 12, "evasion": 0.0 }),
    );
    let summary = summarise(&s);
    for design in &summary.designs {
        let lawful = design.lawful.as_ref().unwrap();
        assert_eq!(lawful.targets, 12);
        assert!(design.counts.sent > 0);
        assert_eq!(
            lawful.messages_in_windows, design.counts.sent,
            "{}",
            design.label
        );
        assert_eq!(
            lawful.messages_obtained, design.counts.sent,
            "{}",
            design.label
        );
    }
}
