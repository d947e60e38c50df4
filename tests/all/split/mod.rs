//! One run split into tasks: run task files from elsewhere, refused when they do not fit, and
//! the CLI around them.

mod hostile;

use std::path::PathBuf;

use doormat::{
    model::TaskSelection,
    scenario::Scenario,
    sim::{RunOptions, run},
    split::RunTask,
};

/// A run that takes a fraction of a second: 30 users for 0.02 days, `plain`, an escrow and
/// backups, with a device copy and the escrow key store stolen, and warranted targets.
pub(crate) fn tiny_text(seed: u64) -> String {
    format!(
        r#"{{
  "name": "split-tiny",
  "description": "three designs, an adversary and warrants",
  "seed": {seed},
  "duration_days": 0.02,
  "population": {{"users": 30}},
  "traffic": {{"messages_per_user_per_day": 600}},
  "designs": [
    {{"kind": "plain"}},
    {{"kind": "escrow", "scope": {{"kind": "global"}}, "granularity": "chain"}},
    {{"kind": "backup", "interval_hours": 1}}
  ],
  "adversary": {{
    "compromises": [
      {{"at_hours": 0.1, "secret": {{"kind": "device", "users": 4}}}},
      {{"at_hours": 0.2, "secret": {{"kind": "escrow_key_store"}}}}
    ],
    "reference_victims": 4
  }},
  "lawful_access": {{"targets": 6, "evasion": 0.5}}
}}"#
    )
}

/// The tiny run with scenario seed `seed`, loaded.
pub(crate) fn tiny(seed: u64) -> Scenario {
    Scenario::load(&tiny_text(seed)).unwrap()
}

/// Task `index` of `of` of the tiny run with seed `seed`.
pub(crate) fn task(seed: u64, index: usize, of: usize) -> RunTask {
    let scenario = tiny(seed);
    let output = run(
        &scenario,
        &RunOptions {
            threads: 1,
            task: Some(TaskSelection::new(index, of).unwrap()),
            ..RunOptions::default()
        },
    )
    .unwrap();
    RunTask::new(&scenario, &output, 0, None)
}

/// A fresh empty folder for one test.
pub(crate) fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("doormat-split-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
