//! The `run_task` harness: a run's task files (`task-I-of-N.json` of `doormat run --task I --of
//! N`), which travel between machines, parsed and merged through doormat's public API. Included
//! by `harness.rs`.
//!
//! An input is read one of three ways:
//!
//! - As text: up to [`MAX_PARTS`] run task files separated by NUL bytes. Whatever parses must
//!   merge or fail cleanly; whatever merges must come from files whose checksums and scenario
//!   hashes hold, hold every task of `0..N` once, give a summary that reads back through its
//!   contract, and merge again, to the same summary, after a round trip through JSON. When the
//!   files are the genuine ones, the merged summary's deterministic part is the genuine merge's.
//! - Starting with [`EDIT`] (never UTF-8): an edit script for one of the genuine task files of
//!   [`RUN_TASK_FILES`] (a byte naming the file, then 3-byte ops: a big-endian position and a
//!   byte to write there). If the edited file still parses, the set with it in place of the
//!   original must merge exactly when the edit changed nothing the file means, byte for byte
//!   once re-serialised: any edited count, bitmap, header, scenario or checksum is refused.
//! - Starting with [`RESEAL`]: the same edit script, after which the edited file's
//!   `scenario_hash` and `checksum` are recomputed, as a forger would. The checksums then prove
//!   nothing, so the merge may accept the forgery, but it must still merge or fail cleanly (no
//!   overflow, no panic in the summary), and what it accepts must pass every check above.

use std::{
    path::{Component, Path},
    sync::LazyLock,
};

use doormat::{
    model::{TaskSelection, Timing},
    plot::figure_svgs,
    report::{Summary, html},
    scenario::Scenario,
    sim::{RunOptions, run},
    split::{RunTask, TaskMeasured, merge, scenario_hash},
    sweep::check_name,
};

/// First byte of an edit script.
pub(crate) const EDIT: u8 = 0xFF;
/// First byte of an edit script whose file is resealed (hash and checksum recomputed).
pub(crate) const RESEAL: u8 = 0xFE;
/// Most task files read from one text input.
pub(crate) const MAX_PARTS: usize = 4;

/// A run that takes a fraction of a second: 30 users for 0.05 days (72 minutes), `plain`, an
/// escrow and hourly backups, with a device copy, the escrow key store and the backup key
/// stolen, a detection, and warranted targets, half of them evading, so every metric of a task
/// file holds something (but `failed`, and what evading targets' superencryption keeps). Its task files seed the
/// corpus and are what edit scripts change.
pub(crate) const RUN_SCENARIO: &str = r#"{
  "name": "fuzz-run",
  "description": "three designs, an adversary and warrants, split into two tasks",
  "seed": 7,
  "duration_days": 0.05,
  "population": {"users": 30},
  "traffic": {"messages_per_user_per_day": 600},
  "designs": [
    {"kind": "plain"},
    {"kind": "escrow", "scope": {"kind": "global"}, "granularity": "chain"},
    {"kind": "backup", "interval_hours": 1}
  ],
  "adversary": {
    "compromises": [
      {"at_hours": 0.3, "secret": {"kind": "device", "users": 4}},
      {"at_hours": 0.4, "secret": {"kind": "escrow_key_store"}},
      {"at_hours": 1.1, "secret": {"kind": "backup_key"}}
    ],
    "detected_at_hours": 0.8,
    "reference_victims": 4
  },
  "lawful_access": {"targets": 8, "evasion": 0.5}
}"#;

/// The genuine run: its two task files, and what they merge to.
pub(crate) struct GenuineRun {
    /// Each task file's name and text, as `doormat run --task I --of 2` writes it.
    pub(crate) files: Vec<(String, String)>,
    /// The same, parsed.
    pub(crate) tasks: Vec<(String, RunTask)>,
    /// The deterministic part of the summary the genuine files merge to, which is also the
    /// one-process run's.
    pub(crate) deterministic: String,
}

