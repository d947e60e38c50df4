//! One conversation under one design, from its first message (X3DH) to the end of its script,
//! with real cryptography on every message: the sender encrypts, the recipient decrypts and
//! checks the plaintext. Beside the messages it leaves a [`Transcript`] of what the adversary
//! and the authority capture, which [`crate::adversary::assess`] then measures.

use crate::model::{HOUR, Scripted, Side, SimTime, Stream, plaintext, rng};
use std::time::Instant;

use super::{
    metrics::{DesignMetrics, Timing},
    order::{Event, message_events},
    plan::Pair,
};
use crate::{
    adversary::{
        self, AdversarySpec, Authority, BackupBlob, BackupKeys, Copied, GhostCopy, GhostTap,
        Holdings, Roles, Transcript,
    },
    design::{
        Design, DesignSpec, Endpoint, backup, envelope,
        ghost::{GhostDevice, GhostFanout},
        superencrypt::SuperKey,
    },
    protocol::{Account, PreKeyBundle, Session},
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

/// One design as the engine runs it: the clients' behaviour and who holds which secrets.
pub struct DesignRun {
    /// The design.
    pub design: Design,
    /// The provider's backup keys clients seal their backups under (backup designs).
    pub backup: Option<BackupKeys>,
    /// The authority's keys.
    pub authority: Authority,
    /// The adversary's.
    pub holdings: Holdings,
}

/// The run-wide facts every conversation shares.
#[derive(Clone, Copy)]
pub struct Setting<'a> {
    /// The scenario seed.
    pub seed: u64,
    /// The run's length.
    pub horizon: SimTime,
    /// Roles of users.
    pub roles: &'a Roles,
    /// The adversary, if the scenario has one.
    pub adversary: Option<&'a AdversarySpec>,
}

/// A user's device in this conversation.
struct Device {
    account: Account,
    session: Option<Session>,
    endpoint: Endpoint,
    /// The session replaced by a re-key, kept for messages still in flight on it.
    previous: Option<(Session, Endpoint)>,
}

fn elapsed_ns(since: Instant) -> u64 {
    since.elapsed().as_nanos() as u64
}

/// A ghost device's fan-out from one sender, while the ghost is in place.
struct Fanout {
    sender: Side,
    from: SimTime,
    until: SimTime,
    session: GhostFanout,
}

