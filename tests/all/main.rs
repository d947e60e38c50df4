//! doormat's integration tests, one binary.
// Test code: unwrapping is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod adversary;
mod designs;
mod engine;
mod fuzz_corpus;
mod plots;
mod protocol;
mod report;
mod sweep;
