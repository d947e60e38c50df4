//! A scenario resolved for the engine: every time in simulated seconds, converted once, and
//! every design looked up once in the registry.

use super::Scenario;
use crate::{
    adversary::{Adversary, LawfulConfig},
    design::Design,
    model::SimTime,
};

/// What the engine runs.
pub struct RunConfig<'a> {
    /// The scenario as written: population and traffic, whose units need no conversion.
    pub scenario: &'a Scenario,
    /// The seed.
    pub seed: u64,
    /// The run's length.
    pub horizon: SimTime,
    /// The designs, in scenario order.
    pub designs: Vec<Box<dyn Design>>,
    /// The adversary, if any.
    pub adversary: Option<Adversary>,
    /// The warrants, if any.
    pub lawful: Option<LawfulConfig>,
}

impl<'a> RunConfig<'a> {
    /// `scenario`, resolved (it is assumed valid).
    pub fn new(scenario: &'a Scenario) -> Self {
        Self {
            scenario,
            seed: scenario.seed,
            horizon: scenario.horizon(),
            designs: scenario.designs.iter().map(|d| d.design()).collect(),
            adversary: scenario.adversary.as_ref().map(Adversary::new),
            lawful: scenario
                .lawful_access
                .as_ref()
                .map(|l| LawfulConfig::new(l, scenario.population.users)),
        }
    }
}
