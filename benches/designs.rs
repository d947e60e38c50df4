//! Placeholder: design overhead benchmarks.
fn main() {}
