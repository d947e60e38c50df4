//! Exceptional-access designs: what a messaging system adds on top of the protocol so that an
//! authority can read some traffic, and what key material that creates.
//!
//! | design | key material | who holds it | opens |
//! |---|---|---|---|
//! | `plain` | none | nobody | nothing: only a device compromise reads traffic, until healing |
//! | `escrow` | authority HPKE key(s): one global, one per epoch, or one split k-of-n | the authority, or its trustees | what the granularity escrows, past and future, for as long as the key lives |
//! | `ghost` | a hidden device's sessions | the provider | a target's messages from the time the ghost is added |
//! | `backup` | a provider-held backup key | the provider | every backed-up message history |
//!
//! Each design's module states its trust model and sources. Designs are chosen from scenario
//! JSON through [`DesignSpec`], so one scenario compares several side by side.

#[macro_use]
mod registry;

pub mod capture;
mod client;
pub mod envelope;
mod error;
mod kind;
mod secret;
pub mod superencrypt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use self::{
    client::{Device, Endpoint, Incoming, Outgoing},
    error::DesignError,
    kind::{
        Checking, ConversationSetup, Cost, Deployed, Design, DesignConversation, Load, Registered,
        Sealing, Sent, Setup,
    },
    secret::{Archive, Secret, Theft},
};

designs! {
    /// End-to-end encryption with no exceptional access.
    plain::Plain(PlainSpec),
    /// Every message carries an escrow field encrypted to an authority key.
    escrow::Escrow(EscrowSpec),
    /// The provider can add a hidden recipient device to chosen users.
    ghost::Ghost(GhostSpec),
    /// Clients back up their history under a provider-held key.
    backup::Backup(BackupSpec),
}

impl DesignSpec {
    /// A short label for tables and plots, e.g. `escrow/epoch24h-keep30d/chain`.
    pub fn label(&self) -> String {
        self.design().label()
    }
}
