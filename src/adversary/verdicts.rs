//! Per message of one conversation, what the measurement counted: the exposure and the lawful
//! reading as [`super::assess`] adds them up, recorded where it adds them, so that an event
//! table's rows sum to the summary's counts by construction.

use crate::design::capture::Reading;

/// What the measurement counted for each message of one conversation, by message index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdicts {
    /// The reading that counted the message as exposed: the first compromise to open it, and
    /// when; `None` if the adversary never read it.
    pub exposed: Vec<Option<Reading>>,
    /// Whether it counted as inside a warrant window of either of its users.
    pub warranted: Vec<bool>,
    /// Whether it counted as obtained: read by the authority through a covering warrant.
    pub obtained: Vec<bool>,
}

impl Verdicts {
    /// Nothing counted yet, for `messages` messages.
    pub fn new(messages: usize) -> Self {
        Self {
            exposed: vec![None; messages],
            warranted: vec![false; messages],
            obtained: vec![false; messages],
        }
    }
}
