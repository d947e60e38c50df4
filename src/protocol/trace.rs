//! What a session reveals to the layer above it about the keys a message used.
//!
//! Exceptional-access designs escrow exactly this material (a message key, a chain key, the
//! session's starting keys), and a compliant recipient recomputes escrow fields from it. It is
//! secret: zeroized on drop and absent from `Debug`.

use x25519_dalek::PublicKey;
use zeroize::Zeroizing;

use super::{
    error::SessionError,
    kdf::{MessageKey, kdf_ck},
    message::Message,
    x3dh::AD_LEN,
};

/// The keys behind one encrypted or decrypted message.
pub struct KeyTrace {
    /// The message's index in its chain.
    pub index: u32,
    /// The message key that sealed it.
    pub message_key: Zeroizing<[u8; 32]>,
    /// Set when this message started a chain: on send, the message with index 0; on receive,
    /// the message whose new ratchet key made us derive the chain.
    pub chain_start: Option<ChainStart>,
    /// On send, the chain key at this message's index: it derives this message's key and every
    /// later one of the chain. `None` on receive.
    pub chain_key: Option<Zeroizing<[u8; 32]>>,
}

/// A chain at its start: everything needed to derive all of its message keys.
pub struct ChainStart {
    /// The sender's ratchet public key that names the chain.
    pub ratchet_key: PublicKey,
    /// The root key right after the DH step that created the chain.
    pub root_key: Zeroizing<[u8; 32]>,
    /// The chain key CK before its first message (index 0).
    pub chain_key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for KeyTrace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyTrace")
            .field("index", &self.index)
            .field("chain_start", &self.chain_start.is_some())
            .finish_non_exhaustive()
    }
}

/// The message key at `index` of the chain whose key at index 0 is `chain_key`: what anyone
/// holding an escrowed chain key computes. Refuses indices beyond `max_index`, which bounds the
/// work a forged index can cause.
pub fn message_key_at(
    chain_key: &[u8; 32],
    index: u32,
    max_index: u32,
) -> Result<MessageKey, SessionError> {
    Ok(kdf_ck(&*chain_key_after(chain_key, index, max_index)?).0)
}

/// The chain key `steps` KDF_CK steps after `chain_key`, refusing more than `max_steps`.
pub fn chain_key_after(
    chain_key: &[u8; 32],
    steps: u32,
    max_steps: u32,
) -> Result<Zeroizing<[u8; 32]>, SessionError> {
    if steps > max_steps {
        return Err(SessionError::TooFarAhead {
            skip: u64::from(steps),
            max_skip: max_steps,
        });
    }
    let mut key = Zeroizing::new(*chain_key);
    for _ in 0..steps {
        *key = kdf_ck(&key).1;
    }
    Ok(key)
}

/// Opens a message with a message key obtained outside the session (escrow, a stolen state),
/// given the session's associated data `IK_A ‖ IK_B`.
pub fn open_with_key(
    key: MessageKey,
    associated_data: &[u8; AD_LEN],
    message: &Message<'_>,
) -> Result<Vec<u8>, SessionError> {
    let mut full = [0u8; AD_LEN + super::message::HEADER_LEN];
    full[..AD_LEN].copy_from_slice(associated_data);
    full[AD_LEN..].copy_from_slice(message.header_bytes);
    let mut plaintext = message.ciphertext.to_vec();
    key.open(&full, &mut plaintext, message.tag)
        .map_err(|_| SessionError::Authentication)?;
    Ok(plaintext)
}
