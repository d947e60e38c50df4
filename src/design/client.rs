//! A client device under a design: the one send and receive path, which the engine runs and
//! the conformance suite checks. A sender encrypts and attaches the design's field; a recipient
//! decrypts, checks the field, and only then lets the message change its session, so a refused
//! field costs it nothing.

use std::{any::Any, time::Instant};

use rand_chacha::ChaCha20Rng;

use super::{
    DesignError, envelope,
    kind::{Checking, Deployed, Sealing},
};
use crate::{
    model::{SimTime, Timing, elapsed_ns},
    protocol::{Account, PreKeyBundle, Session},
};

/// One session side's design state, whatever its design keeps there (an escrow chain's field).
#[derive(Default, Clone)]
pub struct Endpoint(Option<Box<dyn State>>);

/// A design's per-endpoint state: any clonable type.
trait State: Any + Send + Sync {
    fn clone_box(&self) -> Box<dyn State>;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any + Send + Sync + Clone> State for T {
    fn clone_box(&self) -> Box<dyn State> {
        Box::new(self.clone())
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl Clone for Box<dyn State> {
    fn clone(&self) -> Self {
        (**self).clone_box()
    }
}

impl Endpoint {
    /// The design's state of type `T`, created on first use.
    pub fn state<T: Default + Clone + Send + Sync + 'static>(&mut self) -> &mut T {
        // `(**s)`: the state inside the box, not the box (which is a `State` too).
        if !self
            .0
            .as_mut()
            .is_some_and(|s| (**s).as_any_mut().is::<T>())
        {
            self.0 = Some(Box::new(T::default()));
        }
        match self
            .0
            .as_mut()
            .and_then(|s| (**s).as_any_mut().downcast_mut::<T>())
        {
            Some(state) => state,
            None => unreachable!("the state was just set to a T"),
        }
    }
}

/// A user's device in one conversation: its account, its session, and the session a re-key
/// replaced, kept for messages still in flight on it.
#[derive(Clone)]
pub struct Device {
    /// Identity and prekeys.
    pub account: Account,
    /// The session in use.
    pub session: Option<Session>,
    /// Its design state.
    pub endpoint: Endpoint,
    /// The session a re-key replaced, and its design state.
    pub previous: Option<(Session, Endpoint)>,
}

/// What a device sent.
pub struct Outgoing {
    /// The envelope on the wire.
    pub bytes: Vec<u8>,
    /// Whether the sender took a DH ratchet step for it.
    pub dh_step: bool,
}

/// What a device received.
pub struct Incoming {
    /// The plaintext.
    pub text: Vec<u8>,
    /// Whether it started a new session (X3DH).
    pub handshake: bool,
}

impl Device {
    /// A device with `account` and no session yet.
    pub fn new(account: Account) -> Self {
        Self {
            account,
            session: None,
            endpoint: Endpoint::default(),
            previous: None,
        }
    }

    /// Drops the session in use (kept for messages in flight): the next send starts afresh.
    pub fn rekey(&mut self) {
        if let Some(session) = self.session.take() {
            let endpoint = std::mem::take(&mut self.endpoint);
            self.previous = Some((session, endpoint));
        }
    }

    /// Encrypts `text` at `now` and wraps it with the design's field, starting the session
    /// with the peer's `bundle` (used up) if there is none.
    pub fn send(
        &mut self,
        design: &dyn Deployed,
        bundle: &mut Option<PreKeyBundle>,
        crypto: &mut ChaCha20Rng,
        text: &[u8],
        now: SimTime,
        timing: &mut Timing,
    ) -> Result<Outgoing, DesignError> {
        if self.session.is_none() {
            let clock = Instant::now();
            let started = bundle
                .take()
                .ok_or(DesignError::EscrowRejected(
                    "no session and no prekey bundle",
                ))
                .and_then(|bundle| Ok(self.account.initiate(crypto, &bundle)?));
            timing.handshake_ns += elapsed_ns(clock);
            self.session = Some(started?);
        }
        let Some(session) = self.session.as_mut() else {
            unreachable!("a session was just started")
        };
        let clock = Instant::now();
        let (wire, trace) = session.encrypt_traced(crypto, text)?;
        let sealed = Instant::now();
        timing.ratchet_ns += (sealed - clock).as_nanos() as u64;
        let sealing = Sealing {
            wire: &wire,
            trace: &trace,
            associated_data: session.associated_data(),
            now,
        };
        let field = design.seal_field(&mut self.endpoint, &sealing);
        timing.escrow_ns += elapsed_ns(sealed);
        let bytes = envelope::seal(&field?, &wire)?;
        Ok(Outgoing {
            bytes,
            dh_step: trace.chain_start.is_some(),
        })
    }

    /// Decrypts and checks an envelope sent at `sent_at`: on the session in use, else on the
    /// session a re-key replaced, else as the initial message of a new session.
    pub fn receive(
        &mut self,
        design: &dyn Deployed,
        bytes: &[u8],
        sent_at: SimTime,
        timing: &mut Timing,
    ) -> Result<Incoming, DesignError> {
        let (field, wire) = envelope::open(bytes)?;
        let mut refused = None;
        let sessions = [
            self.session.as_mut().map(|s| (s, &mut self.endpoint)),
            self.previous.as_mut().map(|(s, e)| (s, e)),
        ];
        for (session, endpoint) in sessions.into_iter().flatten() {
            match receive_on(design, session, endpoint, field, wire, sent_at, timing) {
                Ok(text) => {
                    return Ok(Incoming {
                        text,
                        handshake: false,
                    });
                }
                Err(error) => refused = Some(error),
            }
        }
        let clock = Instant::now();
        let accepted = self.account.accept_pending(wire);
        let opened = Instant::now();
        timing.handshake_ns += (opened - clock).as_nanos() as u64;
        let accepted = match (accepted, refused) {
            (Ok(accepted), _) => accepted,
            (Err(_), Some(error)) => return Err(error),
            (Err(error), None) => return Err(error.into()),
        };
        let mut endpoint = Endpoint::default();
        let checking = Checking {
            wire,
            trace: &accepted.trace,
            session: &accepted.session,
            sent_at,
        };
        let checked = design.check_field(&mut endpoint, field, &checking);
        timing.escrow_ns += elapsed_ns(opened);
        checked?;
        let (session, text, _) = self.account.commit(accepted)?;
        if let Some(old) = self.session.replace(session) {
            self.previous = Some((old, std::mem::replace(&mut self.endpoint, endpoint)));
        } else {
            self.endpoint = endpoint;
        }
        Ok(Incoming {
            text,
            handshake: true,
        })
    }
}

/// Decrypts, checks and commits one message, sent at `sent_at`, on an existing session.
fn receive_on(
    design: &dyn Deployed,
    session: &mut Session,
    endpoint: &mut Endpoint,
    field: &[u8],
    wire: &[u8],
    sent_at: SimTime,
    timing: &mut Timing,
) -> Result<Vec<u8>, DesignError> {
    let clock = Instant::now();
    let decrypted = session.decrypt_pending(wire);
    let opened = Instant::now();
    timing.ratchet_ns += (opened - clock).as_nanos() as u64;
    let decrypted = decrypted?;
    let checking = Checking {
        wire,
        trace: &decrypted.trace,
        session,
        sent_at,
    };
    let checked = design.check_field(endpoint, field, &checking);
    let checked_at = Instant::now();
    timing.escrow_ns += (checked_at - opened).as_nanos() as u64;
    checked?;
    let committed = session.commit(decrypted);
    timing.ratchet_ns += elapsed_ns(checked_at);
    Ok(committed?.0)
}

#[cfg(test)]
mod test {
    use super::Endpoint;

    /// The state persists between calls and survives a clone, which holds a copy of its own.
    #[test]
    fn endpoint_state_persists_and_clones() {
        let mut endpoint = Endpoint::default();
        *endpoint.state::<u32>() = 7;
        assert_eq!(*endpoint.state::<u32>(), 7);
        let mut copy = endpoint.clone();
        *copy.state::<u32>() += 1;
        assert_eq!((*endpoint.state::<u32>(), *copy.state::<u32>()), (7, 8));
    }
}
