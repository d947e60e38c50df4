//! One conversation under one design, from its first message (X3DH) to the end of its script,
//! with real cryptography on every message: the sender encrypts, the recipient decrypts and
//! checks the plaintext, both through the design's own client path ([`Device`]). Beside the
//! messages the design keeps its own part ([`DesignConversation`]: ghost copies, backups), and
//! the run leaves a [`Transcript`] of what the adversary and the authority capture, which
//! [`crate::adversary::assess`] then measures.

use std::time::Instant;

use rand_chacha::ChaCha20Rng;

use super::{
    events::{EventRow, Recorder},
    metrics::DesignMetrics,
    plan::Pair,
};
use crate::{
    adversary::{self, Adversary, Copied, Roles, Transcript, Verdicts},
    design::superencrypt::SuperKey,
    design::{ConversationSetup, Deployed, DesignConversation, DesignError, Device, Sent},
    model::{
        HOUR, Scripted, Side, SimTime, Stream, Timing, elapsed_ns,
        order::{Event, message_events},
        plaintext, rng,
    },
    protocol::{Account, PreKeyBundle},
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
    pub adversary: Option<&'a Adversary>,
}

/// Simulates `conversation` under `design`, adding to `metrics` and `timing`.
pub fn simulate(
    setting: &Setting<'_>,
    conversation: &Conversation<'_>,
    design: &dyn Deployed,
    metrics: &mut DesignMetrics,
    timing: &mut Timing,
) {
    simulate_recorded(setting, conversation, design, metrics, timing, None);
}

/// [`simulate`], also appending one event row per message to `events`' rows, for the design
/// whose index `events` gives: filled where the counts are added, so they sum to them.
pub fn simulate_recorded(
    setting: &Setting<'_>,
    conversation: &Conversation<'_>,
    design: &dyn Deployed,
    metrics: &mut DesignMetrics,
    timing: &mut Timing,
    events: Option<(u32, &mut Vec<EventRow>)>,
) {
    let Some(first) = conversation.script.first() else {
        return;
    };
    let started = Instant::now();
    let clock = Instant::now();
    let seed = setting.seed;
    let id = conversation.id;
    let mut crypto = rng(seed, Stream::Crypto { conversation: id });
    let users = [conversation.pair.a, conversation.pair.b];
    let mut devices =
        users.map(|user| Device::new(Account::new(&mut rng(seed, Stream::Identity { user }))));
    let initiator = first.from;
    // Each side's prekey bundle of its *peer*, used up when it starts a session: the initiator's
    // now, the responder's only if it must start one itself (its peer's first message failed).
    let mut bundles: [Option<PreKeyBundle>; 2] = [None, None];
    bundles[initiator.index()] = Some(fetch_bundle(
        &mut devices[initiator.other().index()].account,
        &mut crypto,
    ));
    let count = conversation.script.len();
    let mut recorder =
        events.map(|(index, rows)| Recorder::start(rows, index, id, users, conversation.script));
    let mut transcript = Transcript {
        conversation: id,
        users,
        horizon: setting.horizon,
        associated_data: None,
        superkey: setting
            .roles
            .evading(users[0], users[1])
            .then(|| SuperKey::generate(&mut rng(seed, Stream::SuperKey { conversation: id }))),
        wire: vec![None; count],
        delivered: vec![false; count],
        copies: Vec::new(),
    };
    let no_access = Vec::new();
    let access = users.map(|user| {
        setting
            .roles
            .provider_access
            .get(&user)
            .unwrap_or(&no_access)
    });
    let mut part = design.conversation(&ConversationSetup {
        seed,
        conversation: id,
        users,
        horizon: setting.horizon,
        access: [access[0], access[1]],
    });
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
    events.extend(
        part.schedule()
            .into_iter()
            .map(|(at, side)| (at, Event::Tick(side))),
    );
    if let Some(detected) = setting
        .adversary
        .filter(|a| a.rekey_on_detection)
        .and_then(|a| a.detected_at)
    {
        events.push((detected, Event::Rekey));
    }
    events.sort_unstable();
    let mut in_flight: Vec<Option<Vec<u8>>> = vec![None; count];

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
                if device.session.is_some() {
                    device.rekey();
                    let responder = &mut devices[initiator.other().index()].account;
                    bundles[initiator.index()] = Some(fetch_bundle(responder, &mut crypto));
                }
            }
            Event::Send(index) => {
                let index = index as usize;
                let message = &conversation.script[index];
                let from = message.from;
                let Ok(text) = app_plaintext(transcript.superkey.as_ref(), id, index, message.size)
                else {
                    metrics.failed += 1;
                    continue;
                };
                let peer = from.other().index();
                if devices[from.index()].session.is_none() && bundles[from.index()].is_none() {
                    bundles[from.index()] =
                        Some(fetch_bundle(&mut devices[peer].account, &mut crypto));
                }
                let device = &mut devices[from.index()];
                let sent = device.send(
                    design,
                    &mut bundles[from.index()],
                    &mut crypto,
                    &text,
                    now,
                    timing,
                );
                let Ok(sent) = sent else {
                    metrics.failed += 1;
                    continue;
                };
                if transcript.associated_data.is_none() {
                    transcript.associated_data =
                        device.session.as_ref().map(|s| *s.associated_data());
                }
                let clock = Instant::now();
                let beside = Sent {
                    side: from,
                    index,
                    at: now,
                    text: &text,
                };
                part.sent(&beside, &mut crypto);
                timing.escrow_ns += elapsed_ns(clock);
                metrics.sent += 1;
                metrics.dh_steps += u64::from(sent.dh_step);
                metrics.plaintext_bytes += u64::from(message.size);
                metrics.wire_bytes += sent.bytes.len() as u64;
                if let Some(recorder) = recorder.as_mut() {
                    recorder.sent(index, sent.bytes.len(), sent.dh_step);
                }
                let hour = (now / HOUR) as usize;
                if metrics.sent_per_hour.len() <= hour {
                    metrics.sent_per_hour.resize(hour + 1, 0);
                }
                metrics.sent_per_hour[hour] += 1;
                if capture {
                    transcript.wire[index] = Some(sent.bytes.clone());
                }
                in_flight[index] = Some(sent.bytes);
            }
            Event::Deliver(index) => {
                let index = index as usize;
                let Some(bytes) = in_flight[index].take() else {
                    continue;
                };
                let message = &conversation.script[index];
                let to = message.from.other();
                let device = &mut devices[to.index()];
                let received = device.receive(design, &bytes, message.sent_at, timing);
                if let Ok(incoming) = &received {
                    metrics.handshakes += u64::from(incoming.handshake);
                }
                let received = received.ok().map(|incoming| incoming.text);
                let truth = plaintext(id, index, message.size);
                let read = match (&received, &transcript.superkey) {
                    (Some(text), Some(key)) => key.open(index as u64, text).ok(),
                    (text, None) => text.clone(),
                    (None, Some(_)) => None,
                };
                if read.is_some_and(|text| text == truth) {
                    metrics.delivered += 1;
                    transcript.delivered[index] = true;
                    if let Some(recorder) = recorder.as_mut() {
                        recorder.delivered(index, now);
                    }
                    if let Some(text) = received {
                        part.read(to, index, &text);
                    }
                } else {
                    metrics.failed += 1;
                }
            }
            Event::Tick(side) => {
                let clock = Instant::now();
                part.tick(side, now);
                timing.escrow_ns += elapsed_ns(clock);
            }
        }
    }
    take_copies(SimTime::MAX, &mut copies, &devices, &mut transcript);
    if capture {
        let mut verdicts = recorder.as_ref().map(|_| Verdicts::new(count));
        measure(
            setting,
            conversation,
            &transcript,
            part.as_mut(),
            metrics,
            timing,
            verdicts.as_mut(),
        );
        if let (Some(recorder), Some(verdicts)) = (recorder.as_mut(), &verdicts) {
            recorder.measured(verdicts);
        }
    }
    timing.total_ns += elapsed_ns(started);
}

