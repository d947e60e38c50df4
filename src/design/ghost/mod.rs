//! The "ghost user" (Levy & Robinson, GCHQ, Lawfare, 29 Nov 2018): the provider silently adds a
//! hidden device to a target's account, and every client that sends to or from the target fans the
//! message out to it, as it does for the target's own other devices.
//!
//! **Trust model.** No escrow key exists. The trust point is the provider's control of the device
//! list and key directory: whoever controls it reads a target's messages *from the time the ghost
//! is added*, never before, through ordinary sessions with the ghost device. Users who compare
//! safety numbers or audit key transparency may notice the extra device (a per-user, per-day
//! probability); the 2019 open letter's objection is that clients must hide exactly that.

use crate::model::{DAY, SimTime};
use rand_core::CryptoRng;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::DesignError;
use crate::protocol::{Account, Session};

mod deployed;

pub use self::deployed::Ghost;

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

impl GhostSpec {
    /// When a targeted user notices a ghost added at `added`: each simulated day after it, the
    /// user notices with `notice_probability_per_day`, independently. `None` if not before
    /// `horizon`. The provider then loses the ghost (the target re-checks and removes it).
    pub fn noticed_at<R: rand_core::Rng + ?Sized>(
        &self,
        rng: &mut R,
        added: SimTime,
        horizon: SimTime,
    ) -> Option<SimTime> {
        let p = self.notice_probability_per_day;
        let mut day = added / DAY + 1;
        while day * DAY < horizon {
            // A uniform draw in [0, 1) from 53 random bits.
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            if u < p {
                return Some(day * DAY);
            }
            day += 1;
        }
        None
    }
}

/// The hidden device the provider controls.
#[derive(Clone)]
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

#[cfg(test)]
mod test {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    use super::*;

    /// Days until noticed are geometric: mean 1/p, and never before the day after insertion.
    #[test]
    fn noticing_takes_one_over_p_days_on_average() {
        let spec = GhostSpec {
            notice_probability_per_day: 0.1,
        };
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let added = 5 * DAY + 7;
        let days: Vec<u64> = (0..4000)
            .map(|_| spec.noticed_at(&mut rng, added, 10_000 * DAY).unwrap())
            .map(|t| (t - 5 * DAY) / DAY)
            .collect();
        assert!(days.iter().all(|&d| d >= 1));
        let mean = days.iter().sum::<u64>() as f64 / days.len() as f64;
        assert!((mean - 10.0).abs() < 0.6, "mean {mean}");
        let never = GhostSpec {
            notice_probability_per_day: 0.0,
        };
        assert_eq!(never.noticed_at(&mut rng, 0, 30 * DAY), None);
    }
}
