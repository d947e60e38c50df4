//! A results folder is whole or old: killed at any write step, on a full disk, with a second
//! writer, or rerun with other figures, `results/<name>/` holds one complete run and nothing else.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Command, Output},
    time::{Duration, Instant},
};

use doormat::report::{ReportError, ResultsFolder};

/// A plain run of a few users: a handful of files, a fraction of a second.
const PLAIN: &str = r#"{"name":"tiny","description":"d","seed":1,"duration_days":0.05,"population":{"users":6},"designs":[{"kind":"plain"}]}"#;
/// The same name with an adversary: more files (exposure, healing).
const WATCHED: &str = r#"{"name":"tiny","description":"d","seed":1,"duration_days":0.05,"population":{"users":6},"designs":[{"kind":"plain"}],"adversary":{"compromises":[{"at_hours":0.2,"secret":{"kind":"device","users":2}}],"reference_victims":2}}"#;

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("doormat-output-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(dir: &Path, scenario: &str, seed: u64, hook: Option<usize>) -> Output {
    let file = dir.join("scenario.json");
    // Rewritten only when it changes: on the full disk, the same scenario is run again.
    if std::fs::read_to_string(&file).ok().as_deref() != Some(scenario) {
        std::fs::write(&file, scenario).unwrap();
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_doormat"));
    command
        .args([
            "run",
            "--quiet",
            "--threads",
            "1",
            "--seed",
            &seed.to_string(),
        ])
        .arg(&file)
        .arg("--out")
        .arg(dir.join("results"));
    if let Some(step) = hook {
        command.env("DOORMAT_ABORT_AFTER_WRITE_STEP", step.to_string());
    }
    command.output().unwrap()
}

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

fn seed_of(files: &BTreeMap<PathBuf, Vec<u8>>) -> Option<u64> {
    let summary: serde_json::Value =
        serde_json::from_slice(files.get(Path::new("summary.json"))?).ok()?;
    summary["seed"].as_u64()
}

/// Names beside the results folder other than its lock: temporaries a run left behind.
fn leftovers(results: &Path) -> Vec<String> {
    std::fs::read_dir(results)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "tiny" && n != ".tiny.lock")
        .collect()
}

/// Aborted after each step of the write (each file, then each rename of the swap), the folder
/// is exactly the old run or a complete new one; the next run removes what the abort left.
#[test]
fn killing_at_every_write_step_leaves_the_old_run_or_the_new() {
    let dir = scratch("kill");
    let target = dir.join("results/tiny");
    assert!(run(&dir, PLAIN, 2, None).status.success());
    let new_files: Vec<PathBuf> = snapshot(&target).into_keys().collect();
    assert!(run(&dir, PLAIN, 1, None).status.success());
    // Measured timings differ from run to run: the old run is this one, byte for byte.
    let mut old = snapshot(&target);
    assert_eq!(seed_of(&old), Some(1));
    let (mut saw_old, mut saw_new) = (false, false);
    for step in 1..=new_files.len() + 2 {
        let out = run(&dir, PLAIN, 2, Some(step));
        assert!(!out.status.success(), "step {step} did not abort");
        let now = snapshot(&target);
        if now == old {
            saw_old = true;
        } else {
            let files: Vec<PathBuf> = now.keys().cloned().collect();
            assert_eq!(files, new_files, "after step {step}: a mix");
            assert_eq!(seed_of(&now), Some(2), "after step {step}");
            saw_new = true;
            // Back to the old run for the next step.
            assert!(run(&dir, PLAIN, 1, None).status.success());
            old = snapshot(&target);
        }
    }
    assert!(saw_old && saw_new, "old {saw_old}, new {saw_new}");
    // The aborted runs' temporaries are gone after the next run.
    assert!(run(&dir, PLAIN, 3, None).status.success());
    assert_eq!(leftovers(&dir.join("results")), Vec::<String>::new());
    std::fs::remove_dir_all(dir).unwrap();
}

/// A rerun writes a new folder: no file of the old run survives, not an old figure, not an
/// interrupted write's temporary, not a stray file.
#[test]
fn a_rerun_with_another_seed_leaves_no_file_of_the_old_run() {
    let dir = scratch("rerun");
    let target = dir.join("results/tiny");
    assert!(run(&dir, WATCHED, 101, None).status.success());
    assert!(target.join("exposure.csv").is_file());
    std::fs::write(target.join("summary.json.tmp4242"), "half").unwrap();
    std::fs::write(target.join("plots/stray.svg"), "<svg/>").unwrap();
    assert!(run(&dir, PLAIN, 202, None).status.success());
    let after = snapshot(&target);
    let fresh = scratch("rerun-fresh");
    assert!(run(&fresh, PLAIN, 202, None).status.success());
    let expected: Vec<PathBuf> = snapshot(&fresh.join("results/tiny")).into_keys().collect();
    assert_eq!(after.keys().cloned().collect::<Vec<_>>(), expected);
    assert_eq!(seed_of(&after), Some(202));
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(fresh).unwrap();
}

