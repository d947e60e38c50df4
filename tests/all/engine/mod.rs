//! The scenario engine: loading, validation, determinism, bundled scenarios, the CLI.

mod cli;
mod delivery;
mod determinism;
mod estimate;
mod events;
mod figures_fixed;
mod output;
mod parser;
mod parser_minor;
mod properties;
mod scenarios;
mod tasks;
mod validation;

use doormat::scenario::Scenario;

/// A bundled scenario shrunk to run in well under a second.
pub(crate) fn shrunk(name: &str, users: u64) -> Scenario {
    let mut scenario = doormat::scenario::bundled(name)
        .expect("bundled")
        .expect("valid");
    scenario.population.users = users;
    scenario.duration_days = 0.25;
    scenario
}
