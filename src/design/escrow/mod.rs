//! Escrow: every message carries a field that encrypts key material to an authority.
//!
//! **Trust model.** Clients hold only the authority's public keys ([`Directory`]). The authority
//! (or its trustees, for a split key) holds the private keys ([`AuthorityKeys`]); whoever holds
//! one — the authority under a warrant, or an attacker who stole it — opens every field sealed to
//! it, for every message it covers, past and future, for as long as the wire archive and the key
//! exist. Nothing is forward-secret against the key holder: "all known methods of achieving
//! third-party escrow are incompatible with forward secrecy" (Abelson et al. 2015).
//!
//! **Granularity** ([`Granularity`]) sets what a field escrows:
//! - `message`: each message key (a public-key operation on every message);
//! - `chain`: each chain key, once per DH ratchet step and again when the epoch changes
//!   mid-chain; the holder derives every later message key of the chain with KDF_CK. Each message
//!   repeats the chain's current field, so any single captured message opens, and the HPKE cost is
//!   paid once per chain and epoch;
//! - `session`: the session's starting keys (the root key RK₁ and the initiator's first chain key),
//!   carried by the initial messages only. It opens the initiator's first chain and *nothing
//!   after the first DH ratchet step*: the next root key needs a DH output that only the two
//!   devices can compute. Escrowing SK alone would open nothing at all.
//!
//! **Scope** ([`Scope`]) sets which key: one global key, a key per epoch with retention, or a key
//! split k-of-n among trustees (see [`keys`]).
//!
//! **Recipient verification** ([`Verification`]): `full` recomputes the field byte for byte (see
//! [`field`]) and rejects a message whose field differs or names a key not in use when the
//! message was sent; it needs only public keys, so a key deleted while a message is in flight
//! refuses nothing. `checksum16` checks only a 16-bit checksum, as the Clipper chip did, which a
//! rogue sender defeats by trial ([`checksum`]).

pub mod checksum;
mod deployed;
mod field;
pub mod keys;
mod opener;
mod policy;
mod ring;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use self::{
    deployed::Escrow,
    keys::{AuthorityKeys, Directory},
    opener::Opener,
    policy::{EscrowEndpoint, EscrowPolicy},
    ring::KeyRing,
};
use super::DesignError;

/// An escrow design as written in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscrowSpec {
    /// Which authority key a message is escrowed to.
    pub scope: Scope,
    /// What is escrowed.
    pub granularity: Granularity,
    /// How a recipient checks the field. Default: `full`.
    #[serde(default)]
    pub verification: Verification,
}

impl EscrowSpec {
    /// A label such as `escrow/global/message`.
    pub fn label(&self) -> String {
        let scope = match &self.scope {
            Scope::Global => "global".to_string(),
            Scope::Epoch {
                length_hours,
                retention_hours,
            } => match retention_hours {
                r if *r >= 24 && r % 24 == 0 => format!("epoch{length_hours}h-keep{}d", r / 24),
                r => format!("epoch{length_hours}h-keep{r}h"),
            },
            Scope::Split {
                threshold,
                trustees,
            } => format!("{threshold}of{}", trustees.len()),
        };
        let granularity = match self.granularity {
            Granularity::Message => "message",
            Granularity::Chain => "chain",
            Granularity::Session => "session",
        };
        let weak = match self.verification {
            Verification::Full => "",
            Verification::Checksum16 => "/checksum16",
        };
        format!("escrow/{scope}/{granularity}{weak}")
    }

    /// Checks the parameters: a positive epoch length, 1 ≤ k ≤ n ≤ 255 trustees.
    pub fn validate(&self) -> Result<(), DesignError> {
        match &self.scope {
            Scope::Global => Ok(()),
            Scope::Epoch { length_hours, .. } if *length_hours == 0 => {
                Err(DesignError::InvalidParameter {
                    field: "length_hours",
                    expected: "at least 1",
                })
            }
            Scope::Epoch { .. } => Ok(()),
            Scope::Split {
                threshold,
                trustees,
            } => {
                if *threshold == 0 || usize::from(*threshold) > trustees.len() {
                    Err(DesignError::InvalidParameter {
                        field: "threshold",
                        expected: "between 1 and the number of trustees",
                    })
                } else if trustees.len() > 255 {
                    Err(DesignError::InvalidParameter {
                        field: "trustees",
                        expected: "at most 255",
                    })
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// Which authority key covers a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// One key for all time.
    Global,
    /// One key per epoch; each deleted `retention_hours` after its epoch ends.
    Epoch {
        /// Epoch length, in hours.
        length_hours: u32,
        /// How long the authority keeps an epoch's private key after the epoch ends, in hours.
        retention_hours: u32,
    },
    /// One key, Shamir-split among named trustees; `threshold` of them rebuild it.
    Split {
        /// k: shares needed.
        threshold: u8,
        /// The n trustees, by name (e.g. "judge", "prefect", "CNCTR").
        trustees: Vec<String>,
    },
}

impl Scope {
    /// The hours `[created, deleted)` during which epoch `epoch`'s private key exists: from its
    /// epoch's start until `retention_hours` after its end. `None` for single-key scopes, whose
    /// key lives for the whole run.
    pub fn epoch_key_life_hours(&self, epoch: u32) -> Option<(u64, u64)> {
        match self {
            Scope::Epoch {
                length_hours,
                retention_hours,
            } => {
                let start = u64::from(epoch) * u64::from(*length_hours);
                Some((
                    start,
                    start + u64::from(*length_hours) + u64::from(*retention_hours),
                ))
            }
            Scope::Global | Scope::Split { .. } => None,
        }
    }
}

/// What a field escrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// Each message key.
    Message,
    /// Each chain key, once per DH ratchet step.
    Chain,
    /// The session's starting keys, in its initial messages.
    Session,
}

impl Granularity {
    pub(crate) fn tag(self) -> u8 {
        match self {
            Granularity::Message => 1,
            Granularity::Chain => 2,
            Granularity::Session => 3,
        }
    }

    pub(crate) fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            1 => Some(Granularity::Message),
            2 => Some(Granularity::Chain),
            3 => Some(Granularity::Session),
            _ => None,
        }
    }

    /// Bytes of escrowed material: a key, or root key ‖ chain key.
    pub(crate) fn material_len(self) -> usize {
        match self {
            Granularity::Message | Granularity::Chain => 32,
            Granularity::Session => 64,
        }
    }
}

/// How a compliant recipient checks a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Recompute the whole field and compare.
    #[default]
    Full,
    /// Check only a 16-bit checksum (Clipper's LEAF).
    Checksum16,
}
