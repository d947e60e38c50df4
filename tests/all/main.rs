//! doormat's integration tests, one binary.

mod protocol;
