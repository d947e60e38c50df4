//! Healing measured against a model written here from the Double Ratchet spec, not from
//! doormat's code: a textbook thief (who holds the copied state and follows the ratchet as
//! bookkeeping of key generations) on long bursts, run against doormat's engine on one two-user
//! conversation with many reference device copies, by real decryption; and the report's
//! survival figures from raw counts. The helpers serve `healing_patterns.rs` too.

use doormat::model::{Scripted, Side, SimTime, Stream, Timing, rng};
use doormat::{
    adversary::{AdversarySpec, DeviceCopy, Owner, Reference, Roles},
    design::DesignSpec,
    scenario::{Pattern, Traffic},
    sim::{
        conversation::{Conversation, Setting, simulate},
        metrics::DesignMetrics,
        plan::Pair,
        traffic::script,
    },
};
use rand::RngExt;
use serde_json::json;

pub(super) const HORIZON: SimTime = 4 * 86_400;

/// A conversation's script under `traffic`, both users sending `rate` messages a day.
pub(super) fn traffic_script(traffic: &Traffic, rate: f64, seed: u64) -> Vec<Scripted> {
    script(
        traffic,
        [rate, rate],
        HORIZON,
        &mut rng(seed, Stream::Traffic { conversation: 0 }),
    )
}

/// Traffic with the given pattern and timing, no offline periods unless asked.
pub(super) fn traffic(pattern: Pattern, gaps_s: f64, latency_s: f64, offline: f64) -> Traffic {
    let mut traffic = Traffic {
        pattern,
        burst_mean: 12.0,
        turns_mean: 6.0,
        reply_delay_mean_s: gaps_s,
        burst_gap_mean_s: gaps_s,
        ..Traffic::default()
    };
    traffic.delivery.latency_mean_s = latency_s;
    traffic.delivery.offline_probability = offline;
    traffic.delivery.offline_mean_s = 30.0;
    traffic
}

/// doormat's reference measurement: `plain`, one copy of side `side` at each `(at, side)`,
/// each followed on its own.
pub(super) fn measured(script: &[Scripted], copies: &[(SimTime, Side)]) -> Reference {
    let design = crate::deployed(&DesignSpec::Plain(Default::default()), HORIZON, 1, &[]);
    let mut roles = Roles::default();
    for (k, (at, side)) in copies.iter().enumerate() {
        roles
            .copies
            .entry(side.index() as u32)
            .or_default()
            .push(DeviceCopy {
                owner: Owner::Reference(k as u32),
                at: *at,
            });
    }
    let adversary: AdversarySpec = serde_json::from_value(json!({
        "compromises": [{ "at_hours": 1, "secret": { "kind": "backup_key" } }],
        "reference_victims": 0
    }))
    .unwrap();
    let setting = Setting {
        seed: 5,
        horizon: HORIZON,
        roles: &roles,
        adversary: Some(&doormat::adversary::Adversary::new(&adversary)),
    };
    let conversation = Conversation {
        id: 0,
        pair: Pair { a: 0, b: 1 },
        script,
    };
    let mut metrics = DesignMetrics::default();
    simulate(
        &setting,
        &conversation,
        design.as_ref(),
        &mut metrics,
        &mut Timing::default(),
    );
    assert_eq!(metrics.failed, 0);
    metrics.reference
}

/// The textbook thief. Each side's ratchet key pairs are numbered by generation; with lazy key
/// generation (spec §6.5 as doormat runs it) a side takes a new generation at its first send
/// after it received a newer peer key, and each message's chain is (the sender's generation,
/// the peer generation it was built on). Events run in the order of the spec's world: by time,
/// a send before a delivery in the same second, then by message index. A copy of side V at
/// `at` holds V's generation g then; it reads V's later messages on the sending chain V held
/// (only if V's next send would not take a new generation), and every message V receives from
/// then on that the peer built on one of V's generations up to g (V's keys and skipped keys).
fn textbook(script: &[Scripted], at: SimTime, victim: Side) -> Vec<bool> {
    #[derive(Clone, Copy)]
    struct Ratchet {
        session: bool,
        generation: u32,
        active: bool,
        seen: Option<u32>,
    }
    let initiator = script[0].from;
    let mut sides = [Ratchet {
        session: false,
        generation: 0,
        active: false,
        seen: None,
    }; 2];
    let mut events: Vec<(SimTime, u8, usize)> = Vec::new();
    for (i, m) in script.iter().enumerate() {
        events.push((m.sent_at, 0, i));
        events.push((m.delivered_at, 1, i));
    }
    events.sort();
    let mut chain = vec![(0u32, None::<u32>); script.len()];
    let mut snapshot = None;
    for (t, kind, i) in events {
        if t >= at && snapshot.is_none() {
            snapshot = Some(sides[victim.index()]);
        }
        let from = script[i].from;
        if kind == 0 {
            let s = &mut sides[from.index()];
            if !s.session {
                assert_eq!(from, initiator);
                *s = Ratchet {
                    session: true,
                    generation: 0,
                    active: true,
                    seen: Some(0),
                };
            } else if !s.active {
                s.generation += 1;
                s.active = true;
            }
            chain[i] = (s.generation, s.seen);
        } else {
            let r = &mut sides[from.other().index()];
            r.session = true;
            if r.seen < Some(chain[i].0) {
                r.seen = Some(chain[i].0);
                r.active = false;
            }
        }
    }
    let held = snapshot.unwrap_or(sides[victim.index()]);
    script
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if m.from == victim {
                m.sent_at >= at && held.active && chain[i].0 == held.generation
            } else {
                m.delivered_at >= at && held.session && chain[i].1 <= Some(held.generation)
            }
        })
        .collect()
}

