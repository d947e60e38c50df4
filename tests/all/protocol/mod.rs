//! The protocol layer through its public API.

mod smoke;
