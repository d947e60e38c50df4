//! The conformance fixtures: every design under test, a scripted two-user conversation run
//! through it, and the provider's wiretap of that conversation.
//!
//! The script ([`plan`]) is fixed: 24 rounds over two simulated days, Alice and Bob taking turns
//! (so the Double Ratchet takes a DH step almost every round), with a few out-of-order
//! deliveries: Bob accepts the session from Alice's *second* message, some messages arrive after
//! a later one of the same chain, and some arrive after the recipient has moved on to a newer
//! chain of the same sender. Every design runs the same script with the same conversation seed,
//! so the protocol messages inside the envelopes are byte-for-byte those of `plain`.
//!
//! What each design should reveal is computed here from the script alone ([`Model`]): which
//! sending chain each message is on, at which index, when it and its chain were sent, and so which
//! send sealed the escrow covering it, in which epoch ([`Run::sealed_by`]). Nothing is read back
//! from the envelopes to decide what ought to open.

use doormat::model::{DAY, HOUR, SimTime, UserId};
use std::collections::{BTreeMap, BTreeSet};

use doormat::{
    adversary::{Adversary, AdversarySpec, Roles},
    design::{
        Deployed, DesignError, DesignSpec, Device, Setup, Theft, envelope,
        escrow::{AuthorityKeys, EscrowSpec, Granularity, KeyRing, Opener, Scope, Verification},
    },
    model::{Scripted, Side, Timing},
    protocol::{Account, KeyTrace, x3dh::AD_LEN},
    sim::{
        DesignMetrics,
        conversation::{Conversation, Setting, simulate},
        plan::Pair,
    },
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// The initiator of the scripted conversation.
pub(crate) const ALICE: UserId = 1;
/// The responder.
pub(crate) const BOB: UserId = 2;
/// A user who takes no part in the conversation.
pub(crate) const CAROL: UserId = 3;

/// Seconds in a simulated minute.
pub(crate) const MINUTE: SimTime = 60;
/// Epoch length of the epoch scope (the registry's escrow example).
pub(crate) const EPOCH_HOURS: u32 = 6;
/// Retention of an epoch key after its epoch ends.
pub(crate) const RETENTION_HOURS: u32 = 12;
/// [`EPOCH_HOURS`] in seconds.
pub(crate) const EPOCH: SimTime = EPOCH_HOURS as SimTime * HOUR;
/// [`RETENTION_HOURS`] in seconds.
pub(crate) const RETENTION: SimTime = RETENTION_HOURS as SimTime * HOUR;
/// How long the authority generates keys for: longer than any script.
pub(crate) const HORIZON: SimTime = 4 * DAY;

/// Seed of the conversation (accounts, ratchet keys): the same for every design.
const CONVERSATION_SEED: u64 = 0xD00D_0001;
/// Seed of the authority's keys.
const AUTHORITY_SEED: u64 = 0xD00D_0002;
/// Seed of the second, one-message conversation that donates a foreign escrow field.
const DONOR_SEED: u64 = 0xD00D_0003;

/// Messages per round; Alice sends the even rounds, Bob the odd ones.
const BURSTS: [u64; 24] = [
    3, 2, 3, 2, 1, 4, 2, 3, 3, 3, 1, 3, 2, 4, 2, 1, 3, 2, 2, 5, 2, 2, 3, 2,
];
/// Spacing of the messages of a round.
const SPACING: SimTime = 10 * MINUTE;

// ---------------------------------------------------------------------------------------------
// Designs
// ---------------------------------------------------------------------------------------------

/// End-to-end encryption, no exceptional access.
pub(crate) fn plain() -> DesignSpec {
    DesignSpec::Plain(Default::default())
}

/// A design as the engine builds it for a run (through the registry), and the authority's keys
/// if it has any, regenerated from the same random stream.
pub(crate) struct Fixture {
    pub(crate) spec: DesignSpec,
    pub(crate) design: Box<dyn Deployed>,
    /// Every private key the authority creates (escrow designs only).
    pub(crate) keys: Option<AuthorityKeys>,
}

impl Fixture {
    pub(crate) fn new(spec: DesignSpec) -> Self {
        Self::with_thefts(spec, &[])
    }

    /// The design as built for a run whose adversary makes `thefts`.
    pub(crate) fn with_thefts(spec: DesignSpec, thefts: &[Theft]) -> Self {
        let mut authority = ChaCha20Rng::seed_from_u64(AUTHORITY_SEED);
        let design = spec
            .design()
            .deploy(&mut Setup {
                seed: AUTHORITY_SEED,
                index: 0,
                horizon: HORIZON,
                rotation: None,
                authority: &mut authority,
                thefts,
            })
            .unwrap();
        // The same stream, drawn as the escrow design draws its keys.
        let mut again = ChaCha20Rng::seed_from_u64(AUTHORITY_SEED);
        let keys = match &spec {
            DesignSpec::Escrow(escrow) => Some(
                AuthorityKeys::generate(escrow, HORIZON, &mut again)
                    .unwrap()
                    .0,
            ),
            _ => None,
        };
        Self { spec, design, keys }
    }

    pub(crate) fn escrow(&self) -> Option<&EscrowSpec> {
        match &self.spec {
            DesignSpec::Escrow(escrow) => Some(escrow),
            _ => None,
        }
    }

    pub(crate) fn granularity(&self) -> Option<Granularity> {
        self.escrow().map(|spec| spec.granularity)
    }

    pub(crate) fn verification(&self) -> Verification {
        self.escrow()
            .map_or(Verification::Full, |spec| spec.verification)
    }

    pub(crate) fn is_epoch_scope(&self) -> bool {
        matches!(self.escrow().map(|s| &s.scope), Some(Scope::Epoch { .. }))
    }

    pub(crate) fn is_split_scope(&self) -> bool {
        matches!(self.escrow().map(|s| &s.scope), Some(Scope::Split { .. }))
    }

    /// The authority's keys; panics for designs without escrow.
    pub(crate) fn keys(&self) -> &AuthorityKeys {
        self.keys.as_ref().expect("an escrow design")
    }

    /// Everything the authority ever holds: every epoch key, or the global key, or all shares.
    /// Empty for designs without escrow: there is no key to hold.
    pub(crate) fn every_key(&self) -> KeyRing {
        match &self.keys {
            None => KeyRing::default(),
            Some(keys) if self.is_epoch_scope() => keys.epochs(0..keys.epoch_count()),
            Some(keys) => keys.held_at(0),
        }
    }

    /// The keys the authority holds at `t`; empty for designs without escrow.
    pub(crate) fn held_at(&self, t: SimTime) -> KeyRing {
        self.keys
            .as_ref()
            .map_or_else(KeyRing::default, |keys| keys.held_at(t))
    }
}

// ---------------------------------------------------------------------------------------------
// The script
// ---------------------------------------------------------------------------------------------

/// One scripted message: who sends it, when, and when it reaches the other user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Planned {
    pub(crate) sender: UserId,
    pub(crate) sent_at: SimTime,
    pub(crate) delivered_at: SimTime,
}

