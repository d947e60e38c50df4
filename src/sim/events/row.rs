//! One row of an event table, and how one conversation under one design fills its rows as it
//! runs: the send, the delivery, then what the measurement counted.

use crate::{
    adversary::Verdicts,
    model::{Scripted, SimTime, UserId},
};

/// One message under one design: what happened to it and who read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRow {
    /// The conversation's id (its index in the plan).
    pub conversation: u64,
    /// The design's index in the scenario.
    pub design: u32,
    /// The message's index in its conversation's script.
    pub message: u32,
    /// Who sent it.
    pub sender: UserId,
    /// Who it was for.
    pub recipient: UserId,
    /// When it was sent, in seconds from the start of the run.
    pub sent_at: SimTime,
    /// When it was delivered and read to its true plaintext; `None` if it never was.
    pub delivered_at: Option<SimTime>,
    /// Its plaintext's bytes.
    pub plaintext_bytes: u32,
    /// Its bytes on the wire, envelope included; `None` if it could not be sent.
    pub wire_bytes: Option<u32>,
    /// Whether its sender took a DH ratchet step for it (a new sending chain).
    pub dh_step: bool,
    /// The compromise (scenario order) that first made it readable to the adversary; `None` if
    /// the adversary never read it.
    pub exposed_by: Option<u32>,
    /// When the adversary could first read it, in seconds; `None` if never.
    pub readable_at: Option<SimTime>,
    /// Whether it counted as inside a warrant window of either of its users.
    pub warranted: bool,
    /// Whether the authority read it through a covering warrant.
    pub obtained: bool,
}

/// One conversation's rows under one design, filled as the conversation runs.
#[derive(Debug)]
pub struct Recorder<'a> {
    rows: &'a mut [EventRow],
}

impl<'a> Recorder<'a> {
    /// Appends a row for each message of `script` to `rows` and returns their recorder: what
    /// the script fixes is filled now, what happens to each message later.
    pub fn start(
        rows: &'a mut Vec<EventRow>,
        design: u32,
        conversation: u64,
        users: [UserId; 2],
        script: &[Scripted],
    ) -> Self {
        let first = rows.len();
        rows.extend(script.iter().enumerate().map(|(index, message)| EventRow {
            conversation,
            design,
            message: index as u32,
            sender: users[message.from.index()],
            recipient: users[message.from.other().index()],
            sent_at: message.sent_at,
            delivered_at: None,
            plaintext_bytes: message.size,
            wire_bytes: None,
            dh_step: false,
            exposed_by: None,
            readable_at: None,
            warranted: false,
            obtained: false,
        }));
        Self {
            rows: &mut rows[first..],
        }
    }

    /// Message `index` went out as `wire` bytes.
    pub fn sent(&mut self, index: usize, wire: usize, dh_step: bool) {
        if let Some(row) = self.rows.get_mut(index) {
            row.wire_bytes = Some(u32::try_from(wire).unwrap_or(u32::MAX));
            row.dh_step = dh_step;
        }
    }

    /// Message `index` was delivered and read at `at`.
    pub fn delivered(&mut self, index: usize, at: SimTime) {
        if let Some(row) = self.rows.get_mut(index) {
            row.delivered_at = Some(at);
        }
    }

    /// What the measurement counted, message by message.
    pub fn measured(&mut self, verdicts: &Verdicts) {
        for (index, row) in self.rows.iter_mut().enumerate() {
            if let Some(reading) = verdicts.exposed.get(index).copied().flatten() {
                row.exposed_by = Some(u32::try_from(reading.compromise).unwrap_or(u32::MAX));
                row.readable_at = Some(reading.at);
            }
            row.warranted = verdicts.warranted.get(index).copied().unwrap_or(false);
            row.obtained = verdicts.obtained.get(index).copied().unwrap_or(false);
        }
    }
}
