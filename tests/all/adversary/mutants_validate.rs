//! The adversary and lawful-access checks at their bounds, pinned where a mutation pass found
//! them untested: each bound is accepted on one side and refused, with its path, on the other.

use doormat::{
    adversary::{AdversarySpec, LawfulSpec},
    design::{
        DesignSpec,
        escrow::{EscrowSpec, Granularity, Scope, Verification},
    },
    scenario::{validate_adversary, validate_lawful},
};
use serde_json::{Value, json};

fn escrow(scope: Scope) -> DesignSpec {
    DesignSpec::Escrow(EscrowSpec {
        scope,
        granularity: Granularity::Chain,
        verification: Verification::Full,
    })
}

/// A split scope with three trustees and an epoch scope of 2-hour epochs kept 4 hours.
fn designs() -> Vec<DesignSpec> {
    vec![
        DesignSpec::Plain(Default::default()),
        escrow(Scope::Split {
            threshold: 2,
            trustees: vec!["a".into(), "b".into(), "c".into()],
        }),
        escrow(Scope::Epoch {
            length_hours: 2,
            retention_hours: 4,
        }),
    ]
}

/// The paths of the problems in an adversary block for a 1-day run of 10 users.
fn adversary(block: Value) -> Vec<String> {
    let spec: AdversarySpec = serde_json::from_value(block).unwrap();
    validate_adversary(&spec, 1.0, 10, &designs())
        .into_iter()
        .map(|e| e.path)
        .collect()
}

fn one(secret: Value, at_hours: f64) -> Value {
    json!({ "compromises": [{ "at_hours": at_hours, "secret": secret }], "reference_victims": 0 })
}

/// Times run from 0 to the run's end inclusive; a detection at the first compromise is
/// accepted, one before it refused.
#[test]
fn compromise_and_detection_times_are_bounded_by_the_run() {
    let store = json!({ "kind": "escrow_key_store" });
    assert!(adversary(one(store.clone(), 0.0)).is_empty());
    assert!(adversary(one(store.clone(), 24.0)).is_empty());
    assert_eq!(
        adversary(one(store.clone(), 24.5)),
        ["adversary.compromises[0].at_hours"]
    );
    assert_eq!(
        adversary(one(store.clone(), -0.5)),
        ["adversary.compromises[0].at_hours"]
    );
    let detected = |at: f64, detected: f64| {
        let mut block = one(store.clone(), at);
        block["detected_at_hours"] = json!(detected);
        adversary(block)
    };
    assert!(detected(5.0, 5.0).is_empty());
    assert!(detected(5.0, 24.0).is_empty());
    assert_eq!(detected(5.0, 4.0), ["adversary.detected_at_hours"]);
    assert_eq!(detected(5.0, 25.0), ["adversary.detected_at_hours"]);
    assert_eq!(detected(5.0, -1.0), ["adversary.detected_at_hours"]);
    // A detection outside the run is reported once, not also as before the compromise.
    assert_eq!(detected(30.0, 25.0).len(), 2);
}

/// Retention is a non-negative number of days; reference victims at most the users; a
/// compromise at all.
#[test]
fn retention_victims_and_compromises_are_bounded() {
    let store = json!({ "kind": "escrow_key_store" });
    let with = |key: &str, value: Value| {
        let mut block = one(store.clone(), 1.0);
        block[key] = value;
        adversary(block)
    };
    assert!(with("archive_retention_days", json!(0.0)).is_empty());
    assert_eq!(
        with("archive_retention_days", json!(-0.5)),
        ["adversary.archive_retention_days"]
    );
    assert!(with("reference_victims", json!(10)).is_empty());
    assert_eq!(
        with("reference_victims", json!(11)),
        ["adversary.reference_victims"]
    );
    assert_eq!(
        adversary(json!({ "compromises": [], "reference_victims": 0 })),
        ["adversary.compromises"]
    );
}

