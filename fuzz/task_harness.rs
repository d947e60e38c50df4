//! The `task` harness: sweep files and task result files (`task-I-of-N.json`), which travel
//! between machines, parsed and merged through doormat's public API. Included by `harness.rs`.
//!
//! An input is read one of two ways:
//!
//! - As text: a sweep file, and up to [`MAX_PARTS`] task result files separated by NUL bytes.
//!   Whatever parses must load or merge, or fail cleanly; whatever merges must name one folder
//!   inside `--out`, cover every item exactly once from files whose checksums hold, and merge
//!   again, to the same result, after a round trip through JSON.
//! - Starting with [`EDIT`] (never UTF-8): an edit script for one of the genuine task files of
//!   [`TASK_FILES`] (a byte naming the file, then 3-byte ops: a big-endian position and a byte to
//!   write there). If the edited file still parses, the set with it in place of the original
//!   must merge exactly when the edit changed nothing the file means, byte for byte once
//!   re-serialised: any edited value, seed, header or checksum is refused.

use std::{
    path::{Component, Path},
    sync::LazyLock,
};

use doormat::sweep::{Merged, Sweep, TaskResult, TaskSelection, check_name, merge, sweep_charts};

/// First byte of an edit script.
pub(crate) const EDIT: u8 = 0xFF;
/// Most task files read from one text input.
pub(crate) const MAX_PARTS: usize = 4;

/// A sweep that runs in a fraction of a second: `plain` only, 30 users for 0.02 days, two
/// message rates × two seeds. Its task files seed the corpus and are what edit scripts change.
pub(crate) const TASK_SWEEP: &str = r#"{
  "name": "fuzz-tiny",
  "description": "two message rates, two seeds",
  "scenario": {"name": "f", "description": "d", "seed": 5, "duration_days": 0.02,
               "population": {"users": 30}, "designs": [{"kind": "plain"}]},
  "parameters": [{"path": "/traffic/messages_per_user_per_day", "values": [40, 80]}],
  "seeds": 2,
  "metrics": [{"path": "/counts/sent"}, {"path": "/wire_bytes_per_message"},
              {"path": "/exposure/fraction"}, {"path": "/run/wall_seconds"}]
}"#;

/// [`TASK_SWEEP`] split into two tasks, run once per process: each file's name and text, as
/// `doormat sweep --task I --of 2` writes it.
pub(crate) static TASK_FILES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let sweep = Sweep::load(TASK_SWEEP, None).expect("the fuzz sweep loads");
    (0..2)
        .map(|i| {
            let selection = TaskSelection::new(i, 2).expect("task i of 2");
            let task = sweep.run_task(selection, 1).expect("the fuzz sweep runs");
            let text = serde_json::to_string_pretty(&task).expect("a task result serialises");
            (selection.file_name(), text + "\n")
        })
        .collect()
});

/// Runs the harness on `data` (see the module doc).
pub(crate) fn task(data: &[u8]) {
    match data.split_first() {
        Some((&EDIT, script)) => edited(script),
        _ => parsed(data),
    }
}

/// `data` as a sweep file and as NUL-separated task files.
fn parsed(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(sweep) = Sweep::load(text, None) {
        assert_one_folder(sweep.name());
        let none = sweep.task_result(TaskSelection::WHOLE, Vec::new());
        assert!(
            merge(&[("task-0-of-1.json".into(), none)]).is_err(),
            "a sweep merged without a single item run"
        );
    }
    let tasks: Vec<(String, TaskResult)> = text
        .split('\0')
        .take(MAX_PARTS)
        .enumerate()
        .filter_map(|(i, part)| Some((format!("part {i}"), TaskResult::from_json(part).ok()?)))
        .collect();
    if let Ok(merged) = merge(&tasks) {
        check_merged(&tasks, &merged);
    }
}

