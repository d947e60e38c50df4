//! The escrow design's parameters, labels and warrant checks, pinned where a mutation pass
//! found them untested.

use doormat::{
    adversary::{Issuer, Warrant},
    design::{
        DesignError,
        escrow::{EscrowSpec, Granularity, Scope, Verification},
    },
};

fn epoch(length_hours: u32, retention_hours: u32) -> Scope {
    Scope::Epoch {
        length_hours,
        retention_hours,
    }
}

fn spec(scope: Scope) -> EscrowSpec {
    EscrowSpec {
        scope,
        granularity: Granularity::Chain,
        verification: Verification::Full,
    }
}

fn split(threshold: u8, trustees: usize) -> Scope {
    Scope::Split {
        threshold,
        trustees: (0..trustees).map(|i| format!("t{i}")).collect(),
    }
}

/// A retention is labelled in days only when it is a whole, non-zero number of days.
#[test]
fn epoch_labels_name_retention_in_days_only_when_whole() {
    let label = |retention| spec(epoch(2, retention)).label();
    assert_eq!(label(0), "escrow/epoch2h-keep0h/chain");
    assert_eq!(label(6), "escrow/epoch2h-keep6h/chain");
    assert_eq!(label(24), "escrow/epoch2h-keep1d/chain");
    assert_eq!(label(30), "escrow/epoch2h-keep30h/chain");
    assert_eq!(label(48), "escrow/epoch2h-keep2d/chain");
    let mut weak = spec(split(2, 3));
    weak.verification = Verification::Checksum16;
    weak.granularity = Granularity::Session;
    assert_eq!(weak.label(), "escrow/2of3/session/checksum16");
}

/// Parameters: an epoch at least an hour long; 1 ≤ k ≤ n ≤ 255 trustees.
#[test]
fn escrow_parameters_are_refused_outside_their_ranges() {
    let ok = |scope: Scope| spec(scope).validate().is_ok();
    assert!(ok(Scope::Global));
    assert!(ok(epoch(1, 0)));
    assert!(!ok(epoch(0, 24)));
    assert!(ok(split(1, 1)));
    assert!(ok(split(3, 3)));
    assert!(!ok(split(0, 3)));
    assert!(!ok(split(4, 3)));
    assert!(ok(split(2, 255)));
    assert!(!ok(split(2, 256)));
    assert!(matches!(
        spec(split(2, 256)).validate(),
        Err(DesignError::InvalidParameter {
            field: "trustees",
            ..
        })
    ));
}

/// Epoch e's key lives from its epoch's start to `retention` after the epoch's end, in hours.
#[test]
fn an_epoch_key_lives_from_its_start_to_the_end_of_its_retention() {
    assert_eq!(epoch(3, 5).epoch_key_life_hours(2), Some((6, 14)));
    assert_eq!(epoch(3, 5).epoch_key_life_hours(0), Some((0, 8)));
    assert_eq!(Scope::Global.epoch_key_life_hours(0), None);
    assert_eq!(split(1, 2).epoch_key_life_hours(0), None);
}

/// A warrant covers its window `[from, until)`, nothing else.
#[test]
fn a_warrant_covers_its_window_only() {
    let warrant = Warrant {
        target: 3,
        from: 100,
        until: 200,
        issuer: Issuer::Judge,
    };
    assert!(warrant.covers(100));
    assert!(warrant.covers(199));
    assert!(!warrant.covers(99));
    assert!(!warrant.covers(200));
}
