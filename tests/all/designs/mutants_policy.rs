//! The compliant recipient's check of chain fields on chains longer than the protocol's skip
//! limit, pinned where a mutation pass found it untested.

use doormat::{
    adversary::Roles,
    design::{
        DesignSpec,
        escrow::{EscrowSpec, Granularity, Scope, Verification},
    },
    model::{HOUR, SimTime},
    protocol::DEFAULT_MAX_SKIP,
};

use super::support::{ALICE, EPOCH_HOURS, Planned, engine};

/// Messages on Alice's one chain: the epoch changes after the skip limit has been passed.
const RESEALED_AT: u64 = DEFAULT_MAX_SKIP as u64 + 1_050;
/// Messages Bob receives only at the end (a recipient offline for a while, then catching up).
const LATE: std::ops::Range<u64> = 1_000..2_100;

/// A chain longer than the skip limit, re-sealed for a new epoch deep in the chain, with a
/// burst of over a thousand messages delivered only at the end: the recipient checks the
/// re-sealed field from its checkpoint (a chain key kept within a stride of the messages
/// checked), not from the chain's start, which lies more than the skip limit back, and then
/// still checks the late messages' original field from the chain's start. Every message is
/// accepted. A checkpoint that never moves, moves only while the messages checked stay close
/// to it, or is used for a field sealed before it, rejects a message of a scenario that
/// validates.
#[test]
fn a_field_re_sealed_past_the_skip_limit_is_checked_from_the_checkpoint() {
    let spec = DesignSpec::Escrow(EscrowSpec {
        scope: Scope::Epoch {
            length_hours: EPOCH_HOURS,
            retention_hours: 12,
        },
        granularity: Granularity::Chain,
        verification: Verification::Full,
    });
    let epoch = SimTime::from(EPOCH_HOURS) * HOUR;
    let total = RESEALED_AT + 50;
    let last_send = epoch + (total - RESEALED_AT);
    let script: Vec<Planned> = (0..total)
        .map(|k| {
            let sent_at = if k < RESEALED_AT {
                k / 2
            } else {
                epoch + (k - RESEALED_AT)
            };
            let delivered_at = if LATE.contains(&k) {
                last_send + 10 + (k - LATE.start)
            } else {
                sent_at + 1
            };
            Planned {
                sender: ALICE,
                sent_at,
                delivered_at,
            }
        })
        .collect();
    // `engine` asserts that no message failed.
    let metrics = engine(&spec, &script, &Roles::default(), None);
    assert_eq!(metrics.sent, total);
    assert_eq!(metrics.delivered, total);
}
