//! doormat's integration tests, one binary.

mod design_smoke;
mod designs;
mod fuzz_corpus;
mod engine;
mod protocol;
