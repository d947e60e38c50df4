//! What one conversation leaves for the adversary and the authority besides the design's own
//! captures: the wire bytes, what was delivered, and the device copies taken.

use super::roles::Owner;
use crate::{
    design::{capture::Wiretap, superencrypt::SuperKey},
    model::{Scripted, Side, SimTime, UserId},
    protocol::{Session, x3dh::AD_LEN},
};

/// One conversation's traces, filled in by the simulation.
pub struct Transcript {
    /// The conversation's id.
    pub conversation: u64,
    /// Its two users, by side.
    pub users: [UserId; 2],
    /// The end of the run: where a stolen session still readable is censored.
    pub horizon: SimTime,
    /// `IK_A ‖ IK_B`, public: from the key directory.
    pub associated_data: Option<[u8; AD_LEN]>,
    /// The out-of-band key, if an evading target superencrypts this conversation.
    pub superkey: Option<SuperKey>,
    /// Per message: the envelope on the wire, if it was sent.
    pub wire: Vec<Option<Vec<u8>>>,
    /// Per message: whether the recipient read it (decrypted, checked, true plaintext).
    pub delivered: Vec<bool>,
    /// Device copies.
    pub copies: Vec<Copied>,
}

/// A copy of one side's device.
pub struct Copied {
    /// Whose copy.
    pub owner: Owner,
    /// The side copied.
    pub side: Side,
    /// When.
    pub at: SimTime,
    /// The session as it was then (none if it had not started).
    pub session: Option<Session>,
}

impl Transcript {
    /// The wiretap's view of the conversation, for the design's readers.
    pub fn tap<'a>(&'a self, script: &'a [Scripted]) -> Wiretap<'a> {
        Wiretap {
            conversation: self.conversation,
            users: self.users,
            script,
            wire: &self.wire,
            delivered: &self.delivered,
            associated_data: self.associated_data.as_ref(),
        }
    }
}