/// When round `r` starts: every two hours, shifted so that every third round straddles an epoch
/// boundary (its burst starts at 20 minutes before a multiple of six hours).
fn round_start(r: usize) -> SimTime {
    let shift = [15, 35, 100][r % 3];
    r as SimTime * 2 * HOUR + shift * MINUTE
}

/// The conversation, in send order.
pub(crate) fn plan() -> Vec<Planned> {
    let mut out = Vec::new();
    for (r, &burst) in BURSTS.iter().enumerate() {
        let sender = if r % 2 == 0 { ALICE } else { BOB };
        let start = round_start(r);
        let after_burst = start + (burst - 1) * SPACING + 3 * MINUTE;
        for k in 0..burst {
            let sent_at = start + k * SPACING;
            let delivered_at = if r == 0 && k == 0 {
                // Bob first sees Alice's second initial message, and accepts the session from it.
                after_burst
            } else if r % 6 == 3 && k == 0 {
                // Arrives two rounds late: the recipient has moved on to a newer chain of the
                // sender, so this opens with a key kept from the old chain.
                round_start(r + 2) + 47 * MINUTE
            } else if r % 4 == 1 && k == 1 && burst >= 3 {
                // Overtaken by the rest of its chain.
                after_burst
            } else {
                sent_at + MINUTE
            };
            out.push(Planned {
                sender,
                sent_at,
                delivered_at,
            });
        }
    }
    out
}

/// A monologue: Alice writes every two hours for 26 hours before Bob first replies, so her first
/// chain outlives an epoch key's retention; then one exchange each way.
pub(crate) fn monologue_plan() -> Vec<Planned> {
    let mut out: Vec<Planned> = (0..14)
        .map(|k| Planned {
            sender: ALICE,
            sent_at: k * 2 * HOUR,
            delivered_at: k * 2 * HOUR + MINUTE,
        })
        .collect();
    for (sender, at) in [(BOB, 27 * HOUR), (ALICE, 28 * HOUR)] {
        out.push(Planned {
            sender,
            sent_at: at,
            delivered_at: at + MINUTE,
        });
    }
    out
}

