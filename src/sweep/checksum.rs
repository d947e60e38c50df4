//! Checksums in task results: SHA-256 of each item's canonical JSON, and of the whole file's, so
//! that an edited or corrupted value (a metric, a seed, a header) is found and named at merge.
//!
//! Canonical JSON is serde_json's compact form with object members in key order (doormat builds
//! serde_json without `preserve_order`, and with `float_roundtrip`, so a value read back
//! serialises to the same bytes). The checksum field itself is left out of what it covers. A
//! checksum finds edits and damage, not forgery: whoever edits a file can recompute it.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{ItemResult, TaskResult};

/// The name of the checksum field, in items and in the file.
const FIELD: &str = "checksum";

/// SHA-256 of `bytes`, in lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// SHA-256 of `value`'s canonical JSON, without its top-level `checksum` member.
pub(crate) fn digest(value: &impl Serialize) -> String {
    let mut json = serde_json::to_value(value).unwrap_or_default();
    if let Value::Object(members) = &mut json {
        members.remove(FIELD);
    }
    sha256_hex(&serde_json::to_vec(&json).unwrap_or_default())
}

impl ItemResult {
    /// The checksum this item's content gives (what its `checksum` field must hold).
    pub fn expected_checksum(&self) -> String {
        digest(self)
    }

    /// This item, with its checksum set.
    pub fn sealed(mut self) -> Self {
        self.checksum = self.expected_checksum();
        self
    }
}

impl TaskResult {
    /// The checksum this file's content gives (what its `checksum` field must hold); it covers
    /// the items' own checksums.
    pub fn expected_checksum(&self) -> String {
        digest(self)
    }

    /// Sets every item's checksum, then the file's.
    pub fn seal(&mut self) {
        for item in &mut self.items {
            item.checksum = item.expected_checksum();
        }
        self.checksum = self.expected_checksum();
    }
}