/// Simulates `conversation` under `run`, adding to `metrics` and `timing`.
pub fn simulate(
    setting: &Setting<'_>,
    conversation: &Conversation<'_>,
    run: &DesignRun,
    metrics: &mut DesignMetrics,
    timing: &mut Timing,
) {
    let Some(first) = conversation.script.first() else {
        return;
    };
    let started = Instant::now();
    let clock = Instant::now();
    let seed = setting.seed;
    let design = &run.design;
    let mut crypto = rng(
        seed,
        Stream::Crypto {
            conversation: conversation.id,
        },
    );
    let users = [conversation.pair.a, conversation.pair.b];
    let mut devices = users.map(|user| Device {
        account: Account::new(&mut rng(seed, Stream::Identity { user })),
        session: None,
        endpoint: Endpoint::default(),
        previous: None,
    });
    let initiator = first.from;
    // Each side's prekey bundle of its *peer*, used up when it starts a session: the initiator's
    // now, the responder's only if it must start one itself (its peer's first message failed).
    let mut bundles: [Option<PreKeyBundle>; 2] = [None, None];
    bundles[initiator.index()] = Some(fetch_bundle(
        &mut devices[initiator.other().index()].account,
        &mut crypto,
    ));
    let count = conversation.script.len();
    let mut transcript = Transcript {
        conversation: conversation.id,
        users,
        horizon: setting.horizon,
        associated_data: None,
        superkey: setting.roles.evading(users[0], users[1]).then(|| {
            SuperKey::generate(&mut rng(
                seed,
                Stream::SuperKey {
                    conversation: conversation.id,
                },
            ))
        }),
        wire: vec![None; count],
        delivered: vec![false; count],
        copies: Vec::new(),
        ghosts: Vec::new(),
        ghost_copies: Vec::new(),
        backups: Vec::new(),
    };
    let mut fanouts = ghost_taps(setting, conversation, design, &mut transcript);
    // Keep the wire bytes only for someone who will try to read them.
    let capture = setting.adversary.is_some() || !setting.roles.targets.is_empty();
    timing.handshake_ns += elapsed_ns(clock);
    metrics.conversations += 1;

    let mut copies: Vec<(SimTime, adversary::Owner, Side)> = Side::BOTH
        .into_iter()
        .flat_map(|side| {
            let list = setting.roles.copies.get(&users[side.index()]);
            list.into_iter()
                .flatten()
                .map(move |copy| (copy.at, copy.owner, side))
        })
        .collect();
    copies.sort_unstable();
    copies.reverse();

    // One order for every event (`order::Event`), shared with the adversary's device follower.
    let mut events = message_events(conversation.script);
    let backup_interval = match design.spec() {
        DesignSpec::Backup(spec) => Some(SimTime::from(spec.interval_hours.max(1)) * HOUR),
        _ => None,
    };
    if let Some(interval) = backup_interval {
        for (side, user) in Side::BOTH.into_iter().zip(users) {
            let phase = u64::from(user).wrapping_mul(0x9E37_79B9_7F4A_7C15) % interval;
            let mut at = if phase == 0 { interval } else { phase };
            while at <= setting.horizon {
                events.push((at, Event::Backup(side)));
                at += interval;
            }
        }
    }
    if let Some(detected) = setting
        .adversary
        .filter(|a| a.rekey_on_detection)
        .and_then(|a| a.detected_at())
    {
        events.push((detected, Event::Rekey));
    }
    events.sort_unstable();
    let mut in_flight: Vec<Option<Vec<u8>>> = vec![None; count];
    // Each side's messages since its last backup, and its backups so far.
    let mut history: [Vec<(SimTime, Vec<u8>)>; 2] = [Vec::new(), Vec::new()];
    let mut backups_made = [0u64; 2];

    // Device copies due by `now` are taken before anything happens at `now`.
    let take_copies = |now: SimTime,
                       copies: &mut Vec<(SimTime, adversary::Owner, Side)>,
                       devices: &[Device; 2],
                       transcript: &mut Transcript| {
        while let Some((at, owner, side)) = copies.pop_if(|(at, _, _)| *at <= now) {
            transcript.copies.push(Copied {
                owner,
                side,
                at,
                session: devices[side.index()].session.clone(),
            });
        }
    };

    for (now, event) in events {
        take_copies(now, &mut copies, &devices, &mut transcript);
        match event {
            Event::Rekey => {
                let device = &mut devices[initiator.index()];
                if let Some(session) = device.session.take() {
                    let endpoint = std::mem::take(&mut device.endpoint);
                    device.previous = Some((session, endpoint));
                    let responder = &mut devices[initiator.other().index()].account;
                    bundles[initiator.index()] = Some(fetch_bundle(responder, &mut crypto));
                }
            }
            Event::Send(index) => {
                let index = index as usize;
                let message = &conversation.script[index];
                let text = app_plaintext(&transcript, conversation.id, index, message.size);
                let from = message.from;
                if devices[from.index()].session.is_none() && bundles[from.index()].is_none() {
                    bundles[from.index()] = Some(fetch_bundle(
                        &mut devices[from.other().index()].account,
                        &mut crypto,
                    ));
                }
                let Some((bytes, dh_step)) = send(
                    design,
                    &mut devices[from.index()],
                    &mut bundles[from.index()],
                    &mut crypto,
                    &text,
                    now,
                    timing,
                ) else {
                    metrics.failed += 1;
                    continue;
                };
                if transcript.associated_data.is_none() {
                    transcript.associated_data = devices[message.from.index()]
                        .session
                        .as_ref()
                        .map(|s| *s.associated_data());
                }
                let clock = Instant::now();
                for (tap, fanout) in fanouts.iter_mut().enumerate() {
                    if fanout.sender == message.from && fanout.from <= now && now < fanout.until {
                        let device = &mut transcript.ghosts[tap].device;
                        if let Ok(copy) = fanout.session.send(&mut crypto, device, &text) {
                            transcript.ghost_copies.push(GhostCopy {
                                tap,
                                index,
                                bytes: copy,
                            });
                        }
                    }
                }
                timing.adversary_ns += elapsed_ns(clock);
                metrics.sent += 1;
                metrics.dh_steps += u64::from(dh_step);
                metrics.plaintext_bytes += u64::from(message.size);
                metrics.wire_bytes += bytes.len() as u64;
                let hour = (now / HOUR) as usize;
                if metrics.sent_per_hour.len() <= hour {
                    metrics.sent_per_hour.resize(hour + 1, 0);
                }
                metrics.sent_per_hour[hour] += 1;
                if backup_interval.is_some() {
                    history[message.from.index()].push((index as u64, text));
                }
                if capture {
                    transcript.wire[index] = Some(bytes.clone());
                }
                in_flight[index] = Some(bytes);
            }
            Event::Deliver(index) => {
                let index = index as usize;
                let Some(bytes) = in_flight[index].take() else {
                    continue;
                };
                let message = &conversation.script[index];
                let device = &mut devices[message.from.other().index()];
                let received = receive(design, device, &bytes, message.sent_at, timing, metrics);
                let truth = plaintext(conversation.id, index, message.size);
                let read = match (&received, &transcript.superkey) {
                    (Some(text), Some(key)) => key.open(index as u64, text).ok(),
                    (text, None) => text.clone(),
                    (None, Some(_)) => None,
                };
                if read.is_some_and(|text| text == truth) {
                    metrics.delivered += 1;
                    transcript.delivered[index] = true;
                    if let (Some(text), true) = (received, backup_interval.is_some()) {
                        history[message.from.other().index()].push((index as u64, text));
                    }
                } else {
                    metrics.failed += 1;
                }
            }
            Event::Backup(side) => {
                let entries = std::mem::take(&mut history[side.index()]);
                if entries.is_empty() {
                    continue;
                }
                let Some(keys) = &run.backup else {
                    continue;
                };
                let clock = Instant::now();
                let generation = keys.generation_at(now);
                let number = conversation.id << 20 | backups_made[side.index()];
                backups_made[side.index()] += 1;
                if let Ok(bytes) =
                    backup::seal(keys.key(generation), users[side.index()], number, &entries)
                {
                    transcript.backups.push(BackupBlob {
                        side,
                        at: now,
                        number,
                        generation,
                        bytes,
                    });
                }
                timing.escrow_ns += elapsed_ns(clock);
            }
        }
    }
    take_copies(SimTime::MAX, &mut copies, &devices, &mut transcript);
    if !capture {
        timing.total_ns += elapsed_ns(started);
        return;
    }
    let clock = Instant::now();
    let context = adversary::Context {
        design,
        adversary: setting.adversary,
        roles: setting.roles,
        holdings: &run.holdings,
        authority: &run.authority,
    };
    adversary::assess(&transcript, conversation.script, &context, metrics);
    timing.adversary_ns += elapsed_ns(clock);
    timing.total_ns += elapsed_ns(started);
}

