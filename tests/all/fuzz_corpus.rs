//! The fuzz targets' harnesses under plain `cargo test`: every file of every seed corpus in
//! `fuzz/corpus/` is replayed, as are the seeds freshly generated from the current code, and
//! property tests run the same harnesses on random and mutated inputs. No nightly needed.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::{fs, path::PathBuf};

use doormat::protocol::message::WireMessage;
use proptest::{collection::vec, prelude::*};

use self::harness::{EDIT, FIXTURE, RESEAL, RUN_TASK_FILES, Stats, TARGETS, TASK_FILES};

fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

/// Committed seed files that differ from what the current code generates.
fn stale_seeds() -> Vec<PathBuf> {
    harness::seeds()
        .into_iter()
        .map(|seed| (corpus_dir(seed.target).join(&seed.name), seed.bytes))
        .filter(|(path, bytes)| fs::read(path).ok().as_ref() != Some(bytes))
        .map(|(path, _)| path)
        .collect()
}

/// The committed seeds are the ones the current code generates. The `decrypt` seeds are real
/// messages of a seeded session, so a change to how doormat uses its RNG, derives keys or
/// encodes messages makes them stale: they would then no longer reach deep into the code, and
/// the harness would rightly refuse to treat a message sealed by another run as genuine.
#[test]
fn committed_corpora_are_up_to_date() {
    let stale = stale_seeds();
    assert!(
        stale.is_empty(),
        "stale or missing seeds {stale:?}: the seeded session now seals other bytes. Refresh \
         the corpus with `cargo test --test all -- --ignored regenerate_fuzz_corpus`"
    );
}

/// Every committed corpus file, including inputs the fuzzers found and were kept, runs through
/// its target's harness without a finding. (While the seeds are stale, which the test above
/// reports, the `decrypt` corpus is skipped: its messages are no longer the fixture's.)
#[test]
fn committed_corpora_replay_cleanly() {
    let stale = !stale_seeds().is_empty();
    for target in TARGETS {
        if stale && target == "decrypt" {
            continue;
        }
        let dir = corpus_dir(target);
        let mut files = 0;
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let data = fs::read(&path).unwrap();
            harness::run(target, &data);
            files += 1;
        }
        assert!(files > 0, "empty corpus {}", dir.display());
    }
}

/// The seeds as the current code makes them, so the replay stays meaningful even if the
/// committed files were made by an older wire format or key schedule.
#[test]
fn generated_seeds_replay_cleanly() {
    let mut stats = Stats::default();
    for seed in harness::seeds() {
        if seed.target == "interaction" {
            let run = harness::interaction(&seed.bytes);
            assert!(run.sent > 0 && run.opened > 0, "{}: {run:?}", seed.name);
            stats += run;
        } else {
            harness::run(seed.target, &seed.bytes);
        }
        if seed.name.contains("non-canonical") {
            assert!(
                WireMessage::try_from(&seed.bytes[..]).is_err(),
                "{}",
                seed.name
            );
        }
    }
    // Together the scripts reach every kind of outcome the interaction target checks.
    assert!(stats.refused > 0 && stats.tampered > 0, "{stats:?}");
}

/// Every fixture message opens for the recipients it names, through the `decrypt` harness's
/// own checks (genuine, once only).
#[test]
fn fixture_messages_open_for_their_recipients() {
    let fixture = &*FIXTURE;
    for message in &fixture.messages {
        assert!(!message.recipients.is_empty(), "{}", message.name);
        harness::decrypt(&message.bytes);
    }
    assert!(
        fixture
            .bob_session
            .clone()
            .decrypt(&fixture.messages[0].bytes)
            .is_err()
    );
}

/// Regression for a finding of the `decrypt` target (fixed in src/protocol/message.rs): X25519
/// ignores bit 255 of a public key and nothing else bound the bytes of an initial message's
/// base key EK_A, so a copy with that bit flipped (byte 65) was accepted. Likewise, an
/// established session once ignored the identity key and prekey ids of a repeated initial
/// message. Every single-bit change to an initial message's X3DH fields must now be refused.
#[test]
fn initial_message_fields_are_bound_bit_for_bit() {
    let fixture = &*FIXTURE;
    let named = |name| fixture.messages.iter().find(|m| m.name == name).unwrap();
    let (first, repeated) = (named("a0-initial"), named("a1-initial-skipped"));
    for bit in 0..75 * 8 {
        let mut flipped = first.bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        assert!(
            fixture.bob_account.clone().accept(&flipped).is_err(),
            "bit {bit}"
        );
        let mut flipped = repeated.bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        assert!(
            fixture.bob_session.clone().decrypt(&flipped).is_err(),
            "bit {bit}"
        );
    }
}

