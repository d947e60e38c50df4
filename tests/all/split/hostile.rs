//! Run task files from elsewhere: `merge` refuses missing, duplicated and mismatched tasks,
//! edited and forged files, a header that contradicts the file name, oversized and non-regular
//! files, naming the file and the field each time; the CLI refuses a mix of a run's and a
//! sweep's tasks and a task beyond `--of`; `doormat compare` tells identical results from
//! differing ones.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use doormat::split::{
    RunTask, SplitError, TaskFile, merge, read_task_file, scenario_hash, write_run_task,
};

use super::{scratch, task, tiny_text};

/// The tiny run (seed 5) split into 2 and into 3 tasks, run once for all tests.
fn genuine(of: usize) -> &'static [RunTask] {
    static TWO: OnceLock<Vec<RunTask>> = OnceLock::new();
    static THREE: OnceLock<Vec<RunTask>> = OnceLock::new();
    let cell = match of {
        2 => &TWO,
        3 => &THREE,
        _ => unreachable!("only splits into 2 and 3 are kept"),
    };
    cell.get_or_init(|| (0..of).map(|i| task(5, i, of)).collect())
}

/// Writes `task` into `dir` as `doormat run --task I --of N` does; returns the file.
fn write(dir: &Path, task: &RunTask) -> PathBuf {
    write_run_task(dir, task).unwrap()
}

/// `task` with its scenario hash and checksum recomputed, as a forger (or another doormat)
/// would write it.
fn resealed(mut task: RunTask) -> RunTask {
    task.scenario_hash = scenario_hash(&task.doormat_version, &task.scenario);
    task.checksum = task.expected_checksum();
    task
}

/// Reads `files` as `doormat merge` does and merges them, giving the error.
fn merge_error(files: &[PathBuf]) -> String {
    let tasks: Result<Vec<(String, RunTask)>, SplitError> = files
        .iter()
        .map(|file| match read_task_file(file)? {
            TaskFile::Run(task) => Ok((file.display().to_string(), *task)),
            TaskFile::Sweep(_) => panic!("{}: a sweep's task", file.display()),
        })
        .collect();
    match tasks.and_then(|tasks| merge(&tasks)) {
        Ok(_) => panic!("merged"),
        Err(error) => error.to_string(),
    }
}

/// The genuine tasks of a split into `of`, written into `<test>/tasks/`, task `k` replaced by
/// `edit` of it (or left out if `edit` gives `None`); returns the files written.
fn files_with(
    test: &str,
    of: usize,
    k: usize,
    edit: impl Fn(RunTask) -> Option<RunTask>,
) -> Vec<PathBuf> {
    let dir = scratch(test).join("tasks");
    genuine(of)
        .iter()
        .enumerate()
        .filter_map(|(i, task)| {
            let task = if i == k {
                edit(task.clone())?
            } else {
                task.clone()
            };
            Some(write(&dir, &task))
        })
        .collect()
}

/// The file's text, changed by `edit`, written back.
fn edit_text(file: &Path, edit: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(file).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(file, edited).unwrap();
}

