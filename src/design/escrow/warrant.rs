//! Warrants: the authority opens a message only if a warrant covers it.
//!
//! The seed's regime: "a judge or a prefect" orders access to a named suspect's conversations.
//! A warrant names one target, a window of simulated time, and its issuer; it covers a message
//! the target sent or received inside the window. The check is the authority's own policy: a
//! thief with the same keys ignores it, which is the point the simulator measures.

use crate::model::{SimTime, UserId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Opener;
use crate::{design::DesignError, protocol::x3dh::AD_LEN};

/// Who signed the warrant.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Issuer {
    /// A judge (judicial interception).
    Judge,
    /// A prefect or other administrative authority (administrative interception).
    Prefect,
}

/// An order to open one user's messages over a time window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warrant {
    /// The targeted user.
    pub target: UserId,
    /// Start of the window (inclusive).
    pub from: SimTime,
    /// End of the window (exclusive).
    pub until: SimTime,
    /// Who issued it.
    pub issuer: Issuer,
}

/// A message as a provider-side wiretap records it: metadata, time and bytes.
#[derive(Debug, Clone, Copy)]
pub struct Captured<'a> {
    /// Sending user.
    pub sender: UserId,
    /// Receiving user.
    pub recipient: UserId,
    /// When it was sent.
    pub sent_at: SimTime,
    /// The envelope bytes on the wire.
    pub bytes: &'a [u8],
    /// The conversation's associated data `IK_A ‖ IK_B`, from the public key directory.
    pub associated_data: &'a [u8; AD_LEN],
}

impl Warrant {
    /// Whether this warrant covers `message`.
    pub fn check(&self, message: &Captured<'_>) -> Result<(), DesignError> {
        if self.target != message.sender && self.target != message.recipient {
            return Err(DesignError::OutsideWarrant(
                "target neither sent nor received it",
            ));
        }
        if message.sent_at < self.from || message.sent_at >= self.until {
            return Err(DesignError::OutsideWarrant(
                "sent outside the warrant's window",
            ));
        }
        Ok(())
    }
}

/// The authority's lawful path: opens `message` only if `warrant` covers it.
pub fn open_under_warrant(
    warrant: &Warrant,
    opener: &mut Opener,
    message: &Captured<'_>,
) -> Result<Vec<u8>, DesignError> {
    warrant.check(message)?;
    opener.open(message.bytes, message.associated_data)
}
