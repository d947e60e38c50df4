//! Event tables (`doormat run --events`): read back with the parquet crate, their rows add up
//! to `summary.json`, and their bytes do not depend on threads or tasks.

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::Command,
};

use arrow_array::{
    Array, RecordBatch,
    cast::AsArray,
    types::{UInt32Type, UInt64Type},
};
use doormat::{
    model::HOUR,
    report::Summary,
    scenario::Scenario,
    sim::{
        RunOptions,
        events::{EventRow, EventTable},
        run,
    },
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// The default scenario, small: 80 users for 12 hours, every secret stolen at hour 3 and the
/// theft detected at hour 9, so that rows are exposed before and after the detection.
fn small() -> Scenario {
    let mut text: serde_json::Value =
        serde_json::from_str(include_str!("../../../scenarios/default.json")).unwrap();
    text["name"] = "events".into();
    text["population"]["users"] = 80.into();
    text["duration_days"] = 0.5.into();
    for compromise in text["adversary"]["compromises"].as_array_mut().unwrap() {
        compromise["at_hours"] = 3.into();
    }
    text["adversary"]["detected_at_hours"] = 9.into();
    text["lawful_access"]["targets"] = 10.into();
    Scenario::from_json(&text.to_string()).unwrap()
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("doormat-events-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn doormat(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_doormat"))
        .args(args)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `doormat run` of `scenario` written to `dir`, with `extra` arguments.
fn run_cli(dir: &Path, scenario: &Scenario, extra: &[&str]) {
    let file = dir.join("scenario.json");
    std::fs::write(&file, serde_json::to_string(scenario).unwrap()).unwrap();
    let out = dir.join("out");
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    doormat(&args);
}

/// Every row of an event table, with the design labels by row.
fn read(path: &Path) -> (Vec<EventRow>, Vec<String>) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for batch in reader {
        let batch: RecordBatch = batch.unwrap();
        let column = |name: &str| batch.column_by_name(name).unwrap().clone();
        let u64s = |name| column(name).as_primitive::<UInt64Type>().clone();
        let u32s = |name| column(name).as_primitive::<UInt32Type>().clone();
        let bools = |name| column(name).as_boolean().clone();
        let opt64 = |a: &arrow_array::UInt64Array, i| a.is_valid(i).then(|| a.value(i));
        let opt32 = |a: &arrow_array::UInt32Array, i| a.is_valid(i).then(|| a.value(i));
        let (conversation, design, message) =
            (u64s("conversation"), u32s("design"), u32s("message"));
        let (sender, recipient, sent) = (u32s("sender"), u32s("recipient"), u64s("sent_at_s"));
        let (delivered, plaintext, wire) = (
            u64s("delivered_at_s"),
            u32s("plaintext_bytes"),
            u32s("wire_bytes"),
        );
        let (dh, exposed, by, readable) = (
            bools("dh_step"),
            bools("exposed"),
            u32s("exposed_by"),
            u64s("readable_at_s"),
        );
        let (warranted, obtained) = (bools("warranted"), bools("obtained"));
        let label = column("design_label");
        let label = label.as_string::<i32>();
        for i in 0..batch.num_rows() {
            assert_eq!(exposed.value(i), by.is_valid(i), "exposed iff exposed_by");
            assert_eq!(
                by.is_valid(i),
                readable.is_valid(i),
                "readable_at iff exposed"
            );
            labels.push(label.value(i).to_string());
            rows.push(EventRow {
                conversation: conversation.value(i),
                design: design.value(i),
                message: message.value(i),
                sender: sender.value(i),
                recipient: recipient.value(i),
                sent_at: sent.value(i),
                delivered_at: opt64(&delivered, i),
                plaintext_bytes: plaintext.value(i),
                wire_bytes: opt32(&wire, i),
                dh_step: dh.value(i),
                exposed_by: opt32(&by, i),
                readable_at: opt64(&readable, i),
                warranted: warranted.value(i),
                obtained: obtained.value(i),
            });
        }
    }
    (rows, labels)
}

fn key(row: &EventRow) -> (u64, u32, u32) {
    (row.conversation, row.design, row.message)
}

