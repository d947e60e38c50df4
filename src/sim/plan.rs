//! The plan: everything fixed before the run, so conversations can be simulated independently.
//! The contact graph; who is compromised or warranted, and when, is drawn beside it
//! ([`crate::adversary::Roles`]).
//!
//! The graph: each user draws a degree from the scenario's log-normal and starts half of it as
//! conversations with uniformly chosen others; the other half comes from being chosen. Pairs are
//! de-duplicated, so degrees end up close to the drawn distribution.

use crate::model::{Stream, UserId, rng};
use rand::RngExt;
use rand_distr::StandardNormal;
use rayon::prelude::*;

use crate::scenario::{Contacts, Scenario};

/// One conversation: two users, the lower id first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    /// The user with the lower id.
    pub a: UserId,
    /// The user with the higher id.
    pub b: UserId,
}

/// The contact graph of a run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Conversations, sorted; a conversation's id is its index here.
    pub conversations: Vec<Pair>,
    /// Each user's number of conversations.
    pub degrees: Vec<u32>,
}

impl Plan {
    /// Builds the plan of `scenario` (in the current rayon pool).
    pub fn build(scenario: &Scenario) -> Self {
        let users = scenario.population.users as u32;
        let contacts = &scenario.population.contacts;
        let mut conversations: Vec<Pair> = (0..users)
            .into_par_iter()
            .flat_map_iter(|user| started_by(scenario.seed, user, users, contacts))
            .collect();
        conversations.par_sort_unstable();
        conversations.dedup();
        let mut degrees = vec![0u32; users as usize];
        for pair in &conversations {
            degrees[pair.a as usize] += 1;
            degrees[pair.b as usize] += 1;
        }
        Self {
            conversations,
            degrees,
        }
    }
}

/// The conversations `user` starts: half its drawn degree, with uniformly chosen partners.
fn started_by(seed: u64, user: UserId, users: u32, contacts: &Contacts) -> Vec<Pair> {
    let mut rng = rng(seed, Stream::Population { user });
    let normal: f64 = rng.sample(StandardNormal);
    let degree = (contacts.median.ln() + contacts.sigma * normal).exp();
    let degree = degree
        .round()
        .clamp(1.0, f64::from(contacts.max).min(f64::from(users - 1)));
    // Half the degree, rounding up or down at random so that odd degrees average out.
    let started = (degree / 2.0 + rng.random::<f64>()).floor() as u32;
    (0..started)
        .map(|_| {
            let other = rng.random_range(0..users - 1);
            let other = if other >= user { other + 1 } else { other };
            Pair {
                a: user.min(other),
                b: user.max(other),
            }
        })
        .collect()
}
