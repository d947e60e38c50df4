//! What the adversary and the authority obtained, as counters that merge by addition (or by
//! union, for the set of users touched), so threads combine exactly.

use crate::model::{HOUR, SimTime, UserId};
use std::{collections::BTreeMap, ops::AddAssign};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A set of users, as a bitmap: merged by union.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserSet(Vec<u64>);

impl UserSet {
    /// Adds `user`.
    pub fn insert(&mut self, user: UserId) {
        let word = user as usize / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (user % 64);
    }

    /// How many users.
    pub fn len(&self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its bitmap: bit `u % 64` of word `u / 64` is user `u`, with no trailing zero word. For
    /// files that must merge exactly, where the summary's count would lose the set.
    pub fn words(&self) -> &[u64] {
        &self.0
    }

    /// The set a bitmap of [`UserSet::words`] holds (trailing zero words dropped).
    pub fn from_words(mut words: Vec<u64>) -> Self {
        while words.last() == Some(&0) {
            words.pop();
        }
        Self(words)
    }
}

impl AddAssign<&UserSet> for UserSet {
    fn add_assign(&mut self, other: &UserSet) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

impl Serialize for UserSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.len())
    }
}

/// Messages the adversary decrypted to their true plaintext, and when it could.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Exposure {
    /// Messages exposed.
    pub exposed: u64,
    /// Of which sent before the compromise that exposed them (read from the archive).
    pub retroactive: u64,
    /// Of which sent after the detection.
    pub after_detection: u64,
    /// Conversations with at least one exposed message.
    pub conversations: u64,
    /// Users who sent or received an exposed message.
    pub users: UserSet,
    /// Earliest send time of an exposed message.
    pub first_sent: Option<SimTime>,
    /// Latest send time of an exposed message.
    pub last_sent: Option<SimTime>,
    /// Exposed messages by the first whole simulated hour at or after the time they became
    /// readable: entry h counts readable times in (h − 1, h] hours, so a theft at hour 8 shows
    /// at hour 8.
    pub readable_per_hour: Vec<u64>,
    /// Every message sent, binned the same way by send time: the curve's denominator.
    pub sent_per_hour: Vec<u64>,
    /// Exposed messages by the compromise (scenario order) that first made them readable.
    pub by_compromise: Vec<u64>,
}

impl Exposure {
    /// Records one exposed message.
    pub fn record(&mut self, message: &Exposed) {
        self.exposed += 1;
        self.retroactive += u64::from(message.sent_at < message.compromised_at);
        self.after_detection += u64::from(message.after_detection);
        self.users.insert(message.sender);
        self.users.insert(message.recipient);
        self.first_sent = Some(
            self.first_sent
                .map_or(message.sent_at, |t| t.min(message.sent_at)),
        );
        self.last_sent = Some(
            self.last_sent
                .map_or(message.sent_at, |t| t.max(message.sent_at)),
        );
        bump(&mut self.readable_per_hour, hour_end(message.readable_at));
        bump(&mut self.by_compromise, message.compromise);
    }
}

/// One exposed message, as [`Exposure::record`] takes it.
#[derive(Debug, Clone, Copy)]
pub struct Exposed {
    /// Its sender.
    pub sender: UserId,
    /// Its recipient.
    pub recipient: UserId,
    /// When it was sent.
    pub sent_at: SimTime,
    /// When the adversary could first read it.
    pub readable_at: SimTime,
    /// The compromise that made it readable first (scenario order).
    pub compromise: usize,
    /// When that compromise happened.
    pub compromised_at: SimTime,
    /// Whether it was sent after the detection.
    pub after_detection: bool,
}

/// The first whole hour at or after `t`.
pub(crate) fn hour_end(t: SimTime) -> usize {
    t.div_ceil(HOUR) as usize
}

pub(crate) fn bump(series: &mut Vec<u64>, at: usize) {
    if series.len() <= at {
        series.resize(at + 1, 0);
    }
    series[at] += 1;
}

