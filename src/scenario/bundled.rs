//! Scenarios compiled into the binary, so `doormat run` works with no file.

use super::{Scenario, ScenarioError};

/// (name, one-line summary, JSON text) of every bundled scenario; the first is the default.
pub const BUNDLED: &[(&str, &str, &str)] = &[
    (
        "default",
        "a judge-or-prefect regime over a town's population: plain vs global, per-epoch and 3-of-5 escrow",
        include_str!("../../scenarios/default.json"),
    ),
    (
        "scaling",
        "plain only, population-scale: throughput and memory of the engine",
        include_str!("../../scenarios/scaling.json"),
    ),
];

/// The bundled scenario `name`, parsed and validated.
pub fn bundled(name: &str) -> Option<Result<Scenario, ScenarioError>> {
    BUNDLED
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, text)| Scenario::load(text))
}
