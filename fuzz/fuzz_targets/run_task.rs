//! A run's task files from arbitrary bytes, merged when they parse; edits of genuine task files
//! must be refused, and forged ones merge or fail cleanly.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::run_task(data);
});
