//! The engine: plans a scenario, then simulates its conversations in parallel on rayon, each
//! under every design, and merges the metrics by addition.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

use rayon::prelude::*;

use super::{
    conversation::{Conversation, Setting, simulate_recorded},
    events::{EventError, EventRow, EventSink, in_chunks},
    metrics::RunMetrics,
    plan::Plan,
    traffic::script,
};
use crate::model::{Stream, TaskSelection, rng};
use crate::{
    adversary::Roles,
    design::{Deployed, DesignError, Setup},
    scenario::{RunConfig, Scenario},
};

/// How to run: threads, the share of the conversations, and an optional progress counter.
#[derive(Debug, Default)]
pub struct RunOptions<'a> {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// The conversations to simulate: task `I` of `N` takes those whose id `j` has
    /// `j % N == I`. The plan and the roles are drawn whole in every task, so the tasks' metrics
    /// add up to the whole run's. `None` is the whole run.
    pub task: Option<TaskSelection>,
    /// Incremented by the number of messages of each finished conversation (all designs).
    pub progress: Option<&'a AtomicU64>,
    /// Receives one row per message per design, in (conversation, design, message) order;
    /// `None` records nothing.
    pub events: Option<&'a dyn EventSink>,
}

/// What a run produced.
pub struct RunOutput {
    /// Merged metrics, per design in scenario order.
    pub metrics: RunMetrics,
    /// The designs as built for the run, in scenario order.
    pub designs: Vec<Box<dyn Deployed>>,
    /// Who was compromised or warranted.
    pub roles: Roles,
    /// Conversations in the plan (all tasks').
    pub conversations: u64,
    /// The share of the conversations simulated.
    pub task: TaskSelection,
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
    /// The event rows could not be written.
    #[error("event table: {0}")]
    Events(#[from] EventError),
}

/// Expected messages per design in a plan: what progress counts up to, per design.
pub fn expected_messages(scenario: &Scenario) -> u64 {
    scenario.estimate().messages_per_design as u64
}

/// Runs `scenario`.
pub fn run(scenario: &Scenario, options: &RunOptions<'_>) -> Result<RunOutput, EngineError> {
    run_adjusted(scenario, options, |_, _| {})
}

/// [`run`], letting `adjust` change each built design (by index) before the simulation starts:
/// for experiments such as handing the adversary a corrupted key, to check that exposure is
/// measured by real decryption.
pub fn run_adjusted(
    scenario: &Scenario,
    options: &RunOptions<'_>,
    adjust: impl Fn(usize, &mut dyn Deployed),
) -> Result<RunOutput, EngineError> {
    run_config(&RunConfig::new(scenario), options, adjust)
}

/// Runs a resolved scenario, letting `adjust` change each built design first.
pub fn run_config(
    config: &RunConfig<'_>,
    options: &RunOptions<'_>,
    adjust: impl Fn(usize, &mut dyn Deployed),
) -> Result<RunOutput, EngineError> {
    let scenario = config.scenario;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| EngineError::Threads(e.to_string()))?;
    let threads = pool.current_num_threads();
    let started = Instant::now();
    let horizon = config.horizon;
    let adversary = config.adversary.as_ref();
    let mut runs = deploy(config)?;
    for (index, run) in runs.iter_mut().enumerate() {
        adjust(index, run.as_mut());
    }
    let roles = Roles::draw(
        config.seed,
        scenario.population.users,
        horizon,
        adversary,
        config.lawful.as_ref(),
    );
    let setting = Setting {
        seed: config.seed,
        horizon,
        roles: &roles,
        adversary,
    };
    let task = options.task.unwrap_or(TaskSelection::WHOLE);
    let (plan, metrics) = pool.install(|| {
        let plan = Plan::build(scenario);
        // One conversation under every design, with its rows if `rows` is given.
        let one = |acc: &mut RunMetrics, id: usize, mut rows: Option<&mut Vec<EventRow>>| {
            let pair = &plan.conversations[id];
            let degree = |user: u32| f64::from(plan.degrees[user as usize].max(1));
            let rate = scenario.traffic.messages_per_user_per_day;
            let rates = [rate / degree(pair.a), rate / degree(pair.b)];
            let mut traffic = rng(
                scenario.seed,
                Stream::Traffic {
                    conversation: id as u64,
                },
            );
            let script = script(&scenario.traffic, rates, horizon, &mut traffic);
            let conversation = Conversation {
                id: id as u64,
                pair: *pair,
                script: &script,
            };
            for (d, run) in runs.iter().enumerate() {
                simulate_recorded(
                    &setting,
                    &conversation,
                    run.as_ref(),
                    &mut acc.designs[d],
                    &mut acc.timing[d],
                    rows.as_deref_mut().map(|rows| (d as u32, rows)),
                );
            }
            if let Some(progress) = options.progress {
                progress.fetch_add((script.len() * runs.len()) as u64, Ordering::Relaxed);
            }
        };
        let metrics = match options.events {
            None => Ok(plan
                .conversations
                .par_iter()
                .enumerate()
                .filter(|(id, _)| task.takes(*id as u64))
                .fold(
                    || RunMetrics::new(runs.len()),
                    |mut acc, (id, _)| {
                        one(&mut acc, id, None);
                        acc
                    },
                )
                .reduce(
                    || RunMetrics::new(runs.len()),
                    |mut a, b| {
                        a += b;
                        a
                    },
                )),
            Some(sink) => in_chunks(
                plan.conversations.len(),
                task,
                runs.len(),
                threads,
                sink,
                |acc, id, rows| one(acc, id, Some(rows)),
            ),
        };
        (plan, metrics)
    });
    let metrics = metrics?;
    Ok(RunOutput {
        metrics,
        designs: runs,
        roles,
        conversations: plan.conversations.len() as u64,
        task,
        wall_seconds: started.elapsed().as_secs_f64(),
        threads,
    })
}

/// Builds every design of `config` for its run, in scenario order: the same keys in every
/// process, as they come from the scenario's seed alone.
pub fn deploy(config: &RunConfig<'_>) -> Result<Vec<Box<dyn Deployed>>, EngineError> {
    let adversary = config.adversary.as_ref();
    let mut authority = rng(config.seed, Stream::Authority);
    let thefts = adversary.map_or(&[][..], |a| &a.thefts);
    let mut runs: Vec<Box<dyn Deployed>> = Vec::with_capacity(config.designs.len());
    for (index, design) in config.designs.iter().enumerate() {
        let mut setup = Setup {
            seed: config.seed,
            index,
            horizon: config.horizon,
            rotation: adversary.and_then(|a| a.detected_at),
            authority: &mut authority,
            thefts,
        };
        let deployed = design
            .deploy(&mut setup)
            .map_err(|source| EngineError::Design { index, source })?;
        runs.push(deployed);
    }
    Ok(runs)
}
