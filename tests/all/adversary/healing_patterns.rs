//! The `alternating` and `fixed_bursts` traffic patterns: doormat's healing counts against the
//! closed forms of `docs/healing.md`, their parsing, and their order under any delays.

use doormat::{
    model::{Scripted, Side},
    scenario::Pattern,
};
use serde_json::json;

use super::healing::{copies, expected, measured, traffic, traffic_script};

/// The closed form of `docs/healing.md`: messages a copy of V reads from those sent after it,
/// turns of `n` strictly alternating, when message `k` (0-based, in send order) is the next one
/// sent. It is the next `2n − j` messages in V's own turn after j ≥ 1 of them, none at the start
/// of V's turn, the next `n − j` in the peer's turn: capped by the messages left.
fn closed_form(script: &[Scripted], n: usize, victim: Side, k: usize) -> usize {
    let j = k % n;
    let sender = turn_sender(script, n, k);
    let reads = match (sender == victim, j) {
        (true, 0) => 0,
        (true, j) => 2 * n - j,
        (false, j) => n - j,
    };
    reads.min(script.len() - k)
}

/// Who sends message `k` when turns of `n` strictly alternate from the script's first sender.
fn turn_sender(script: &[Scripted], n: usize, k: usize) -> Side {
    let first = script[0].from;
    if (k / n).is_multiple_of(2) {
        first
    } else {
        first.other()
    }
}

#[test]
fn fixed_patterns_match_the_closed_forms_exactly() {
    for (pattern, n) in [
        (Pattern::Alternating, 1),
        (Pattern::FixedBursts { n: 3 }, 3),
        (Pattern::FixedBursts { n: 50 }, 50),
    ] {
        // Delays as long as the gaps, and offline periods: replies still wait for the turn
        // they answer, so the closed form of what is sent after the copy holds exactly.
        let script = traffic_script(&traffic(pattern, 20.0, 15.0, 0.3), 60.0, 9);
        for (k, m) in script.iter().enumerate() {
            assert_eq!(
                m.from,
                turn_sender(&script, n, k),
                "{pattern:?}: sender {k}"
            );
        }
        let copies = copies(&script, 40);
        let mut prospective = 0;
        let mut in_flight = 0;
        let mut reads = Vec::new();
        for (at, victim) in &copies {
            let k = script.iter().filter(|m| m.sent_at < *at).count();
            let f = closed_form(&script, n, *victim, k);
            prospective += f as u64;
            // The peer's messages still in flight at the copy are on chains the copy holds.
            in_flight += script
                .iter()
                .filter(|m| m.from != *victim && m.sent_at < *at && m.delivered_at >= *at)
                .count() as u64;
            let mut read = vec![false; script.len()];
            let after: Vec<usize> = (0..script.len())
                .filter(|&i| script[i].sent_at >= *at)
                .collect();
            for &i in after.iter().take(f) {
                read[i] = true;
            }
            for (i, m) in script.iter().enumerate() {
                read[i] |= m.from != *victim && m.sent_at < *at && m.delivered_at >= *at;
            }
            reads.push(read);
        }
        let got = measured(&script, &copies);
        assert_eq!(got.exposed - got.retroactive, prospective, "{pattern:?}");
        assert_eq!(got.retroactive, in_flight, "{pattern:?}");
        assert_eq!(got, expected(&script, &copies, &reads), "{pattern:?}");
    }
}

/// The average over a uniformly random copy position, as `docs/healing.md` derives it: n − ½.
#[test]
fn the_uniform_average_is_n_minus_a_half() {
    for n in [1usize, 2, 7, 50] {
        let sum: usize = (0..2 * n)
            .map(|position| {
                let (own, j) = (position < n, position % n);
                match (own, j) {
                    (true, 0) => 0,
                    (true, j) => 2 * n - j,
                    (false, j) => n - j,
                }
            })
            .sum();
        assert_eq!(sum, n * (2 * n - 1), "n = {n}");
    }
}

/// `traffic.pattern` parses its three kinds, refuses unknown fields, and names `n`'s path.
#[test]
fn traffic_patterns_parse_strictly_and_name_the_path() {
    let load = |pattern: serde_json::Value| {
        let text = json!({
            "name": "p", "description": "d", "seed": 1, "duration_days": 1,
            "population": { "users": 2 }, "designs": [{ "kind": "plain" }],
            "traffic": { "pattern": pattern },
        });
        doormat::scenario::Scenario::load(&text.to_string())
    };
    let pattern = |p: serde_json::Value| load(p).unwrap().traffic.pattern;
    assert_eq!(pattern(json!({ "kind": "natural" })), Pattern::Natural);
    assert_eq!(
        pattern(json!({ "kind": "alternating" })),
        Pattern::Alternating
    );
    assert_eq!(
        pattern(json!({ "kind": "fixed_bursts", "n": 50 })),
        Pattern::FixedBursts { n: 50 }
    );
    for (bad, words) in [
        (
            json!({ "kind": "fixed_bursts", "n": 0 }),
            "traffic.pattern.n",
        ),
        (
            json!({ "kind": "fixed_bursts", "n": 10_001 }),
            "traffic.pattern.n",
        ),
        (json!({ "kind": "fixed_bursts", "n": 5, "m": 1 }), "m"),
        (json!({ "kind": "ping_pong" }), "ping_pong"),
    ] {
        let error = load(bad.clone()).unwrap_err().to_string();
        assert!(error.contains(words), "{bad}: {error}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Under a fixed pattern, whatever the delays: senders follow the pattern in send order,
    /// and each turn starts strictly after every message of the turn it answers has arrived.
    #[test]
    fn fixed_patterns_keep_their_order_under_any_delays(
        n in 1u32..8,
        gaps in 0.5f64..60.0,
        latency in 0.0f64..120.0,
        offline in 0.0f64..1.0,
        seed in 0u64..1_000,
    ) {
        let pattern = if n == 1 { Pattern::Alternating } else { Pattern::FixedBursts { n } };
        let script = traffic_script(&traffic(pattern, gaps, latency, offline), 40.0, seed);
        let n = n as usize;
        for (k, m) in script.iter().enumerate() {
            proptest::prop_assert_eq!(m.from, turn_sender(&script, n, k));
            proptest::prop_assert!(m.delivered_at > m.sent_at);
            if k >= n && k % n == 0 {
                let answered = &script[k - n..k];
                let arrived = answered.iter().map(|a| a.delivered_at).max().unwrap();
                proptest::prop_assert!(m.sent_at > arrived, "message {} at {}", k, m.sent_at);
            }
        }
        for pair in script.windows(2) {
            proptest::prop_assert!(pair[0].sent_at <= pair[1].sent_at);
        }
    }
}
