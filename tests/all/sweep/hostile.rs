//! Task files from elsewhere: `merge` refuses an escaping or mismatched sweep name, headers that
//! contradict the file name, edited values, non-regular files and trailing data, and writes
//! nothing outside `--out`.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use doormat::sweep::{SweepError, TaskResult, TaskSelection, merge, read_task, write_task};

use super::{TINY, scratch, tiny};

/// The tiny sweep as two tasks, run once for all tests: each task file's name and text.
fn genuine() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let sweep = tiny();
        let dir = scratch("hostile-genuine");
        let files = (0..2)
            .map(|i| {
                let task = sweep
                    .run_task(TaskSelection::new(i, 2).unwrap(), 1)
                    .unwrap();
                let file = write_task(&dir, &task).unwrap();
                let name = file.file_name().unwrap().to_str().unwrap().to_string();
                (name, std::fs::read_to_string(file).unwrap())
            })
            .collect();
        std::fs::remove_dir_all(dir).unwrap();
        files
    })
}

/// A folder `<test>/tasks/` holding the genuine task files, the second one's text changed by
/// `edit`; returns the test's folder.
fn tasks_with(test: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = scratch(test);
    std::fs::create_dir_all(dir.join("tasks")).unwrap();
    for (k, (name, text)) in genuine().iter().enumerate() {
        let text = if k == 1 { edit(text) } else { text.clone() };
        std::fs::write(dir.join("tasks").join(name), text).unwrap();
    }
    dir
}

/// Replaces exactly one occurrence of `from` after the first `anchor` of `text`.
fn replace_after(text: &str, anchor: &str, from: &str, to: &str) -> String {
    let start = text.find(anchor).unwrap();
    let at = start + text[start..].find(from).unwrap();
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

/// Merges the folder's task files (read as `doormat merge` reads them), giving the error.
fn merge_error(dir: &Path) -> String {
    let tasks: Result<Vec<(String, TaskResult)>, SweepError> = genuine()
        .iter()
        .map(|(name, _)| {
            let file = dir.join("tasks").join(name);
            Ok((file.display().to_string(), read_task(&file)?))
        })
        .collect();
    match tasks.and_then(|tasks| merge(&tasks)) {
        Ok(_) => panic!("merged"),
        Err(error) => error.to_string(),
    }
}

/// `doormat merge <dir>/tasks --out <out>`.
fn doormat_merge(dir: &Path, out: &Path) -> Output {
    let tasks = dir.join("tasks");
    Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(["merge".as_ref(), tasks.as_os_str(), "--out".as_ref()])
        .arg(out)
        .arg("--quiet")
        .output()
        .unwrap()
}

/// Every path under `dir`, sorted, skipping `skip`.
fn listing(dir: &Path, skip: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path == skip {
                continue;
            }
            if path.is_dir() {
                stack.push(path.clone());
            }
            all.push(path);
        }
    }
    all.sort();
    all
}

