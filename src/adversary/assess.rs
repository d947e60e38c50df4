//! The measurement: after a conversation ends, the adversary and the authority try to decrypt
//! what they captured with only what they hold, and each message counts as exposed (or
//! obtained) only if a decryption returned its true plaintext.

use super::{
    Authority, Holdings, Roles, Transcript, device,
    metrics::{Exposed, Exposure, Lawful},
    spec::AdversarySpec,
};
use crate::model::{Scripted, Side, SimTime};
use crate::{
    design::{
        Design, DesignSpec,
        backup::{self, BackupKey},
        escrow::{Opener, Verification},
    },
    sim::metrics::DesignMetrics,
};

/// What the measurement needs besides the conversation: the run-wide facts for one design.
pub struct Context<'a> {
    /// The design.
    pub design: &'a Design,
    /// The scenario's adversary, if any.
    pub adversary: Option<&'a AdversarySpec>,
    /// Who is compromised or warranted.
    pub roles: &'a Roles,
    /// The adversary's secrets for this design.
    pub holdings: &'a Holdings,
    /// The authority's.
    pub authority: &'a Authority,
}

/// The earliest time each message became readable to the adversary, and through which
/// compromise (index, time).
pub(super) type Readable = Vec<Option<(SimTime, usize, SimTime)>>;

/// Measures one finished conversation into `metrics`.
pub fn assess(
    transcript: &Transcript,
    script: &[Scripted],
    context: &Context<'_>,
    metrics: &mut DesignMetrics,
) {
    let truth = |index: usize| transcript.truth(index, script[index].size);
    let mut readable: Readable = vec![None; script.len()];
    if let Some(adversary) = context.adversary {
        escrow(
            transcript,
            script,
            context,
            adversary,
            &truth,
            &mut readable,
        );
        device::devices(
            transcript,
            script,
            adversary,
            &truth,
            &mut readable,
            &mut metrics.reference,
        );
        ghosts(transcript, script, &truth, &mut readable);
        backups(transcript, context, &truth, &mut readable);
        super::implants(
            transcript,
            script,
            adversary.detected_at(),
            &mut metrics.implant,
        );
        record(
            transcript,
            script,
            adversary,
            &readable,
            &mut metrics.exposure,
        );
    }
    if !context.roles.targets.is_empty() {
        lawful(transcript, script, context, &truth, &mut metrics.lawful);
    }
}

pub(super) fn offer(
    readable: &mut Readable,
    index: usize,
    at: SimTime,
    compromise: usize,
    since: SimTime,
) {
    if readable[index].is_none_or(|(t, _, _)| at < t) {
        readable[index] = Some((at, compromise, since));
    }
}

fn verification(design: &Design) -> Verification {
    match design.spec() {
        DesignSpec::Escrow(spec) => spec.verification,
        _ => Verification::Full,
    }
}

/// Escrow fields opened with the stolen keys: live after the theft, from the archive before.
/// Each holding (the keys held from one compromise on) reads every captured message in send
/// order, keeping every chain key it opens, as a thief would: a message counts from the earliest
/// holding that reads it.
fn escrow(
    transcript: &Transcript,
    script: &[Scripted],
    context: &Context<'_>,
    adversary: &AdversarySpec,
    truth: &dyn Fn(usize) -> Vec<u8>,
    readable: &mut Readable,
) {
    let Some(ad) = transcript.associated_data.as_ref() else {
        return;
    };
    for (at, compromise, ring) in &context.holdings.escrow {
        let mut opener = Opener::new(ring.clone(), verification(context.design));
        for (index, bytes) in transcript.wire.iter().enumerate() {
            let Some(bytes) = bytes else { continue };
            let sent_at = script[index].sent_at;
            if sent_at < adversary.archive_start(*at) {
                continue;
            }
            if opener
                .open(bytes, ad)
                .is_ok_and(|text| text == truth(index))
            {
                offer(readable, index, sent_at.max(*at), *compromise, *at);
            }
        }
    }
}