/// Writes the seed corpus into `fuzz/corpus/`, leaving other files (kept fuzzer finds) alone.
/// Run after a change to the wire format or the
/// key schedule: `cargo test --test all -- --ignored regenerate_fuzz_corpus`.
#[test]
#[ignore = "writes files: run by hand to refresh fuzz/corpus/"]
fn regenerate_fuzz_corpus() {
    for target in TARGETS {
        fs::create_dir_all(corpus_dir(target)).unwrap();
    }
    for seed in harness::seeds() {
        fs::write(corpus_dir(seed.target).join(&seed.name), &seed.bytes).unwrap();
    }
}

/// The `task` seeds, made from task files run now: genuine files merge (alone they miss items,
/// together they merge and pass every check of the harness), damaged ones are refused, and each
/// edit script changes a genuine file in a way merge must refuse, except the one that writes
/// back the byte that was there.
#[test]
fn task_seeds_exercise_merge_and_its_refusals() {
    use doormat::sweep::{TaskResult, merge};
    let parse = |bytes: &[u8]| TaskResult::from_json(std::str::from_utf8(bytes).unwrap());
    let genuine: Vec<(String, TaskResult)> = TASK_FILES
        .iter()
        .map(|(name, text)| (name.clone(), TaskResult::from_json(text).unwrap()))
        .collect();
    assert!(merge(&genuine).is_ok());
    for (name, bytes) in harness::task_seeds() {
        harness::task(&bytes);
        match name.as_str() {
            "trailing-garbage" | "two-documents" | "truncated" => {
                assert!(parse(&bytes).is_err(), "{name}")
            }
            "sweep-escapes-out" => {
                let first = bytes.split(|&b| b == 0).next().unwrap();
                let mut set = genuine.clone();
                set[0].1 = parse(first).unwrap();
                let error = merge(&set).unwrap_err().to_string();
                assert!(error.contains("../../x"), "{error}");
            }
            edit if edit.starts_with("edit-") => {
                assert_eq!(bytes[0], EDIT, "{name}");
                let (k, at) = (
                    usize::from(bytes[1]),
                    usize::from(u16::from_be_bytes([bytes[2], bytes[3]])),
                );
                let original = TASK_FILES[k].1.as_bytes()[at];
                assert_eq!(original == bytes[4], name == "edit-nothing", "{name}");
            }
            _ => {}
        }
    }
}

/// Every number in a genuine task file is covered: a digit changed anywhere (headers, spec,
/// scenario, seeds, metric values, measured figures, checksums) is refused at merge unless the
/// value it gives is the same, as the `task` harness checks. Every other digit of both files, so
/// the test stays quick.
#[test]
fn a_changed_digit_anywhere_in_a_task_file_is_refused() {
    let mut tried = 0;
    for (k, (_, text)) in TASK_FILES.iter().enumerate() {
        let digits = text.bytes().enumerate().filter(|(_, b)| b.is_ascii_digit());
        for (at, digit) in digits.step_by(2) {
            let [hi, lo] = u16::try_from(at).unwrap().to_be_bytes();
            let other = if digit == b'9' { b'0' } else { digit + 1 };
            harness::task(&[EDIT, k as u8, hi, lo, other]);
            tried += 1;
        }
    }
    assert!(tried > 100, "{tried}");
}

/// Writes the `task` seeds into `fuzz/corpus/task/`, from task files run now:
/// `cargo test --test all -- --ignored regenerate_task_corpus`.
#[test]
#[ignore = "writes files: run by hand to refresh fuzz/corpus/task/"]
fn regenerate_task_corpus() {
    let dir = corpus_dir("task");
    fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in harness::task_seeds() {
        fs::write(dir.join(name), bytes).unwrap();
    }
}