/// The reference counts a set of per-copy reads implies, by the measure's definition: every
/// message read is exposed; a session heals at the first message sent after the copy that it
/// cannot read, or is censored at the end of the run.
pub(super) fn expected(
    script: &[Scripted],
    copies: &[(SimTime, Side)],
    reads: &[Vec<bool>],
) -> Reference {
    let mut reference = Reference::default();
    for ((at, _), read) in copies.iter().zip(reads) {
        for (_, m) in script.iter().enumerate().filter(|(i, _)| read[*i]) {
            reference.exposed += 1;
            reference.retroactive += u64::from(m.sent_at < *at);
        }
        let after: Vec<usize> = (0..script.len())
            .filter(|&i| script[i].sent_at >= *at)
            .collect();
        match after.iter().position(|&i| !read[i]) {
            Some(p) => {
                reference.healed_messages.add(p as u64);
                reference.healed_seconds.add(script[after[p]].sent_at - at);
            }
            None => {
                reference.censored_messages.add(after.len() as u64);
                reference.censored_seconds.add(HORIZON - at);
            }
        }
    }
    reference
}

/// Copies of both sides at many times, after the conversation's first round trip (both sides
/// then hold a session).
pub(super) fn copies(script: &[Scripted], count: u64) -> Vec<(SimTime, Side)> {
    let responder = script[0].from.other();
    let start = script
        .iter()
        .find(|m| m.from == responder)
        .map_or(0, |m| m.delivered_at + 1);
    let end = script.last().unwrap().sent_at + 1;
    (0..count)
        .map(|k| {
            (
                start + (end - start) * k / count,
                Side::BOTH[(k % 2) as usize],
            )
        })
        .collect()
}

/// A dense script: bursts of mean `burst` messages, 0 to 2 seconds apart, each arriving 1 to 3
/// seconds after it is sent, so sends and deliveries often share a second and turns overlap in
/// flight. The responder sends nothing before the first message reaches it.
fn dense(seed: u64, burst: u32, count: usize) -> Vec<Scripted> {
    let mut random = rng(seed, Stream::Traffic { conversation: 1 });
    let mut next = |n: u32| random.random::<u32>() % n;
    let mut script: Vec<Scripted> = Vec::new();
    let (mut t, mut from) = (0, Side::A);
    for _ in 0..count {
        t += SimTime::from(next(3));
        if next(burst) == 0 {
            from = from.other();
        }
        let delivered_at = t + 1 + SimTime::from(next(3));
        script.push(Scripted {
            from: if t <= script.first().map_or(0, |m| m.delivered_at) {
                Side::A
            } else {
                from
            },
            sent_at: t,
            delivered_at,
            size: 16,
        });
    }
    script
}

#[test]
fn the_follower_reads_what_a_textbook_thief_reads_on_long_bursts() {
    // Dense long bursts; then the traffic model's, with gaps of a second or two and offline
    // periods that reorder messages across turns.
    let scripts = [
        (dense(1, 10, 300), 40),
        (dense(2, 25, 300), 40),
        (
            traffic_script(&traffic(Pattern::Natural, 1.5, 1.0, 0.0), 80.0, 3),
            16,
        ),
        (
            traffic_script(&traffic(Pattern::Natural, 1.5, 1.0, 0.2), 80.0, 4),
            16,
        ),
    ];
    for (seed, (script, count)) in scripts.iter().enumerate() {
        assert!(script.len() > 250, "{}", script.len());
        let copies = copies(script, *count);
        let reads: Vec<Vec<bool>> = copies
            .iter()
            .map(|(at, side)| textbook(script, *at, *side))
            .collect();
        let want = expected(script, &copies, &reads);
        assert!(want.exposed > 100, "a weak test: {}", want.exposed);
        assert_eq!(measured(script, &copies), want, "script {seed}");
    }
}

/// The report's healing block from raw counts: sessions still readable at the end count, as
/// censored, in every figure, and a share past the longest follow-up is `null`.
#[test]
fn censored_sessions_count_and_unobserved_points_are_null() {
    let mut reference = Reference::default();
    for (messages, seconds) in [(0, 600), (2, 1_800), (3, 7_200)] {
        reference.healed_messages.add(messages);
        reference.healed_seconds.add(seconds);
    }
    // Two sessions still readable when the run ended, 12 h after the copy.
    reference.censored_messages.add(5);
    reference.censored_messages.add(0);
    reference.censored_seconds.add(12 * 3_600);
    reference.censored_seconds.add(12 * 3_600);
    let healing = doormat::report::HealingSummary::new(&reference);
    assert_eq!(
        (
            healing.sessions,
            healing.healed_sessions,
            healing.not_healed_by_end
        ),
        (5, 3, 2)
    );
    let hours = healing.per_session_hours.as_ref().unwrap();
    assert_eq!(hours.not_healed_by_end, 2);
    // Healed at 10 min, 30 min and 2 h of 5 at risk: 4/5, 3/5, 2/5 remain; never below half
    // until 2 h.
    assert_eq!(hours.median, Some(2.0));
    let at_1h = healing.unhealed_share_at.hour_1.unwrap();
    assert!((at_1h - 0.6).abs() < 1e-12, "{at_1h}");
    assert_eq!(
        healing.unhealed_share_at.hours_24, None,
        "followed for 12 h only"
    );
    assert_eq!(healing.unhealed_share_at.days_7, None);
    // In messages, the session that saw no message says nothing about healing at 0.
    let messages = healing.per_session_messages.as_ref().unwrap();
    assert_eq!(messages.survival[0], [0.0, 1.0 - 1.0 / 4.0]);
    assert_eq!(messages.healed.as_ref().unwrap().mean, 5.0 / 3.0);
}
