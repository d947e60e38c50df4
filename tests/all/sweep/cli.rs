use std::{path::Path, process::Command};

use super::{TINY, scratch};

fn doormat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(args)
        .output()
        .unwrap()
}

fn text(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

#[test]
fn a_bad_sweep_file_exits_with_code_2_and_says_where() {
    let dir = scratch("cli-bad");
    let syntax = dir.join("syntax.json");
    std::fs::write(&syntax, TINY.replace(r#""seeds": 2,"#, r#""seeds": 2,,"#)).unwrap();
    let out = doormat(&["sweep", &text(&syntax), "--out", &text(&dir)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("syntax.json") && err.contains("line"), "{err}");

    let pointer = dir.join("pointer.json");
    std::fs::write(
        &pointer,
        TINY.replace("/traffic/messages", "/traffic/messagez"),
    )
    .unwrap();
    let out = doormat(&["sweep", &text(&pointer), "--out", &text(&dir)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/traffic/messagez_per_user_per_day"), "{err}");

    let out = doormat(&["sweep", &text(&dir.join("none.json"))]);
    assert_eq!(out.status.code(), Some(2));
    let out = doormat(&["sweep", "epoch-length", "--task", "3", "--of", "3"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn tasks_merged_from_their_folder_match_the_whole_run() {
    let dir = scratch("cli-tasks");
    let file = dir.join("tiny.json");
    std::fs::write(&file, TINY).unwrap();
    let whole = dir.join("whole");
    let split = dir.join("split");
    let out = doormat(&["sweep", &text(&file), "--out", &text(&whole), "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for task in ["0", "1"] {
        let out = doormat(&[
            "sweep",
            &text(&file),
            "--task",
            task,
            "--of",
            "2",
            "--threads",
            "1",
            "--out",
            &text(&split),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(&format!("task-{task}-of-2.json")),
            "{stdout}"
        );
    }
    assert!(!split.join("tiny/sweep.json").exists());

    let one = split.join("tiny/task-1-of-2.json");
    let out = doormat(&[
        "merge",
        &text(&split.join("tiny/task-0-of-2.json")),
        "--out",
        &text(&split),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing") && err.contains("task-1-of-2.json"),
        "{err}"
    );
    let out = doormat(&[
        "merge",
        &text(&dir.join("gone.json")),
        "--out",
        &text(&split),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gone.json"));
    assert!(one.exists());

    let out = doormat(&["merge", &text(&split.join("tiny")), "--out", &text(&split)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["sweep.json", "sweep.csv"] {
        assert_eq!(
            std::fs::read_to_string(whole.join("tiny").join(name)).unwrap(),
            std::fs::read_to_string(split.join("tiny").join(name)).unwrap(),
            "{name}"
        );
    }
    assert!(split.join("tiny/sweep-measured.json").exists());
    // The merged folder replaced the old one whole, keeping the task files it was merged from,
    // and left no temporary beside it.
    assert!(one.exists() && split.join("tiny/task-0-of-2.json").exists());
    let beside: Vec<String> = std::fs::read_dir(&split)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        beside.iter().all(|n| n == "tiny" || n == ".tiny.lock"),
        "{beside:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