/// Runs `doormat merge` on a folder of task files whose `sweep` is `name` and checks that it
/// exits 2 naming the file and the field, and writes nothing anywhere.
fn escaping_name_is_refused(test: &str, name: &str) {
    let dir = tasks_with(test, |text| text.to_string());
    for (file, text) in genuine() {
        let escaped = text.replace("\"sweep\": \"tiny\"", &format!("\"sweep\": {name:?}"));
        assert_ne!(&escaped, text);
        std::fs::write(dir.join("tasks").join(file), escaped).unwrap();
    }
    // `../../x` from here is `<dir>/deep/x`: inside the test's folder, whose listing is compared.
    let before = listing(&dir, Path::new(""));
    let out = doormat_merge(&dir, &dir.join("deep/er/out"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("task-0-of-2.json") && err.contains("`sweep`") && err.contains(name),
        "{err}"
    );
    assert_eq!(listing(&dir, Path::new("")), before, "merge wrote a file");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_task_file_whose_sweep_climbs_out_of_out_is_refused() {
    escaping_name_is_refused("hostile-dotdot", "../../x");
}

#[test]
fn a_task_file_whose_sweep_is_an_absolute_path_is_refused() {
    let target = std::env::temp_dir().join(format!("doormat-absolute-{}", std::process::id()));
    escaping_name_is_refused("hostile-absolute", target.to_str().unwrap());
    assert!(!target.exists());
}

/// A successful merge creates `--out/<name>/` and its lock file `--out/.<name>.lock`, and
/// nothing else: the listing of the folder around `--out` is unchanged.
#[test]
fn merge_writes_nothing_outside_out() {
    let dir = tasks_with("hostile-inside", |text| text.to_string());
    let before = listing(&dir, &dir.join("out"));
    let out = doormat_merge(&dir, &dir.join("out"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(listing(&dir, &dir.join("out")), before);
    let written: Vec<PathBuf> = listing(&dir.join("out"), Path::new(""));
    assert!(!written.is_empty());
    assert!(
        written
            .iter()
            .all(|p| p.starts_with(dir.join("out/tiny")) || *p == dir.join("out/.tiny.lock")),
        "{written:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn task_files_of_differently_named_sweeps_are_refused() {
    let renamed = TINY.replace("\"name\": \"tiny\"", "\"name\": \"tiny2\"");
    let other = doormat::sweep::Sweep::load(&renamed, None)
        .unwrap()
        .run_task(TaskSelection::new(1, 2).unwrap(), 1)
        .unwrap();
    let first = TaskResult::from_json(&genuine()[0].1).unwrap();
    let error = merge(&[
        ("task-0-of-2.json".into(), first),
        ("task-1-of-2.json".into(), other),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("\"tiny2\" vs \"tiny\"") && error.contains("task-1-of-2.json"),
        "{error}"
    );
    // The same sweep with its `sweep` field renamed: caught against the spec's name.
    let dir = tasks_with("hostile-renamed", |text| {
        text.replace("\"sweep\": \"tiny\"", "\"sweep\": \"tiny2\"")
    });
    let task = read_task(&dir.join("tasks/task-1-of-2.json")).unwrap();
    let error = merge(&[("task-1-of-2.json".into(), task)])
        .unwrap_err()
        .to_string();
    assert!(error.contains("its spec is named \"tiny\""), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_task_header_that_contradicts_its_file_name_is_refused() {
    let dir = tasks_with("hostile-header", |text| text.to_string());
    let tasks = dir.join("tasks");
    // Task 1's file under task 0's name (and the reverse): the set looks whole by file name.
    std::fs::rename(tasks.join("task-0-of-2.json"), dir.join("zero")).unwrap();
    std::fs::rename(
        tasks.join("task-1-of-2.json"),
        tasks.join("task-0-of-2.json"),
    )
    .unwrap();
    std::fs::rename(dir.join("zero"), tasks.join("task-1-of-2.json")).unwrap();
    let error = merge_error(&dir);
    assert!(
        error.contains("task-0-of-2.json") && error.contains("say task 1 of 2"),
        "{error}"
    );
    // A header edited to fit another name, with items that are not that task's.
    let dir = tasks_with("hostile-header-edit", |text| {
        text.replace("\"task\": 1,", "\"task\": 0,")
            .replace("\"of\": 2,", "\"of\": 3,")
    });
    std::fs::rename(
        dir.join("tasks/task-1-of-2.json"),
        dir.join("tasks/task-0-of-3.json"),
    )
    .unwrap();
    let task = read_task(&dir.join("tasks/task-0-of-3.json")).unwrap();
    let error = merge(&[("task-0-of-3.json".into(), task)])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("task-0-of-3.json") && error.contains("items"),
        "{error}"
    );
    // A name that is not exactly task-I-of-N.json.
    let padded = dir.join("tasks/task-00-of-2.json");
    std::fs::write(&padded, &genuine()[0].1).unwrap();
    let error = read_task(&padded).unwrap_err().to_string();
    assert!(error.contains("task-I-of-N.json"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_edited_metric_value_is_refused_naming_the_file_and_item() {
    let dir = tasks_with("hostile-metric", |text| {
        replace_after(text, "\"metrics\": [\n            ", "0", "1")
    });
    let error = merge_error(&dir);
    assert!(
        error.contains("task-1-of-2.json")
            && error.contains("items[0] (item 1)")
            && error.contains("checksum"),
        "{error}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// Even with the item's checksum recomputed, the file's checksum no longer fits.
#[test]
fn an_edit_with_its_item_checksum_recomputed_is_refused() {
    let mut task = TaskResult::from_json(&genuine()[1].1).unwrap();
    task.items[0].failed = 7;
    task.items[0] = task.items[0].clone().sealed();
    let first = TaskResult::from_json(&genuine()[0].1).unwrap();
    let error = merge(&[
        ("task-0-of-2.json".into(), first),
        ("task-1-of-2.json".into(), task),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("task-1-of-2.json") && error.contains("`checksum`"),
        "{error}"
    );
}

#[test]
fn an_edited_seed_or_parameter_is_refused_naming_the_item() {
    let dir = tasks_with("hostile-seed", |text| {
        replace_after(text, "\"items\"", "\"seed\": 12", "\"seed\": 13")
    });
    let error = merge_error(&dir);
    assert!(
        error.contains("items[0] (item 1): `seed` is 13, expected 12"),
        "{error}"
    );
    let dir = tasks_with("hostile-parameter", |text| {
        replace_after(text, "\"items\"", "40", "41")
    });
    let error = merge_error(&dir);
    assert!(error.contains("items[0] (item 1): `parameters`"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A FIFO named like a task file is refused from its metadata, without opening it: merge must
/// not wait for a writer that never comes.
#[test]
fn a_fifo_named_like_a_task_file_is_refused_without_hanging() {
    let dir = scratch("hostile-fifo");
    let tasks = dir.join("tasks");
    std::fs::create_dir_all(&tasks).unwrap();
    std::fs::write(tasks.join("task-1-of-2.json"), &genuine()[1].1).unwrap();
    let made = Command::new("mkfifo")
        .arg(tasks.join("task-0-of-2.json"))
        .status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    std::fs::create_dir(tasks.join("task-0-of-3.json")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(["merge".as_ref(), tasks.as_os_str(), "--out".as_ref()])
        .arg(dir.join("out"))
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
        err.contains("task-0-of-2.json") && err.contains("not a regular file"),
        "{err}"
    );
    let error = read_task(&tasks.join("task-0-of-3.json"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("folder"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn trailing_data_after_a_task_or_sweep_document_is_refused() {
    let text = &genuine()[0].1;
    for (case, task, sweep) in [
        (
            "garbage",
            format!("{text}}}}}garbage"),
            format!("{TINY}}}}}garbage"),
        ),
        (
            "two documents",
            format!("{text}{text}"),
            format!("{TINY}{TINY}"),
        ),
    ] {
        let error = TaskResult::from_json(&task).unwrap_err().to_string();
        assert!(
            error.contains("trailing") && error.contains("line"),
            "{case}: {error}"
        );
        let error = doormat::sweep::Sweep::load(&sweep, None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("trailing") && error.contains("column"),
            "{case}: {error}"
        );
    }
    assert!(TaskResult::from_json(&format!("{text}\n\n")).is_ok());
}

/// A task file over the size limit is refused from its metadata (a sparse file: nothing is
/// written to disk, and nothing is read).
#[test]
fn an_oversized_task_file_is_refused_before_it_is_read() {
    let dir = scratch("hostile-oversized");
    let file = dir.join("task-0-of-2.json");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(doormat::sweep::MAX_TASK_BYTES + 1)
        .unwrap();
    let start = Instant::now();
    let error = read_task(&file).unwrap_err().to_string();
    assert!(
        error.contains("task-0-of-2.json") && error.contains("bytes allowed"),
        "{error}"
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    std::fs::remove_dir_all(dir).unwrap();
}

/// An array in place of an object is refused, as the schema says, even with every field in
/// serde's order: a whole sweep file, and a task file's item.
#[test]
fn arrays_in_place_of_objects_are_refused() {
    let spec: serde_json::Value = serde_json::from_str(TINY).unwrap();
    let fields = [
        "name",
        "description",
        "scenario",
        "parameters",
        "seeds",
        "metrics",
    ];
    let as_array: Vec<serde_json::Value> = fields
        .iter()
        .map(|f| spec.get(*f).cloned().unwrap_or(serde_json::json!(1)))
        .collect();
    let error = doormat::sweep::SweepSpec::from_json(&serde_json::to_string(&as_array).unwrap())
        .unwrap_err()
        .to_string();
    assert!(error.contains("expected an object"), "{error}");

    let (_, text) = &genuine()[0];
    let mut task: serde_json::Value = serde_json::from_str(text).unwrap();
    let item = task["items"][0].take();
    let values: Vec<serde_json::Value> = item.as_object().unwrap().values().cloned().collect();
    task["items"][0] = serde_json::Value::Array(values);
    let error = TaskResult::from_json(&task.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("items[0]") && error.contains("expected an object"),
        "{error}"
    );
}
