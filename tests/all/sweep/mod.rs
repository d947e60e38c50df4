//! Parameter sweeps: loading and checking sweep files, tasks and merges, statistics, the CLI.

mod bundled;
mod cli;
mod hostile;
mod merge;
mod spec;
mod stats;

use std::path::PathBuf;

use doormat::sweep::Sweep;

/// A sweep that runs in well under a second: plain only, 40 users for 0.05 days, 2 message rates
/// × 2 seeds, deterministic metrics only.
pub(crate) const TINY: &str = r#"{
  "name": "tiny",
  "description": "two message rates, two seeds",
  "scenario": {"name": "t", "description": "d", "seed": 11, "duration_days": 0.05,
               "population": {"users": 40}, "designs": [{"kind": "plain"}]},
  "parameters": [{"path": "/traffic/messages_per_user_per_day", "label": "messages per user per day",
                  "values": [40, 80]}],
  "seeds": 2,
  "metrics": [{"path": "/counts/sent", "label": "sent"},
              {"path": "/wire_bytes_per_message"},
              {"path": "/counts/dh_steps"},
              {"path": "/exposure/fraction"}]
}"#;

/// The tiny sweep, loaded.
pub(crate) fn tiny() -> Sweep {
    Sweep::load(TINY, None).unwrap()
}

/// A fresh empty folder for one test.
pub(crate) fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("doormat-sweep-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
