//! Warrants: the authority reads a message only if a warrant covers it, through whatever path
//! the design gives it.
//!
//! The seed's regime: "a judge or a prefect" orders access to a named suspect's conversations.
//! A warrant names one target, a window of simulated time, and its issuer; it covers a message
//! the target sent or received inside the window. The check is the authority's own policy: a
//! thief with the same keys ignores it, which is the point the simulator measures.

use crate::model::{SimTime, UserId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

impl Warrant {
    /// Whether the warrant's window holds time `t`.
    pub fn covers(&self, t: SimTime) -> bool {
        self.from <= t && t < self.until
    }
}
