//! WireMessage::try_from on arbitrary bytes; what parses must re-encode to the input.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::decode(data);
});
