//! A conversation's traffic script: who sends what, when, and when it arrives. Drawn from the
//! conversation's own traffic stream, so every design of a run replays exactly the same script.
//!
//! Exchanges start at Poisson times. Under the `natural` pattern each exchange has a geometric
//! number of turns, each turn a geometric burst from one side. Under `alternating` and
//! `fixed_bursts` the order of senders is fixed across the whole conversation (turns of 1 or
//! `n` messages), and a side starts its turn only once every message of the turn it answers
//! has arrived: a reply comes after reading, so delivery delays can reorder messages within a
//! turn (on one chain) but never across turns, and the DH ratchet steps exactly at each turn.

use crate::model::{Scripted, Side, SimTime};
use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use crate::scenario::{Pattern, Traffic};

/// Exponential sample with the given mean.
fn exponential<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> f64 {
    -mean * (1.0 - rng.random::<f64>()).ln()
}

/// A count ≥ 1 with the given mean (geometric).
fn count<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u32 {
    if mean <= 1.0 {
        return 1;
    }
    let p = 1.0 / mean;
    let u = 1.0 - rng.random::<f64>();
    1 + (u.ln() / (1.0 - p).ln()).floor().min(1e6) as u32
}

/// The script of a conversation whose users send `rates` messages per day into it, over
/// `horizon` seconds. Sorted by send time; the responder never sends before it has received the
/// initiator's first message (it has no session until then), so its early messages wait.
pub fn script<R: Rng + ?Sized>(
    traffic: &Traffic,
    rates: [f64; 2],
    horizon: SimTime,
    rng: &mut R,
) -> Vec<Scripted> {
    let mut messages = match traffic.pattern {
        Pattern::Natural => natural(traffic, rates, horizon, rng),
        Pattern::Alternating => fixed(traffic, 1, rates, horizon, rng),
        Pattern::FixedBursts { n } => fixed(traffic, n.max(1), rates, horizon, rng),
    };
    messages.sort_by_key(|m| m.sent_at);
    hold_until_session(&mut messages);
    messages
}

/// How many exchanges a conversation starts per day, at the users' `rates` (messages a day),
/// each of `burst_mean × turns_mean` messages on average, whatever the pattern.
fn exchanges_per_day(traffic: &Traffic, rates: [f64; 2]) -> f64 {
    (rates[0] + rates[1]) / (traffic.burst_mean * traffic.turns_mean)
}

/// Geometric bursts and turns; exchanges may overlap, and are sorted by the caller.
fn natural<R: Rng + ?Sized>(
    traffic: &Traffic,
    rates: [f64; 2],
    horizon: SimTime,
    rng: &mut R,
) -> Vec<Scripted> {
    let exchanges_per_day = exchanges_per_day(traffic, rates);
    let mut messages = Vec::new();
    if exchanges_per_day <= 0.0 {
        return messages;
    }
    let horizon_s = horizon as f64;
    let mean_between = crate::model::DAY as f64 / exchanges_per_day;
    let starter_p = rates[0] / (rates[0] + rates[1]);
    let mut start = 0.0;
    loop {
        start += exponential(rng, mean_between);
        if start >= horizon_s {
            break;
        }
        let mut side = if rng.random::<f64>() < starter_p {
            Side::A
        } else {
            Side::B
        };
        let mut t = start;
        for turn in 0..count(rng, traffic.turns_mean) {
            if turn > 0 {
                t += exponential(rng, traffic.reply_delay_mean_s);
                side = side.other();
            }
            for message in 0..count(rng, traffic.burst_mean) {
                if message > 0 {
                    t += exponential(rng, traffic.burst_gap_mean_s);
                }
                if t >= horizon_s {
                    break;
                }
                messages.push(message_at(traffic, side, t as SimTime, rng));
            }
        }
    }
    messages
}

/// Turns of exactly `turn` messages, the sides strictly alternating across exchanges. The first
/// sender is drawn by the users' rates; the rates then only set how often exchanges start
/// (both sides send alike). An exchange has a geometric number of messages with mean
/// `burst_mean × turns_mean`; one starting while the previous still runs waits for it.
fn fixed<R: Rng + ?Sized>(
    traffic: &Traffic,
    turn: u32,
    rates: [f64; 2],
    horizon: SimTime,
    rng: &mut R,
) -> Vec<Scripted> {
    let exchanges_per_day = exchanges_per_day(traffic, rates);
    let mut messages: Vec<Scripted> = Vec::new();
    if exchanges_per_day <= 0.0 {
        return messages;
    }
    let horizon_s = horizon as f64;
    let mean_between = crate::model::DAY as f64 / exchanges_per_day;
    let first = if rng.random::<f64>() < rates[0] / (rates[0] + rates[1]) {
        Side::A
    } else {
        Side::B
    };
    let turn = u64::from(turn);
    let mut sent: u64 = 0;
    // When the last message of the previous turn, and of the current one, have all arrived.
    let mut answered_by: SimTime = 0;
    let mut turn_delivered: SimTime = 0;
    let mut t = 0.0;
    let mut start = 0.0;
    loop {
        start += exponential(rng, mean_between);
        if start >= horizon_s {
            break;
        }
        t = f64::max(t, start);
        for message in 0..count(rng, traffic.burst_mean * traffic.turns_mean) {
            let side = if (sent / turn).is_multiple_of(2) {
                first
            } else {
                first.other()
            };
            let turns = sent > 0 && sent.is_multiple_of(turn);
            if message > 0 {
                let mean = if turns {
                    traffic.reply_delay_mean_s
                } else {
                    traffic.burst_gap_mean_s
                };
                t += exponential(rng, mean);
            }
            if turns {
                // A reply after reading: strictly after the turn it answers has arrived.
                answered_by = turn_delivered;
                turn_delivered = 0;
            }
            if sent >= turn {
                t = t.max((answered_by + 1) as f64);
            }
            if t >= horizon_s {
                return messages;
            }
            let scripted = message_at(traffic, side, t as SimTime, rng);
            turn_delivered = turn_delivered.max(scripted.delivered_at);
            messages.push(scripted);
            sent += 1;
        }
    }
    messages
}

fn message_at<R: Rng + ?Sized>(
    traffic: &Traffic,
    from: Side,
    sent_at: SimTime,
    rng: &mut R,
) -> Scripted {
    let delivery = &traffic.delivery;
    let mut delay = exponential(rng, delivery.latency_mean_s);
    if rng.random::<f64>() < delivery.offline_probability {
        delay += exponential(rng, delivery.offline_mean_s);
    }
    let sizes = &traffic.message_bytes;
    let normal: f64 = rng.sample(StandardNormal);
    let size = (sizes.median.ln() + sizes.sigma * normal).exp().round();
    Scripted {
        from,
        sent_at,
        delivered_at: sent_at + (delay.ceil() as SimTime).max(1),
        size: size.clamp(1.0, f64::from(sizes.max)) as u32,
    }
}

/// Moves the responder's messages sent before its first receipt to just after it.
fn hold_until_session(messages: &mut [Scripted]) {
    let Some(first) = messages.first() else {
        return;
    };
    let initiator = first.from;
    let Some(session_at) = messages
        .iter()
        .filter(|m| m.from == initiator)
        .map(|m| m.delivered_at)
        .min()
    else {
        return;
    };
    for message in messages
        .iter_mut()
        .filter(|m| m.from != initiator && m.sent_at <= session_at)
    {
        let delay = message.delivered_at - message.sent_at;
        message.sent_at = session_at + 1;
        message.delivered_at = message.sent_at + delay;
    }
    messages.sort_by_key(|m| m.sent_at);
}