/// The `run_task` seeds, made from a run's task files run now: genuine files merge (alone they
/// miss a task, together they merge to the run's summary and pass every check of the harness),
/// damaged and mismatched ones are refused, each edit script changes a genuine file in a way
/// merge must refuse, except the one that writes back the byte that was there, and the forged
/// counters at the top of their range are refused, naming the file and the field.
#[test]
fn run_task_seeds_exercise_merge_and_its_refusals() {
    use doormat::split::{RunTask, merge, scenario_hash};
    let parse = |bytes: &[u8]| RunTask::from_json(std::str::from_utf8(bytes).unwrap());
    let genuine: Vec<(String, RunTask)> = RUN_TASK_FILES
        .iter()
        .map(|(name, text)| (name.clone(), RunTask::from_json(text).unwrap()))
        .collect();
    let merged = merge(&genuine).unwrap();
    assert_eq!(
        merged.deterministic_json(),
        harness::RUN_TASK_GENUINE.deterministic
    );
    let error = merge(&genuine[..1]).unwrap_err().to_string();
    assert!(error.contains("task-I-of-2.json for I in 1"), "{error}");
    let edited = |bytes: &[u8]| {
        let (k, ops) = (usize::from(bytes[1]), &bytes[2..]);
        let mut text = RUN_TASK_FILES[k].1.clone().into_bytes();
        for op in ops.chunks_exact(3) {
            text[usize::from(u16::from_be_bytes([op[0], op[1]]))] = op[2];
        }
        (k, String::from_utf8(text).unwrap())
    };
    for (name, bytes) in harness::run_task_seeds() {
        harness::run_task(&bytes);
        let parts = || bytes.split(|&b| b == 0).map(|part| parse(part).unwrap());
        let named = |tasks: Vec<RunTask>| -> Vec<(String, RunTask)> {
            tasks
                .into_iter()
                .enumerate()
                .map(|(i, task)| (format!("part-{i}.json"), task))
                .collect()
        };
        match name.as_str() {
            "task-0-of-2.json" | "task-1-of-2.json" => {
                let error = merge(&named(parts().collect())).unwrap_err().to_string();
                assert!(error.contains("1 of 2 tasks missing"), "{name}: {error}");
            }
            "both-tasks" | "both-tasks-reversed" => {
                let summary = merge(&named(parts().collect())).unwrap();
                assert_eq!(
                    summary.deterministic_json(),
                    harness::RUN_TASK_GENUINE.deterministic,
                    "{name}"
                );
            }
            "duplicated-task" => {
                let error = merge(&named(parts().collect())).unwrap_err().to_string();
                assert!(
                    error.contains("appears twice") && error.contains("part-1.json"),
                    "{name}: {error}"
                );
            }
            "trailing-garbage" | "two-documents" | "truncated" => {
                assert!(parse(&bytes).is_err(), "{name}")
            }
            "other-of" | "name-escapes-out" => {
                // Edited in the text: the checksum no longer holds. Resealed, the header differs
                // from the other task's.
                let error = merge(&named(parts().collect())).unwrap_err().to_string();
                assert!(
                    error.contains("part-0.json") && error.contains("`checksum`"),
                    "{name}: {error}"
                );
                let mut tasks: Vec<RunTask> = parts().collect();
                tasks[0].scenario_hash =
                    scenario_hash(&tasks[0].doormat_version, &tasks[0].scenario);
                tasks[0].checksum = tasks[0].expected_checksum();
                let error = merge(&named(tasks)).unwrap_err().to_string();
                let field = if name == "other-of" {
                    "split into 2 tasks vs 3"
                } else {
                    "\"../../x\""
                };
                assert!(
                    error.contains("part-1.json and part-0.json") && error.contains(field),
                    "{name}: {error}"
                );
            }
            edit if edit.starts_with("edit-") => {
                assert_eq!(bytes[0], EDIT, "{name}");
                let (k, text) = edited(&bytes);
                assert_eq!(
                    text == RUN_TASK_FILES[k].1,
                    name == "edit-nothing",
                    "{name}"
                );
            }
            reseal if reseal.starts_with("reseal-") => {
                assert_eq!(bytes[0], RESEAL, "{name}");
                let (k, text) = edited(&bytes);
                let mut task = RunTask::from_json(&text).unwrap();
                task.scenario_hash = scenario_hash(&task.doormat_version, &task.scenario);
                task.checksum = task.expected_checksum();
                let mut set = genuine.clone();
                set[k].1 = task;
                let result = merge(&set).map(|_| ()).map_err(|e| e.to_string());
                match reseal {
                    "reseal-sent-at-most" => {
                        let error = result.unwrap_err();
                        assert!(
                            error.contains("task-") && error.contains("sent"),
                            "{name}: {error}"
                        );
                    }
                    "reseal-handshake-ns-at-most" => {
                        let error = result.unwrap_err();
                        assert!(
                            error.contains("task-") && error.contains("handshake_ns"),
                            "{name}: {error}"
                        );
                    }
                    // A consistent forgery of a count: only a rerun could tell.
                    "reseal-metric" => {}
                    _ => assert!(result.is_err(), "{name}: a forgery merged"),
                }
            }
            other => panic!("a run_task seed without a check: {other}"),
        }
    }
}

/// Every number in a genuine run task file is covered: a digit changed anywhere (header,
/// scenario, counts, series, bitmaps, measured figures, checksum) is refused at merge unless the
/// value it gives is the same, as the `run_task` harness checks. Every third digit of both
/// files, so the test stays quick.
#[test]
fn a_changed_digit_anywhere_in_a_run_task_file_is_refused() {
    let mut tried = 0;
    for (k, (_, text)) in RUN_TASK_FILES.iter().enumerate() {
        let digits = text.bytes().enumerate().filter(|(_, b)| b.is_ascii_digit());
        for (at, digit) in digits.step_by(3) {
            let [hi, lo] = u16::try_from(at).unwrap().to_be_bytes();
            let other = if digit == b'9' { b'0' } else { digit + 1 };
            harness::run_task(&[EDIT, k as u8, hi, lo, other]);
            tried += 1;
        }
    }
    assert!(tried > 100, "{tried}");
}

