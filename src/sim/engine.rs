//! The engine: plans a scenario, then simulates its conversations in parallel on rayon, each
//! under every design, and merges the metrics by addition.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

use rayon::prelude::*;

use super::{
    conversation::{Conversation, simulate},
    metrics::RunMetrics,
    plan::Plan,
    seed::{Stream, rng},
    traffic::script,
};
use crate::{
    design::{Design, DesignError, escrow::AuthorityKeys},
    scenario::Scenario,
};

/// How to run: threads and an optional progress counter.
#[derive(Debug, Default)]
pub struct RunOptions<'a> {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Incremented by the number of messages of each finished conversation (all designs).
    pub progress: Option<&'a AtomicU64>,
}

/// What a run produced.
pub struct RunOutput {
    /// Merged metrics, per design in scenario order.
    pub metrics: RunMetrics,
    /// The designs as built (labels, policies).
    pub designs: Vec<Design>,
    /// The authority keys of each escrow design.
    pub authority_keys: Vec<Option<AuthorityKeys>>,
    /// Conversations in the plan.
    pub conversations: u64,
    /// Wall-clock seconds of the simulation (plan included).
    pub wall_seconds: f64,
    /// Worker threads used.
    pub threads: usize,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// A design could not be built.
    #[error("design {index}: {source}")]
    Design {
        /// Its position in the scenario.
        index: usize,
        /// Why.
        source: DesignError,
    },
    /// The thread pool could not be built.
    #[error("thread pool: {0}")]
    Threads(String),
}

/// Expected messages per design in a plan: what progress counts up to, per design.
pub fn expected_messages(scenario: &Scenario) -> u64 {
    scenario.estimate().messages_per_design as u64
}

/// Runs `scenario`.
pub fn run(scenario: &Scenario, options: &RunOptions<'_>) -> Result<RunOutput, EngineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| EngineError::Threads(e.to_string()))?;
    let threads = pool.current_num_threads();
    let started = Instant::now();
    let horizon = scenario.horizon();
    let mut authority = rng(scenario.seed, Stream::Authority, 0);
    let mut designs = Vec::with_capacity(scenario.designs.len());
    let mut authority_keys = Vec::with_capacity(scenario.designs.len());
    for (index, spec) in scenario.designs.iter().enumerate() {
        let (design, keys) = Design::build(spec, horizon, &mut authority)
            .map_err(|source| EngineError::Design { index, source })?;
        designs.push(design);
        authority_keys.push(keys);
    }
    let (plan, metrics) = pool.install(|| {
        let plan = Plan::build(scenario);
        let metrics = plan
            .conversations
            .par_iter()
            .enumerate()
            .fold(
                || RunMetrics::new(designs.len()),
                |mut acc, (id, pair)| {
                    let degree = |user: u32| f64::from(plan.degrees[user as usize].max(1));
                    let rate = scenario.traffic.messages_per_user_per_day;
                    let rates = [rate / degree(pair.a), rate / degree(pair.b)];
                    let mut traffic = rng(scenario.seed, Stream::Traffic, id as u64);
                    let script = script(&scenario.traffic, rates, horizon, &mut traffic);
                    let conversation = Conversation {
                        id: id as u64,
                        pair: *pair,
                        script: &script,
                    };
                    for (d, design) in designs.iter().enumerate() {
                        simulate(
                            scenario.seed,
                            &conversation,
                            design,
                            &mut acc.designs[d],
                            &mut acc.timing[d],
                        );
                    }
                    if let Some(progress) = options.progress {
                        progress
                            .fetch_add((script.len() * designs.len()) as u64, Ordering::Relaxed);
                    }
                    acc
                },
            )
            .reduce(
                || RunMetrics::new(designs.len()),
                |mut a, b| {
                    a += b;
                    a
                },
            );
        (plan, metrics)
    });
    Ok(RunOutput {
        metrics,
        designs,
        authority_keys,
        conversations: plan.conversations.len() as u64,
        wall_seconds: started.elapsed().as_secs_f64(),
        threads,
    })
}
