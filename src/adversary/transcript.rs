//! What one conversation leaves for the adversary and the authority: the captured wire bytes,
//! the device copies taken, the ghost devices' fan-out, the backups uploaded.

use super::roles::Owner;
use crate::model::{Side, SimTime, UserId};
use crate::{
    design::{ghost::GhostDevice, superencrypt::SuperKey},
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
    /// Ghost devices added to this conversation's users.
    pub ghosts: Vec<GhostTap>,
    /// Copies fanned out to ghost devices.
    pub ghost_copies: Vec<GhostCopy>,
    /// Backups uploaded by either side.
    pub backups: Vec<BackupBlob>,
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

/// A ghost device added to one side's user, and the sender side whose fan-out it reads.
pub struct GhostTap {
    /// `None` for the authority, or the adversary's compromise index.
    pub attacker: Option<usize>,
    /// The ghosted side.
    pub side: Side,
    /// The side that fans out to it.
    pub sender: Side,
    /// The device.
    pub device: GhostDevice,
}

/// One fanned-out copy.
pub struct GhostCopy {
    /// Index into [`Transcript::ghosts`].
    pub tap: usize,
    /// The message.
    pub index: usize,
    /// The copy's bytes.
    pub bytes: Vec<u8>,
}

/// One backup: a side's messages since its previous backup.
pub struct BackupBlob {
    /// The side that uploaded it.
    pub side: Side,
    /// When.
    pub at: SimTime,
    /// Its number (in the key derivation).
    pub number: u64,
    /// The provider key generation it is sealed under.
    pub generation: usize,
    /// The sealed bytes.
    pub bytes: Vec<u8>,
}

impl Transcript {
    /// The true plaintext of message `index`, as the user wrote it.
    pub fn truth(&self, index: usize, size: u32) -> Vec<u8> {
        crate::model::plaintext(self.conversation, index, size)
    }
}
