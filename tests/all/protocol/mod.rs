//! The protocol layer through its public API.

mod probe;
mod support;
