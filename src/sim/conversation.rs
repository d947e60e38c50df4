//! One conversation under one design, from its first message (X3DH) to the end of its script,
//! with real cryptography on every message: the sender encrypts, the recipient decrypts and
//! checks the plaintext.

use std::time::Instant;

use super::{
    metrics::{DesignMetrics, Timing},
    plan::Pair,
    seed::{Stream, rng},
    traffic::{Scripted, Side},
};
use crate::{
    design::{Design, Endpoint, SimTime, UserId, envelope},
    protocol::{Account, Session},
};

/// A conversation to simulate.
#[derive(Debug, Clone, Copy)]
pub struct Conversation<'a> {
    /// Its id: its index in the plan.
    pub id: u64,
    /// Its two users.
    pub pair: Pair,
    /// Its traffic.
    pub script: &'a [Scripted],
}

/// A user's device in this conversation.
struct Device {
    account: Account,
    session: Option<Session>,
    endpoint: Endpoint,
}

/// The plaintext of message `index`: unique per conversation and message, so a decryption that
/// returns another message's bytes counts as a failure.
pub fn plaintext(conversation: u64, index: usize, size: u32) -> Vec<u8> {
    let mut bytes = vec![(index as u8) ^ 0x5A; size as usize];
    let id = (conversation << 24) ^ index as u64;
    for (byte, value) in bytes.iter_mut().zip(id.to_be_bytes()) {
        *byte = value;
    }
    bytes
}

fn elapsed_ns(since: Instant) -> u64 {
    since.elapsed().as_nanos() as u64
}

/// Simulates `conversation` under `design`, adding to `metrics` and `timing`.
pub fn simulate(
    seed: u64,
    conversation: &Conversation<'_>,
    design: &Design,
    metrics: &mut DesignMetrics,
    timing: &mut Timing,
) {
    let Some(first) = conversation.script.first() else {
        return;
    };
    let started = Instant::now();
    let clock = Instant::now();
    let mut crypto = rng(seed, Stream::Crypto, conversation.id);
    let user = |side: Side| -> UserId {
        if side == 0 {
            conversation.pair.a
        } else {
            conversation.pair.b
        }
    };
    let mut devices = [0, 1].map(|side| Device {
        account: Account::new(&mut rng(seed, Stream::Identity, u64::from(user(side)))),
        session: None,
        endpoint: Endpoint::default(),
    });
    let initiator = first.from;
    devices[1 - initiator]
        .account
        .generate_one_time_prekeys(&mut crypto, 1);
    let bundle = devices[1 - initiator].account.prekey_bundle();
    timing.handshake_ns += elapsed_ns(clock);
    metrics.conversations += 1;

    let mut events: Vec<(SimTime, bool, u32)> = Vec::with_capacity(2 * conversation.script.len());
    for (index, message) in conversation.script.iter().enumerate() {
        events.push((message.sent_at, false, index as u32));
        events.push((message.delivered_at, true, index as u32));
    }
    events.sort_unstable();
    let mut in_flight: Vec<Option<Vec<u8>>> = vec![None; conversation.script.len()];

    for (now, is_delivery, index) in events {
        let index = index as usize;
        let message = &conversation.script[index];
        if !is_delivery {
            let device = &mut devices[message.from];
            if device.session.is_none() {
                let clock = Instant::now();
                device.session = device.account.initiate(&mut crypto, &bundle).ok();
                timing.handshake_ns += elapsed_ns(clock);
            }
            let Some(session) = device.session.as_mut() else {
                metrics.failed += 1;
                continue;
            };
            let text = plaintext(conversation.id, index, message.size);
            let clock = Instant::now();
            let Ok((wire, trace)) = session.encrypt_traced(&mut crypto, &text) else {
                metrics.failed += 1;
                continue;
            };
            let sealed = Instant::now();
            timing.ratchet_ns += (sealed - clock).as_nanos() as u64;
            let field = design.seal_field(
                &mut device.endpoint,
                &wire,
                &trace,
                session.associated_data(),
                now,
            );
            timing.escrow_ns += elapsed_ns(sealed);
            let Ok(bytes) = field.and_then(|field| envelope::seal(&field, &wire)) else {
                metrics.failed += 1;
                continue;
            };
            metrics.sent += 1;
            metrics.dh_steps += u64::from(trace.chain_start.is_some());
            metrics.plaintext_bytes += u64::from(message.size);
            metrics.wire_bytes += bytes.len() as u64;
            let hour = (now / crate::design::HOUR) as usize;
            if metrics.sent_per_hour.len() <= hour {
                metrics.sent_per_hour.resize(hour + 1, 0);
            }
            metrics.sent_per_hour[hour] += 1;
            in_flight[index] = Some(bytes);
        } else {
            let Some(bytes) = in_flight[index].take() else {
                continue;
            };
            let device = &mut devices[1 - message.from];
            let ok = receive(design, device, &bytes, now, timing, metrics)
                .is_some_and(|text| text == plaintext(conversation.id, index, message.size));
            if ok {
                metrics.delivered += 1;
            } else {
                metrics.failed += 1;
            }
        }
    }
    timing.total_ns += elapsed_ns(started);
}

/// Decrypts and checks one envelope on `device`, starting its session if this is the first.
fn receive(
    design: &Design,
    device: &mut Device,
    bytes: &[u8],
    now: SimTime,
    timing: &mut Timing,
    metrics: &mut DesignMetrics,
) -> Option<Vec<u8>> {
    let (field, wire) = envelope::open(bytes).ok()?;
    let clock = Instant::now();
    match device.session.as_mut() {
        Some(session) => {
            let decrypted = session.decrypt_pending(wire).ok()?;
            let opened = Instant::now();
            timing.ratchet_ns += (opened - clock).as_nanos() as u64;
            let checked = design.check_field(
                &mut device.endpoint,
                field,
                wire,
                &decrypted.trace,
                session,
                now,
            );
            let checked_at = Instant::now();
            timing.escrow_ns += (checked_at - opened).as_nanos() as u64;
            checked.ok()?;
            let committed = session.commit(decrypted).ok();
            timing.ratchet_ns += elapsed_ns(checked_at);
            committed.map(|(plaintext, _)| plaintext)
        }
        None => {
            let accepted = device.account.accept_pending(wire).ok()?;
            let opened = Instant::now();
            timing.handshake_ns += (opened - clock).as_nanos() as u64;
            let checked = design.check_field(
                &mut device.endpoint,
                field,
                wire,
                &accepted.trace,
                &accepted.session,
                now,
            );
            timing.escrow_ns += elapsed_ns(opened);
            checked.ok()?;
            let (session, plaintext, _) = device.account.commit(accepted).ok()?;
            device.session = Some(session);
            metrics.handshakes += 1;
            Some(plaintext)
        }
    }
}
