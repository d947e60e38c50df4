//! Delivery never breaks on a scenario that validates: every message sent reaches its recipient
//! and passes its checks, under every design, and each design carries the same handshakes and
//! DH ratchet steps as `plain` (a refused message would make the next send start a new session).

use doormat::{
    adversary::Roles,
    design::{DesignSpec, Device},
    model::{HOUR, Scripted, Side, SimTime, Timing},
    protocol::{Account, DEFAULT_MAX_SKIP},
    scenario::Scenario,
    sim::{
        DesignMetrics, RunOptions,
        conversation::{Conversation, Setting, simulate},
        plan::Pair,
        run,
    },
};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{Value, json};

/// Runs `scenario` on one thread and returns each design's counts.
fn counts(scenario: &Scenario) -> Vec<DesignMetrics> {
    let options = RunOptions {
        threads: 1,
        progress: None,
        ..RunOptions::default()
    };
    run(scenario, &options).unwrap().metrics.designs
}

/// No failure anywhere, and every design sent, handshook and stepped as `plain` (design 0) did.
fn assert_delivers_as_plain(scenario: &Scenario) -> Result<(), TestCaseError> {
    let designs = counts(scenario);
    let plain = &designs[0];
    for (spec, design) in scenario.designs.iter().zip(&designs) {
        let label = spec.label();
        prop_assert_eq!(design.failed, 0, "{}: failed messages", label);
        prop_assert_eq!(design.delivered, design.sent, "{}: delivered", label);
        prop_assert_eq!(design.sent, plain.sent, "{}: sent", label);
        prop_assert_eq!(design.handshakes, plain.handshakes, "{}: handshakes", label);
        prop_assert_eq!(design.dh_steps, plain.dh_steps, "{}: DH steps", label);
    }
    Ok(())
}

fn epoch(granularity: &str, length_hours: u32, retention_hours: u32) -> Value {
    json!({ "kind": "escrow", "granularity": granularity,
            "scope": { "kind": "epoch", "length_hours": length_hours,
                       "retention_hours": retention_hours } })
}

/// Epoch keys deleted the moment their epoch ends (retention 0), with recipients often offline:
/// many messages are in flight when the key they were sealed to is deleted. The recipient's
/// check needs only the public key of the epoch the message was sent in, so all are delivered.
#[test]
fn epoch_keys_deleted_in_flight_do_not_break_delivery() {
    let text = json!({
        "name": "in-flight", "description": "test", "seed": 5, "duration_days": 0.5,
        "population": { "users": 30 },
        "traffic": { "delivery": { "offline_probability": 0.5, "offline_mean_s": 1800 } },
        "designs": [{ "kind": "plain" }, epoch("message", 1, 0), epoch("chain", 1, 0),
                    epoch("session", 1, 0)],
    });
    let scenario = Scenario::load(&text.to_string()).unwrap();
    let in_flight: u64 = counts(&scenario)[0].sent;
    assert!(
        in_flight > 300,
        "too little traffic to cross epochs: {in_flight}"
    );
    assert_delivers_as_plain(&scenario).unwrap();
}

/// A chain longer than the ratchet's skip limit, re-sealed for a new epoch past that limit: the
/// recipient checks the new field from the chain key at the last field it checked, not from the
/// chain's start, so every message is delivered.
#[test]
fn a_chain_longer_than_the_skip_limit_is_delivered_across_epochs() {
    let spec: DesignSpec = serde_json::from_value(epoch("chain", 1, 0)).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let design = crate::deployed(&spec, 4 * HOUR, 8, &[]);
    let design = design.as_ref();
    let mut alice = Device::new(Account::new(&mut rng));
    let mut bob = Account::new(&mut rng);
    bob.generate_one_time_prekeys(&mut rng, 1);
    let mut bundle = Some(bob.prekey_bundle());
    let mut bob = Device::new(bob);
    for i in 0..DEFAULT_MAX_SKIP + 100 {
        let sent_at = if i < DEFAULT_MAX_SKIP + 50 {
            10
        } else {
            HOUR + 10
        };
        let text = i.to_be_bytes();
        let mut timing = Timing::default();
        let bytes = alice
            .send(design, &mut bundle, &mut rng, &text, sent_at, &mut timing)
            .unwrap()
            .bytes;
        let received = bob
            .receive(design, &bytes, sent_at, &mut timing)
            .map(|incoming| incoming.text);
        assert_eq!(received, Ok(text.to_vec()), "message {i}");
    }
}

/// Two messages of `from` sent at `sent_at`, delivered at `delivered_at`.
fn scripted(from: Side, sent_at: SimTime, delivered_at: SimTime) -> Scripted {
    Scripted {
        from,
        sent_at,
        delivered_at,
        size: 40,
    }
}

