//! Following a stolen device copy: the thief holds one side's session as it was at the copy,
//! decrypts the messages that side receives afterwards and derives the keys of the messages it
//! sends on the chain it held, until the ratchet heals. Its caller feeds it the side's events
//! in the engine's order ([`crate::model::order`]), so it drops a chain exactly when the victim
//! did.

use crate::{
    design::{envelope, superencrypt::SuperKey},
    protocol::Session,
};

/// A thief's copy of one side of a conversation.
pub struct Follower<'a> {
    session: Option<Session>,
    superkey: Option<&'a SuperKey>,
}

impl<'a> Follower<'a> {
    /// Starts from a copied `session` (none if the side had no session yet), with the
    /// superencryption key the device held, if any.
    pub fn new(session: Option<Session>, superkey: Option<&'a SuperKey>) -> Self {
        Self { session, superkey }
    }

    /// Reads captured envelope `bytes` of message `index`: `own` if the copied side sent it.
    /// Returns the plaintext as the user wrote it, or `None` if the copy cannot open it.
    pub fn read(&mut self, bytes: &[u8], index: usize, own: bool) -> Option<Vec<u8>> {
        let session = self.session.as_mut()?;
        let (_, wire) = envelope::open(bytes).ok()?;
        let inner = if own {
            session.open_own(wire).ok()?
        } else {
            session.decrypt(wire).ok()?
        };
        match self.superkey {
            Some(key) => key.open(index as u64, &inner).ok(),
            None => Some(inner),
        }
    }
}
