//! The adversary and the authority, measured by real decryption: closed-form answers on small
//! scenarios, corrupted keys, and stolen-state following.

mod closed_form;
mod corrupted;
mod follower;
mod healing;
mod healing_patterns;
mod lawful;
mod lifetimes;
mod mutants_assess;
mod mutants_holdings;
mod mutants_metrics;
mod mutants_roles;
mod mutants_spec;
mod mutants_survival;
mod mutants_validate;

use doormat::model::{Stream, rng};
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
            ..RunOptions::default()
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

/// Every conversation's traffic script, regenerated from the scenario's public traffic model
/// exactly as the engine draws it.
pub(crate) fn scripts(scenario: &Scenario) -> Vec<Vec<doormat::model::Scripted>> {
    use doormat::sim::{plan::Plan, traffic::script};
    let plan = Plan::build(scenario);
    let rate = scenario.traffic.messages_per_user_per_day;
    let degree = |user: u32| f64::from(plan.degrees[user as usize].max(1));
    plan.conversations
        .iter()
        .enumerate()
        .map(|(id, pair)| {
            let rates = [rate / degree(pair.a), rate / degree(pair.b)];
            let mut traffic = rng(
                scenario.seed,
                Stream::Traffic {
                    conversation: id as u64,
                },
            );
            script(&scenario.traffic, rates, scenario.horizon(), &mut traffic)
        })
        .collect()
}

/// The sending chain of every message of `script`, as (side, chain number), by the Double
/// Ratchet's rule: a side starts a new sending chain on its first send after it has received a
/// ratchet key newer than any it had seen. Events at one second: sends before deliveries.
pub(crate) fn chains(script: &[doormat::model::Scripted]) -> Vec<(usize, u32)> {
    let mut events: Vec<(u64, u8, usize)> = Vec::new();
    for (index, message) in script.iter().enumerate() {
        events.push((message.sent_at, 0, index));
        events.push((message.delivered_at, 1, index));
    }
    events.sort_unstable();
    let mut chain = [0u32; 2];
    let mut started = [false; 2];
    let mut seen: [Option<u32>; 2] = [None; 2];
    let mut fresh = [false; 2];
    let mut of = vec![(0, 0); script.len()];
    for (_, kind, index) in events {
        let side = script[index].from.index();
        if kind == 0 {
            if fresh[side] || !started[side] {
                chain[side] += u32::from(started[side]);
                started[side] = true;
                fresh[side] = false;
            }
            of[index] = (side, chain[side]);
        } else {
            let peer = 1 - side; // the other side's slot
            let key = of[index].1;
            if seen[peer].is_none_or(|k| key > k) {
                seen[peer] = Some(key);
                fresh[peer] = true;
            }
        }
    }
    of
}