/// The responder sends before the initiator's first message reaches it, so it must start a
/// session itself, with the *initiator's* prekey bundle. The two crossing sessions then both
/// carry traffic: every message is delivered, under `plain` and under escrow.
#[test]
fn a_responder_that_must_initiate_uses_the_initiators_bundle() {
    let script = [
        scripted(Side::A, 10, 900),
        scripted(Side::B, 20, 30),
        scripted(Side::B, 40, 50),
        scripted(Side::A, 1_000, 1_010),
        scripted(Side::B, 1_100, 1_110),
        scripted(Side::A, 1_200, 1_210),
    ];
    let conversation = Conversation {
        id: 3,
        pair: Pair { a: 4, b: 9 },
        script: &script,
    };
    let roles = Roles::default();
    let setting = Setting {
        seed: 1,
        horizon: 2 * HOUR,
        roles: &roles,
        adversary: None,
    };
    let designs: [DesignSpec; 2] = [
        DesignSpec::Plain(Default::default()),
        serde_json::from_value(epoch("chain", 1, 0)).unwrap(),
    ];
    for spec in designs {
        let design = crate::deployed(&spec, setting.horizon, 2, &[]);
        let mut metrics = DesignMetrics::default();
        simulate(
            &setting,
            &conversation,
            design.as_ref(),
            &mut metrics,
            &mut Timing::default(),
        );
        let label = spec.label();
        assert_eq!(metrics.failed, 0, "{label}");
        assert_eq!(metrics.delivered, script.len() as u64, "{label}");
        assert_eq!(metrics.handshakes, 2, "{label}: one session each way");
    }
}

/// A design for the property test: `plain`'s peers, including epoch scopes whose keys are
/// deleted as their epoch ends.
fn design() -> impl Strategy<Value = Value> {
    let granularity = prop::sample::select(vec!["message", "chain", "session"]);
    prop_oneof![
        (
            granularity.clone(),
            1u32..4,
            prop::sample::select(vec![0u32, 1, 24])
        )
            .prop_map(|(g, length, retention)| epoch(g, length, retention)),
        granularity
            .clone()
            .prop_map(|g| json!({ "kind": "escrow", "granularity": g,
            "scope": { "kind": "global" } })),
        (
            granularity,
            prop::sample::select(vec!["full", "checksum16"])
        )
            .prop_map(|(g, v)| {
                json!({ "kind": "escrow", "granularity": g, "verification": v,
                    "scope": { "kind": "split", "threshold": 2, "trustees": ["a", "b", "c"] } })
            }),
        Just(json!({ "kind": "ghost" })),
        Just(json!({ "kind": "backup", "interval_hours": 1 })),
    ]
}

/// A small random scenario's JSON: a dozen users for a few hours, random delivery delays and
/// offline periods, an adversary that steals keys and is detected (re-keying or not).
fn small_scenario() -> impl Strategy<Value = Value> {
    (
        (any::<u64>(), 3u64..12, 0.1f64..0.3, 20.0f64..150.0),
        (1.0f64..6.0, 1.0f64..600.0, 0.0f64..0.9, 1.0f64..7_200.0),
        prop::collection::vec(design(), 1..4),
        (0.0f64..1.0, prop::option::of(0.0f64..1.0), any::<bool>()),
    )
        .prop_map(
            |((seed, users, days, rate), (burst, reply, offline, offline_s), designs, adv)| {
                let hours = days * 24.0;
                let (stolen, detected, rekey) = adv;
                let mut all = vec![json!({ "kind": "plain" })];
                for design in designs {
                    if !all.contains(&design) {
                        all.push(design);
                    }
                }
                json!({
                    "name": "random", "description": "property test", "seed": seed,
                    "duration_days": days, "population": { "users": users },
                    "traffic": {
                        "messages_per_user_per_day": rate, "burst_mean": burst,
                        "reply_delay_mean_s": reply,
                        "delivery": { "offline_probability": offline,
                                      "offline_mean_s": offline_s }
                    },
                    "designs": all,
                    "adversary": {
                        "compromises": [
                            { "at_hours": stolen * hours, "secret": { "kind": "device", "users": 1 } },
                            { "at_hours": stolen * hours, "secret": { "kind": "escrow_key_store" } }
                        ],
                        "detected_at_hours": detected.map(|d| d * hours),
                        "rekey_on_detection": rekey,
                        "reference_victims": 1
                    }
                })
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Every random scenario that validates delivers every message, under every design, with
    /// `plain`'s handshakes and DH steps.
    #[test]
    fn scenarios_that_validate_deliver_every_message(text in small_scenario()) {
        if let Ok(scenario) = Scenario::load(&text.to_string()) {
            assert_delivers_as_plain(&scenario)?;
        }
    }
}