/// A second writer of the same folder is refused, naming the lock and the holder's pid, and
/// leaves the folder alone; the lock goes with its holder.
#[test]
fn a_second_writer_is_refused() {
    let dir = scratch("lock");
    let target = dir.join("results/tiny");
    let first = ResultsFolder::begin(&target).unwrap();
    first.write("summary.json", b"{}").unwrap();
    let Err(error @ ReportError::Locked { .. }) = ResultsFolder::begin(&target) else {
        panic!("a second writer in this process was let in")
    };
    assert!(error.to_string().contains(".tiny.lock"), "{error}");
    let out = run(&dir, PLAIN, 1, None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let pid = format!("pid {}", std::process::id());
    assert!(
        stderr.contains("being written by another doormat") && stderr.contains(&pid),
        "{stderr}"
    );
    assert!(!target.exists(), "the refused run wrote its folder");
    first.commit().unwrap();
    assert_eq!(std::fs::read(target.join("summary.json")).unwrap(), b"{}");
    assert!(run(&dir, PLAIN, 1, None).status.success());
    std::fs::remove_dir_all(dir).unwrap();
}

/// A folder dropped without a commit leaves no temporary and the old results as they were.
#[test]
fn an_abandoned_write_leaves_the_old_folder() {
    let dir = scratch("abandon");
    let target = dir.join("tiny");
    let folder = ResultsFolder::begin(&target).unwrap();
    folder.write("plots/a.svg", b"old").unwrap();
    folder.commit().unwrap();
    let folder = ResultsFolder::begin(&target).unwrap();
    folder.write("b.csv", b"new").unwrap();
    drop(folder);
    assert_eq!(
        snapshot(&target).into_keys().collect::<Vec<_>>(),
        [PathBuf::from("plots/a.svg")]
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A temporary folder of a killed run is removed by the next writer.
#[test]
fn a_stale_temporary_is_removed() {
    let dir = scratch("stale");
    let stale = dir.join(".tiny.tmp-999999-0");
    std::fs::create_dir_all(stale.join("plots")).unwrap();
    std::fs::write(stale.join("summary.json"), "{}").unwrap();
    let folder = ResultsFolder::begin(&dir.join("tiny")).unwrap();
    assert!(!stale.exists());
    folder.commit().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

fn fails_fast(out: &Path, expected: &str) {
    let started = Instant::now();
    // The bundled default takes a minute to simulate: failing fast means failing before it.
    let result = Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(["run", "--quiet", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains(expected), "{stderr}");
    assert!(stderr.matches("os error").count() <= 1, "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

/// An output location that cannot be written fails before the simulation, with one clear error.
#[test]
fn an_unwritable_out_fails_before_simulating() {
    let dir = scratch("unwritable");
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    fails_fast(&file, "a-file: exists and is not a folder");
    fails_fast(&file.join("below"), "a-file: exists and is not a folder");
    fails_fast(
        Path::new("/proc/doormat-results"),
        "/proc/doormat-results: cannot create this folder",
    );
    let read_only = dir.join("read-only");
    std::fs::create_dir(&read_only).unwrap();
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    if std::fs::write(read_only.join("probe"), "x").is_err() {
        fails_fast(&read_only, "read-only");
    } else if read_only_mount(&read_only) {
        // Root writes through permissions, not through a read-only mount.
        fails_fast(&read_only, "Read-only file system");
        let _ = Command::new("umount").arg(&read_only).status();
    } else {
        eprintln!("skipped the read-only folder: root here, and no read-only mount allowed");
    }
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

/// Makes `dir` a read-only bind mount of itself, where this user may mount.
fn read_only_mount(dir: &Path) -> bool {
    let mount = |args: &[&str]| {
        Command::new("mount")
            .args(args)
            .arg(dir)
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    mount(&["--bind"])
        && (mount(&["-o", "remount,bind,ro"]) || {
            let _ = Command::new("umount").arg(dir).status();
            false
        })
}

/// On a full disk the run fails with exit 2 and the old folder stays whole (needs a tmpfs
/// mount: root in a namespace that allows it; skipped otherwise).
#[test]
fn a_full_disk_leaves_the_old_folder() {
    let dir = scratch("full");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&dir)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here");
        std::fs::remove_dir_all(dir).unwrap();
        return;
    }
    let outcome = std::panic::catch_unwind(|| {
        assert!(run(&dir, PLAIN, 1, None).status.success());
        let old = snapshot(&dir.join("results/tiny"));
        // Fill the disk to the last byte.
        let mut filler = std::fs::File::create(dir.join("filler")).unwrap();
        let block = vec![7u8; 64 << 10];
        while std::io::Write::write_all(&mut filler, &block).is_ok() {}
        let _ = std::io::Write::write_all(&mut filler, &[7]);
        let out = run(&dir, PLAIN, 2, None);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(snapshot(&dir.join("results/tiny")), old);
        assert_eq!(leftovers(&dir.join("results")), Vec::<String>::new());
    });
    let _ = Command::new("umount").arg(&dir).status();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// `doormat plot` rebuilds the figures and the page beside the folder and swaps it in: the
/// run's own files stay byte for byte, figures it no longer draws go.
#[test]
fn plot_replaces_the_figures_whole() {
    let dir = scratch("plot");
    let target = dir.join("results/tiny");
    assert!(run(&dir, PLAIN, 1, None).status.success());
    let before = snapshot(&target);
    std::fs::write(target.join("plots/stray.svg"), "<svg/>").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_doormat"))
        .arg("plot")
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = snapshot(&target);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for file in ["summary.json", "designs.csv", "timeseries.csv"] {
        assert_eq!(after[Path::new(file)], before[Path::new(file)], "{file}");
    }
    assert_eq!(leftovers(&dir.join("results")), Vec::<String>::new());
    std::fs::remove_dir_all(dir).unwrap();
}
