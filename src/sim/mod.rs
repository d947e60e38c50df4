//! The simulation: a plan fixed up front, then conversation-major simulation in parallel.
//!
//! Each conversation (its two users, its sessions, its whole timeline) is simulated start to end
//! on one worker, seeded from (scenario seed, conversation id), then dropped. Conversations are
//! independent, so memory stays small and any thread count gives the same counts. A
//! conversation's traffic comes from its own random stream, separate from its cryptography, so
//! every design carries exactly the same messages: comparisons are paired. With an event sink
//! (`events`), the run also yields one row per message per design, in a fixed order.

pub mod conversation;
pub mod engine;
pub mod events;
pub mod metrics;
pub mod plan;
pub mod traffic;

pub use self::{
    engine::{EngineError, RunOptions, RunOutput, deploy, run, run_adjusted, run_config},
    metrics::{DesignMetrics, RunMetrics},
};
