//! Key lifetimes: a theft of epoch keys takes only the keys that exist at the theft, from their
//! epoch's start until their retention runs out; validation refuses a theft of a key outside
//! its life; and a theft of a live key exposes exactly its epoch's messages.

use doormat::model::HOUR;
use doormat::{
    adversary::AdversarySpec,
    design::DesignSpec,
    scenario::{Scenario, ScenarioError},
};
use serde_json::{Value, json};

use super::{scenario, sent_between, summarise};

/// Two-hour epochs kept two hours after they end: epoch e's key exists in hours [2e, 2e + 4).
fn epoch_design(granularity: &str) -> Value {
    json!({ "kind": "escrow", "granularity": granularity,
            "scope": { "kind": "epoch", "length_hours": 2, "retention_hours": 2 } })
}

/// Two-hour epochs kept six hours: epoch e's key exists in hours [2e, 2e + 8).
fn kept_longer() -> Value {
    json!({ "kind": "escrow", "granularity": "chain",
            "scope": { "kind": "epoch", "length_hours": 2, "retention_hours": 6 } })
}

/// An adversary who steals the keys of each `(epoch, hour)`.
fn thefts(thefts: &[(u32, f64)]) -> Value {
    let compromises: Vec<Value> = thefts
        .iter()
        .map(|(epoch, at)| {
            json!({ "at_hours": at, "secret": { "kind": "epoch_keys", "epochs": [epoch] } })
        })
        .collect();
    json!({ "compromises": compromises, "reference_victims": 0 })
}

/// Epoch 6 at hour 2 (before its key is created at hour 12) and epoch 0 at hour 12 (after its key
/// was deleted at hour 4) take nothing; a theft just inside a key's life takes it, and one at
/// the hour it is deleted does not.
#[test]
fn a_theft_takes_only_the_epoch_keys_alive_then() {
    let design: DesignSpec = serde_json::from_value(epoch_design("message")).unwrap();
    for (epoch, at, alive) in [
        (6, 2.0, false),
        (0, 12.0, false),
        (6, 11.99, false),
        (6, 12.0, true),
        (6, 15.99, true),
        (6, 16.0, false),
        (0, 0.0, true),
        (0, 3.99, true),
        (0, 4.0, false),
    ] {
        let spec: AdversarySpec = serde_json::from_value(thefts(&[(epoch, at)])).unwrap();
        let built = crate::deployed(&design, 20 * HOUR, 3, &spec.thefts());
        assert_eq!(
            built.secrets_required(),
            u64::from(alive),
            "epoch {epoch} at hour {at}"
        );
    }
}

/// A scenario stealing epoch 6 at hour 2 and epoch 0 at hour 12 is refused, each theft named
/// by its JSON path with the key's life in hours; the live theft beside them is not named, nor
/// a theft of a key alive in one design and deleted in another.
#[test]
fn thefts_outside_a_keys_life_are_refused_with_its_life() {
    let text = json!({
        "name": "lifetimes", "description": "test", "seed": 1, "duration_days": 0.5,
        "population": { "users": 10 },
        "designs": [{ "kind": "plain" }, epoch_design("chain"), kept_longer()],
        "adversary": thefts(&[(6, 2.0), (3, 7.0), (0, 12.0), (0, 5.0)]),
    });
    let Err(ScenarioError::Invalid(errors)) = Scenario::load(&text.to_string()) else {
        panic!("accepted")
    };
    let named: Vec<(&str, &str)> = errors
        .0
        .iter()
        .map(|e| (e.path.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(named.len(), 2, "{named:?}");
    let (path, message) = named[0];
    assert_eq!(path, "adversary.compromises[0].secret.epochs[0]");
    assert!(
        message.contains("from hour 12 to hour 16 in escrow/epoch2h-keep2h/chain")
            && message.contains("from hour 12 to hour 20 in escrow/epoch2h-keep6h/chain")
            && message.contains("at hour 2"),
        "{message}"
    );
    let (path, message) = named[1];
    assert_eq!(path, "adversary.compromises[2].secret.epochs[0]");
    assert!(
        message.contains("from hour 0 to hour 4 in") && message.contains("at hour 12"),
        "{message}"
    );
}

/// Epoch 3's key (hours 6 to 8), stolen at hour 7 with the whole archive kept, exposes exactly
/// the messages sent in hours 6 to 8 at message granularity: those sent before hour 7
/// retroactively. (At chain granularity it also opens the rest of each chain it opened:
/// `closed_form::one_epoch_key_exposes_its_epoch_and_the_chains_it_opened`.)
#[test]
fn a_live_epoch_key_exposes_exactly_its_epoch() {
    let s = scenario(
        40,
        json!([epoch_design("message")]),
        thefts(&[(3, 7.0)]),
        Value::Null,
    );
    let summary = summarise(&s);
    for (d, design) in summary.designs.iter().enumerate() {
        let expected = sent_between(&summary, d, 6, 8);
        assert!(expected > 0);
        let exposure = design.exposure.as_ref().unwrap();
        assert_eq!(exposure.exposed, expected, "{}", design.label);
        assert_eq!(
            exposure.retroactive,
            sent_between(&summary, d, 6, 7),
            "{}",
            design.label
        );
    }
}
