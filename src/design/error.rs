//! Errors of the design layer.

use thiserror::Error;

use crate::protocol::SessionError;

/// Why a design refused or failed an operation.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DesignError {
    /// The envelope or escrow field bytes do not parse.
    #[error("malformed {what} at byte {offset}: {expected}")]
    Malformed {
        /// Which structure.
        what: &'static str,
        /// Byte offset of the problem.
        offset: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// The escrow field is missing, or does not match what the recipient recomputes.
    #[error("escrow field rejected: {0}")]
    EscrowRejected(&'static str),
    /// The authority holds no key that opens this field (deleted epoch, too few shares…).
    #[error("no key held for this escrow field: {0}")]
    NoKey(&'static str),
    /// HPKE failed to open the field: wrong key, or a tampered field.
    #[error("escrow field does not open under the key held")]
    FieldDoesNotOpen,
    /// The message lies outside the warrant presented.
    #[error("message outside the warrant: {0}")]
    OutsideWarrant(&'static str),
    /// The design's parameters are invalid.
    #[error("invalid design parameter {field}: {expected}")]
    InvalidParameter {
        /// The parameter.
        field: &'static str,
        /// What is expected.
        expected: &'static str,
    },
    /// The protocol refused the message.
    #[error(transparent)]
    Session(#[from] SessionError),
}