/// The other user of the conversation.
pub(crate) fn peer(user: UserId) -> UserId {
    if user == ALICE { BOB } else { ALICE }
}

/// The true plaintext of message `index`.
pub(crate) fn plaintext(index: usize, planned: &Planned) -> Vec<u8> {
    format!(
        "#{index} from {} to {} at {}:{:02}",
        planned.sender,
        peer(planned.sender),
        planned.sent_at / HOUR,
        planned.sent_at % HOUR / MINUTE
    )
    .into_bytes()
}

/// Which sending chain each message is on, worked out from the script alone with the Double
/// Ratchet's rule (spec §3.5, with lazy ratchet keys): a user starts a new sending chain on its
/// first send after it has received a message on a chain of the peer newer than any seen before.
/// Alice's chain 0 exists from the handshake; Bob has none until his first send.
#[derive(Default)]
pub(crate) struct Model {
    users: BTreeMap<UserId, ModelUser>,
}

#[derive(Default)]
struct ModelUser {
    chain: Option<u32>,
    next_chain: u32,
    next_index: u32,
    started_at: SimTime,
    step_pending: bool,
    newest_peer_chain: Option<u32>,
}

impl Model {
    /// (chain id, index in the chain, when the chain's first message was sent) of a send.
    pub(crate) fn send(&mut self, user: UserId, now: SimTime) -> (u32, u32, SimTime) {
        let state = self.users.entry(user).or_default();
        if state.chain.is_none() || state.step_pending {
            state.chain = Some(state.next_chain);
            state.next_chain += 1;
            state.next_index = 0;
            state.step_pending = false;
        }
        if state.next_index == 0 {
            state.started_at = now;
        }
        let index = state.next_index;
        state.next_index += 1;
        (state.chain.unwrap_or(0), index, state.started_at)
    }