/// The adversary's and the authority's reading of the finished conversation.
fn measure(
    setting: &Setting<'_>,
    conversation: &Conversation<'_>,
    transcript: &Transcript,
    part: &mut dyn DesignConversation,
    metrics: &mut DesignMetrics,
    timing: &mut Timing,
    verdicts: Option<&mut Verdicts>,
) {
    let clock = Instant::now();
    let context = adversary::Context {
        adversary: setting.adversary,
        roles: setting.roles,
    };
    let outcome = adversary::Outcome {
        exposure: &mut metrics.exposure,
        reference: &mut metrics.reference,
        implant: &mut metrics.implant,
        lawful: &mut metrics.lawful,
        verdicts,
    };
    adversary::assess(transcript, conversation.script, &context, part, outcome);
    timing.adversary_ns += elapsed_ns(clock);
}

/// What the messenger app is given to send: the user's text, superencrypted first if an
/// evading target is in the conversation. A failure to superencrypt is a failed message, never
/// the text in the clear.
pub fn app_plaintext(
    superkey: Option<&SuperKey>,
    conversation: u64,
    index: usize,
    size: u32,
) -> Result<Vec<u8>, DesignError> {
    let text = plaintext(conversation, index, size);
    match superkey {
        Some(key) => key.seal(index as u64, &text),
        None => Ok(text),
    }
}

/// The prekey bundle a user's peer fetches to start a session with it, with a fresh one-time
/// prekey.
fn fetch_bundle(account: &mut Account, crypto: &mut ChaCha20Rng) -> PreKeyBundle {
    account.generate_one_time_prekeys(crypto, 1);
    account.prekey_bundle()
}

#[cfg(test)]
mod test {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    use super::*;

    /// An evading target's app hands the messenger only the superencrypted text, which opens
    /// back to the true plaintext; without a key it hands the plaintext.
    #[test]
    fn an_evading_app_never_hands_over_the_plaintext() {
        let key = SuperKey::generate(&mut ChaCha20Rng::seed_from_u64(1));
        let truth = plaintext(3, 7, 40);
        let sealed = app_plaintext(Some(&key), 3, 7, 40).unwrap();
        assert_ne!(sealed, truth);
        assert_eq!(key.open(7, &sealed).unwrap(), truth);
        assert_eq!(app_plaintext(None, 3, 7, 40).unwrap(), truth);
    }
}
