//! The Kaplan–Meier healing curve on counts as they arrive from merged or deserialized shards,
//! pinned where a mutation pass found it untested.

use doormat::adversary::{Counts, Survival};

fn counts(entries: &[(u64, u64)]) -> Counts {
    Counts(entries.iter().copied().collect())
}

/// A value that a merged or deserialized `Counts` lists with zero observations is no event: it
/// adds no step to the curve (a step with no drop would move the median and the "still
/// unhealed" shares read from the steps), and it leaves the risk set as it was.
#[test]
fn a_value_with_no_events_adds_no_step() {
    let with_zero = Survival::estimate(&counts(&[(1, 1), (2, 0), (4, 1)]), &counts(&[(3, 2)]));
    let without = Survival::estimate(&counts(&[(1, 1), (4, 1)]), &counts(&[(3, 2)]));
    assert_eq!(with_zero, without);
    assert_eq!(with_zero.steps, [(1, 0.75), (4, 0.0)]);
    let only_zero = Survival::estimate(&counts(&[(5, 0)]), &counts(&[(7, 1)]));
    assert!(only_zero.steps.is_empty(), "{:?}", only_zero.steps);
    assert_eq!(only_zero.median(), None);
}
