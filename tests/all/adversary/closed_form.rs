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
                   { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" },
                   { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain",
                     "verification": "checksum16" }]),
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

/// One epoch key exposes exactly the messages sent in its epoch at message granularity. At
/// chain granularity (a chain's key is re-sealed when it crosses into a new epoch) it opens
/// each chain from its first message in the epoch to the chain's end, past the epoch too: the
/// holder keeps the chain keys it opened.
#[test]
fn one_epoch_key_exposes_its_epoch_and_the_chains_it_opened() {
    let s = scenario(
        40,
        json!([
            { "kind": "escrow", "scope": { "kind": "epoch", "length_hours": 3, "retention_hours": 24 }, "granularity": "message" },
            { "kind": "escrow", "scope": { "kind": "epoch", "length_hours": 3, "retention_hours": 24 }, "granularity": "chain" }
        ]),
        json!({ "compromises": [compromise(json!({ "kind": "epoch_keys", "epochs": [2] }), 12.0)],
                "reference_victims": 0 }),
        Value::Null,
    );
    let (from, until, theft) = (6 * 3600, 9 * 3600, 12 * 3600);
    let (mut in_epoch, mut in_chains, mut in_chains_before_theft) = (0, 0, 0);
    for script in super::scripts(&s) {
        let chains = super::chains(&script);
        let opened: std::collections::BTreeSet<(usize, u32)> = script
            .iter()
            .zip(&chains)
            .filter(|(m, _)| (from..until).contains(&m.sent_at))
            .map(|(_, c)| *c)
            .collect();
        for (message, chain) in script.iter().zip(&chains) {
            in_epoch += u64::from((from..until).contains(&message.sent_at));
            if message.sent_at >= from && opened.contains(chain) {
                in_chains += 1;
                in_chains_before_theft += u64::from(message.sent_at < theft);
            }
        }
    }
    assert!(
        in_epoch > 0 && in_chains > in_epoch,
        "{in_epoch} {in_chains}"
    );
    let summary = summarise(&s);
    assert_eq!(in_epoch, sent_between(&summary, 0, 6, 9));
    let message = summary.designs[0].exposure.as_ref().unwrap();
    assert_eq!(message.exposed, in_epoch);
    assert_eq!(message.retroactive, in_epoch);
    let chain = summary.designs[1].exposure.as_ref().unwrap();
    assert_eq!(chain.exposed, in_chains);
    assert_eq!(chain.retroactive, in_chains_before_theft);
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
    // The curve's first point after the theft is the theft's own hour.
    assert_eq!(exposure.readable_over_time[8].hour, 8.0);
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

/// A plain device copy reads a little around the copy time and then heals; an implant on the
/// same phones reads their whole history and traffic until removal. Both references give
/// finite "equivalent devices" for a stolen escrow key.
#[test]
fn device_references_anchor_equivalent_devices() {
    let s = scenario(
        60,
        json!([{ "kind": "plain" }, { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" }]),
        json!({ "compromises": [compromise(json!({ "kind": "escrow_key_store" }), 6.0)],
                "reference_victims": 30 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let adversary = summary.adversary.as_ref().unwrap();
    let copy = adversary.copy_exposure_per_device.unwrap();
    assert!(copy > 0.0);
    let plain = &summary.designs[0];
    let healing = plain.healing.as_ref().unwrap();
    assert!(healing.sessions > 0);
    let messages = healing.per_session_messages.as_ref().unwrap();
    // A stolen state reads at most the rest of an exchange before a round trip heals it.
    assert!(messages.median.unwrap() < 20.0, "{:?}", messages.median);
    let implant = adversary.implant_exposure_per_device.unwrap();
    assert!(implant > copy, "{implant} vs {copy}");
    let escrow = summary.designs[1].exposure.as_ref().unwrap();
    assert_eq!(escrow.secrets_required, 1);
    let devices = escrow.equivalent_devices.unwrap();
    assert!((devices - escrow.exposed as f64 / implant).abs() < 1e-9);
    let copies = escrow.equivalent_device_copies.unwrap();
    assert!((copies - escrow.exposed as f64 / copy).abs() < 1e-9);
    assert!(devices > 1.0 && copies > devices, "{devices} {copies}");
}

/// The implant reference in closed form: with every user a reference victim and no
/// detection, the implants together read each message twice (its sender's phone and its
/// recipient's), so one phone reads 2 × sent ÷ users; a key stolen at t = 0 exposing everything
/// is then worth users ÷ 2 phones. Detection removes the implants: they read only what was
/// sent (and delivered) before it.
#[test]
fn implants_read_each_phones_history_and_traffic_until_removal() {
    let users = 30;
    let run = |detected: Value| {
        let s = scenario(
            users,
            json!([{ "kind": "plain" }, { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" }]),
            json!({ "compromises": [compromise(json!({ "kind": "escrow_key_store" }), 0.0)],
                    "detected_at_hours": detected, "reference_victims": users }),
            Value::Null,
        );
        (super::scripts(&s), summarise(&s))
    };
    let (_, summary) = run(Value::Null);
    let sent = summary.designs[0].counts.sent;
    let adversary = summary.adversary.as_ref().unwrap();
    assert_eq!(
        adversary.implant_exposure_per_device,
        Some(2.0 * sent as f64 / users as f64)
    );
    let escrow = summary.designs[1].exposure.as_ref().unwrap();
    assert_eq!(escrow.exposed, sent);
    assert_eq!(escrow.equivalent_devices, Some(users as f64 / 2.0));
    // A copy at t = 0 holds no session: the one-time copy reference is undefined, not 0.
    assert_eq!(adversary.copy_exposure_per_device, None);
    assert_eq!(escrow.equivalent_device_copies, None);

    let (scripts, summary) = run(json!(6));
    let removal = 6 * 3600;
    let read: u64 = scripts
        .iter()
        .flatten()
        .map(|m| u64::from(m.sent_at < removal) + u64::from(m.delivered_at < removal))
        .sum();
    let adversary = summary.adversary.as_ref().unwrap();
    assert_eq!(adversary.implant_removed_at_hours, Some(6.0));
    assert_eq!(
        adversary.implant_exposure_per_device,
        Some(read as f64 / users as f64)
    );
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

/// A stolen global key and a detection at 9 h: at message granularity the key rotation stops
/// the exposure at once; at chain granularity the thief keeps every chain key it opened, so it
/// reads each chain open at the detection to that chain's end (its sender's next DH step).
#[test]
fn chain_keys_the_thief_opened_outlive_the_rotation() {
    let detected = 9 * 3600;
    let s = scenario(
        40,
        json!([{ "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" },
               { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" }]),
        json!({ "compromises": [compromise(json!({ "kind": "escrow_key_store" }), 4.0)],
                "detected_at_hours": 9, "reference_victims": 0 }),
        Value::Null,
    );
    let mut before = 0;
    let mut after_in_open_chains = 0;
    for script in super::scripts(&s) {
        let chains = super::chains(&script);
        let open: std::collections::BTreeSet<(usize, u32)> = script
            .iter()
            .zip(&chains)
            .filter(|(m, _)| m.sent_at < detected)
            .map(|(_, c)| *c)
            .collect();
        for (message, chain) in script.iter().zip(&chains) {
            if message.sent_at < detected {
                before += 1;
            } else if open.contains(chain) {
                after_in_open_chains += 1;
            }
        }
    }
    assert!(
        after_in_open_chains > 0,
        "the run must have chains across 9 h"
    );
    let summary = summarise(&s);
    let message = summary.designs[0].exposure.as_ref().unwrap();
    assert_eq!(message.exposed, before);
    assert_eq!(message.after_detection, 0);
    let chain = summary.designs[1].exposure.as_ref().unwrap();
    assert_eq!(chain.exposed, before + after_in_open_chains);
    assert_eq!(chain.after_detection, after_in_open_chains);
}

/// Secrets required counts the distinct secrets the exposure needed: a 3-of-5 split needs 3
/// shares, whatever else leaks (the same share twice, a fourth after the key fell), and one
/// global key stolen twice is one secret. Both expose the same, so neither looks safer.
#[test]
fn secrets_required_counts_distinct_needed_secrets() {
    let share = |trustee: usize, at: f64| {
        compromise(json!({ "kind": "escrow_share", "trustee": trustee }), at)
    };
    let store = |at: f64| compromise(json!({ "kind": "escrow_key_store" }), at);
    let s = scenario(
        30,
        json!([{ "kind": "plain" },
               { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" },
               { "kind": "escrow", "granularity": "chain",
                 "scope": { "kind": "split", "threshold": 3, "trustees": ["a", "b", "c", "d", "e"] } }]),
        json!({ "compromises": [store(1.0), store(2.0), share(0, 1.0), share(0, 1.5), share(1, 2.0),
                                share(2, 2.0), share(3, 3.0)],
                "reference_victims": 5 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let global = summary.designs[1].exposure.as_ref().unwrap();
    let split = summary.designs[2].exposure.as_ref().unwrap();
    assert_eq!(global.secrets_required, 1);
    assert_eq!(split.secrets_required, 3);
    assert_eq!(global.exposed, summary.designs[1].counts.sent);
    assert_eq!(split.exposed, global.exposed);
    assert_eq!(split.equivalent_devices, global.equivalent_devices);
}

/// A message readable through two compromises counts from the earlier one, whichever the
/// measurement tries first: phones copied at 2 h read messages that the escrow key stolen at
/// 8 h also opens, and those stay the copies' and readable before 8 h.
#[test]
fn a_message_counts_from_the_earliest_compromise_that_reads_it() {
    let s = scenario(
        40,
        json!([{ "kind": "escrow", "scope": { "kind": "global" }, "granularity": "message" }]),
        json!({ "compromises": [compromise(json!({ "kind": "device", "users": 10 }), 2.0),
                                compromise(json!({ "kind": "escrow_key_store" }), 8.0)],
                "reference_victims": 0 }),
        Value::Null,
    );
    let summary = summarise(&s);
    let exposure = summary.designs[0].exposure.as_ref().unwrap();
    assert_eq!(exposure.exposed, summary.designs[0].counts.sent);
    assert!(
        exposure.by_compromise[0] > 0,
        "{:?}",
        exposure.by_compromise
    );
    assert!(exposure.readable_over_time[7].fraction > 0.0);
    assert!(exposure.readable_over_time[7].fraction < 1.0);
}

/// The implant reference copy by copy: each reference phone's implant reads the messages its
/// user sent before the removal and those delivered to it before the removal, and nothing at
/// or after it (the detection removes the implant before anything else happens that second).
/// The detection is set to the very second a reference phone sends, then receives, a message.
#[test]
fn an_implant_reads_its_phones_sends_and_deliveries_before_removal() {
    use doormat::adversary::{Owner, Roles};
    let users = 30;
    let make = |detected: f64| {
        scenario(
            users,
            json!([{ "kind": "plain" }]),
            json!({ "compromises": [compromise(json!({ "kind": "device", "users": 1 }), 1.0)],
                    "detected_at_hours": detected, "reference_victims": 6 }),
            Value::Null,
        )
    };
    let probe = make(6.0);
    let adversary = probe.adversary.as_ref().unwrap();
    let roles = Roles::draw(
        probe.seed,
        users,
        probe.horizon(),
        Some(&doormat::adversary::Adversary::new(adversary)),
        None,
    );
    let victims: Vec<u32> = roles
        .copies
        .iter()
        .filter(|(_, copies)| {
            copies
                .iter()
                .any(|c| matches!(c.owner, Owner::Reference(_)))
        })
        .map(|(user, _)| *user)
        .collect();
    assert_eq!(victims.len(), 6);
    let plan = doormat::sim::plan::Plan::build(&probe);
    let scripts = super::scripts(&probe);
    // (user's side is the sender, send time) and (recipient, delivery time) of every message.
    let events: Vec<(bool, u32, u64)> = plan
        .conversations
        .iter()
        .zip(&scripts)
        .flat_map(|(pair, script)| {
            script.iter().flat_map(move |m| {
                let (from, to) = if m.from == doormat::model::Side::A {
                    (pair.a, pair.b)
                } else {
                    (pair.b, pair.a)
                };
                [(true, from, m.sent_at), (false, to, m.delivered_at)]
            })
        })
        .collect();
    let in_window = |t: u64| (3 * 3600..9 * 3600).contains(&t);
    let send = events
        .iter()
        .find(|(s, u, t)| *s && victims.contains(u) && in_window(*t));
    let delivery = events
        .iter()
        .find(|(s, u, t)| !*s && victims.contains(u) && in_window(*t));
    for (_, _, removal) in [send.unwrap(), delivery.unwrap()] {
        let expected = events
            .iter()
            .filter(|(_, u, t)| victims.contains(u) && *t < *removal)
            .count();
        let summary = summarise(&make(*removal as f64 / 3600.0));
        let per_device = summary
            .adversary
            .as_ref()
            .unwrap()
            .implant_exposure_per_device
            .unwrap();
        assert_eq!(per_device, expected as f64 / 6.0, "removal at {removal} s");
    }
}