/// Writes the `run_task` seeds into `fuzz/corpus/run_task/`, from task files run now:
/// `cargo test --test all -- --ignored regenerate_run_task_corpus`.
#[test]
#[ignore = "writes files: run by hand to refresh fuzz/corpus/run_task/"]
fn regenerate_run_task_corpus() {
    let dir = corpus_dir("run_task");
    fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in harness::run_task_seeds() {
        fs::write(dir.join(name), bytes).unwrap();
    }
}

/// A genuine task file's edit script, starting with `mode`: which file, then one to five byte
/// writes.
fn edit_script(mode: u8) -> impl Strategy<Value = Vec<u8>> {
    // Mostly digits, which keep the JSON valid and change a number.
    let byte = prop_oneof![3 => b'0'..=b'9', 1 => any::<u8>()];
    (any::<u8>(), vec((any::<u16>(), byte), 1..6)).prop_map(move |(which, writes)| {
        let mut script = vec![mode, which];
        for (at, byte) in writes {
            script.extend(at.to_be_bytes());
            script.push(byte);
        }
        script
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any edit of a genuine task file that still parses is refused at merge exactly when it
    /// changes what the file means (see `harness::task`).
    #[test]
    fn edited_task_files_merge_only_when_unchanged(script in edit_script(EDIT)) {
        harness::task(&script);
    }

    /// Any edit of a genuine run task file that still parses is refused at merge exactly when
    /// it changes what the file means (see `harness::run_task`).
    #[test]
    fn edited_run_task_files_merge_only_when_unchanged(script in edit_script(EDIT)) {
        harness::run_task(&script);
    }

    /// A run task file edited and resealed (hash and checksum recomputed) merges or is refused,
    /// and what merges passes every check of `harness::run_task`.
    #[test]
    fn forged_run_task_files_merge_or_fail_cleanly(script in edit_script(RESEAL)) {
        harness::run_task(&script);
    }

    /// Arbitrary text as run task files: parsed, merged or refused, never a panic.
    #[test]
    fn arbitrary_run_task_text_never_panics(text in "[{}\\[\\]\":,0-9a-z_ \\x00-]{0,200}") {
        harness::run_task(text.as_bytes());
    }

    /// Arbitrary text as sweep and task files: parsed, merged or refused, never a panic.
    #[test]
    fn arbitrary_task_text_never_panics(text in "[{}\\[\\]\":,0-9a-z \\x00-]{0,200}") {
        harness::task(text.as_bytes());
    }
}

/// A real message with up to four bytes overwritten and possibly truncated.
fn mutated_message() -> impl Strategy<Value = Vec<u8>> {
    let count = FIXTURE.messages.len();
    (
        0..count,
        vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        proptest::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(which, edits, cut)| {
            let mut bytes = FIXTURE.messages[which].bytes.clone();
            for (at, value) in edits {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Arbitrary bytes never panic the decoder, and what it accepts re-encodes exactly.
    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in vec(any::<u8>(), 0..200)) {
        let _ = WireMessage::try_from(&bytes[..]);
        harness::decode(&bytes);
    }

    /// Mutations of real messages decode or fail cleanly, and never open as something else.
    #[test]
    fn mutated_messages_decode_cleanly_and_never_forge(bytes in mutated_message()) {
        harness::decode(&bytes);
        harness::decrypt(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random conversation scripts match the reference model at every step.
    #[test]
    fn random_conversations_match_the_model(script in vec(any::<u8>(), 0..160)) {
        harness::interaction(&script);
    }
}

/// The `scenario` seeds: the bundled scenarios load, and every hostile variant is refused.
#[test]
fn scenario_seeds_load_or_are_refused_as_named() {
    for seed in harness::seeds().iter().filter(|s| s.target == "scenario") {
        let loaded = doormat::scenario::Scenario::load_bytes(&seed.bytes);
        assert_eq!(
            loaded.is_ok(),
            seed.name.starts_with("bundled-"),
            "{}: {loaded:?}",
            seed.name
        );
    }
}

/// A bundled scenario with up to four bytes overwritten and possibly truncated.
fn mutated_scenario() -> impl Strategy<Value = Vec<u8>> {
    let bundled = doormat::scenario::BUNDLED;
    (
        0..bundled.len(),
        vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        proptest::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(move |(which, edits, cut)| {
            let mut bytes = bundled[which].2.as_bytes().to_vec();
            for (at, value) in edits {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Damaged scenario files are refused with a message, or load and round-trip.
    #[test]
    fn mutated_scenarios_load_and_round_trip_or_are_refused(bytes in mutated_scenario()) {
        harness::scenario(&bytes);
    }
}
