//! Exposure against answers computed from the traffic alone.

use serde_json::{Value, json};

use super::{scenario, sent_between, summarise};

fn compromise(kind: Value, at_hours: f64) -> Value {
    json!({ "secret": kind, "at_hours": at_hours })
}

/// A global key stolen at any time, with the whole archive kept, exposes every message.
#[test]
fn a_stolen_global_key_exposes_every_message() {
    for at in [0.0, 5.5, 12.0] {
        let s = scenario(
            40,
            json!([{ "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" },
                   { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" }]),
            json!({ "compromises": [compromise(json!({ "kind": "escrow_key_store" }), at)],
                    "reference_victims": 0 }),
            Value::Null,
        );
        let summary = summarise(&s);
        for design in &summary.designs {
            let exposure = design.exposure.as_ref().unwrap();
            assert!(design.counts.sent > 100);
            assert_eq!(
                exposure.exposed, design.counts.sent,
                "{} at {at}",
                design.label
            );
            assert_eq!(exposure.fraction, 1.0);
            let before = sent_between(&summary, 0, 0, at as usize);
            assert!(exposure.retroactive >= before, "{}", design.label);
        }
    }
}

/// With no archive, a key stolen at 6 h exposes only what is sent from then on; detection at
/// 9 h rotates the key, and nothing sent after it is exposed.
#[test]
fn archive_retention_and_rotation_bound_the_exposure() {
    let s = scenario(
        40,
        json!([{ "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" }]),
        json!({ "compromises": [compromise(json!({ "kind": "escrow_key_store" }), 6.0)],
                "archive_retention_days": 0, "detected_at_hours": 9, "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let exposure = summary.designs[0].exposure.as_ref().unwrap();
    assert_eq!(exposure.retroactive, 0);
    assert_eq!(exposure.after_detection, 0);
    assert_eq!(exposure.exposed, sent_between(&summary, 0, 6, 9));
    assert!(exposure.exposed > 0);
    let window = exposure.window_hours.unwrap();
    assert!(window[0] >= 6.0 && window[1] < 9.0, "{window:?}");
}

/// One epoch key exposes exactly the messages sent in its epoch, at either granularity (chain
/// fields are re-sealed when a chain crosses into a new epoch).
#[test]
fn one_epoch_key_exposes_exactly_its_epoch() {
    let s = scenario(
        40,
        json!([
            { "kind": "escrow", "scope": { "kind": "epoch", "length_hours": 3, "retention_hours": 0 }, "granularity": "message" },
            { "kind": "escrow", "scope": { "kind": "epoch", "length_hours": 3, "retention_hours": 0 }, "granularity": "chain" }
        ]),
        json!({ "compromises": [compromise(json!({ "kind": "epoch_keys", "epochs": [2] }), 12.0)],
                "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&s);
    for (d, design) in summary.designs.iter().enumerate() {
        let expected = sent_between(&summary, d, 6, 9);
        assert!(expected > 0);
        let exposure = design.exposure.as_ref().unwrap();
        assert_eq!(exposure.exposed, expected, "{}", design.label);
        assert_eq!(exposure.retroactive, expected);
    }
}

/// k − 1 shares expose nothing; the k-th, stolen later, exposes everything the scope covers,
/// from the time it is stolen (retroactively too).
#[test]
fn shares_below_the_threshold_expose_nothing() {
    let split = json!([{ "kind": "escrow",
        "scope": { "kind": "split", "threshold": 3, "trustees": ["a", "b", "c", "d", "e"] },
        "granularity": "chain" }]);
    let share = |trustee: usize, at: f64| {
        compromise(json!({ "kind": "escrow_share", "trustee": trustee }), at)
    };
    let two = scenario(
        40,
        split.clone(),
        json!({ "compromises": [share(0, 1.0), share(4, 2.0)], "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&two);
    assert_eq!(summary.designs[0].exposure.as_ref().unwrap().exposed, 0);
    let three = scenario(
        40,
        split,
        json!({ "compromises": [share(0, 1.0), share(4, 2.0), share(2, 8.0)], "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&three);
    let design = &summary.designs[0];
    let exposure = design.exposure.as_ref().unwrap();
    assert_eq!(exposure.exposed, design.counts.sent);
    assert_eq!(exposure.by_compromise, vec![0, 0, design.counts.sent]);
    // Everything became readable at 8 h or later.
    assert!(
        exposure.readable_over_time[..8]
            .iter()
            .all(|p| p.fraction == 0.0)
    );
    assert_eq!(exposure.readable_over_time[8].fraction, 1.0);
}

/// A ghost added at 6 h reads nothing sent before 6 h, and stops at detection (9 h).
#[test]
fn a_ghost_reads_nothing_before_it_is_added() {
    let s = scenario(
        40,
        json!([{ "kind": "ghost", "notice_probability_per_day": 0.0 }, { "kind": "plain" }]),
        json!({ "compromises": [compromise(json!({ "kind": "ghost_power", "users": 10 }), 6.0)],
                "detected_at_hours": 9, "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let ghost = summary.designs[0].exposure.as_ref().unwrap();
    assert!(ghost.exposed > 0);
    assert_eq!(ghost.retroactive, 0);
    let window = ghost.window_hours.unwrap();
    assert!(window[0] >= 6.0 && window[1] < 9.0, "{window:?}");
    assert!(ghost.users_touched >= 10);
    // The ghost power is no secret under plain.
    assert_eq!(summary.designs[1].exposure.as_ref().unwrap().exposed, 0);
}

/// A plain device copy reads a little around the copy time and then heals; the reference
/// gives a finite gain ratio for a stolen escrow key.
#[test]
fn a_device_copy_heals_and_anchors_the_gain_ratio() {
    let s = scenario(
        60,
        json!([{ "kind": "plain" }, { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" }]),
        json!({ "compromises": [compromise(json!({ "kind": "escrow_key_store" }), 6.0)],
                "reference_victims": 30 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let adversary = summary.adversary.as_ref().unwrap();
    let per_device = adversary.reference_exposure_per_device.unwrap();
    assert!(per_device > 0.0);
    let plain = &summary.designs[0];
    let healing = plain.healing.as_ref().unwrap();
    assert!(healing.sessions > 0);
    let messages = healing.per_session_messages.as_ref().unwrap();
    // A stolen state reads at most the rest of an exchange before a round trip heals it.
    assert!(messages.median.unwrap() < 20.0, "{:?}", messages.median);
    let escrow = summary.designs[1].exposure.as_ref().unwrap();
    let ratio = escrow.gain_ratio.unwrap();
    assert!((ratio - escrow.exposed as f64 / per_device).abs() < 1e-6);
    assert!(ratio > 10.0, "{ratio}");
}

/// Re-keying on detection cuts a stolen device off: fresh X3DH sessions the copy never saw.
/// Only a responder's old session can still carry a message or two until the new initial
/// message reaches it.
#[test]
fn rekeying_on_detection_heals_stolen_devices() {
    let run = |rekey: bool| {
        let s = scenario(
            60,
            json!([{ "kind": "plain" },
                   { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "session" }]),
            json!({ "compromises": [compromise(json!({ "kind": "device", "users": 20 }), 3.0)],
                    "detected_at_hours": 4, "rekey_on_detection": rekey, "reference_victims": 0 }),
            Value::Null,
        );
        summarise(&s)
    };
    let (without, with) = (run(false), run(true));
    for (a, b) in without.designs.iter().zip(&with.designs) {
        assert_eq!(b.counts.failed, 0, "{}", b.label);
        assert_eq!(a.counts.delivered, b.counts.delivered);
        assert!(
            b.counts.handshakes > a.counts.handshakes,
            "re-keying adds handshakes"
        );
        let (a, b) = (a.exposure.as_ref().unwrap(), b.exposure.as_ref().unwrap());
        assert!(a.after_detection > 0);
        assert!(
            b.after_detection * 10 < a.after_detection.max(10),
            "{} vs {}",
            b.after_detection,
            a.after_detection
        );
    }
}
