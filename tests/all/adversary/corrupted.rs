//! Exposure comes from real decryption: the same run with the adversary's (or the authority's)
//! keys corrupted exposes nothing.

use doormat::{
    design::Deployed,
    report::Summary,
    scenario::Scenario,
    sim::{RunOptions, run_adjusted},
};
use serde_json::json;

use super::scenario;

fn run_with(s: &Scenario, adjust: impl Fn(usize, &mut dyn Deployed)) -> Summary {
    let options = RunOptions {
        threads: 2,
        progress: None,
        ..RunOptions::default()
    };
    Summary::new(s, &run_adjusted(s, &options, adjust).unwrap())
}

fn corrupt(_: usize, design: &mut dyn Deployed) {
    design.corrupt_secrets();
}

#[test]
fn corrupted_keys_expose_nothing() {
    let s = scenario(
        40,
        json!([
            { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" },
            { "kind": "escrow", "scope": { "kind": "epoch", "length_hours": 4, "retention_hours": 4 }, "granularity": "message" },
            { "kind": "escrow", "scope": { "kind": "split", "threshold": 2, "trustees": ["a", "b"] }, "granularity": "session" },
            { "kind": "backup", "interval_hours": 2 }
        ]),
        json!({ "compromises": [
            { "secret": { "kind": "escrow_key_store" }, "at_hours": 4 },
            { "secret": { "kind": "escrow_share", "trustee": 0 }, "at_hours": 4 },
            { "secret": { "kind": "escrow_share", "trustee": 1 }, "at_hours": 4 },
            { "secret": { "kind": "backup_key" }, "at_hours": 4 }
        ], "reference_victims": 0 }),
        json!({ "targets": 8, "evasion": 0.0 }),
    );
    let honest = run_with(&s, |_, _| {});
    let corrupted = run_with(&s, corrupt);
    for (good, bad) in honest.designs.iter().zip(&corrupted.designs) {
        assert_eq!(good.counts.sent, bad.counts.sent);
        assert_eq!(bad.counts.failed, 0, "{}", bad.label);
        assert!(
            good.exposure.as_ref().unwrap().exposed > 0,
            "{}",
            good.label
        );
        assert_eq!(bad.exposure.as_ref().unwrap().exposed, 0, "{}", bad.label);
        assert!(
            good.lawful.as_ref().unwrap().messages_obtained > 0,
            "{}",
            good.label
        );
        assert_eq!(
            bad.lawful.as_ref().unwrap().messages_obtained,
            0,
            "{}",
            bad.label
        );
    }
}
