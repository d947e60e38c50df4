//! The authority's key schedule in closed form, pinned where a mutation pass found it
//! untested: which key is in use when, when each exists, and what each theft takes.

use doormat::{
    design::escrow::{
        AuthorityKeys, Directory, EscrowSpec, Granularity, KeyRing, Scope, Verification,
    },
    model::{HOUR, SimTime},
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const H: SimTime = HOUR;

fn keys(scope: Scope, rotation: Option<SimTime>) -> (AuthorityKeys, Directory) {
    let spec = EscrowSpec {
        scope,
        granularity: Granularity::Message,
        verification: Verification::Full,
    };
    AuthorityKeys::generate_rotating(&spec, 12 * H, rotation, &mut ChaCha20Rng::seed_from_u64(3))
        .unwrap()
}

/// 2-hour epochs kept 4 hours over a 12-hour run, every key replaced at 5 h: 7 epochs (the
/// last covers the horizon) in each of two generations, ids 0–6 then 7–13.
fn epochs() -> (AuthorityKeys, Directory) {
    keys(
        Scope::Epoch {
            length_hours: 2,
            retention_hours: 4,
        },
        Some(5 * H),
    )
}

/// The key in use: the epoch's, of the generation in force; the last epoch's past the horizon.
#[test]
fn the_key_in_use_follows_epochs_and_the_rotation() {
    let (keys, directory) = epochs();
    assert_eq!((keys.epoch_count(), keys.key_count()), (7, 14));
    let id = |t| directory.key_at(t).unwrap().0;
    assert_eq!(id(0), 0);
    assert_eq!(id(2 * H - 1), 0);
    assert_eq!(id(2 * H), 1);
    assert_eq!(id(5 * H - 1), 2);
    assert_eq!(id(5 * H), 9);
    assert_eq!(id(12 * H), 13);
    assert_eq!(id(100 * H), 13);
    assert!(directory.key(13).is_ok());
    assert!(directory.key(14).is_err());
}

/// When clients seal to each key: its epoch, cut by the rotation; never for keys the
/// rotation made unused.
#[test]
fn each_key_is_in_use_over_its_epoch_cut_by_the_rotation() {
    let (_, directory) = epochs();
    assert_eq!(directory.in_use(0), Some((0, 2 * H)));
    assert_eq!(directory.in_use(2), Some((4 * H, 5 * H)));
    assert_eq!(directory.in_use(3), None);
    assert_eq!(directory.in_use(6), None);
    assert_eq!(directory.in_use(7), None);
    assert_eq!(directory.in_use(9), Some((5 * H, 6 * H)));
    assert_eq!(directory.in_use(10), Some((6 * H, 8 * H)));
    assert_eq!(directory.in_use(13), Some((12 * H, SimTime::MAX)));
    assert_eq!(directory.in_use(14), None);
    let (_, global) = keys(Scope::Global, None);
    assert_eq!(global.in_use(0), Some((0, SimTime::MAX)));
    assert_eq!(global.in_use(1), None);
    let (_, rotated) = keys(Scope::Global, Some(5 * H));
    assert_eq!(rotated.in_use(0), Some((0, 5 * H)));
    assert_eq!(rotated.in_use(1), Some((5 * H, SimTime::MAX)));
    assert_eq!(rotated.key_at(5 * H - 1).unwrap().0, 0);
    assert_eq!(rotated.key_at(5 * H).unwrap().0, 1);
}

/// The authority holds a key from its epoch's start (or the rotation) until its retention
/// after the epoch's end; a single key from its creation on.
#[test]
fn each_key_is_held_from_its_creation_to_the_end_of_its_retention() {
    let (_, directory) = epochs();
    assert!(!directory.held_at(2, 4 * H - 1));
    assert!(directory.held_at(2, 4 * H));
    assert!(directory.held_at(2, 10 * H - 1));
    assert!(!directory.held_at(2, 10 * H));
    assert!(!directory.held_at(9, 5 * H - 1));
    assert!(directory.held_at(9, 5 * H));
    assert!(!directory.held_at(9, 10 * H));
    assert!(!directory.held_at(14, 6 * H));
    let (_, rotated) = keys(Scope::Global, Some(5 * H));
    assert!(rotated.held_at(0, 11 * H));
    assert!(!rotated.held_at(1, 5 * H - 1));
    assert!(rotated.held_at(1, 5 * H));
}

/// An epoch's keys: one, or two when the rotation falls inside it; epoch 0 for a single key.
#[test]
fn an_epoch_has_the_keys_of_each_generation_used_in_it() {
    let (_, directory) = epochs();
    assert_eq!(directory.ids_of_epoch(1), [1]);
    assert_eq!(directory.ids_of_epoch(2), [2, 9]);
    assert_eq!(directory.ids_of_epoch(3), [10]);
    let (_, global) = keys(Scope::Global, None);
    assert_eq!(global.ids_of_epoch(0), [0]);
    assert!(global.ids_of_epoch(1).is_empty());
    let (_, rotated) = keys(Scope::Global, Some(5 * H));
    assert_eq!(rotated.ids_of_epoch(0), [0, 1]);
}

/// What each theft adds: a store the keys alive then, an epoch theft only its live keys, a
/// split store nothing, shares until the threshold and nothing after it.
#[test]
fn thefts_add_exactly_the_keys_alive_and_shares_below_the_threshold() {
    let (keys, _) = epochs();
    let none = KeyRing::default();
    assert!(none.is_empty());
    let store = keys.store_at(4 * H);
    assert!(!store.is_empty() && store.adds_to(&none));
    assert!(!store.adds_to(&store));
    let epoch = keys.epochs_at([2], 4 * H);
    assert!(!epoch.adds_to(&store));
    assert!(store.adds_to(&epoch));
    assert!(
        keys.epochs_at([3], 4 * H).is_empty(),
        "epoch 3's key is not made yet"
    );
    assert!(
        keys.epochs_at([0], 6 * H).is_empty(),
        "epoch 0's key is deleted"
    );
    assert!(keys.epochs([3]).adds_to(&store));
    assert!(!keys.all().is_empty());
    let (split, _) = keys_split();
    assert!(split.store_at(H).is_empty());
    assert!(split.epochs_at([0], H).is_empty());
    assert!(split.epochs([0]).is_empty());
    let (a, b, c) = (
        split.trustee_at(0, H),
        split.trustee_at(1, H),
        split.trustee_at(2, H),
    );
    assert!(a.adds_to(&none));
    assert!(!a.adds_to(&a));
    assert!(b.adds_to(&a));
    let mut two = a.clone();
    two.merge(&b);
    assert!(!c.adds_to(&two), "the key already fell");
    assert!(!split.shares([0, 1]).is_empty());
    assert!(!split.held_at(H).is_empty());
}

fn keys_split() -> (AuthorityKeys, Directory) {
    keys(
        Scope::Split {
            threshold: 2,
            trustees: vec!["a".into(), "b".into(), "c".into()],
        },
        None,
    )
}
