//! The protocol layer's errors: malformed bytes ([`DecodeError`]) are kept apart from a session
//! that refuses a well-formed message ([`SessionError`]).

use thiserror::Error;

/// Why bytes from the wire are not a message of ours. Every variant names the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended before a field did.
    #[error("truncated message: {field} needs bytes {offset}..{end}, input has {len}")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Offset where the field starts.
        offset: usize,
        /// Offset where it would end.
        end: usize,
        /// Length of the input.
        len: usize,
    },
    /// The version byte is not one this build speaks.
    #[error("unsupported version {found} at byte 0, expected {expected}")]
    UnsupportedVersion {
        /// The version byte found.
        found: u8,
        /// The only version understood.
        expected: u8,
    },
    /// The kind byte names no message kind, or not the kind expected here.
    #[error("unexpected message kind {found:#04x} at byte {offset}, expected {expected}")]
    UnexpectedKind {
        /// The kind byte found.
        found: u8,
        /// Its offset.
        offset: usize,
        /// What was expected.
        expected: &'static str,
    },
    /// A public key is not in canonical form (bit 255 set, or u ≥ 2^255 − 19).
    #[error("non-canonical {field} at byte {offset}: expected bit 255 clear and u < 2^255 - 19")]
    NonCanonicalKey {
        /// The key field.
        field: &'static str,
        /// Its offset.
        offset: usize,
    },
    /// The one-time-prekey presence flag is neither 0 nor 1.
    #[error("invalid one-time prekey flag {found} at byte {offset}, expected 0 or 1")]
    InvalidFlag {
        /// The flag byte found.
        found: u8,
        /// Its offset.
        offset: usize,
    },
}

/// Why a session refused to start, encrypt or decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The bytes do not parse.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The bundle's signed prekey is not signed by its identity key.
    #[error("signed prekey signature does not verify against the bundle's identity key")]
    BadPreKeySignature,
    /// A Diffie-Hellman output was all zeros: the peer sent a low-order point.
    #[error("non-contributory Diffie-Hellman: the peer's public key has low order")]
    NonContributory,
    /// The initial message names a signed prekey this account does not hold.
    #[error("unknown signed prekey id {0}")]
    UnknownSignedPreKey(u32),
    /// The initial message names a one-time prekey that is unknown or already used.
    #[error("unknown or already used one-time prekey id {0}")]
    UnknownOneTimePreKey(u32),
    /// An initial message whose X3DH fields are not exactly this session's.
    #[error("initial message belongs to another session")]
    WrongSession,
    /// A normal message arrived before the session was established by an initial message.
    #[error("normal message for an account with no session: an initial message is needed")]
    NotAnInitialMessage,
    /// The sender is further ahead on a chain than `max_skip` allows.
    #[error("message skips {skip} keys on one chain, max allowed {max_skip}")]
    TooFarAhead {
        /// Keys that would have to be skipped.
        skip: u64,
        /// The configured limit.
        max_skip: u32,
    },
    /// The message's key was already used or has been evicted from the skipped-key cache.
    #[error("message {index} on the current chain was already decrypted or its key discarded")]
    DuplicateOrExpired {
        /// The message's index in its chain.
        index: u32,
    },
    /// The chain index would overflow `u32`.
    #[error("chain index overflow")]
    ChainExhausted,
    /// The plaintext is longer than [`super::MAX_PLAINTEXT_LEN`].
    #[error("plaintext of {len} bytes exceeds the limit of {max}")]
    PlaintextTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Authentication failed: wrong key, tampered bytes or a forged header. Nothing more is said.
    #[error("message failed authentication")]
    Authentication,
}
