//! Provider-held backups: each client uploads its message history on a schedule, encrypted
//! under a key the provider holds, as cloud backups without end-to-end backup encryption do
//! today (iCloud standard protection; WhatsApp backups unless E2EE backup is turned on).
//!
//! **Trust model.** The provider's backup master key derives every user's backup keys, so whoever
//! holds it (the provider, a court ordering it, or an attacker who steals it) opens every backup
//! ever uploaded, and with it every message it contains, past the protocol's forward secrecy.

use aes_gcm::{AeadInOut, Aes256Gcm, KeyInit, Nonce, Tag};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::DesignError;
use crate::model::UserId;

mod deployed;

pub use self::deployed::{Backup, BackupKeys};

/// A backup design as written in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupSpec {
    /// Hours between two backups of a client. Default: 24 (daily, the common default).
    #[serde(default = "default_interval")]
    pub interval_hours: u32,
}

fn default_interval() -> u32 {
    24
}

const KEY_INFO: &[u8] = b"doormat v1 backup key";

/// The provider's backup master key.
#[derive(Clone)]
pub struct BackupKey(Zeroizing<[u8; 32]>);

impl BackupKey {
    /// Wraps key bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The single-use key of `user`'s backup number `index`; single use allows a fixed nonce.
    fn cipher(&self, user: UserId, index: u64) -> Aes256Gcm {
        let mut label = [0u8; 12];
        label[..4].copy_from_slice(&user.to_be_bytes());
        label[4..].copy_from_slice(&index.to_be_bytes());
        let key: Zeroizing<[u8; 32]> =
            Zeroizing::new(crate::protocol::hkdf_sha256(&label, &self.0[..], KEY_INFO));
        Aes256Gcm::new(&(*key).into())
    }
}

/// One message of a backed-up history: its index in the conversation's script, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The message's index in the conversation.
    pub message: u64,
    /// The text the device holds for it.
    pub text: Vec<u8>,
}

/// Encodes and seals a history: per entry, the message index (8 bytes, big-endian), the text's
/// length (4 bytes) and the text.
pub fn seal(
    key: &BackupKey,
    user: UserId,
    index: u64,
    history: &[Entry],
) -> Result<Vec<u8>, DesignError> {
    let mut out = Vec::new();
    for entry in history {
        out.extend_from_slice(&entry.message.to_be_bytes());
        out.extend_from_slice(&(entry.text.len() as u32).to_be_bytes());
        out.extend_from_slice(&entry.text);
    }
    let tag = key
        .cipher(user, index)
        .encrypt_inout_detached(&Nonce::from([0u8; 12]), &[], out.as_mut_slice().into())
        .map_err(|_| DesignError::InvalidParameter {
            field: "backup",
            expected: "under 64 GiB",
        })?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Opens a backup with the provider key: the history it holds.
pub fn open(
    key: &BackupKey,
    user: UserId,
    index: u64,
    blob: &[u8],
) -> Result<Vec<Entry>, DesignError> {
    let split = blob.len().checked_sub(16).ok_or(DesignError::Malformed {
        what: "backup",
        offset: 0,
        expected: "a 16-byte tag",
    })?;
    let mut body = blob[..split].to_vec();
    let tag = Tag::try_from(&blob[split..]).map_err(|_| DesignError::FieldDoesNotOpen)?;
    key.cipher(user, index)
        .decrypt_inout_detached(
            &Nonce::from([0u8; 12]),
            &[],
            body.as_mut_slice().into(),
            &tag,
        )
        .map_err(|_| DesignError::FieldDoesNotOpen)?;
    let mut entries = Vec::new();
    let mut rest = &body[..];
    while !rest.is_empty() {
        let malformed = DesignError::Malformed {
            what: "backup",
            offset: body.len() - rest.len(),
            expected: "a message index, a length and that many bytes",
        };
        let message = rest.get(..8).ok_or(malformed.clone())?;
        let len = rest.get(8..12).ok_or(malformed.clone())?;
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let plaintext = rest.get(12..12 + len).ok_or(malformed)?;
        let mut number = [0u8; 8];
        number.copy_from_slice(message);
        entries.push(Entry {
            message: u64::from_be_bytes(number),
            text: plaintext.to_vec(),
        });
        rest = &rest[12 + len..];
    }
    Ok(entries)
}
