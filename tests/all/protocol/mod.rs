//! The protocol layer through its public API: X3DH and the Double Ratchet.
//!
//! Every module is marked `#[cfg(test)]` (always true in this test binary) so that clippy's
//! `allow-unwrap-in-tests` and friends also cover the helper functions, not only `#[test]`s.

#[cfg(test)]
mod debug_output;
#[cfg(test)]
mod forward_secrecy;
#[cfg(test)]
mod healing;
#[cfg(test)]
mod known_answers;
#[cfg(test)]
mod out_of_order;
#[cfg(test)]
mod round_trip;
#[cfg(test)]
pub(crate) mod support;
#[cfg(test)]
mod tampering;