/// What the messenger app is given to send: the user's text, superencrypted first if an
/// evading target is in the conversation.
fn app_plaintext(transcript: &Transcript, conversation: u64, index: usize, size: u32) -> Vec<u8> {
    let text = plaintext(conversation, index, size);
    match &transcript.superkey {
        Some(key) => key.seal(index as u64, &text).unwrap_or(text),
        None => text,
    }
}

/// The ghost devices on this conversation's users (ghost designs only), one per ghosting and
/// sender side, with the fan-out sessions that feed them.
fn ghost_taps(
    setting: &Setting<'_>,
    conversation: &Conversation<'_>,
    design: &Design,
    transcript: &mut Transcript,
) -> Vec<Fanout> {
    let DesignSpec::Ghost(spec) = design.spec() else {
        return Vec::new();
    };
    let mut fanouts = Vec::new();
    for side in Side::BOTH {
        let user = transcript.users[side.index()];
        let ghostings = setting.roles.ghosts.get(&user).into_iter().flatten();
        for (number, ghosting) in ghostings.enumerate() {
            let ghosting_number = number as u32;
            let notice = Stream::GhostNotice {
                user,
                ghosting: ghosting_number,
            };
            let noticed = spec.noticed_at(
                &mut rng(setting.seed, notice),
                ghosting.from,
                setting.horizon,
            );
            let until = noticed.map_or(ghosting.until, |t| t.min(ghosting.until));
            for sender in Side::BOTH {
                let stream = Stream::GhostDevice {
                    conversation: conversation.id,
                    ghosting: ghosting_number,
                    side,
                    sender,
                };
                let device = GhostDevice::new(&mut rng(setting.seed, stream));
                transcript.ghosts.push(GhostTap {
                    attacker: ghosting.attacker,
                    side,
                    sender,
                    device,
                });
                fanouts.push(Fanout {
                    sender,
                    from: ghosting.from,
                    until,
                    session: GhostFanout::default(),
                });
            }
        }
    }
    fanouts
}

