//! doormat: a research simulator and benchmark harness for end-to-end encrypted messaging.
//!
//! It simulates users exchanging messages with real cryptography (X3DH and the Double Ratchet),
//! compares plain end-to-end encryption with escrow and backdoor designs, and measures what each
//! costs, what an authority obtains on its targets, and what an attacker gains when an access
//! key or a device is compromised.
//!
//! The layers, bottom up; each imports only the layers below it:
//! - [`model`]: simulated time, users, sides, scripted messages and their order, seeded random
//!   streams, measured CPU time.
//! - [`protocol`]: X3DH and the Double Ratchet, faithful to Signal's specifications.
//! - [`design`]: plain end-to-end encryption and the exceptional-access designs on top of it,
//!   each one module behind one trait, registered in one table.
//! - [`adversary`]: who is compromised or warranted, and what they decrypt, measured for real.
//! - [`scenario`]: what a run simulates, from JSON, validated.
//! - [`sim`]: the engine: a plan, then every conversation under every design, in parallel.
//! - [`report`] and [`plot`]: `summary.json` and CSV for machines, SVG/PNG figures and
//!   `report.html` for people.
//! - [`sweep`]: a scenario over a grid of parameter values and seeds, split into tasks, merged.
//! - [`split`]: one run split into tasks (its conversations), merged to the same figures.
//! - [`batch`]: a split run or sweep as a Slurm job array and its merge job.

pub mod adversary;
pub mod batch;
pub mod design;
pub mod model;
pub mod plot;
pub mod protocol;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod split;
pub mod sweep;
