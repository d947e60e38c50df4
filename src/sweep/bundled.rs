//! Sweeps compiled into the binary, so `doormat sweep NAME` works with no file.

use super::{Sweep, SweepError};

/// (name, one-line summary, JSON text) of every bundled sweep.
pub const BUNDLED: &[(&str, &str, &str)] = &[
    (
        "epoch-length",
        "escrow epoch length (1 h to 30 days) vs attacker exposure and lawful yield",
        include_str!("../../scenarios/sweeps/epoch-length.json"),
    ),
    (
        "detection-delay",
        "how long a leaked escrow key goes unnoticed vs attacker exposure",
        include_str!("../../scenarios/sweeps/detection-delay.json"),
    ),
    (
        "users-throughput",
        "plain only, 1,000 to 1,000,000 users vs engine throughput",
        include_str!("../../scenarios/sweeps/users-throughput.json"),
    ),
];

/// The bundled sweep `name`, parsed and checked (its scenario is a bundled one).
pub fn bundled(name: &str) -> Option<Result<Sweep, SweepError>> {
    BUNDLED
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, text)| Sweep::load(text, None))
}
