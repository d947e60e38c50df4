//! doormat's integration tests, one binary.
// Test code: unwrapping is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod adversary;
mod designs;
mod engine;
mod fuzz_corpus;
mod plots;
mod protocol;
mod report;
mod split;
mod sweep;

use doormat::{
    design::{Deployed, DesignSpec, Setup, Theft},
    model::SimTime,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// `spec` built as the engine builds it, for a run of `horizon` with authority stream `seed`,
/// no rotation and the adversary's `thefts`.
pub(crate) fn deployed(
    spec: &DesignSpec,
    horizon: SimTime,
    seed: u64,
    thefts: &[Theft],
) -> Box<dyn Deployed> {
    spec.design()
        .deploy(&mut Setup {
            seed,
            index: 0,
            horizon,
            rotation: None,
            authority: &mut ChaCha20Rng::seed_from_u64(seed),
            thefts,
        })
        .unwrap()
}