/// [`RUN_SCENARIO`] run once per process: whole, and as two tasks.
pub(crate) static RUN_TASK_GENUINE: LazyLock<GenuineRun> = LazyLock::new(|| {
    let scenario = Scenario::load(RUN_SCENARIO).expect("the fuzz scenario loads");
    let options = |task| RunOptions {
        threads: 1,
        task,
        ..RunOptions::default()
    };
    let files: Vec<(String, String)> = (0..2)
        .map(|i| {
            let selection = TaskSelection::new(i, 2).expect("task i of 2");
            let output = run(&scenario, &options(Some(selection))).expect("the fuzz run runs");
            let task = RunTask::new(&scenario, &output, 0, None);
            let text = serde_json::to_string_pretty(&task).expect("a run task serialises");
            (selection.file_name(), text + "\n")
        })
        .collect();
    let whole = run(&scenario, &options(None)).expect("the fuzz run runs whole");
    let deterministic = Summary::new(&scenario, &whole).deterministic_json();
    let tasks: Vec<(String, RunTask)> = files
        .iter()
        .map(|(name, text)| {
            let task = RunTask::from_json(text).expect("a genuine run task parses");
            (name.clone(), task)
        })
        .collect();
    let merged = merge(&tasks).expect("the genuine run tasks merge");
    assert_eq!(
        merged.deterministic_json(),
        deterministic,
        "the genuine tasks merge to another summary than the run in one process"
    );
    GenuineRun {
        files,
        tasks,
        deterministic,
    }
});

/// The genuine task files' names and texts.
pub(crate) static RUN_TASK_FILES: LazyLock<&'static [(String, String)]> =
    LazyLock::new(|| &RUN_TASK_GENUINE.files);

/// Runs the harness on `data` (see the module doc).
pub(crate) fn run_task(data: &[u8]) {
    match data.split_first() {
        Some((&EDIT, script)) => edited(script, false),
        Some((&RESEAL, script)) => edited(script, true),
        _ => parsed(data),
    }
}

/// The genuine task files, parsed.
fn genuine_tasks() -> Vec<(String, RunTask)> {
    RUN_TASK_GENUINE.tasks.clone()
}

/// `data` as NUL-separated run task files.
fn parsed(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tasks: Vec<(String, RunTask)> = text
        .split('\0')
        .take(MAX_PARTS)
        .enumerate()
        .filter_map(|(i, part)| Some((format!("part {i}"), RunTask::from_json(part).ok()?)))
        .collect();
    match merge(&tasks) {
        Ok(summary) => check_merged(&tasks, &summary),
        Err(error) => assert!(!error.to_string().is_empty(), "a refusal without a message"),
    }
}

/// What any accepted merge must satisfy.
fn check_merged(tasks: &[(String, RunTask)], summary: &Summary) {
    assert_one_folder(&summary.scenario.name);
    let of = tasks[0].1.of;
    let mut held = vec![false; of];
    for (name, task) in tasks {
        assert_eq!(task.checksum, task.expected_checksum(), "{name}: checksum");
        assert_eq!(
            task.scenario_hash,
            scenario_hash(&task.doormat_version, &task.scenario),
            "{name}: scenario hash"
        );
        assert_eq!(task.of, of, "{name}: another split merged");
        assert_eq!(
            task.name, summary.scenario.name,
            "{name}: another run merged"
        );
        let selection = task.selection().expect("a valid task merged");
        assert!(
            !std::mem::replace(&mut held[selection.index()], true),
            "{name}: task {} merged twice",
            task.task
        );
        assert_eq!(task.designs.len(), summary.designs.len(), "{name}: designs");
    }
    assert!(held.iter().all(|&h| h), "a task missing from a merge");
    assert_eq!(summary.tasks, of as u64, "the summary's task count");
    let written = serde_json::to_string_pretty(summary).expect("a merged summary serialises");
    let back = Summary::from_json(&written).expect("a merged summary reads back");
    assert_eq!(
        back.deterministic_json(),
        summary.deterministic_json(),
        "a merged summary changed through its contract"
    );
    let _ = (
        summary.timeseries_csv(),
        summary.designs_csv(),
        summary.exposure_csv(),
    );
    // The figures and the page `doormat merge` writes: drawn, or refused with an error.
    let figures = figure_svgs(summary);
    let page = figures
        .as_ref()
        .ok()
        .map(|svgs| html::render(summary, svgs));
    let again: Vec<(String, RunTask)> = tasks
        .iter()
        .map(|(name, task)| {
            let text = serde_json::to_string(task).expect("a run task serialises");
            let task = RunTask::from_json(&text).expect("a written run task parses");
            (name.clone(), task)
        })
        .collect();
    let again = merge(&again).expect("a merged set merges again after a round trip");
    assert_eq!(
        serde_json::to_string(&again).ok(),
        serde_json::to_string(summary).ok(),
        "a round trip through JSON changed the merge"
    );
    let genuine: Vec<RunTask> = genuine_tasks()
        .into_iter()
        .map(|(_, t)| meaning(t))
        .collect();
    let is_genuine = |task: &RunTask| genuine.contains(&meaning(task.clone()));
    if tasks.len() == genuine.len() && tasks.iter().all(|(_, task)| is_genuine(task)) {
        assert_eq!(
            summary.deterministic_json(),
            RUN_TASK_GENUINE.deterministic,
            "the genuine tasks merged to another summary"
        );
        let figures = figures.expect("the genuine merge's figures draw");
        assert!(!figures.is_empty(), "the genuine merge has no figure");
        page.expect("a page")
            .expect("the genuine merge's page renders");
    }
}

