//! A scripted message and the plaintext it carries.

use super::{Side, SimTime};

/// One message of a conversation's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scripted {
    /// Who sends it.
    pub from: Side,
    /// When it is sent.
    pub sent_at: SimTime,
    /// When it reaches the recipient (always after it is sent).
    pub delivered_at: SimTime,
    /// Plaintext length in bytes.
    pub size: u32,
}

/// The plaintext of message `index` of `conversation`: unique per conversation and message, so
/// a decryption that returns another message's bytes counts as a failure.
pub fn plaintext(conversation: u64, index: usize, size: u32) -> Vec<u8> {
    let mut bytes = vec![(index as u8) ^ 0x5A; size as usize];
    let id = (conversation << 24) ^ index as u64;
    for (byte, value) in bytes.iter_mut().zip(id.to_be_bytes()) {
        *byte = value;
    }
    bytes
}
