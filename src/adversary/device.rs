//! Stolen device copies, each followed through the ratchet on its own: the adversary's feed the
//! exposure; the reference victims' measure what one plain device copy exposes and how its
//! sessions heal. The follower replays the copied side's events in the engine's own order
//! ([`crate::model::order`]), so it holds exactly the state the victim's device held.

use super::{Follower, Owner, Transcript, config::Adversary, metrics::Reference};
use crate::model::order::side_events;
use crate::{
    design::capture::Readable,
    model::{Scripted, SimTime},
};

/// Stolen device copies followed through the ratchet: the adversary's, into `readable`; the
/// reference victims', each on its own, into `reference`.
pub(super) fn devices(
    transcript: &Transcript,
    script: &[Scripted],
    adversary: &Adversary,
    truth: &dyn Fn(usize) -> Vec<u8>,
    readable: &mut Readable,
    reference: &mut Reference,
) {
    for copy in &transcript.copies {
        let at = copy.at;
        let mut follower = Follower::new(copy.session.clone(), transcript.superkey.as_ref());
        let mut read = vec![false; script.len()];
        for (index, own) in side_events(script, copy.side, at) {
            // The victim's own messages are caught live; those it receives may have been sent
            // before the copy, so only what the archive still holds.
            let archived = own || script[index].sent_at >= adversary.archive.start(at);
            let Some(bytes) = transcript.wire[index].as_ref().filter(|_| archived) else {
                continue;
            };
            read[index] = follower
                .read(bytes, index, own)
                .is_some_and(|text| text == truth(index));
        }
        match copy.owner {
            Owner::Attacker(compromise) => {
                for index in (0..script.len()).filter(|&i| read[i]) {
                    readable.offer(index, script[index].sent_at.max(at), compromise, at);
                }
            }
            Owner::Reference(_) => heal(
                script,
                &read,
                at,
                transcript.horizon,
                copy.session.is_some(),
                reference,
            ),
        }
    }
}

/// One reference copy's exposure and how its session healed: the messages sent after the copy
/// that it read before the first one it could not (healed then), or, if it read every one, how
/// many it read and how long it was followed (censored at the end of the run, `horizon`).
fn heal(
    script: &[Scripted],
    read: &[bool],
    at: SimTime,
    horizon: SimTime,
    stolen: bool,
    reference: &mut Reference,
) {
    for (index, message) in script.iter().enumerate() {
        if read[index] {
            reference.exposed += 1;
            reference.retroactive += u64::from(message.sent_at < at);
        }
    }
    if !stolen {
        return;
    }
    // The script is sorted by send time, so this is send order.
    let after = script
        .iter()
        .enumerate()
        .filter(|(_, m)| m.sent_at >= at)
        .map(|(i, m)| (m.sent_at, i));
    let mut messages = 0;
    for (sent_at, index) in after {
        if !read[index] {
            reference.healed_messages.add(messages);
            reference.healed_seconds.add(sent_at - at);
            return;
        }
        messages += 1;
    }
    reference.censored_messages.add(messages);
    reference.censored_seconds.add(horizon.saturating_sub(at));
}
