//! The sending chain: CKs and Ns, created by the DH ratchet step of our next send.

use crate::protocol::kdf::{ChainKey, MessageKey};

/// The chain we send on, and how many messages it has sealed so far.
#[derive(Clone)]
pub(crate) struct SendingChain {
    pub(crate) key: ChainKey,
    pub(crate) next_index: u32,
}

impl SendingChain {
    pub(crate) fn new(key: ChainKey) -> Self {
        Self { key, next_index: 0 }
    }

    /// The next message key and its index, or `None` once the `u32` index space is used up.
    pub(crate) fn next(&mut self) -> Option<(u32, MessageKey)> {
        let index = self.next_index;
        self.next_index = index.checked_add(1)?;
        Some((index, self.key.step()))
    }
}