/// A whole run's `events.parquet`, read back: one row per message per design in (conversation,
/// design, message) order, and its rows add up to every count of `summary.json` they carry:
/// messages, bytes, DH steps, deliveries, exposure (in all, by compromise, after the detection,
/// conversations touched) and lawful access (in windows, obtained).
#[test]
fn rows_add_up_to_the_summary() {
    let dir = scratch("sum");
    run_cli(&dir, &small(), &["--events", "--threads", "2"]);
    let folder = dir.join("out/events");
    let summary: Summary =
        serde_json::from_str(&std::fs::read_to_string(folder.join("summary.json")).unwrap())
            .unwrap();
    let (rows, labels) = read(&folder.join("events.parquet"));
    let sent: u64 = summary.designs.iter().map(|d| d.counts.sent).sum();
    assert_eq!(rows.len() as u64, sent);
    assert!(
        rows.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "rows in table order"
    );
    let detected = summary
        .adversary
        .as_ref()
        .unwrap()
        .detected_at_hours
        .unwrap();
    let detected = (detected * HOUR as f64) as u64;
    let mut any_exposed = false;
    let mut any_obtained = false;
    for (d, design) in summary.designs.iter().enumerate() {
        let counts = &design.counts;
        let of: Vec<&EventRow> = rows.iter().filter(|r| r.design as usize == d).collect();
        assert!(
            rows.iter()
                .zip(&labels)
                .filter(|(r, _)| r.design as usize == d)
                .all(|(_, label)| *label == design.label)
        );
        let sum = |f: fn(&EventRow) -> u64| of.iter().map(|r| f(r)).sum::<u64>();
        assert_eq!(of.len() as u64, counts.sent, "{}", design.label);
        assert_eq!(
            sum(|r| u64::from(r.plaintext_bytes)),
            counts.plaintext_bytes
        );
        assert_eq!(sum(|r| u64::from(r.wire_bytes.unwrap())), counts.wire_bytes);
        assert_eq!(sum(|r| u64::from(r.dh_step)), counts.dh_steps);
        assert_eq!(
            sum(|r| u64::from(r.delivered_at.is_some())),
            counts.delivered
        );
        // Exposure.
        let exposure = design.exposure.as_ref().unwrap();
        let exposed = sum(|r| u64::from(r.exposed_by.is_some()));
        assert_eq!(exposed, exposure.exposed, "{}", design.label);
        assert_eq!(exposed, counts.exposure.exposed);
        let mut by = vec![0u64; exposure.by_compromise.len()];
        for row in &of {
            if let Some(c) = row.exposed_by {
                by[c as usize] += 1;
                assert!(
                    row.readable_at.unwrap() >= 3 * HOUR,
                    "read before any theft"
                );
            }
        }
        assert_eq!(by, exposure.by_compromise, "{}", design.label);
        let after = of
            .iter()
            .filter(|r| r.exposed_by.is_some() && r.sent_at >= detected)
            .count() as u64;
        assert_eq!(after, exposure.after_detection, "{}", design.label);
        let mut touched: Vec<u64> = of
            .iter()
            .filter(|r| r.exposed_by.is_some())
            .map(|r| r.conversation)
            .collect();
        touched.dedup();
        assert_eq!(touched.len() as u64, exposure.conversations_touched);
        any_exposed |= exposed > 0 && after > 0;
        // Lawful access.
        let lawful = design.lawful.as_ref().unwrap();
        assert!(
            of.iter().all(|r| r.warranted || !r.obtained),
            "obtained outside a window"
        );
        assert_eq!(sum(|r| u64::from(r.warranted)), lawful.messages_in_windows);
        assert_eq!(sum(|r| u64::from(r.obtained)), lawful.messages_obtained);
        any_obtained |= lawful.messages_obtained > 0;
    }
    assert!(any_exposed && any_obtained, "too little to check");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The engine's table on `threads` threads, and the run's deterministic counts.
fn table(dir: &Path, scenario: &Scenario, threads: usize) -> (Vec<u8>, String) {
    let path = dir.join(format!("events-{threads}.parquet"));
    let labels = scenario.designs.iter().map(|d| d.label()).collect();
    let table = EventTable::create(&path, labels, &[("scenario", scenario.name.clone())]).unwrap();
    let output = run(
        scenario,
        &RunOptions {
            threads,
            events: Some(&table),
            ..RunOptions::default()
        },
    )
    .unwrap();
    table.finish().unwrap();
    let counts = Summary::new(scenario, &output).deterministic_json();
    (std::fs::read(&path).unwrap(), counts)
}

/// 1 and 2 threads write byte-identical tables, and recording rows changes no count.
#[test]
fn one_and_two_threads_write_identical_tables() {
    let dir = scratch("threads");
    let scenario = small();
    let (one, counts) = table(&dir, &scenario, 1);
    let (two, counts_two) = table(&dir, &scenario, 2);
    assert!(one == two, "the tables differ between 1 and 2 threads");
    assert_eq!(counts, counts_two);
    let without = run(&scenario, &RunOptions::default()).unwrap();
    assert_eq!(
        counts,
        Summary::new(&scenario, &without).deterministic_json()
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Two tasks each write their own table of their own conversations, which together hold the
/// whole run's rows; `doormat merge` keeps both files in the folder it rebuilds.
#[test]
fn task_tables_hold_the_whole_runs_rows() {
    let dir = scratch("tasks");
    let scenario = small();
    let (whole, _) = table(&dir, &scenario, 2);
    let whole_path = dir.join("whole.parquet");
    std::fs::write(&whole_path, whole).unwrap();
    let (whole, _) = read(&whole_path);
    for task in ["0", "1"] {
        run_cli(&dir, &scenario, &["--events", "--task", task, "--of", "2"]);
    }
    let folder = dir.join("out/events");
    doormat(&[
        "merge",
        folder.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(folder.join("summary.json").is_file());
    let mut together = Vec::new();
    for task in 0..2u64 {
        let (rows, _) = read(&folder.join(format!("events-task-{task}-of-2.parquet")));
        assert!(!rows.is_empty());
        assert!(
            rows.iter().all(|r| r.conversation % 2 == task),
            "task {task}'s own only"
        );
        assert!(rows.windows(2).all(|w| key(&w[0]) < key(&w[1])));
        together.extend(rows);
    }
    together.sort_by_key(key);
    assert!(together == whole, "the tasks' rows are not the whole run's");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A table that cannot be created is a clear error naming the file, not a panic, and a table
/// dropped unfinished leaves no file behind.
#[test]
fn an_unwritable_table_is_an_error_and_an_unfinished_one_leaves_nothing() {
    let dir = scratch("errors");
    let path = dir.join("missing-folder/events.parquet");
    let error = EventTable::create(&path, vec!["plain".into()], &[]).unwrap_err();
    assert!(error.to_string().contains("missing-folder"), "{error}");
    let path = dir.join("events.parquet");
    let table = EventTable::create(&path, vec!["plain".into()], &[]).unwrap();
    drop(table);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}