/// `task` without what its machine measured (which differs on every run) and its checksum:
/// what must give the genuine summary.
fn meaning(mut task: RunTask) -> RunTask {
    for design in &mut task.designs {
        design.timing = Timing::default();
    }
    task.measured = TaskMeasured {
        threads: 0,
        wall_seconds: 0.0,
        peak_memory_bytes: 0,
        job: None,
    };
    task.checksum.clear();
    task
}

/// `name`, the folder a merge writes into `--out`, is a valid name and one folder inside it.
fn assert_one_folder(name: &str) {
    assert!(
        check_name(name).is_ok(),
        "an invalid scenario name merged: {name:?}"
    );
    let components: Vec<Component> = Path::new(name).components().collect();
    assert!(
        matches!(components[..], [Component::Normal(_)]),
        "{name:?} is not one folder"
    );
}

/// The genuine task file `script[0]` names, edited by the rest of `script` (and resealed if
/// `reseal`), in place of the original.
fn edited(script: &[u8], reseal: bool) {
    let files = &*RUN_TASK_FILES;
    let Some((&which, ops)) = script.split_first() else {
        return;
    };
    let k = usize::from(which) % files.len();
    let mut bytes = files[k].1.clone().into_bytes();
    for op in ops.chunks_exact(3) {
        let at = usize::from(u16::from_be_bytes([op[0], op[1]])) % bytes.len();
        bytes[at] = op[2];
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return;
    };
    let Ok(mut edited) = RunTask::from_json(&text) else {
        return;
    };
    let mut set = genuine_tasks();
    let original = set[k].1.clone();
    if reseal {
        edited.scenario_hash = scenario_hash(&edited.doormat_version, &edited.scenario);
        edited.checksum = edited.expected_checksum();
    }
    set[k].1 = edited.clone();
    let changed = serde_json::to_vec(&edited).ok() != serde_json::to_vec(&original).ok();
    match merge(&set) {
        Ok(summary) if reseal => check_merged(&set, &summary),
        Ok(_) if changed => panic!(
            "an edited run task file merged: {:?}",
            first_difference(&text, &files[k].1)
        ),
        Ok(summary) => check_merged(&set, &summary),
        Err(error) if !changed => panic!("an unchanged run task file was refused: {error}"),
        Err(error) => assert!(!error.to_string().is_empty(), "a refusal without a message"),
    }
}

