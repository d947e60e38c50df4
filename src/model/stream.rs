//! Independent random streams, derived from the scenario seed.
//!
//! Each stream is a ChaCha20 RNG keyed by SHA-256(label ‖ seed ‖ the item's fields, each
//! fixed-width big-endian). Every kind of item has its own label and its own fields, so two
//! items never share a stream, and any unit of work can be simulated alone, on any thread,
//! with the same result.

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sha2::{Digest, Sha256};

use super::{Side, UserId};

/// What a stream is for, and for which item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// A user's degree and contacts.
    Population {
        /// The user.
        user: UserId,
    },
    /// A conversation's messages, times and delivery.
    Traffic {
        /// The conversation.
        conversation: u64,
    },
    /// A conversation's key generation.
    Crypto {
        /// The conversation.
        conversation: u64,
    },
    /// A user's identity keys, the same in all of the user's conversations.
    Identity {
        /// The user.
        user: UserId,
    },
    /// The authority's keys, for every design of the run in turn.
    Authority,
    /// A provider's own keys (backup keys), per design.
    Provider {
        /// The design's position in the scenario.
        design: usize,
    },
    /// A run-wide plan decision.
    Plan(PlanDraw),
    /// When a user notices a ghost device.
    GhostNotice {
        /// The ghosted user.
        user: UserId,
        /// Which of the user's ghostings.
        ghosting: u32,
    },
    /// A ghost device's keys.
    GhostDevice {
        /// The conversation.
        conversation: u64,
        /// Which ghosting of the ghosted side's user.
        ghosting: u32,
        /// The ghosted side.
        side: Side,
        /// The side whose fan-out feeds the device.
        sender: Side,
    },
    /// The out-of-band key of an evading target's conversation.
    SuperKey {
        /// The conversation.
        conversation: u64,
    },
}

/// Which plan decision a [`Stream::Plan`] draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanDraw {
    /// Who compromise number `n` (scenario order) hits.
    Compromise(usize),
    /// The reference victims.
    ReferenceVictims,
    /// The warranted targets and their warrants.
    Targets,
}

impl Stream {
    /// The label and the item's fields, as hashed.
    fn encode(self) -> (&'static [u8], Vec<u8>) {
        let side = |s: Side| s.index() as u8;
        match self {
            Stream::Population { user } => {
                (b"doormat population", u64::from(user).to_be_bytes().into())
            }
            Stream::Traffic { conversation } => {
                (b"doormat traffic", conversation.to_be_bytes().into())
            }
            Stream::Crypto { conversation } => {
                (b"doormat crypto", conversation.to_be_bytes().into())
            }
            Stream::Identity { user } => {
                (b"doormat identity", u64::from(user).to_be_bytes().into())
            }
            Stream::Authority => (b"doormat authority", 0u64.to_be_bytes().into()),
            // Provider keys share the authority's label after its item 0, as they always have.
            Stream::Provider { design } => (
                b"doormat authority",
                (1 + design as u64).to_be_bytes().into(),
            ),
            Stream::Plan(draw) => {
                let id = match draw {
                    PlanDraw::Compromise(n) => n as u64,
                    PlanDraw::ReferenceVictims => u64::MAX,
                    PlanDraw::Targets => u64::MAX - 1,
                };
                (b"doormat plan", id.to_be_bytes().into())
            }
            Stream::GhostNotice { user, ghosting } => {
                let mut id = user.to_be_bytes().to_vec();
                id.extend(ghosting.to_be_bytes());
                (b"doormat ghost notice", id)
            }
            Stream::GhostDevice {
                conversation,
                ghosting,
                side: ghosted,
                sender,
            } => {
                let mut id = conversation.to_be_bytes().to_vec();
                id.extend(ghosting.to_be_bytes());
                id.extend([side(ghosted), side(sender)]);
                (b"doormat ghost device", id)
            }
            Stream::SuperKey { conversation } => {
                (b"doormat superkey", conversation.to_be_bytes().into())
            }
        }
    }
}

/// The RNG of `stream` under `seed`.
pub fn rng(seed: u64, stream: Stream) -> ChaCha20Rng {
    let (label, id) = stream.encode();
    let digest = Sha256::new()
        .chain_update(label)
        .chain_update(seed.to_be_bytes())
        .chain_update(id)
        .finalize();
    let mut key = [0u8; 32];
    key.copy_from_slice(&digest);
    ChaCha20Rng::from_seed(key)
}

#[cfg(test)]
mod test {
    use rand_core::Rng;

    use super::*;

    /// The defect this layout fixes: user 16's first ghost notice and conversation 1's first
    /// ghost device were one stream when ids were packed by hand (`16 << 16` = `1 << 20`).
    #[test]
    fn a_ghost_notice_and_a_ghost_device_never_share_a_stream() {
        let notice = rng(
            7,
            Stream::GhostNotice {
                user: 16,
                ghosting: 0,
            },
        )
        .next_u64();
        let device = Stream::GhostDevice {
            conversation: 1,
            ghosting: 0,
            side: Side::A,
            sender: Side::A,
        };
        assert_ne!(notice, rng(7, device).next_u64());
    }

    /// Every kind of item, at a few ids, draws a different stream.
    #[test]
    fn distinct_items_draw_distinct_streams() {
        let mut streams = vec![Stream::Authority];
        for n in [0u32, 1, 16, 1 << 16] {
            let c = u64::from(n);
            streams.extend([
                Stream::Population { user: n },
                Stream::Traffic { conversation: c },
                Stream::Crypto { conversation: c },
                Stream::Identity { user: n },
                Stream::Provider { design: n as usize },
                Stream::Plan(PlanDraw::Compromise(n as usize)),
                Stream::GhostNotice {
                    user: n,
                    ghosting: 0,
                },
                Stream::GhostNotice {
                    user: 0,
                    ghosting: n,
                },
                Stream::SuperKey { conversation: c },
            ]);
            for (side, sender) in [(Side::A, Side::B), (Side::B, Side::A)] {
                streams.push(Stream::GhostDevice {
                    conversation: c,
                    ghosting: 0,
                    side,
                    sender,
                });
            }
        }
        streams.extend([
            Stream::Plan(PlanDraw::ReferenceVictims),
            Stream::Plan(PlanDraw::Targets),
        ]);
        streams.dedup();
        let mut draws: Vec<u64> = streams.iter().map(|s| rng(1, *s).next_u64()).collect();
        draws.sort_unstable();
        draws.dedup();
        assert_eq!(draws.len(), streams.len());
    }
}