/// A trustee index below the split scope's trustee count; 1 to all users for device and
/// ghost thefts; at least one epoch.
#[test]
fn theft_parameters_are_bounded() {
    let share = |trustee: usize| {
        adversary(one(
            json!({ "kind": "escrow_share", "trustee": trustee }),
            1.0,
        ))
    };
    assert!(share(2).is_empty());
    assert_eq!(share(3), ["adversary.compromises[0].trustee"]);
    for kind in ["device", "ghost_power"] {
        let users = |n: u32| adversary(one(json!({ "kind": kind, "users": n }), 1.0));
        assert!(users(1).is_empty());
        assert!(users(10).is_empty());
        assert_eq!(users(0), ["adversary.compromises[0].users"]);
        assert_eq!(users(11), ["adversary.compromises[0].users"]);
    }
    assert_eq!(
        adversary(one(json!({ "kind": "epoch_keys", "epochs": [] }), 1.0)),
        ["adversary.compromises[0].epochs"]
    );
    // Without a split scope, no trustee index is valid.
    let spec: AdversarySpec =
        serde_json::from_value(one(json!({ "kind": "escrow_share", "trustee": 0 }), 1.0)).unwrap();
    assert_eq!(
        validate_adversary(&spec, 1.0, 10, &[DesignSpec::Plain(Default::default())]).len(),
        1
    );
}

/// Epoch 3's key (2-hour epochs, kept 4 hours) lives from hour 6 to hour 12: a theft at 6 h
/// or just before 12 h takes it; one before 6 h or at 12 h is refused, naming the life.
#[test]
fn an_epoch_key_theft_must_fall_inside_the_keys_life() {
    let theft = |at: f64| adversary(one(json!({ "kind": "epoch_keys", "epochs": [3] }), at));
    assert!(theft(6.0).is_empty());
    assert!(theft(11.9).is_empty());
    assert_eq!(theft(5.9), ["adversary.compromises[0].secret.epochs[0]"]);
    assert_eq!(theft(12.0), ["adversary.compromises[0].secret.epochs[0]"]);
    let spec: AdversarySpec =
        serde_json::from_value(one(json!({ "kind": "epoch_keys", "epochs": [3] }), 12.0)).unwrap();
    let errors = validate_adversary(&spec, 1.0, 10, &designs());
    assert!(
        errors[0]
            .message
            .contains("from hour 6 to hour 12 in escrow/epoch2h-keep4h/chain"),
        "{}",
        errors[0].message
    );
    // Without an epoch scope, any time is accepted.
    assert!(
        validate_adversary(&spec, 1.0, 10, &[DesignSpec::Plain(Default::default())]).is_empty()
    );
}

/// Fractions lie in [0, 1]; a window is a positive number of days; targets 1 to all users.
#[test]
fn lawful_access_values_are_bounded() {
    let paths = |block: Value| -> Vec<String> {
        let spec: LawfulSpec = serde_json::from_value(block).unwrap();
        validate_lawful(&spec, 10)
            .into_iter()
            .map(|e| e.path)
            .collect()
    };
    assert!(
        paths(
            json!({ "prefect_share": 0.0, "evasion": 1.0, "issuance_fraction": 1.0,
                      "window_days": 0.01, "targets": 10 })
        )
        .is_empty()
    );
    assert!(paths(json!({ "targets": 1 })).is_empty());
    assert_eq!(paths(json!({ "evasion": 1.5 })), ["lawful_access.evasion"]);
    assert_eq!(
        paths(json!({ "prefect_share": -0.1 })),
        ["lawful_access.prefect_share"]
    );
    assert_eq!(
        paths(json!({ "window_days": 0.0 })),
        ["lawful_access.window_days"]
    );
    assert_eq!(
        paths(json!({ "window_days": -2.0 })),
        ["lawful_access.window_days"]
    );
    assert_eq!(paths(json!({ "targets": 0 })), ["lawful_access.targets"]);
    assert_eq!(paths(json!({ "targets": 11 })), ["lawful_access.targets"]);
}
