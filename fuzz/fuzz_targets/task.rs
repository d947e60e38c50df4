//! Sweep and task result files from arbitrary bytes, merged when they parse; edits of genuine
//! task files must be refused.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::task(data);
});