/// The prekey bundle a user's peer fetches to start a session with it, with a fresh one-time
/// prekey.
fn fetch_bundle(account: &mut Account, crypto: &mut rand_chacha::ChaCha20Rng) -> PreKeyBundle {
    account.generate_one_time_prekeys(crypto, 1);
    account.prekey_bundle()
}

/// Encrypts one message on `device`, starting its session with the peer's `bundle` (used up)
/// if it has none, and wraps it with the design's field. Also says whether it took a DH
/// ratchet step.
fn send(
    design: &Design,
    device: &mut Device,
    bundle: &mut Option<PreKeyBundle>,
    crypto: &mut rand_chacha::ChaCha20Rng,
    text: &[u8],
    now: SimTime,
    timing: &mut Timing,
) -> Option<(Vec<u8>, bool)> {
    if device.session.is_none() {
        let clock = Instant::now();
        device.session = bundle
            .take()
            .and_then(|bundle| device.account.initiate(crypto, &bundle).ok());
        timing.handshake_ns += elapsed_ns(clock);
    }
    let session = device.session.as_mut()?;
    let clock = Instant::now();
    let (wire, trace) = session.encrypt_traced(crypto, text).ok()?;
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
    let bytes = field.and_then(|field| envelope::seal(&field, &wire)).ok()?;
    Some((bytes, trace.chain_start.is_some()))
}

/// Decrypts and checks one envelope, sent at `sent_at`, on `device`: on its session, else on the
/// session a re-key replaced, else as the initial message of a new session (the first, or a
/// re-key's).
fn receive(
    design: &Design,
    device: &mut Device,
    bytes: &[u8],
    sent_at: SimTime,
    timing: &mut Timing,
    metrics: &mut DesignMetrics,
) -> Option<Vec<u8>> {
    let (field, wire) = envelope::open(bytes).ok()?;
    if let Some(session) = device.session.as_mut()
        && let Some(text) = receive_on(
            design,
            session,
            &mut device.endpoint,
            field,
            wire,
            sent_at,
            timing,
        )
    {
        return Some(text);
    }
    if let Some((session, endpoint)) = device.previous.as_mut()
        && let Some(text) = receive_on(design, session, endpoint, field, wire, sent_at, timing)
    {
        return Some(text);
    }
    let clock = Instant::now();
    let accepted = device.account.accept_pending(wire).ok()?;
    let opened = Instant::now();
    timing.handshake_ns += (opened - clock).as_nanos() as u64;
    let mut endpoint = Endpoint::default();
    let checked = design.check_field(
        &mut endpoint,
        field,
        wire,
        &accepted.trace,
        &accepted.session,
        sent_at,
    );
    timing.escrow_ns += elapsed_ns(opened);
    checked.ok()?;
    let (session, plaintext, _) = device.account.commit(accepted).ok()?;
    if let Some(old) = device.session.replace(session) {
        device.previous = Some((old, std::mem::replace(&mut device.endpoint, endpoint)));
    } else {
        device.endpoint = endpoint;
    }
    metrics.handshakes += 1;
    Some(plaintext)
}

/// Decrypts, checks and commits one message, sent at `sent_at`, on an existing session.
fn receive_on(
    design: &Design,
    session: &mut Session,
    endpoint: &mut Endpoint,
    field: &[u8],
    wire: &[u8],
    sent_at: SimTime,
    timing: &mut Timing,
) -> Option<Vec<u8>> {
    let clock = Instant::now();
    let decrypted = session.decrypt_pending(wire).ok();
    let opened = Instant::now();
    timing.ratchet_ns += (opened - clock).as_nanos() as u64;
    let decrypted = decrypted?;
    let checked = design.check_field(endpoint, field, wire, &decrypted.trace, session, sent_at);
    let checked_at = Instant::now();
    timing.escrow_ns += (checked_at - opened).as_nanos() as u64;
    checked.ok()?;
    let committed = session.commit(decrypted).ok();
    timing.ratchet_ns += elapsed_ns(checked_at);
    committed.map(|(plaintext, _)| plaintext)
}
