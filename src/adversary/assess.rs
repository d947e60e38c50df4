//! The measurement: after a conversation ends, the adversary and the authority try to decrypt
//! what they captured with only what they hold, and each message counts as exposed (or
//! obtained) only if a decryption returned its true plaintext.

use super::{
    Implant, Roles, Transcript,
    config::Adversary,
    device,
    metrics::{Exposed, Exposure, Lawful, Reference},
    verdicts::Verdicts,
};
use crate::{
    design::{
        DesignConversation,
        capture::{Readable, Reading, Wiretap},
    },
    model::Scripted,
};

/// What the measurement needs besides the conversation: the run-wide facts.
pub struct Context<'a> {
    /// The scenario's adversary, if any.
    pub adversary: Option<&'a Adversary>,
    /// Who is compromised or warranted.
    pub roles: &'a Roles,
}

/// Where a conversation's measurement adds up.
pub struct Outcome<'a> {
    /// What the adversary read.
    pub exposure: &'a mut Exposure,
    /// What the one-time reference copies read, and how they healed.
    pub reference: &'a mut Reference,
    /// What the reference implants read.
    pub implant: &'a mut Implant,
    /// What the authority obtained.
    pub lawful: &'a mut Lawful,
    /// Per message, what was counted: for an event table (`None`: counts only).
    pub verdicts: Option<&'a mut Verdicts>,
}

/// Measures one finished conversation into `metrics`: what the design's secrets read (its
/// `design` part), what stolen device copies read, and what the authority obtained.
pub fn assess(
    transcript: &Transcript,
    script: &[Scripted],
    context: &Context<'_>,
    design: &mut dyn DesignConversation,
    mut metrics: Outcome<'_>,
) {
    let tap = transcript.tap(script);
    if let Some(adversary) = context.adversary {
        let mut readable = Readable::new(script.len());
        design.expose(&tap, &adversary.archive, &mut readable);
        let truth = |index: usize| tap.truth(index);
        device::devices(
            transcript,
            script,
            adversary,
            &truth,
            &mut readable,
            metrics.reference,
        );
        super::implants(transcript, script, adversary.detected_at, metrics.implant);
        record(
            transcript,
            script,
            adversary,
            &readable,
            metrics.exposure,
            metrics.verdicts.as_deref_mut(),
        );
    }
    if !context.roles.targets.is_empty() {
        lawful(
            transcript,
            &tap,
            context,
            design,
            metrics.lawful,
            metrics.verdicts,
        );
    }
}

fn record(
    transcript: &Transcript,
    script: &[Scripted],
    adversary: &Adversary,
    readable: &Readable,
    exposure: &mut Exposure,
    mut verdicts: Option<&mut Verdicts>,
) {
    let detected = adversary.detected_at;
    for (index, message) in script.iter().enumerate() {
        if transcript.wire[index].is_some() {
            super::metrics::bump(
                &mut exposure.sent_per_hour,
                super::metrics::hour_end(message.sent_at),
            );
        }
    }
    let mut any = false;
    for (index, entry) in readable.readings().iter().enumerate() {
        let Some(
            reading @ Reading {
                at: readable_at,
                compromise,
                since: compromised_at,
            },
        ) = *entry
        else {
            continue;
        };
        any = true;
        if let Some(verdicts) = verdicts.as_deref_mut() {
            verdicts.exposed[index] = Some(reading);
        }
        let message = &script[index];
        exposure.record(&Exposed {
            sender: transcript.users[message.from.index()],
            recipient: transcript.users[message.from.other().index()],
            sent_at: message.sent_at,
            readable_at,
            compromise,
            compromised_at,
            after_detection: detected.is_some_and(|d| message.sent_at >= d),
        });
    }
    exposure.conversations += u64::from(any);
}

/// The authority's reading of its targets' messages, through the design's own path.
fn lawful(
    transcript: &Transcript,
    tap: &Wiretap<'_>,
    context: &Context<'_>,
    design: &mut dyn DesignConversation,
    lawful: &mut Lawful,
    mut verdicts: Option<&mut Verdicts>,
) {
    let script = tap.script;
    // Only messages inside a warrant window of one of the two users matter: open nothing else.
    let covered: Vec<bool> = script
        .iter()
        .enumerate()
        .map(|(index, message)| {
            transcript.wire[index].is_some()
                && transcript
                    .users
                    .iter()
                    .any(|&user| context.roles.warrant_at(user, message.sent_at).is_some())
        })
        .collect();
    if !covered.contains(&true) {
        return;
    }
    let n = script.len();
    // obtained[side][index]: the authority read message `index` through `side`'s warrant.
    let mut obtained = [vec![false; n], vec![false; n]];
    design.obtain(tap, &covered, &mut obtained);
    // Each message counts once: inside a window if either user's warrant covers it, obtained
    // if the authority read it through any covering warrant, and an evading target's message if
    // a covering target evades.
    for (index, message) in script.iter().enumerate() {
        if !covered[index] {
            continue;
        }
        let mut got = false;
        let mut evades = false;
        for side in [0, 1] {
            if let Some(target) = context
                .roles
                .warrant_at(transcript.users[side], message.sent_at)
            {
                got |= obtained[side][index];
                evades |= target.evades;
            }
        }
        if let Some(verdicts) = verdicts.as_deref_mut() {
            verdicts.warranted[index] = true;
            verdicts.obtained[index] = got;
        }
        let got = u64::from(got);
        if evades {
            lawful.evading_in_window += 1;
            lawful.evading_obtained += got;
        } else {
            lawful.compliant_in_window += 1;
            lawful.compliant_obtained += got;
        }
    }
}