/// The edited text around the first byte where it differs from the original, for messages.
fn first_difference(edited: &str, original: &str) -> String {
    let at = edited
        .bytes()
        .zip(original.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let bytes = edited.as_bytes();
    String::from_utf8_lossy(&bytes[at.saturating_sub(40)..(at + 40).min(bytes.len())]).into()
}

/// Seed inputs for the `run_task` target: the genuine task files alone and together, damaged
/// and mismatched copies, and edit scripts that change a count, a bitmap, the header and the
/// scenario, resealed or not. Genuine task files hold measured figures, which differ on every
/// run, so these are written to `fuzz/corpus/run_task/` by hand (`regenerate_run_task_corpus`)
/// rather than checked for staleness.
pub(crate) fn run_task_seeds() -> Vec<(String, Vec<u8>)> {
    let files = &*RUN_TASK_FILES;
    let (first, second) = (&files[0].1, &files[1].1);
    // Writes `with` at `offset` past the first `needle` after the first `anchor` of file `k`.
    let edit = |mode: u8, k: u8, anchor: &str, needle: &str, offset: usize, with: &[u8]| {
        let text = &files[usize::from(k)].1;
        let from = text.find(anchor).expect("the anchor is in the task file");
        let at = from + text[from..].find(needle).expect("so is the needle") + offset;
        let mut script = vec![mode, k];
        for (i, &byte) in with.iter().enumerate() {
            let at = u16::try_from(at + i).expect("the task file is under 64 KiB");
            script.extend(at.to_be_bytes());
            script.push(byte);
        }
        script
    };
    // The script that turns file `k` into `edited`, of the same length.
    let edit_to = |mode: u8, k: u8, edited: &str| {
        let text = &files[usize::from(k)].1;
        assert_eq!(edited.len(), text.len(), "an edit script keeps the length");
        let mut script = vec![mode, k];
        for (at, (a, b)) in text.bytes().zip(edited.bytes()).enumerate() {
            if a != b {
                let at = u16::try_from(at).expect("the task file is under 64 KiB");
                script.extend(at.to_be_bytes());
                script.push(b);
            }
        }
        script
    };
    // File `k` with the number after the first `key` after `anchor` set to `value`, the
    // whitespace that follows taken in to keep the length.
    let set_number = |k: u8, anchor: &str, key: &str, value: &str| {
        let text = &files[usize::from(k)].1;
        let from = text.find(anchor).expect("the anchor is in the task file");
        let start = from + text[from..].find(key).expect("so is the key") + key.len();
        let end = start + text[start..].find(',').expect("a number then a comma");
        let grown = value.len().saturating_sub(end - start);
        let mut rest = text[end + 1..].to_string();
        for _ in 0..grown {
            // Between keys and numbers only: no string of these objects holds a space.
            let space = rest.find([' ', '\n']).expect("whitespace to take in");
            rest.remove(space);
        }
        let pad = " ".repeat((end - start).saturating_sub(value.len()));
        format!("{}{value}{pad},{rest}", &text[..start])
    };
    let replace = |text: &str, from: &str, to: &str| {
        assert!(text.contains(from), "the task file has no {from}");
        text.replacen(from, to, 1)
    };
    vec![
        (files[0].0.clone(), first.clone().into_bytes()),
        (files[1].0.clone(), second.clone().into_bytes()),
        (
            "both-tasks".into(),
            format!("{first}\0{second}").into_bytes(),
        ),
        (
            "both-tasks-reversed".into(),
            format!("{second}\0{first}").into_bytes(),
        ),
        (
            "duplicated-task".into(),
            format!("{first}\0{first}\0{second}").into_bytes(),
        ),
        (
            "trailing-garbage".into(),
            format!("{first}}}x").into_bytes(),
        ),
        (
            "two-documents".into(),
            format!("{first}{first}").into_bytes(),
        ),
        ("truncated".into(), first[..first.len() / 2].into()),
        (
            "other-of".into(),
            format!("{}\0{second}", replace(first, "\"of\": 2", "\"of\": 3")).into_bytes(),
        ),
        (
            "name-escapes-out".into(),
            format!(
                "{}\0{second}",
                first.replace("\"name\": \"fuzz-run\"", "\"name\": \"../../x\"")
            )
            .into_bytes(),
        ),
        (
            "edit-metric".into(),
            edit(EDIT, 0, "\"metrics\"", "\"sent\": ", 8, b"9"),
        ),
        (
            "edit-users-touched".into(),
            edit(EDIT, 1, "", "\"users_touched\": \"", 18, b"f"),
        ),
        (
            "edit-task-header".into(),
            edit(EDIT, 0, "", "\"task\": 0", 8, b"1"),
        ),
        (
            "edit-scenario-seed".into(),
            edit(EDIT, 1, "\"scenario\"", "\"seed\": ", 8, b"8"),
        ),
        (
            "edit-nothing".into(),
            edit(EDIT, 0, "", "\"format\"", 0, b"\""),
        ),
        (
            "reseal-scenario-seed".into(),
            edit(RESEAL, 1, "\"scenario\"", "\"seed\": ", 8, b"8"),
        ),
        (
            "reseal-metric".into(),
            edit(RESEAL, 0, "\"metrics\"", "\"delivered\": ", 13, b"9"),
        ),
        (
            "reseal-conversations".into(),
            edit(RESEAL, 1, "", "\"conversations\": ", 17, b"9"),
        ),
        (
            "reseal-sent-at-most".into(),
            edit_to(
                RESEAL,
                0,
                &set_number(0, "\"metrics\"", "\"sent\": ", &u64::MAX.to_string()),
            ),
        ),
        (
            "reseal-handshake-ns-at-most".into(),
            edit_to(
                RESEAL,
                1,
                &set_number(1, "\"timing\"", "\"handshake_ns\": ", &u64::MAX.to_string()),
            ),
        ),
        (
            "reseal-wall-seconds".into(),
            edit_to(
                RESEAL,
                0,
                &set_number(0, "\"measured\"", "\"wall_seconds\": ", "-1"),
            ),
        ),
    ]
}
