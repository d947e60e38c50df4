//! The seam every design plugs into. A [`Design`] is what a scenario names: its label, its
//! rules, its cost, and which secrets exist under it. Built for a run it becomes a [`Deployed`]
//! design: the clients' envelope field, and the secrets each party holds. Each conversation
//! then gets its own [`DesignConversation`]: what the design does beside the messages (a ghost
//! copy, a backup), what that leaves for holders, and how holders read it.

use rand_chacha::ChaCha20Rng;

use super::{
    DesignError, Endpoint,
    capture::{ProviderAccess, Readable, Wiretap},
    secret::{Archive, Theft},
};
use crate::{
    model::{Side, SimTime, UserId},
    protocol::{KeyTrace, Session, x3dh::AD_LEN},
};

/// A design as a scenario names it: one module, registered in the table of `design/mod.rs`.
pub trait Design: Send + Sync {
    /// A short label for tables and plots, e.g. `escrow/epoch24h-keep30d/chain`.
    fn label(&self) -> String;

    /// Problems with its parameters, each as (field path below the design, message).
    fn problems(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// What it adds to a run's cost, over plain end-to-end encryption.
    fn cost(&self, _load: &Load) -> Cost {
        Cost::default()
    }

    /// Trustees among whom its key is split (0: not split). A theft of trustee `i`'s share
    /// takes something from some design only if `i` is below one of them.
    fn trustees(&self) -> usize {
        0
    }

    /// The hours at which epoch `epoch`'s key is created and deleted, if the design keeps a key
    /// per epoch: a theft of it outside that life takes nothing.
    fn epoch_key_life_hours(&self, _epoch: u32) -> Option<(u64, u64)> {
        None
    }

    /// Whether it gives the authority a way in. The first design without one is the run's
    /// baseline, the one overheads are measured against.
    fn exceptional_access(&self) -> bool {
        true
    }

    /// Builds it for a run: the keys it creates, and what each party holds of them.
    fn deploy(&self, setup: &mut Setup<'_>) -> Result<Box<dyn Deployed>, DesignError>;
}

/// What the registry needs of a design module, beside the [`Design`] it is.
pub trait Registered: Design + Sized + 'static {
    /// Its parameters, as a scenario writes them.
    type Spec;
    /// Its `kind` in scenario files.
    const KIND: &'static str;
    /// What `doormat list` says of it.
    const SUMMARY: &'static str;
    /// The design of `spec`.
    fn new(spec: &Self::Spec) -> Self;
    /// Specs covering its variants, which the conformance suite runs.
    fn examples() -> Vec<Self::Spec>;
}

/// What a design is built with.
pub struct Setup<'a> {
    /// The scenario seed.
    pub seed: u64,
    /// The design's position in the scenario (its provider keys' stream).
    pub index: usize,
    /// The run's length.
    pub horizon: SimTime,
    /// When the compromise is detected: keys rotate then.
    pub rotation: Option<SimTime>,
    /// The authority's key stream, shared by every design of the run in order.
    pub authority: &'a mut ChaCha20Rng,
    /// The adversary's thefts, in time order.
    pub thefts: &'a [Theft],
}

/// The expected load of a run, from which each design's cost is estimated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Messages per design.
    pub messages: f64,
    /// DH ratchet steps per design.
    pub dh_steps: f64,
    /// Conversations.
    pub conversations: f64,
    /// Mean plaintext bytes.
    pub mean_bytes: f64,
    /// Messages of the busiest conversation.
    pub busiest: f64,
    /// CPU seconds of one plaintext byte.
    pub byte_cost_s: f64,
    /// CPU seconds of one message, bytes included.
    pub message_cost_s: f64,
}

/// What a design adds to a run over plain end-to-end encryption.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cost {
    /// Single-core CPU seconds.
    pub cpu_seconds: f64,
    /// Extra wire bytes per message.
    pub wire_bytes: f64,
    /// Extra bytes one worker holds while simulating the busiest conversation.
    pub conversation_bytes: f64,
}

