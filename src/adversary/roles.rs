//! Who is compromised, ghosted or warranted, and when: fixed before the run from the scenario
//! and its seed (the plan stream), so every conversation knows its users' roles without
//! talking to any other.

use crate::model::{PlanDraw, SimTime, Stream, UserId, rng};
use std::collections::BTreeMap;

use rand::RngExt;

use super::{
    config::{Adversary, Lawful},
    warrant::{Issuer, Warrant},
};
use crate::design::{
    Secret,
    capture::{Holder, ProviderAccess},
};

/// Whose copy of a device this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// The adversary's compromise number (scenario order).
    Attacker(usize),
    /// Reference victim number, for the device references.
    Reference(u32),
}

/// A device copied at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceCopy {
    /// Who takes the copy.
    pub owner: Owner,
    /// When.
    pub at: SimTime,
}

/// A warranted user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The warrant.
    pub warrant: Warrant,
    /// Whether the target superencrypts (evades).
    pub evades: bool,
}

/// Every user's roles in a run.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    /// Device copies, by user.
    pub copies: BTreeMap<UserId, Vec<DeviceCopy>>,
    /// Provider-side access to users (the provider's power, stolen or under warrant), by user.
    pub provider_access: BTreeMap<UserId, Vec<ProviderAccess>>,
    /// Warranted users.
    pub targets: BTreeMap<UserId, Target>,
    /// Reference victims drawn.
    pub reference_victims: u32,
}

impl Roles {
    /// Draws the roles for `users` users over `horizon` seconds.
    pub fn draw(
        seed: u64,
        users: u64,
        horizon: SimTime,
        adversary: Option<&Adversary>,
        lawful: Option<&Lawful>,
    ) -> Self {
        let users = u32::try_from(users).unwrap_or(u32::MAX);
        let mut roles = Roles::default();
        if let Some(adversary) = adversary {
            let detected = adversary.detected_at.unwrap_or(SimTime::MAX);
            // In scenario order: it numbers each user's accesses.
            let mut thefts: Vec<_> = adversary.thefts.iter().collect();
            thefts.sort_by_key(|t| t.compromise);
            for theft in thefts {
                let (index, at) = (theft.compromise, theft.at);
                let mut pick = rng(seed, Stream::Plan(PlanDraw::Compromise(index)));
                match theft.secret {
                    Secret::Device { users: n } => {
                        for user in sample(&mut pick, users, n) {
                            roles.copies.entry(user).or_default().push(DeviceCopy {
                                owner: Owner::Attacker(index),
                                at,
                            });
                        }
                    }
                    Secret::GhostPower { users: n } => {
                        for user in sample(&mut pick, users, n) {
                            roles
                                .provider_access
                                .entry(user)
                                .or_default()
                                .push(ProviderAccess {
                                    holder: Holder::Attacker(index),
                                    from: at,
                                    until: detected.max(at),
                                });
                        }
                    }
                    _ => {}
                }
            }
            let at = adversary.first_compromise();
            let mut pick = rng(seed, Stream::Plan(PlanDraw::ReferenceVictims));
            let victims = sample(&mut pick, users, adversary.reference_victims);
            roles.reference_victims = victims.len() as u32;
            for (k, user) in victims.into_iter().enumerate() {
                roles.copies.entry(user).or_default().push(DeviceCopy {
                    owner: Owner::Reference(k as u32),
                    at,
                });
            }
        }
        if let Some(lawful) = lawful {
            let mut pick = rng(seed, Stream::Plan(PlanDraw::Targets));
            let window = lawful.window;
            for user in sample(&mut pick, users, lawful.targets) {
                let from =
                    (pick.random::<f64>() * lawful.issuance_fraction * horizon as f64) as SimTime;
                let issuer = if pick.random::<f64>() < lawful.prefect_share {
                    Issuer::Prefect
                } else {
                    Issuer::Judge
                };
                let evades = pick.random::<f64>() < lawful.evasion;
                let warrant = Warrant {
                    target: user,
                    from,
                    until: from.saturating_add(window).min(horizon.max(from)),
                    issuer,
                };
                roles
                    .provider_access
                    .entry(user)
                    .or_default()
                    .push(ProviderAccess {
                        holder: Holder::Authority,
                        from: warrant.from,
                        until: warrant.until,
                    });
                roles.targets.insert(user, Target { warrant, evades });
            }
        }
        roles
    }

    /// The warrant covering `user` at `t`, if any.
    pub fn warrant_at(&self, user: UserId, t: SimTime) -> Option<&Target> {
        self.targets
            .get(&user)
            .filter(|target| target.warrant.covers(t))
    }

    /// Whether a conversation between `a` and `b` is superencrypted: one of them evades.
    pub fn evading(&self, a: UserId, b: UserId) -> bool {
        [a, b]
            .iter()
            .any(|u| self.targets.get(u).is_some_and(|t| t.evades))
    }
}

/// `n` distinct users out of `users`, in drawing order (Floyd's algorithm would reorder).
fn sample<R: rand::Rng>(rng: &mut R, users: u32, n: u32) -> Vec<UserId> {
    let n = n.min(users);
    let mut chosen = std::collections::BTreeSet::new();
    let mut order = Vec::with_capacity(n as usize);
    while order.len() < n as usize {
        let user = rng.random_range(0..users);
        if chosen.insert(user) {
            order.push(user);
        }
    }
    order
}