/// What any accepted merge must satisfy.
fn check_merged(tasks: &[(String, TaskResult)], merged: &Merged) {
    let result = &merged.result;
    assert_one_folder(&result.sweep);
    let total = tasks[0].1.items_total;
    let mut held = 0;
    for (name, task) in tasks {
        assert_eq!(task.sweep, result.sweep, "{name}: another sweep merged");
        assert_eq!(task.checksum, task.expected_checksum(), "{name}: checksum");
        assert_eq!(task.items_total, total, "{name}: another item count merged");
        let selection = TaskSelection::new(task.task, task.of).expect("a valid task merged");
        let indices: Vec<usize> = task.items.iter().map(|item| item.index).collect();
        assert_eq!(
            indices,
            selection.items(total),
            "{name}: not its task's items"
        );
        for item in &task.items {
            assert_eq!(
                item.checksum,
                item.expected_checksum(),
                "{name}: item checksum"
            );
        }
        held += task.items.len();
    }
    assert_eq!(held, total, "items merged twice or not at all");
    let indices: Vec<usize> = merged.measured.items.iter().map(|m| m.index).collect();
    assert_eq!(indices, (0..total).collect::<Vec<_>>(), "measured items");
    assert_eq!(result.points.len() * result.seeds.len(), total, "points");
    let _ = result.csv();
    let _ = sweep_charts(result);
    let again: Vec<(String, TaskResult)> = tasks
        .iter()
        .map(|(name, task)| {
            let text = serde_json::to_string(task).expect("a task result serialises");
            let task = TaskResult::from_json(&text).expect("a written task result parses");
            (name.clone(), task)
        })
        .collect();
    let again = merge(&again).expect("a merged set merges again after a round trip");
    assert_eq!(
        &again, merged,
        "a round trip through JSON changed the merge"
    );
}

/// `name` is a valid sweep name and, joined to `--out`, one folder inside it.
fn assert_one_folder(name: &str) {
    assert!(
        check_name(name).is_ok(),
        "an invalid sweep name passed: {name:?}"
    );
    let components: Vec<Component> = Path::new(name).components().collect();
    assert!(
        matches!(components[..], [Component::Normal(_)]),
        "{name:?} is not one folder"
    );
}

/// The genuine task file `script[0]` names, edited by the rest of `script`, in place of the
/// original.
fn edited(script: &[u8]) {
    let files = &*TASK_FILES;
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
    let Ok(edited) = TaskResult::from_json(&text) else {
        return;
    };
    let parse = |text: &str| TaskResult::from_json(text).expect("a genuine task file parses");
    let original = parse(&files[k].1);
    let mut set: Vec<(String, TaskResult)> = files
        .iter()
        .map(|(name, text)| (name.clone(), parse(text)))
        .collect();
    set[k].1 = edited.clone();
    let changed = serde_json::to_vec(&edited).ok() != serde_json::to_vec(&original).ok();
    match merge(&set) {
        Ok(_) if changed => panic!(
            "an edited task file merged: {:?}",
            first_difference(&text, &files[k].1)
        ),
        Ok(merged) => check_merged(&set, &merged),
        Err(error) if !changed => panic!("an unchanged task file was refused: {error}"),
        Err(_) => {}
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

/// Seed inputs for the `task` target: the sweep file, its genuine task files alone and together,
/// damaged copies, and edit scripts that change a metric value, a seed and a header. Genuine
/// task files hold measured figures, which differ on every run, so these are written to
/// `fuzz/corpus/task/` by hand (`regenerate_task_corpus`) rather than checked for staleness.
pub(crate) fn task_seeds() -> Vec<(String, Vec<u8>)> {
    let files = &*TASK_FILES;
    let (first, second) = (&files[0].1, &files[1].1);
    // Writes `byte` at `offset` past the first `needle` after the first `anchor` of file `k`.
    let edit = |k: u8, anchor: &str, needle: &str, offset: usize, byte: u8| {
        let text = &files[usize::from(k)].1;
        let from = text.find(anchor).expect("the anchor is in the task file");
        let at = from + text[from..].find(needle).expect("so is the needle") + offset;
        let at = u16::try_from(at).expect("the task file is under 64 KiB");
        let [hi, lo] = at.to_be_bytes();
        vec![EDIT, k, hi, lo, byte]
    };
    vec![
        ("sweep.json".into(), TASK_SWEEP.into()),
        (files[0].0.clone(), first.clone().into_bytes()),
        (files[1].0.clone(), second.clone().into_bytes()),
        (
            "both-tasks".into(),
            format!("{first}\0{second}").into_bytes(),
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
            "sweep-escapes-out".into(),
            format!(
                "{}\0{second}",
                first.replace("\"sweep\": \"fuzz-tiny\"", "\"sweep\": \"../../x\"")
            )
            .into_bytes(),
        ),
        (
            "edit-metric".into(),
            edit(0, "\"items\"", "\"metrics\": [", 26, b'7'),
        ),
        (
            "edit-seed".into(),
            edit(1, "\"items\"", "\"seed\": ", 8, b'9'),
        ),
        (
            "edit-task-header".into(),
            edit(0, "", "\"task\": 0", 8, b'1'),
        ),
        ("edit-nothing".into(), edit(0, "", "\"format\"", 0, b'"')),
    ]
}
