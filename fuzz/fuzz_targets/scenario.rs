//! Arbitrary bytes as a scenario file: refused with a message, or loaded, estimated, and
//! written out to a file that loads back to the same scenario.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::scenario(data);
});