/// The message a sender is sealing.
pub struct Sealing<'a> {
    /// The protocol message.
    pub wire: &'a [u8],
    /// Its keys.
    pub trace: &'a KeyTrace,
    /// `IK_A ‖ IK_B`.
    pub associated_data: &'a [u8; AD_LEN],
    /// When it is sent.
    pub now: SimTime,
}

/// A message a recipient has just decrypted, not yet committed.
pub struct Checking<'a> {
    /// The protocol message.
    pub wire: &'a [u8],
    /// Its keys.
    pub trace: &'a KeyTrace,
    /// The session that decrypted it.
    pub session: &'a Session,
    /// When it was sent (the server's stamp).
    pub sent_at: SimTime,
}

/// A design built for one run.
pub trait Deployed: Send + Sync {
    /// The field a compliant sender attaches to a message (empty: none).
    fn seal_field(
        &self,
        _endpoint: &mut Endpoint,
        _sealing: &Sealing<'_>,
    ) -> Result<Vec<u8>, DesignError> {
        Ok(Vec::new())
    }

    /// A compliant recipient's check of `field`, before the message may change the session.
    fn check_field(
        &self,
        _endpoint: &mut Endpoint,
        field: &[u8],
        _checking: &Checking<'_>,
    ) -> Result<(), DesignError> {
        if field.is_empty() {
            Ok(())
        } else {
            Err(DesignError::EscrowRejected("unexpected design field"))
        }
    }

    /// The design's part of one conversation.
    fn conversation(&self, _setup: &ConversationSetup<'_>) -> Box<dyn DesignConversation + '_> {
        Box::new(Nothing)
    }

    /// Distinct secrets of this design the adversary's exposure needed: one per key-store or
    /// epoch-key theft that added keys, one per share until the threshold is met, the ghost
    /// power once, one per backup-key generation. Repeats add nothing.
    fn secrets_required(&self) -> u64 {
        0
    }

    /// Replaces every secret the adversary and the authority hold with wrong bytes: an
    /// experiment showing that exposure comes from real decryption.
    fn corrupt_secrets(&mut self) {}
}

/// What a conversation's design part starts from.
pub struct ConversationSetup<'a> {
    /// The scenario seed.
    pub seed: u64,
    /// The conversation's id.
    pub conversation: u64,
    /// Its users, by side.
    pub users: [UserId; 2],
    /// The run's length.
    pub horizon: SimTime,
    /// Provider-side access to each side's user.
    pub access: [&'a [ProviderAccess]; 2],
}

/// A message just sent, as the design's part of the conversation sees it.
pub struct Sent<'a> {
    /// The sender.
    pub side: Side,
    /// The message's index in the script.
    pub index: usize,
    /// When.
    pub at: SimTime,
    /// What the app gave the messenger to send.
    pub text: &'a [u8],
}

/// One conversation's design-side state and captures.
pub trait DesignConversation {
    /// Times at which a side acts on its own (backup uploads).
    fn schedule(&self) -> Vec<(SimTime, Side)> {
        Vec::new()
    }

    /// A message was sent; `crypto` is the conversation's key stream.
    fn sent(&mut self, _sent: &Sent<'_>, _crypto: &mut ChaCha20Rng) {}

    /// `side` read message `index` as `text`.
    fn read(&mut self, _side: Side, _index: usize, _text: &[u8]) {}

    /// A scheduled time of `side`'s came.
    fn tick(&mut self, _side: Side, _now: SimTime) {}

    /// Offers every captured message the adversary's design secrets read, with when.
    fn expose(&mut self, _tap: &Wiretap<'_>, _archive: &Archive, _readable: &mut Readable) {}

    /// Marks, per side, the messages the authority reads through that side's warrant; only
    /// `covered` messages matter.
    fn obtain(&mut self, _tap: &Wiretap<'_>, _covered: &[bool], _obtained: &mut [Vec<bool>; 2]) {}
}

/// A conversation part that does nothing.
struct Nothing;

impl DesignConversation for Nothing {}
