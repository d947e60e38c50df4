//! The adversary and the authority, measured by real decryption: closed-form answers on small
//! scenarios, corrupted keys, and stolen-state following.

mod closed_form;
mod corrupted;
mod follower;
mod healing;
mod healing_patterns;
mod lawful;

use doormat::{
    report::Summary,
    scenario::Scenario,
    sim::{RunOptions, run},
};
use serde_json::{Value, json};

/// A small scenario: `users` users for half a day, with the given designs and blocks.
pub(crate) fn scenario(users: u64, designs: Value, adversary: Value, lawful: Value) -> Scenario {
    let text = json!({
        "name": "adversary-test",
        "description": "test",
        "seed": 11,
        "duration_days": 0.5,
        "population": { "users": users },
        "designs": designs,
        "adversary": adversary,
        "lawful_access": lawful,
    });
    Scenario::load(&text.to_string()).expect("valid test scenario")
}

/// Runs `scenario` and summarises it.
pub(crate) fn summarise(scenario: &Scenario) -> Summary {
    let output = run(
        scenario,
        &RunOptions {
            threads: 2,
            progress: None,
        },
    )
    .unwrap();
    Summary::new(scenario, &output)
}

/// Messages sent during hours `[from, until)`.
pub(crate) fn sent_between(summary: &Summary, design: usize, from: usize, until: usize) -> u64 {
    let hours = &summary.designs[design].counts.sent_per_hour;
    hours.iter().skip(from).take(until - from).sum()
}