impl AddAssign<&Exposure> for Exposure {
    fn add_assign(&mut self, other: &Exposure) {
        self.exposed += other.exposed;
        self.retroactive += other.retroactive;
        self.after_detection += other.after_detection;
        self.conversations += other.conversations;
        self.users += &other.users;
        self.first_sent = min_some(self.first_sent, other.first_sent, SimTime::min);
        self.last_sent = min_some(self.last_sent, other.last_sent, SimTime::max);
        crate::model::add_series(&mut self.readable_per_hour, &other.readable_per_hour);
        crate::model::add_series(&mut self.sent_per_hour, &other.sent_per_hour);
        crate::model::add_series(&mut self.by_compromise, &other.by_compromise);
    }
}

fn min_some(
    a: Option<SimTime>,
    b: Option<SimTime>,
    pick: fn(SimTime, SimTime) -> SimTime,
) -> Option<SimTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

/// A distribution of whole numbers, as value → count: merges by addition, stays exact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Counts(pub BTreeMap<u64, u64>);

impl Counts {
    /// Adds one observation.
    pub fn add(&mut self, value: u64) {
        *self.0.entry(value).or_default() += 1;
    }

    /// Observations.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }
}

impl AddAssign<&Counts> for Counts {
    fn add_assign(&mut self, other: &Counts) {
        for (value, count) in &other.0 {
            *self.0.entry(*value).or_default() += count;
        }
    }
}

/// The one-time copy reference: single devices copied at the first compromise's time, each
/// followed on its own, and how their sessions healed. Healing is a survival quantity: a session
/// still readable when the run ends is censored there, kept apart from those that healed, so a
/// report can estimate the survival curve (Kaplan–Meier) from exact, mergeable counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Reference {
    /// Messages exposed, summed over devices.
    pub exposed: u64,
    /// Of which sent before the copy (keys still held for late messages).
    pub retroactive: u64,
    /// Per stolen session that healed: messages read after the copy before the first one it
    /// could not read.
    pub healed_messages: Counts,
    /// Per stolen session that healed: seconds from the copy to the first message it could not
    /// read.
    pub healed_seconds: Counts,
    /// Per stolen session still readable at the end of the run: messages read after the copy.
    pub censored_messages: Counts,
    /// Per stolen session still readable at the end of the run: seconds from the copy to the
    /// end.
    pub censored_seconds: Counts,
}

impl Reference {
    /// Stolen sessions followed: healed or censored.
    pub fn sessions(&self) -> u64 {
        self.healed_messages.total() + self.censored_messages.total()
    }
}

impl AddAssign<&Reference> for Reference {
    fn add_assign(&mut self, other: &Reference) {
        self.exposed += other.exposed;
        self.retroactive += other.retroactive;
        self.healed_messages += &other.healed_messages;
        self.healed_seconds += &other.healed_seconds;
        self.censored_messages += &other.censored_messages;
        self.censored_seconds += &other.censored_seconds;
    }
}

/// What the authority obtained on its targets, counted per message inside a warrant window: a
/// message between two targets counts once. A message is an evading target's if a target whose
/// warrant covers it evades.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Lawful {
    /// Target messages inside windows, of compliant targets.
    pub compliant_in_window: u64,
    /// Of which the authority read to the true plaintext.
    pub compliant_obtained: u64,
    /// Target messages inside windows, of evading targets.
    pub evading_in_window: u64,
    /// Of which the authority read.
    pub evading_obtained: u64,
}

impl AddAssign<&Lawful> for Lawful {
    fn add_assign(&mut self, other: &Lawful) {
        self.compliant_in_window += other.compliant_in_window;
        self.compliant_obtained += other.compliant_obtained;
        self.evading_in_window += other.evading_in_window;
        self.evading_obtained += other.evading_obtained;
    }
}
