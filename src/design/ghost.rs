//! The "ghost user" (Levy & Robinson, GCHQ, Lawfare, 29 Nov 2018): the provider silently adds a
//! hidden device to a target's account, and every client that sends to or from the target fans the
//! message out to it, as it does for the target's own other devices.
//!
//! **Trust model.** No escrow key exists. The trust point is the provider's control of the device
//! list and key directory: whoever controls it reads a target's messages *from the time the ghost
//! is added*, never before, through ordinary sessions with the ghost device. Users who compare
//! safety numbers or audit key transparency may notice the extra device (a per-user, per-day
//! probability); the 2019 open letter's objection is that clients must hide exactly that.

use rand_core::CryptoRng;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::DesignError;
use crate::protocol::{Account, Session};

/// A ghost design as written in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GhostSpec {
    /// Probability that a targeted user notices the ghost on a given day (safety-number checks,
    /// key transparency). An assumption: no source measures it.
    #[serde(default = "default_notice")]
    pub notice_probability_per_day: f64,
}

fn default_notice() -> f64 {
    0.01
}

/// The hidden device the provider controls.
pub struct GhostDevice {
    account: Account,
}

/// A sender's session to the ghost device, made lazily on the first fanned-out message.
#[derive(Default)]
pub struct GhostFanout {
    session: Option<Session>,
}

/// The ghost's session with one sender: what it reads.
pub struct GhostReader {
    session: Option<Session>,
}

impl GhostDevice {
    /// A new hidden device.
    pub fn new<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut account = Account::new(rng);
        account.generate_one_time_prekeys(rng, 1);
        Self { account }
    }

    /// A reader for one sender's fan-out.
    pub fn reader(&self) -> GhostReader {
        GhostReader { session: None }
    }

    /// Receives a fanned-out copy.
    pub fn receive(
        &mut self,
        reader: &mut GhostReader,
        bytes: &[u8],
    ) -> Result<Vec<u8>, DesignError> {
        match &mut reader.session {
            Some(session) => Ok(session.decrypt(bytes)?),
            None => {
                let (session, plaintext) = self.account.accept(bytes)?;
                reader.session = Some(session);
                Ok(plaintext)
            }
        }
    }
}

impl GhostFanout {
    /// Encrypts a copy of `plaintext` to the ghost, starting a session from its bundle if needed.
    pub fn send<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        ghost: &mut GhostDevice,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, DesignError> {
        if self.session.is_none() {
            let bundle = ghost.account.prekey_bundle();
            self.session = Some(ghost.account.initiate(rng, &bundle)?);
        }
        match &mut self.session {
            Some(session) => Ok(session.encrypt(rng, plaintext)?),
            None => Err(DesignError::EscrowRejected("ghost session missing")),
        }
    }
}
