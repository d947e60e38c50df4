//! What holders read from: one conversation's captured wire bytes ([`Wiretap`]), the earliest
//! time each message became readable to the adversary ([`Readable`]), and the provider-side
//! access a party has to a user ([`ProviderAccess`]).

use crate::{
    model::{Scripted, SimTime, UserId, plaintext},
    protocol::x3dh::AD_LEN,
};

/// One finished conversation as a wiretap captured it.
pub struct Wiretap<'a> {
    /// The conversation's id.
    pub conversation: u64,
    /// Its two users, by side.
    pub users: [UserId; 2],
    /// Its script.
    pub script: &'a [Scripted],
    /// Per message: the envelope on the wire, if it was sent.
    pub wire: &'a [Option<Vec<u8>>],
    /// Per message: whether the recipient read it.
    pub delivered: &'a [bool],
    /// `IK_A ‖ IK_B`, public: from the key directory.
    pub associated_data: Option<&'a [u8; AD_LEN]>,
}

impl Wiretap<'_> {
    /// The true plaintext of message `index`, as its user wrote it.
    pub fn truth(&self, index: usize) -> Vec<u8> {
        plaintext(self.conversation, index, self.script[index].size)
    }

    /// Whether `text` is message `index`'s true plaintext.
    pub fn is_truth(&self, index: usize, text: &[u8]) -> bool {
        index < self.script.len() && text == self.truth(index)
    }
}

/// Per message, the earliest time it became readable to the adversary, through which
/// compromise, and when that compromise happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readable(Vec<Option<Reading>>);

/// One way a message became readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reading {
    /// When it became readable.
    pub at: SimTime,
    /// The compromise (scenario order) that made it readable.
    pub compromise: usize,
    /// When that compromise happened.
    pub since: SimTime,
}

impl Readable {
    /// Nothing readable yet, for `messages` messages.
    pub fn new(messages: usize) -> Self {
        Self(vec![None; messages])
    }

    /// Message `index` is readable from `at` through `compromise` (taken at `since`). The
    /// earliest reading counts, and of simultaneous ones the first compromise, whatever the
    /// order in which designs and devices report them.
    pub fn offer(&mut self, index: usize, at: SimTime, compromise: usize, since: SimTime) {
        let reading = Reading {
            at,
            compromise,
            since,
        };
        let slot = &mut self.0[index];
        if slot.is_none_or(|held| (reading.at, reading.compromise) < (held.at, held.compromise)) {
            *slot = Some(reading);
        }
    }

    /// Every message's reading, by index.
    pub fn readings(&self) -> &[Option<Reading>] {
        &self.0
    }
}

/// Who holds a provider-side access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holder {
    /// The authority, under a warrant.
    Authority,
    /// The adversary, through compromise number `n` (scenario order).
    Attacker(usize),
}

/// A period in which a party can make the provider act on one user's account (add a device):
/// the authority under a warrant, or an adversary holding the provider's power.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderAccess {
    /// Who.
    pub holder: Holder,
    /// From when.
    pub from: SimTime,
    /// Until when (warrant end, or detection); a user may notice earlier.
    pub until: SimTime,
}
