//! Scenarios compiled into the binary, so `doormat run` works with no file.

use super::{Scenario, ScenarioError};

/// (name, one-line summary, JSON text) of every bundled scenario; the first is the default.
pub const BUNDLED: &[(&str, &str, &str)] = &[
    (
        "default",
        "the seed's judge-or-prefect regime over a town: every design, access secrets leak mid-run",
        include_str!("../../scenarios/default.json"),
    ),
    (
        "athens",
        "an intruder copies the escrow key store monthly for 11 months before detection (Athens affair)",
        include_str!("../../scenarios/athens.json"),
    ),
    (
        "device",
        "plain: 20 phones copied at hour 12, each stolen session followed until the ratchet heals",
        include_str!("../../scenarios/device.json"),
    ),
    (
        "threshold",
        "3-of-5 and 2-of-3 split escrow as shares leak one at a time, against one global key",
        include_str!("../../scenarios/threshold.json"),
    ),
    (
        "healing-reference",
        "plain, two sides strictly alternating turns of 50 (Signal's PingPong(50)): healing against its closed form",
        include_str!("../../scenarios/healing-reference.json"),
    ),
    (
        "healing-alternating",
        "plain, two sides strictly alternating one message each: healing against its closed form",
        include_str!("../../scenarios/healing-alternating.json"),
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