/// Replaces exactly one occurrence of `from` after the first `anchor` of `text`.
fn replace_after(text: &str, anchor: &str, from: &str, to: &str) -> String {
    let start = text.find(anchor).unwrap();
    let at = start + text[start..].find(from).unwrap();
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

fn name(file: &Path) -> String {
    file.display().to_string()
}

fn cleanup(file: &Path) {
    let test = file.parent().unwrap().parent().unwrap();
    std::fs::remove_dir_all(test).unwrap();
}

#[test]
fn the_genuine_tasks_merge_to_the_run_in_one_process() {
    let files = files_with("split-genuine", 3, 0, Some);
    let tasks: Vec<(String, RunTask)> = files
        .iter()
        .map(|file| match read_task_file(file).unwrap() {
            TaskFile::Run(task) => (name(file), *task),
            TaskFile::Sweep(_) => unreachable!(),
        })
        .collect();
    let summary = merge(&tasks).unwrap();
    let scenario = super::tiny(5);
    let whole = doormat::sim::run(&scenario, &doormat::sim::RunOptions::default()).unwrap();
    assert_eq!(
        summary.deterministic_json(),
        doormat::report::Summary::new(&scenario, &whole).deterministic_json()
    );
    cleanup(&files[0]);
}

#[test]
fn a_missing_task_is_refused_naming_the_missing_files() {
    let files = files_with("split-missing", 3, 1, |_| None);
    let error = merge_error(&files);
    assert!(
        error.contains("1 of 3 tasks missing") && error.contains("task-I-of-3.json for I in 1"),
        "{error}"
    );
    let error = merge_error(&files[..1]);
    assert!(
        error.contains("2 of 3 tasks missing") && error.contains("task-I-of-3.json for I in 1-2"),
        "{error}"
    );
    cleanup(&files[0]);
}

#[test]
fn a_duplicated_task_is_refused_naming_both_files() {
    let files = files_with("split-duplicate", 2, 0, Some);
    let copy = files[0].parent().unwrap().join("again");
    let again = write(&copy, &genuine(2)[0]);
    let error = merge_error(&[files[0].clone(), files[1].clone(), again.clone()]);
    assert!(
        error.contains("task 0 of 2 appears twice")
            && error.contains(&name(&files[0]))
            && error.contains(&name(&again)),
        "{error}"
    );
    cleanup(&files[0]);
}

#[test]
fn tasks_of_different_seeds_are_refused_by_their_scenario_hash() {
    let files = files_with("split-seeds", 2, 1, |_| Some(task(6, 1, 2)));
    let error = merge_error(&files);
    assert!(
        error.contains(&name(&files[1]))
            && error.contains("come from different runs")
            && error.contains("hash"),
        "{error}"
    );
    cleanup(&files[0]);
}

#[test]
fn tasks_of_different_doormat_versions_are_refused() {
    let files = files_with("split-versions", 2, 1, |mut task| {
        task.doormat_version = "0.0.0-elsewhere".into();
        Some(resealed(task))
    });
    let error = merge_error(&files);
    assert!(
        error.contains(&name(&files[1]))
            && error.contains("doormat 0.0.0-elsewhere vs")
            && error.contains(env!("CARGO_PKG_VERSION")),
        "{error}"
    );
    cleanup(&files[0]);
}

#[test]
fn tasks_of_different_splits_are_refused() {
    let files = files_with("split-of", 2, 1, |_| Some(genuine(3)[1].clone()));
    let error = merge_error(&files);
    assert!(
        error.contains(&name(&files[1])) && error.contains("split into 3 tasks vs 2"),
        "{error}"
    );
    cleanup(&files[0]);
}

#[test]
fn an_edited_metric_is_refused_by_its_checksum() {
    let files = files_with("split-metric", 2, 1, Some);
    let sent = genuine(2)[1].designs[0].metrics.sent;
    edit_text(&files[1], |text| {
        replace_after(
            text,
            "\"metrics\"",
            &format!("\"sent\": {sent},"),
            &format!("\"sent\": {},", sent + 1),
        )
    });
    let error = merge_error(&files);
    assert!(
        error.contains(&name(&files[1])) && error.contains("`checksum` does not match"),
        "{error}"
    );
    cleanup(&files[0]);
}

/// The scenario edited and the checksum recomputed: the hash, which the other tasks share, no
/// longer fits, and the edited file is the one named, first in the list or not.
#[test]
fn an_edited_scenario_with_its_checksum_recomputed_is_refused_by_its_hash() {
    for k in [0, 1] {
        let files = files_with(&format!("split-scenario-{k}"), 2, k, |mut task| {
            task.scenario["seed"] = serde_json::json!(6);
            task.checksum = task.expected_checksum();
            Some(task)
        });
        let error = merge_error(&files);
        assert!(
            error.starts_with(&format!("{}: ", name(&files[k])))
                && error.contains("`scenario_hash` does not match"),
            "task {k}: {error}"
        );
        cleanup(&files[0]);
    }
}

#[test]
fn a_users_touched_bitmap_that_disagrees_with_its_count_is_refused() {
    let users = genuine(2)[1].designs[1].metrics.exposure.users.len();
    assert!(users > 1, "the escrow exposes users");
    // The count edited, the bitmap kept.
    let files = files_with("split-bitmap", 2, 1, Some);
    edit_text(&files[1], |text| {
        let designs = text.find("\"designs\"").unwrap();
        let second = designs + text[designs..].find("\"label\": \"escrow").unwrap();
        replace_after(
            text,
            &text[second..second + 20],
            &format!("\"users\": {users},"),
            &format!("\"users\": {},", users - 1),
        )
    });
    let error = merge_error(&files);
    assert!(
        error.contains(&name(&files[1]))
            && error.contains("designs[1].users_touched")
            && error.contains(&format!("holds {users} users"))
            && error.contains(&format!("says {}", users - 1)),
        "{error}"
    );
    // The bitmap edited, the count kept.
    let bitmap = &genuine(2)[1].designs[1].users_touched;
    let mut other = bitmap.clone();
    let last = other.pop().unwrap();
    other.push(if last == '0' { '1' } else { '0' });
    std::fs::remove_file(&files[1]).unwrap();
    write(files[1].parent().unwrap(), &genuine(2)[1]);
    edit_text(&files[1], |text| text.replace(bitmap.as_str(), &other));
    let error = merge_error(&files);
    assert!(
        error.contains(&name(&files[1])) && error.contains("designs[1].users_touched"),
        "{error}"
    );
    cleanup(&files[0]);
}

#[test]
fn a_file_named_for_another_task_is_refused() {
    let files = files_with("split-renamed", 3, 0, Some);
    let dir = files[0].parent().unwrap();
    std::fs::rename(&files[1], dir.join("elsewhere")).unwrap();
    std::fs::rename(&files[0], &files[1]).unwrap();
    let error = merge_error(&files[1..]);
    assert!(
        error.contains(&name(&files[1]))
            && error.contains("`task` and `of` say task 0 of 3")
            && error.contains("named task-1-of-3.json"),
        "{error}"
    );
    cleanup(&files[1]);
}

/// Counts a checksum cannot vouch for, once recomputed: beyond the range of the totals, a part
/// larger than its whole, a user beyond the population. Each is refused naming the file and the
/// field, before anything is added (an addition beyond `u64` used to panic the merge).
#[test]
fn forged_counts_with_their_checksum_recomputed_are_refused() {
    type Forge = fn(&mut RunTask);
    let forgeries: [(&str, Forge); 5] = [
        ("`designs[0].metrics.sent` is 18446744073709551615", |t| {
            t.designs[0].metrics.sent = u64::MAX;
        }),
        (
            "`designs[2].timing.total_ns` is 18446744073709551615",
            |t| {
                t.designs[2].timing.total_ns = u64::MAX;
            },
        ),
        ("`designs[1].metrics.exposure.retroactive`", |t| {
            let exposure = &mut t.designs[1].metrics.exposure;
            exposure.retroactive = exposure.exposed + 1;
        }),
        ("`designs[1].metrics.lawful.compliant_obtained`", |t| {
            let lawful = &mut t.designs[1].metrics.lawful;
            lawful.compliant_obtained = lawful.compliant_in_window + 1;
        }),
        ("`designs[1].users_touched` holds user 40", |t| {
            let design = &mut t.designs[1];
            design.metrics.exposure.users.insert(40);
            design.users_touched = bitmap(&design.metrics.exposure.users);
        }),
    ];
    for (i, (expected, forge)) in forgeries.into_iter().enumerate() {
        let files = files_with(&format!("split-forged-{i}"), 2, 1, |mut task| {
            forge(&mut task);
            Some(resealed(task))
        });
        let error = merge_error(&files);
        assert!(
            error.starts_with(&format!("{}: ", name(&files[1]))) && error.contains(expected),
            "{expected}: {error}"
        );
        cleanup(&files[0]);
    }
}

/// A set of users in a task file's bitmap form: `bits:`, then 16 hex digits per 64 users, most
/// significant first.
fn bitmap(users: &doormat::adversary::UserSet) -> String {
    let hex: String = users.words().iter().map(|w| format!("{w:016x}")).collect();
    format!("bits:{hex}")
}

/// A task file over the size limit (300 MiB, sparse: nothing is written to disk) is refused
/// from its metadata, without being read.
#[test]
fn an_oversized_task_file_is_refused_before_it_is_read() {
    let dir = scratch("split-oversized");
    let file = dir.join("task-0-of-2.json");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let start = Instant::now();
    let error = read_task_file(&file).unwrap_err().to_string();
    assert!(
        error.contains(&name(&file)) && error.contains("bytes allowed"),
        "{error}"
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    std::fs::remove_dir_all(dir).unwrap();
}

/// `doormat merge` with arguments `args`.
fn doormat(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(args)
        .output()
        .unwrap()
}

/// A FIFO named like a task file is refused from its metadata, without opening it: merge must
/// not wait for a writer that never comes.
#[test]
fn a_fifo_named_like_a_run_task_file_is_refused_without_hanging() {
    let files = files_with("split-fifo", 2, 0, |_| None);
    let tasks = files[0].parent().unwrap().to_path_buf();
    let fifo = tasks.join("task-0-of-2.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: mkfifo is not available");
        cleanup(&files[0]);
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(["merge".as_ref(), tasks.as_os_str(), "--out".as_ref()])
        .arg(tasks.parent().unwrap().join("out"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("merge hangs on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let err = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains(&name(&fifo)) && err.contains("not a regular file"),
        "{err}"
    );
    assert!(!tasks.parent().unwrap().join("out").exists());
    cleanup(&files[0]);
}

#[test]
fn the_cli_refuses_a_mix_of_run_and_sweep_tasks() {
    let files = files_with("split-mix", 2, 1, |_| None);
    let test = files[0].parent().unwrap().parent().unwrap().to_path_buf();
    let sweep = crate::sweep::tiny()
        .run_task(doormat::model::TaskSelection::new(1, 2).unwrap(), 1)
        .unwrap();
    let sweep_file = doormat::sweep::write_task(&test.join("sweep"), &sweep).unwrap();
    let out = test.join("out");
    let output = doormat(&[
        "merge".as_ref(),
        files[0].as_os_str(),
        sweep_file.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{} is a run's task", name(&files[0])))
            && err.contains(&format!("{} a sweep's", name(&sweep_file)))
            && err.contains("merge the tasks of one run or one sweep"),
        "{err}"
    );
    assert!(!out.exists(), "merge wrote results");
    cleanup(&files[0]);
}

#[test]
fn the_cli_refuses_a_task_beyond_of() {
    let dir = scratch("split-beyond");
    let scenario = dir.join("tiny.json");
    std::fs::write(&scenario, tiny_text(5)).unwrap();
    let output = doormat(&[
        "run".as_ref(),
        scenario.as_os_str(),
        "--task".as_ref(),
        "3".as_ref(),
        "--of".as_ref(),
        "3".as_ref(),
        "--out".as_ref(),
        dir.join("out").as_os_str(),
        "--quiet".as_ref(),
    ]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("expected a task from 0 to 2 of 3, found 3"),
        "{err}"
    );
    assert!(!dir.join("out").exists(), "a refused task wrote a folder");
    std::fs::remove_dir_all(dir).unwrap();
}

/// `doormat compare`: 0 on two copies of one run's results, 1 naming the file when a
/// deterministic file differs, 2 when a folder is missing.
#[test]
fn compare_exits_by_what_differs() {
    let dir = scratch("split-compare");
    let scenario = dir.join("tiny.json");
    std::fs::write(&scenario, tiny_text(5)).unwrap();
    let results = |folder: &str| {
        let output = doormat(&[
            "run".as_ref(),
            scenario.as_os_str(),
            "--out".as_ref(),
            dir.join(folder).as_os_str(),
            "--quiet".as_ref(),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        dir.join(folder).join("split-tiny")
    };
    let (a, b) = (results("a"), results("b"));
    let compare = |a: &Path, b: &Path| doormat(&["compare".as_ref(), a.as_os_str(), b.as_os_str()]);
    let same = compare(&a, &b);
    let stdout = String::from_utf8_lossy(&same.stdout);
    assert_eq!(same.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("0 differ"), "{stdout}");

    let csv = b.join("timeseries.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, format!("{text}0,0\n")).unwrap();
    let differ = compare(&a, &b);
    let stdout = String::from_utf8_lossy(&differ.stdout);
    assert_eq!(differ.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("DIFFERS  timeseries.csv"), "{stdout}");
    assert!(stdout.contains("1 differ"), "{stdout}");

    let missing = compare(&a, &dir.join("none"));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{err}");
    assert!(err.contains("none"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}
