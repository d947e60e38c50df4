//! Design conformance: one suite of properties, run on every example of every design in the
//! registry (`doormat::design::examples()`), so a new design cannot skip it (in the style of
//! rustls's per-provider tests).
//!
//! Each design runs the same scripted conversation ([`support::plan`]): two users, 60 messages
//! over two simulated days, replies (DH ratchet steps) and out-of-order deliveries, captured as a
//! provider wiretap would, through the engine's own client path (`design::Device`); what holders
//! read is measured by the engine itself on the same script ([`support::engine`]). The properties ([`properties`]) then check, against expectations
//! computed from the script alone:
//!
//! 1. delivery: every message decrypts to its true plaintext, exactly as in `plain`; the protocol
//!    message is `plain`'s byte for byte and the design field sits where the design says;
//! 2. warrants: the authority opens exactly the escrowed messages a warrant covers, and refuses
//!    the others as outside it;
//! 3. without the key (empty or corrupted ring) nothing opens;
//! 4. split scope: k-1 shares open nothing, any k shares everything;
//! 5. epoch scope: one epoch key opens exactly its epoch, a deleted key nothing; a chain that
//!    outlives an epoch key stays escrowed (re-sealed mid-chain), except at `session`
//!    granularity, whose single field is documented to live only as long as its epoch key;
//! 6. a compliant recipient refuses malformed, truncated, stripped or swapped fields, and fields
//!    naming a key not in use when their message was sent; a rogue sender defeats the 16-bit
//!    checksum in about 2^16 tries, never full verification;
//! 7. ghost: the hidden device reads its target's messages from when it is added, no earlier;
//! 8. backup: the provider key opens every backup and every message in it, nothing else does.
//!
//! A property that does not apply to a design asserts the "nothing" behaviour instead.

mod key_in_use;
mod mutants_escrow;
mod mutants_keys;
mod mutants_policy;
mod properties;
mod support;

use std::sync::OnceLock;

use self::support::{Run, monologue_plan};

/// Every registered design's examples through the main script, run once for all tests.
fn runs() -> &'static [Run] {
    static RUNS: OnceLock<Vec<Run>> = OnceLock::new();
    RUNS.get_or_init(|| {
        doormat::design::examples()
            .into_iter()
            .map(Run::new)
            .collect()
    })
}

/// Every registered design's examples through the monologue script.
fn monologues() -> &'static [Run] {
    static RUNS: OnceLock<Vec<Run>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let script = monologue_plan();
        doormat::design::examples()
            .into_iter()
            .map(|spec| Run::scripted(spec, &script))
            .collect()
    })
}

/// One test per property, each running it on every registered design's runs.
macro_rules! conformance {
    ($($property:ident($runs:ident) from $module:ident),* $(,)?) => {
        $(
            #[test]
            fn $property() {
                for run in $runs() {
                    $module::$property(run);
                }
            }
        )*
    };
}

conformance! {
    delivers_like_plain(runs) from properties,
    field_placement(runs) from properties,
    warrant_opens_exactly_the_promise(runs) from properties,
    nothing_opens_without_the_key(runs) from properties,
    split_threshold(runs) from properties,
    split_duplicate_share(runs) from properties,
    epoch_keys(runs) from properties,
    long_chain_stays_escrowed(monologues) from properties,
    rejects_malformed_fields(runs) from properties,
    rejected_field_leaves_state_unchanged(runs) from properties,
    field_names_the_key_in_use_at_sending(runs) from key_in_use,
    rogue_sender_forgery(runs) from properties,
    ghost_reads_from_when_added(runs) from properties,
    backups(runs) from properties,
}

/// The registry's examples cover what the properties distinguish: every escrow scope at every
/// granularity, the weak checksum, and each other design.
#[test]
fn the_registry_covers_every_variant_the_suite_checks() {
    let labels: Vec<String> = runs().iter().map(|run| run.fixture.spec.label()).collect();
    for scope in ["global", "epoch6h-keep12h", "3of5"] {
        for granularity in ["message", "chain", "session"] {
            let label = format!("escrow/{scope}/{granularity}");
            assert!(labels.contains(&label), "{label} missing from {labels:?}");
        }
    }
    for label in [
        "plain",
        "ghost",
        "backup",
        "escrow/global/message/checksum16",
    ] {
        assert!(labels.iter().any(|l| l == label), "{label} missing");
    }
}

/// The script itself: the chain model matches the wire, and the script exercises what it claims.
mod script {
    use std::collections::BTreeSet;

    use super::properties;
    use super::support::{ALICE, EPOCH, HORIZON, Run, plain};

    #[test]
    fn model_matches_the_wire() {
        properties::model_matches_the_wire(&Run::new(plain()));
        properties::model_matches_the_wire(&Run::scripted(
            plain(),
            &super::support::monologue_plan(),
        ));
    }

    #[test]
    fn exercises_ratchet_steps_reordering_and_epochs() {
        let run = Run::new(plain());
        let chains: BTreeSet<_> = run.messages.iter().map(|m| (m.sender, m.chain)).collect();
        assert!(chains.len() >= 20, "{} chains", chains.len());
        // Bob accepts the session from Alice's second message.
        assert_eq!(run.delivery_order[0], 1);
        // Overtaken within a chain, and late from a chain the recipient has left behind.
        let mut overtaken = 0;
        let mut from_old_chain = 0;
        for (position, &i) in run.delivery_order.iter().enumerate() {
            let m = &run.messages[i];
            let earlier = &run.delivery_order[..position];
            let from_sender = earlier
                .iter()
                .map(|&j| &run.messages[j])
                .filter(|e| e.sender == m.sender);
            if from_sender
                .clone()
                .any(|e| e.chain == m.chain && e.chain_index > m.chain_index)
            {
                overtaken += 1;
            }
            if from_sender.clone().any(|e| e.chain > m.chain) {
                from_old_chain += 1;
            }
        }
        assert!(overtaken >= 6, "{overtaken} overtaken");
        assert!(
            from_old_chain >= 3,
            "{from_old_chain} late from an old chain"
        );
        // Chains that straddle an epoch boundary, and a run of more than a day.
        let straddling = run
            .messages
            .iter()
            .filter(|m| m.chain_started_at / EPOCH != m.sent_at / EPOCH)
            .count();
        assert!(
            straddling >= 4,
            "{straddling} messages on a chain from a previous epoch"
        );
        assert!(run.end > 2 * 24 * 3_600 && run.end < HORIZON);
        // Alice's first chain: the three initial messages of round 0.
        let first: Vec<_> = run
            .messages
            .iter()
            .filter(|m| m.sender == ALICE && m.chain == 0)
            .map(|m| m.index)
            .collect();
        assert_eq!(first, [0, 1, 2]);
    }
}
