//! The adversary and the authority: who sees what, which secrets they hold, and what they
//! actually decrypt.
//!
//! The adversary sees every wire message (a provider- or state-level wiretap, with an archive
//! whose retention is a parameter) and gains secrets at compromise events: escrow keys or
//! shares, copies of devices, the power to add ghost devices, the backup key. The authority
//! holds its own keys and opens its targets' messages inside warrant windows. Both are measured
//! the same way: by decrypting captured bytes with only the secrets held, and comparing with
//! the true plaintext. Nothing is counted from a design's label.

mod assess;
mod config;
mod device;
mod follower;
mod implant;
mod metrics;
mod roles;
pub mod spec;
mod survival;
mod transcript;
mod verdicts;
mod warrant;

pub use self::{
    assess::{Context, Outcome, assess},
    config::{Adversary, Lawful as LawfulConfig},
    follower::Follower,
    implant::{Implant, implants},
    metrics::{Counts, Exposed, Exposure, Lawful, Reference, UserSet},
    roles::{DeviceCopy, Owner, Roles, Target},
    spec::{AdversarySpec, Compromise, LawfulSpec},
    survival::Survival,
    transcript::{Copied, Transcript},
    verdicts::Verdicts,
    warrant::{Issuer, Warrant},
};