    /// `user` receives a message of the peer's chain `chain`.
    pub(crate) fn receive(&mut self, user: UserId, chain: u32) {
        let state = self.users.entry(user).or_default();
        if state.newest_peer_chain.is_none_or(|newest| chain > newest) {
            state.newest_peer_chain = Some(chain);
            state.step_pending = true;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------

/// The keys the protocol used for the protocol message `wire`, as the recipient's device sees
/// them when it decrypts (on a copy of its state).
pub(crate) fn trace(device: &Device, wire: &[u8]) -> KeyTrace {
    match &device.session {
        Some(session) => session.clone().decrypt_traced(wire).unwrap().1,
        None => device.account.clone().accept_traced(wire).unwrap().2,
    }
}

/// The engine's own simulation of `script` under the design `spec`, built for an adversary's
/// `adversary` thefts: one conversation between Alice (side A) and Bob, run by
/// [`simulate`] with `roles`, and measured as every run is.
pub(crate) fn engine(
    spec: &DesignSpec,
    script: &[Planned],
    roles: &Roles,
    adversary: Option<&AdversarySpec>,
) -> DesignMetrics {
    let scripted: Vec<Scripted> = script
        .iter()
        .map(|p| Scripted {
            from: if p.sender == ALICE { Side::A } else { Side::B },
            sent_at: p.sent_at,
            delivered_at: p.delivered_at,
            size: 32,
        })
        .collect();
    let thefts = adversary.map(AdversarySpec::thefts).unwrap_or_default();
    let design = Fixture::with_thefts(spec.clone(), &thefts).design;
    let adversary = adversary.map(Adversary::new);
    let setting = Setting {
        seed: CONVERSATION_SEED,
        horizon: HORIZON,
        roles,
        adversary: adversary.as_ref(),
    };
    let conversation = Conversation {
        id: 0,
        pair: Pair { a: ALICE, b: BOB },
        script: &scripted,
    };
    let mut metrics = DesignMetrics::default();
    simulate(
        &setting,
        &conversation,
        design.as_ref(),
        &mut metrics,
        &mut Timing::default(),
    );
    assert_eq!(metrics.failed, 0, "{}", spec.label());
    metrics
}

/// Receives `bytes`, sent at `sent_at`, on `device` through the design's client path, as the
/// engine does.
pub(crate) fn receive(
    device: &mut Device,
    design: &dyn Deployed,
    bytes: &[u8],
    sent_at: SimTime,
) -> Result<Vec<u8>, DesignError> {
    device
        .receive(design, bytes, sent_at, &mut Timing::default())
        .map(|incoming| incoming.text)
}

/// One message as the provider's wiretap records it, with what the script knows about it.
pub(crate) struct Message {
    pub(crate) index: usize,
    pub(crate) sender: UserId,
    pub(crate) recipient: UserId,
    pub(crate) sent_at: SimTime,
    /// The envelope on the wire.
    pub(crate) bytes: Vec<u8>,
    /// The session's `IK_A ‖ IK_B`.
    pub(crate) associated_data: [u8; AD_LEN],
    /// What the sender typed.
    pub(crate) plaintext: Vec<u8>,
    /// The sender's chain, per [`Model`].
    pub(crate) chain: u32,
    /// Index in that chain, per [`Model`].
    pub(crate) chain_index: u32,
    /// When that chain's first message was sent, per [`Model`].
    pub(crate) chain_started_at: SimTime,
    /// Whether it is the first message of its chain to reach the recipient.
    pub(crate) first_delivered_of_chain: bool,
    /// The recipient's device just before this delivery.
    pub(crate) before: Device,
    /// What the recipient's client returned.
    pub(crate) received: Result<Vec<u8>, DesignError>,
}

impl Message {
    /// (design field, protocol message).
    pub(crate) fn parts(&self) -> (&[u8], &[u8]) {
        envelope::open(&self.bytes).unwrap()
    }

    /// The field of the envelope.
    pub(crate) fn field(&self) -> &[u8] {
        self.parts().0
    }

    /// The protocol message of the envelope.
    pub(crate) fn wire(&self) -> &[u8] {
        self.parts().1
    }

    /// The envelope with `field` in place of its own.
    pub(crate) fn with_field(&self, field: &[u8]) -> Vec<u8> {
        envelope::seal(field, self.wire()).unwrap()
    }

    /// Delivers `bytes` in place of this message to a copy of the recipient's device as it was
    /// just before the real delivery.
    pub(crate) fn redeliver(
        &self,
        design: &dyn Deployed,
        bytes: &[u8],
    ) -> Result<Vec<u8>, DesignError> {
        receive(&mut self.before.clone(), design, bytes, self.sent_at)
    }

    pub(crate) fn involves(&self, user: UserId) -> bool {
        self.sender == user || self.recipient == user
    }
}

/// The whole conversation through one design.
pub(crate) struct Run {
    pub(crate) fixture: Fixture,
    /// Every message, in send order (`messages[i].index == i`).
    pub(crate) messages: Vec<Message>,
    /// Message indices in delivery order.
    pub(crate) delivery_order: Vec<usize>,
    /// When the last event happened.
    pub(crate) end: SimTime,
    /// The escrow field of a message of another conversation (empty without escrow).
    pub(crate) foreign_field: Vec<u8>,
}

enum Event {
    Send(usize),
    Deliver(usize),
}

impl Run {
    /// The main script ([`plan`]) through the design `spec`.
    pub(crate) fn new(spec: DesignSpec) -> Self {
        Self::scripted(spec, &plan())
    }

    /// `script` through the design `spec`.
    pub(crate) fn scripted(spec: DesignSpec, script: &[Planned]) -> Self {
        let fixture = Fixture::new(spec);
        let design = fixture.design.as_ref();

        let mut rng = ChaCha20Rng::seed_from_u64(CONVERSATION_SEED);
        let alice = Account::new(&mut rng);
        let mut bob = Account::new(&mut rng);
        bob.generate_one_time_prekeys(&mut rng, 1);
        let bundle = bob.prekey_bundle();
        let alice_session = alice.initiate(&mut rng, &bundle).unwrap();
        let associated_data = *alice_session.associated_data();
        let mut alice = Device::new(alice);
        alice.session = Some(alice_session);
        let mut devices = BTreeMap::from([(ALICE, alice), (BOB, Device::new(bob))]);

        let mut events: Vec<(SimTime, Event)> = Vec::new();
        for (i, planned) in script.iter().enumerate() {
            assert!(planned.delivered_at > planned.sent_at);
            events.push((planned.sent_at, Event::Send(i)));
            events.push((planned.delivered_at, Event::Deliver(i)));
        }
        events.sort_by_key(|(time, _)| *time);
        for pair in events.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "two events at one time");
        }

        let mut model = Model::default();
        let mut messages: Vec<Option<Message>> = script.iter().map(|_| None).collect();
        let mut delivery_order = Vec::new();
        let mut chains_seen = BTreeSet::new();
        for (now, event) in &events {
            match *event {
                Event::Send(i) => {
                    let planned = script[i];
                    let plaintext = plaintext(i, &planned);
                    let (chain, chain_index, chain_started_at) = model.send(planned.sender, *now);
                    let device = devices.get_mut(&planned.sender).unwrap();
                    assert!(
                        device.session.is_some(),
                        "the script sends only once the sender has a session"
                    );
                    let bytes = device
                        .send(
                            design,
                            &mut None,
                            &mut rng,
                            &plaintext,
                            *now,
                            &mut Timing::default(),
                        )
                        .unwrap()
                        .bytes;
                    messages[i] = Some(Message {
                        index: i,
                        sender: planned.sender,
                        recipient: peer(planned.sender),
                        sent_at: planned.sent_at,
                        bytes,
                        associated_data,
                        plaintext,
                        chain,
                        chain_index,
                        chain_started_at,
                        first_delivered_of_chain: false,
                        // Filled in on delivery.
                        before: devices[&peer(planned.sender)].clone(),
                        received: Err(DesignError::NoKey("not delivered")),
                    });
                }
                Event::Deliver(i) => {
                    let message = messages[i].as_mut().expect("sent before delivered");
                    let device = devices.get_mut(&message.recipient).unwrap();
                    message.before = device.clone();
                    message.received = receive(device, design, &message.bytes, message.sent_at);
                    message.first_delivered_of_chain =
                        chains_seen.insert((message.sender, message.chain));
                    model.receive(message.recipient, message.chain);
                    delivery_order.push(i);
                }
            }
        }
        let messages: Vec<Message> = messages.into_iter().map(Option::unwrap).collect();
        let end = events.last().map_or(0, |(time, _)| *time);
        let foreign_field = foreign_field(design);
        Self {
            fixture,
            messages,
            delivery_order,
            end,
            foreign_field,
        }
    }

    pub(crate) fn design(&self) -> &dyn Deployed {
        self.fixture.design.as_ref()
    }

    /// Whether the design's escrow covers `message` at all, from the script: every message at
    /// `message` and `chain` granularity; at `session` granularity only the initiator's first
    /// chain (sent before any reply reached her); nothing without escrow.
    pub(crate) fn escrowed(&self, message: &Message) -> bool {
        match self.fixture.granularity() {
            None => false,
            Some(Granularity::Message | Granularity::Chain) => true,
            Some(Granularity::Session) => message.sender == ALICE && message.chain == 0,
        }
    }

    /// Whether the envelope of `message` carries a design field, by the same rule.
    pub(crate) fn carries_field(&self, message: &Message) -> bool {
        self.escrowed(message)
    }

    /// The first message of `message`'s chain that its sender sent in the same epoch (of the
    /// epoch scope's length, whatever the design): where a chain that straddles an epoch boundary
    /// first sends in its new epoch.
    pub(crate) fn first_of_chain_in_epoch(&self, message: &Message) -> &Message {
        self.messages
            .iter()
            .filter(|m| {
                (m.sender, m.chain) == (message.sender, message.chain)
                    && m.sent_at / EPOCH == message.sent_at / EPOCH
            })
            .min_by_key(|m| m.chain_index)
            .expect("the message itself")
    }

    /// The message whose sending sealed the escrowed material covering `message`, from the
    /// script: `message` itself at `message` granularity; at `chain` granularity the first
    /// message of its chain sent in its epoch (the sender re-seals the chain key when the epoch
    /// changes mid-chain; single-key scopes have one epoch, so that is the chain's first
    /// message); at `session` granularity the first message of its chain, the session's start
    /// (sealed once, never re-sealed).
    pub(crate) fn sealed_by<'a>(&'a self, message: &'a Message) -> &'a Message {
        match self.fixture.granularity() {
            Some(Granularity::Message) => message,
            Some(Granularity::Chain) if self.fixture.is_epoch_scope() => {
                self.first_of_chain_in_epoch(message)
            }
            _ => self
                .messages
                .iter()
                .find(|m| (m.sender, m.chain, m.chain_index) == (message.sender, message.chain, 0))
                .expect("every chain has a first message"),
        }
    }

    /// When the escrowed material covering `message` was sealed.
    pub(crate) fn sealed_at(&self, message: &Message) -> SimTime {
        self.sealed_by(message).sent_at
    }

    /// The first chain index the escrowed material covering `message` covers: the index it was
    /// sealed at (its own at `message` granularity, 0 at `session`).
    pub(crate) fn covered_from(&self, message: &Message) -> u32 {
        self.sealed_by(message).chain_index
    }

    /// The authority-key epoch that covers `message`: by seal time in the epoch scope, 0 else.
    /// At `message` and `chain` granularity that is the epoch `message` is sent in.
    pub(crate) fn epoch_of(&self, message: &Message) -> u32 {
        if self.fixture.is_epoch_scope() {
            u32::try_from(self.sealed_at(message) / EPOCH).unwrap()
        } else {
            0
        }
    }

    /// The messages the keys of the epochs `held` accepts open, from the script: those whose
    /// covering material was sealed to one of them, and, at `chain` and `session` granularity,
    /// every later message of a chain whose key they revealed (the holder keeps the chain keys
    /// it opens).
    pub(crate) fn opened_by_epoch_keys(&self, held: impl Fn(u32) -> bool) -> BTreeSet<usize> {
        let derives = !matches!(self.fixture.granularity(), Some(Granularity::Message));
        self.indices(|m| {
            self.escrowed(m)
                && (held(self.epoch_of(m))
                    || derives
                        && self.messages.iter().any(|earlier| {
                            (earlier.sender, earlier.chain) == (m.sender, m.chain)
                                && earlier.chain_index <= m.chain_index
                                && self.escrowed(earlier)
                                && held(self.epoch_of(earlier))
                        }))
        })
    }

    /// [`Run::opened_by_epoch_keys`] for the key of `epoch` alone.
    pub(crate) fn opened_by_epoch_key(&self, epoch: u32) -> BTreeSet<usize> {
        self.opened_by_epoch_keys(|e| e == epoch)
    }

    /// Indices of the messages matching `keep`.
    pub(crate) fn indices(&self, keep: impl Fn(&Message) -> bool) -> BTreeSet<usize> {
        self.messages
            .iter()
            .filter(|m| keep(m))
            .map(|m| m.index)
            .collect()
    }

    /// Indices of the messages the escrow covers.
    pub(crate) fn escrowed_set(&self) -> BTreeSet<usize> {
        self.indices(|m| self.escrowed(m))
    }

    /// Opens every captured message, in capture order, with one opener holding `ring`, and
    /// returns the indices that opened to their true plaintext. An opening that "succeeds" with
    /// a wrong plaintext fails the test.
    pub(crate) fn opened_with(&self, ring: KeyRing) -> BTreeSet<usize> {
        let mut opener = Opener::new(ring, self.fixture.verification());
        let mut opened = BTreeSet::new();
        for message in &self.messages {
            if let Ok(plaintext) = opener.open(&message.bytes, &message.associated_data) {
                assert_eq!(
                    plaintext, message.plaintext,
                    "message {} opened to a wrong plaintext",
                    message.index
                );
                opened.insert(message.index);
            }
        }
        opened
    }

    /// Some messages in delivery order, for the per-message checks (each costs HPKE): the three
    /// initial messages, the first delivery of every other chain (where a recipient checks a
    /// chain field from scratch), the first message of a chain sent in a new epoch (where a
    /// `chain` sender re-seals, and the recipient checks the new field), and every tenth message
    /// from the fifth.
    pub(crate) fn sample(&self) -> Vec<&Message> {
        self.delivery_order
            .iter()
            .map(|&i| &self.messages[i])
            .filter(|m| {
                m.index < 3
                    || (m.first_delivered_of_chain && m.chain % 2 == 0)
                    || (m.chain_index > 0 && self.first_of_chain_in_epoch(m).index == m.index)
                    || m.index % 10 == 5
            })
            .collect()
    }
}

/// The escrow field of the first message of a second conversation (other accounts, same
/// design and authority keys); empty for designs without escrow.
fn foreign_field(design: &dyn Deployed) -> Vec<u8> {
    let mut rng = ChaCha20Rng::seed_from_u64(DONOR_SEED);
    let mut carol = Device::new(Account::new(&mut rng));
    let mut dave = Account::new(&mut rng);
    let mut bundle = Some(dave.prekey_bundle());
    let sent = carol
        .send(
            design,
            &mut bundle,
            &mut rng,
            b"another conversation",
            HOUR,
            &mut Timing::default(),
        )
        .unwrap();
    envelope::open(&sent.bytes).unwrap().0.to_vec()
}

/// A set as a short string for assertion messages.
pub(crate) fn show(set: &BTreeSet<usize>) -> String {
    format!("{set:?}")
}
