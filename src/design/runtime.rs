//! A design in use: how a client sends and receives through it. Built once per run from a
//! [`DesignSpec`] and shared by every conversation; each session side keeps an [`Endpoint`].

use crate::model::SimTime;
use rand_core::CryptoRng;

use super::{
    DesignError, DesignSpec, envelope,
    escrow::{AuthorityKeys, EscrowEndpoint, EscrowPolicy},
};
use crate::protocol::{Account, KeyTrace, Session, x3dh::AD_LEN};

/// The client-side behaviour of one design. Ghost fan-out and backups happen beside the
/// messages (see [`super::ghost`] and [`super::backup`]), so only escrow changes the envelope.
#[derive(Clone)]
pub struct Design {
    spec: DesignSpec,
    escrow: Option<EscrowPolicy>,
}

/// One session side's design state.
#[derive(Clone, Default)]
pub struct Endpoint {
    escrow: EscrowEndpoint,
}

impl Design {
    /// A design without escrow (`plain`, `ghost`, `backup`).
    pub fn without_escrow(spec: DesignSpec) -> Self {
        Self { spec, escrow: None }
    }

    /// An escrow design with its clients' policy.
    pub fn with_escrow(spec: DesignSpec, policy: EscrowPolicy) -> Self {
        Self {
            spec,
            escrow: Some(policy),
        }
    }

    /// The spec it was built from.
    pub fn spec(&self) -> &DesignSpec {
        &self.spec
    }

    /// Builds the design `spec` for a run of `horizon` seconds: for escrow, generates the
    /// authority's keys (returned for the authority and the adversary) and the clients' policy.
    pub fn build<R: CryptoRng + ?Sized>(
        spec: &DesignSpec,
        horizon: SimTime,
        rng: &mut R,
    ) -> Result<(Self, Option<AuthorityKeys>), DesignError> {
        Self::build_rotating(spec, horizon, None, rng)
    }

    /// [`Design::build`], with the authority rotating every escrow key at `rotation` (after it
    /// detects a compromise): fields from then on are sealed to fresh keys.
    pub fn build_rotating<R: CryptoRng + ?Sized>(
        spec: &DesignSpec,
        horizon: SimTime,
        rotation: Option<SimTime>,
        rng: &mut R,
    ) -> Result<(Self, Option<AuthorityKeys>), DesignError> {
        match spec {
            DesignSpec::Escrow(escrow) => {
                let (keys, directory) =
                    AuthorityKeys::generate_rotating(escrow, horizon, rotation, rng)?;
                let mut family_key = [0u8; 32];
                rng.fill_bytes(&mut family_key);
                let policy = EscrowPolicy::new(
                    escrow.granularity,
                    escrow.verification,
                    directory,
                    family_key,
                );
                Ok((Self::with_escrow(spec.clone(), policy), Some(keys)))
            }
            _ => Ok((Self::without_escrow(spec.clone()), None)),
        }
    }

    /// Encrypts `plaintext` and wraps it with the design's field, as a compliant client does.
    pub fn send<R: CryptoRng + ?Sized>(
        &self,
        endpoint: &mut Endpoint,
        session: &mut Session,
        rng: &mut R,
        plaintext: &[u8],
        now: SimTime,
    ) -> Result<Vec<u8>, DesignError> {
        let (wire, trace) = session.encrypt_traced(rng, plaintext)?;
        let field = self.seal_field(endpoint, &wire, &trace, session.associated_data(), now)?;
        envelope::seal(&field, &wire)
    }

    /// The design field a compliant sender attaches to `wire` (empty without escrow).
    pub fn seal_field(
        &self,
        endpoint: &mut Endpoint,
        wire: &[u8],
        trace: &KeyTrace,
        associated_data: &[u8; AD_LEN],
        now: SimTime,
    ) -> Result<Vec<u8>, DesignError> {
        match &self.escrow {
            None => Ok(Vec::new()),
            Some(policy) => {
                policy.field_for_send(&mut endpoint.escrow, wire, trace, associated_data, now)
            }
        }
    }

    /// Receives on an existing session a message sent at `sent_at` (the provider's server stamps
    /// each message as it arrives, as Signal's envelope does): decrypts, checks the design field,
    /// and only then lets the message change the session, so a refused field costs the recipient
    /// nothing.
    pub fn receive(
        &self,
        endpoint: &mut Endpoint,
        session: &mut Session,
        bytes: &[u8],
        sent_at: SimTime,
    ) -> Result<Vec<u8>, DesignError> {
        let (field, wire) = envelope::open(bytes)?;
        let decrypted = session.decrypt_pending(wire)?;
        self.check_field(endpoint, field, wire, &decrypted.trace, session, sent_at)?;
        let (plaintext, _) = session.commit(decrypted)?;
        Ok(plaintext)
    }

    /// Receives an initial message sent at `sent_at`: starts the session and decrypts, checks
    /// the field, and only then consumes the one-time prekey.
    pub fn accept(
        &self,
        endpoint: &mut Endpoint,
        account: &mut Account,
        bytes: &[u8],
        sent_at: SimTime,
    ) -> Result<(Session, Vec<u8>), DesignError> {
        let (field, wire) = envelope::open(bytes)?;
        let accepted = account.accept_pending(wire)?;
        self.check_field(
            endpoint,
            field,
            wire,
            &accepted.trace,
            &accepted.session,
            sent_at,
        )?;
        let (session, plaintext, _) = account.commit(accepted)?;
        Ok((session, plaintext))
    }

    /// A compliant recipient's check of the design field on `wire`, sent at `sent_at` and just
    /// decrypted by `session` with the keys in `trace`. It needs only public data: the field is
    /// checked against the key in use at the sending, even if that key has been deleted since.
    pub fn check_field(
        &self,
        endpoint: &mut Endpoint,
        field: &[u8],
        wire: &[u8],
        trace: &KeyTrace,
        session: &Session,
        sent_at: SimTime,
    ) -> Result<(), DesignError> {
        match &self.escrow {
            None if field.is_empty() => Ok(()),
            None => Err(DesignError::EscrowRejected("unexpected design field")),
            Some(policy) => {
                policy.check_received(
                    &mut endpoint.escrow,
                    field,
                    wire,
                    trace,
                    session.associated_data(),
                    sent_at,
                )?;
                endpoint
                    .escrow
                    .forget_dead_chains(|key| session.holds_chain(key));
                Ok(())
            }
        }
    }
}
