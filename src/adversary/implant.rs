//! The implant reference: what spyware on one `plain` phone reads, the yardstick of
//! "equivalent devices compromised".
//!
//! An implant reads the phone's stored history and everything the phone sends or receives until
//! it is removed (at the detection, or never): every message the device itself wrote, and every
//! message it received and decrypted to the true plaintext. It is measured on the reference
//! victims (the same users as the one-time device copies), on the same population and traffic
//! as every design, so "this leak is like hacking N phones" compares like with like.

use crate::model::{Scripted, SimTime};
use std::ops::AddAssign;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Owner, Transcript};

/// Messages the reference victims' implants read, summed over victims.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Implant {
    /// Messages read, summed over the reference devices.
    pub exposed: u64,
}

impl AddAssign<&Implant> for Implant {
    fn add_assign(&mut self, other: &Implant) {
        self.exposed += other.exposed;
    }
}

/// Counts what an implant on each reference victim of this conversation reads before
/// `removed_at` (`None`: never removed).
pub fn implants(
    transcript: &Transcript,
    script: &[Scripted],
    removed_at: Option<SimTime>,
    implant: &mut Implant,
) {
    let removed_at = removed_at.unwrap_or(SimTime::MAX);
    for copy in &transcript.copies {
        if !matches!(copy.owner, Owner::Reference(_)) {
            continue;
        }
        let read = script.iter().enumerate().filter(|(index, message)| {
            if message.from == copy.side {
                transcript.wire[*index].is_some() && message.sent_at < removed_at
            } else {
                transcript.delivered[*index] && message.delivered_at < removed_at
            }
        });
        implant.exposed += read.count() as u64;
    }
}
