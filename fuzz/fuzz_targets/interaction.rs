//! Bytes script a conversation; every delivery must match a reference model.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::interaction(data);
});