/// Ghost devices read their fan-out: the adversary's (`attacker`) or the authority's.
fn ghost_reads(
    transcript: &Transcript,
    truth: &dyn Fn(usize) -> Vec<u8>,
    attacker: bool,
) -> Vec<(usize, Side, Option<usize>)> {
    let mut reads = Vec::new();
    for (t, tap) in transcript.ghosts.iter().enumerate() {
        if tap.attacker.is_some() != attacker {
            continue;
        }
        let mut device = tap.device.clone();
        let mut reader = device.reader();
        for copy in transcript.ghost_copies.iter().filter(|c| c.tap == t) {
            if device
                .receive(&mut reader, &copy.bytes)
                .is_ok_and(|text| text == truth(copy.index))
            {
                reads.push((copy.index, tap.side, tap.attacker));
            }
        }
    }
    reads
}

/// The adversary's ghosts: each message read is readable from its send time.
fn ghosts(
    transcript: &Transcript,
    script: &[Scripted],
    truth: &dyn Fn(usize) -> Vec<u8>,
    readable: &mut Readable,
) {
    for (index, _, compromise) in ghost_reads(transcript, truth, true) {
        if let Some(compromise) = compromise {
            let sent_at = script[index].sent_at;
            offer(readable, index, sent_at, compromise, sent_at);
        }
    }
}

/// Backups opened with a stolen backup key: every upload under that key's generation.
fn backups(
    transcript: &Transcript,
    context: &Context<'_>,
    truth: &dyn Fn(usize) -> Vec<u8>,
    readable: &mut Readable,
) {
    for (at, compromise, generation, key) in &context.holdings.backup {
        for blob in transcript
            .backups
            .iter()
            .filter(|b| b.generation == *generation)
        {
            for index in open_backup(transcript, key, blob, truth) {
                offer(readable, index, blob.at.max(*at), *compromise, *at);
            }
        }
    }
}

/// The messages a backup holds that open to their true plaintext under `key`.
fn open_backup(
    transcript: &Transcript,
    key: &BackupKey,
    blob: &super::BackupBlob,
    truth: &dyn Fn(usize) -> Vec<u8>,
) -> Vec<usize> {
    let user = transcript.users[blob.side.index()];
    backup::open(key, user, blob.number, &blob.bytes)
        .map(|entries| {
            entries
                .into_iter()
                .filter_map(|(number, text)| {
                    let index = usize::try_from(number).ok()?;
                    (index < transcript.wire.len() && text == truth(index)).then_some(index)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn record(
    transcript: &Transcript,
    script: &[Scripted],
    adversary: &AdversarySpec,
    readable: &Readable,
    exposure: &mut Exposure,
) {
    let detected = adversary.detected_at();
    for (index, message) in script.iter().enumerate() {
        if transcript.wire[index].is_some() {
            super::metrics::bump(
                &mut exposure.sent_per_hour,
                super::metrics::hour_end(message.sent_at),
            );
        }
    }
    let mut any = false;
    for (index, entry) in readable.iter().enumerate() {
        let Some((readable_at, compromise, compromised_at)) = *entry else {
            continue;
        };
        any = true;
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
    script: &[Scripted],
    context: &Context<'_>,
    truth: &dyn Fn(usize) -> Vec<u8>,
    lawful: &mut Lawful,
) {
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
    match context.design.spec() {
        DesignSpec::Plain => {
            // The spyware alternative: an implant on the target's device reads what the device
            // itself encrypts and decrypts.
            for (index, message) in script.iter().enumerate() {
                obtained[message.from.index()][index] = transcript.wire[index].is_some();
                obtained[message.from.other().index()][index] = transcript.delivered[index];
            }
        }
        DesignSpec::Escrow(_) => {
            if let (Some(ring), Some(ad)) = (&context.authority.escrow, &transcript.associated_data)
            {
                let mut opener = Opener::new(ring.clone(), verification(context.design));
                for (index, bytes) in transcript.wire.iter().enumerate() {
                    let Some(bytes) = bytes.as_ref().filter(|_| covered[index]) else {
                        continue;
                    };
                    let ok = opener
                        .open(bytes, ad)
                        .is_ok_and(|text| text == truth(index));
                    obtained[0][index] = ok;
                    obtained[1][index] = ok;
                }
            }
        }
        DesignSpec::Ghost(_) => {
            for (index, side, _) in ghost_reads(transcript, truth, false) {
                obtained[side.index()][index] = true;
            }
        }
        DesignSpec::Backup(_) => {
            if let Some(keys) = &context.authority.backup {
                for blob in &transcript.backups {
                    let key = keys.key(blob.generation);
                    for index in open_backup(transcript, key, blob, truth) {
                        obtained[blob.side.index()][index] = true;
                    }
                }
            }
        }
    }
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
