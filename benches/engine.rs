//! The engine's own cost: a small plain scenario run by the engine on 1 and 2 threads, against
//! the same conversations' cryptography alone (accounts, X3DH, encrypt and decrypt in script
//! order, nothing else) on 1 thread.
//!
//! - engine overhead = `engine/1-thread` ÷ `crypto-alone/1-thread` − 1 (target < 15 %);
//! - parallel speed-up = `engine/1-thread` ÷ `engine/2-threads` (target ≥ 1.8 on 2 cores).

use criterion::{Criterion, criterion_group, criterion_main};
use doormat::model::{Stream, rng};
use doormat::{
    protocol::Account,
    scenario::Scenario,
    sim::{RunOptions, plan::Plan, run, traffic::script},
};

/// A plain-only scenario small enough for criterion's repetitions.
fn scenario() -> Scenario {
    let mut scenario = doormat::scenario::bundled("scaling")
        .and_then(Result::ok)
        .unwrap_or_else(|| unreachable!("the bundled scaling scenario is valid"));
    scenario.population.users = 300;
    scenario.duration_days = 0.5;
    scenario
}

/// The scenario's conversations with only the protocol calls the engine makes.
fn crypto_alone(scenario: &Scenario, plan: &Plan) -> u64 {
    let horizon = scenario.horizon();
    let mut messages = 0;
    for (id, pair) in plan.conversations.iter().enumerate() {
        let degree = |user: u32| f64::from(plan.degrees[user as usize].max(1));
        let rate = scenario.traffic.messages_per_user_per_day;
        let rates = [rate / degree(pair.a), rate / degree(pair.b)];
        let script = script(
            &scenario.traffic,
            rates,
            horizon,
            &mut rng(
                scenario.seed,
                Stream::Traffic {
                    conversation: id as u64,
                },
            ),
        );
        let Some(first) = script.first() else {
            continue;
        };
        let mut crypto = rng(
            scenario.seed,
            Stream::Crypto {
                conversation: id as u64,
            },
        );
        let users = [pair.a, pair.b];
        let mut accounts =
            users.map(|user| Account::new(&mut rng(scenario.seed, Stream::Identity { user })));
        let initiator = first.from.index();
        accounts[1 - initiator].generate_one_time_prekeys(&mut crypto, 1);
        let bundle = accounts[1 - initiator].prekey_bundle();
        let mut sessions = [None, None];
        let mut events: Vec<(u64, bool, usize)> = Vec::new();
        for (i, m) in script.iter().enumerate() {
            events.push((m.sent_at, false, i));
            events.push((m.delivered_at, true, i));
        }
        events.sort_unstable();
        let mut wire: Vec<Vec<u8>> = vec![Vec::new(); script.len()];
        for (_, delivery, i) in events {
            let from = script[i].from.index();
            if !delivery {
                if sessions[from].is_none() {
                    sessions[from] = accounts[from].initiate(&mut crypto, &bundle).ok();
                }
                let text = vec![7u8; script[i].size as usize];
                if let Some(session) = sessions[from].as_mut() {
                    wire[i] = session.encrypt(&mut crypto, &text).unwrap_or_default();
                }
            } else {
                let to = 1 - from;
                match sessions[to].as_mut() {
                    Some(session) => {
                        let _ = session.decrypt(&wire[i]);
                    }
                    None => sessions[to] = accounts[to].accept(&wire[i]).ok().map(|(s, _)| s),
                }
                messages += 1;
            }
        }
    }
    messages
}

fn engine(c: &mut Criterion) {
    let scenario = scenario();
    let plan = Plan::build(&scenario);
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.bench_function("crypto-alone/1-thread", |b| {
        b.iter(|| crypto_alone(&scenario, &plan))
    });
    for threads in [1, 2] {
        let name = format!(
            "engine/{threads}-thread{}",
            if threads > 1 { "s" } else { "" }
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                run(
                    &scenario,
                    &RunOptions {
                        threads,
                        progress: None,
                        ..RunOptions::default()
                    },
                )
                .map(|o| o.conversations)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
