//! Fuzzing harnesses for doormat's protocol layer, shared by the cargo-fuzz targets in
//! `fuzz_targets/` and by `tests/all/fuzz_corpus.rs`, which replays the corpora under plain
//! `cargo test`. Both include this file with `#[path]`, so it uses only doormat's public API.
//!
//! Each harness takes arbitrary bytes and returns normally whatever they are; it panics only
//! when one of doormat's guarantees breaks, so every panic is a finding:
//!
//! - [`decode`]: `WireMessage::try_from` never panics, and what it accepts re-encodes to exactly
//!   the input (lengths add up, the header round-trips, nothing is skipped or invented).
//! - [`decrypt`]: a fixed, seeded Alice/Bob session pair receives the bytes. Anything that opens
//!   must be a genuine message (no forgery), opens once (no replay), and a refused message
//!   changes nothing (commit on authentication).
//! - [`scenario`]: the bytes are a scenario file for `Scenario::load_bytes`. A refusal has a
//!   message; what loads can be estimated, and serialises to a file that loads to the same
//!   scenario (the strict parser accepts everything doormat itself writes).
//! - [`interaction`]: the bytes script a conversation (sends, in-order, out-of-order and random
//!   deliveries, drops, duplicates, tampering). A reference model of the Double Ratchet's
//!   receiving side predicts, for every delivery, whether it must open; the real session must
//!   agree exactly, return the plaintext sent, and hold the same skipped keys as the model.
//! - [`task`] (in `task_harness.rs`): sweep and task result files parse, merge or fail
//!   cleanly; a merge names one folder inside `--out` and covers every item once; and any edit
//!   to a genuine task file that changes what it means is refused at merge.
//! - [`run_task`] (in `run_task_harness.rs`): a run's task files parse, merge or fail cleanly;
//!   a merge holds every task once from files whose checksums and hashes hold, and gives the
//!   genuine summary from the genuine files; any edit to a genuine file that changes what it
//!   means is refused, and a forged one (checksums recomputed) merges or fails cleanly.
#![allow(
    clippy::expect_used,
    reason = "fuzzing harness: a failed expectation is a finding, and must panic"
)]

use std::{collections::VecDeque, ops::Range, sync::LazyLock};

use doormat::{
    protocol::{
        Account, RatchetConfig, Session, SessionError,
        aead::TAG_LEN,
        message::{HEADER_LEN, Message, WireMessage},
    },
    scenario::Scenario,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[path = "task_harness.rs"]
mod task_harness;
#[allow(
    unused_imports,
    reason = "the fuzz targets use only `task`; the tests use the rest"
)]
pub(crate) use self::task_harness::{EDIT, TASK_FILES, task, task_seeds};

#[path = "run_task_harness.rs"]
mod run_task_harness;
#[allow(
    unused_imports,
    reason = "the fuzz targets use only `run_task`; the tests use the rest"
)]
pub(crate) use self::run_task_harness::{
    RESEAL, RUN_SCENARIO, RUN_TASK_FILES, RUN_TASK_GENUINE, run_task, run_task_seeds,
};

/// The fuzz targets, which are also the folder names under `fuzz/corpus/`.
pub(crate) const TARGETS: [&str; 6] = [
    "decode",
    "decrypt",
    "interaction",
    "scenario",
    "task",
    "run_task",
];

/// Runs the harness of `target` on `data`.
pub(crate) fn run(target: &str, data: &[u8]) {
    match target {
        "decode" => decode(data),
        "decrypt" => decrypt(data),
        "interaction" => {
            interaction(data);
        }
        "scenario" => scenario(data),
        "task" => task(data),
        "run_task" => run_task(data),
        other => unreachable!("no fuzz target named {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// decode

/// Parses `data`; if it parses, checks that the parse accounts for every byte, exactly.
pub(crate) fn decode(data: &[u8]) {
    let Ok(wire) = WireMessage::try_from(data) else {
        return;
    };
    let mut encoded = Vec::with_capacity(data.len());
    let message = match &wire {
        WireMessage::PreKey(prekey) => {
            prekey.fields.encode_into(&mut encoded);
            &prekey.message
        }
        WireMessage::Normal(message) => message,
    };
    let prefix = encoded.len();
    assert_eq!(
        prefix + HEADER_LEN + message.ciphertext.len() + TAG_LEN,
        data.len(),
        "prefix, header, ciphertext and tag do not add up to the input"
    );
    assert_eq!(
        &message.header.encode(),
        message.header_bytes,
        "the parsed header does not re-encode to the bytes it was read from"
    );
    encoded.extend_from_slice(message.header_bytes);
    encoded.extend_from_slice(message.ciphertext);
    encoded.extend_from_slice(message.tag);
    assert_eq!(
        encoded, data,
        "re-encoding the parse does not give the input"
    );
    assert_eq!(
        Message::try_from(&data[prefix..]),
        Ok(*message),
        "the embedded message does not decode alone to the same message"
    );
    let mut keys = vec![message.header.ratchet_key];
    if let WireMessage::PreKey(prekey) = &wire {
        keys.extend([prekey.fields.identity_key, prekey.fields.base_key]);
    }
    for key in keys {
        assert!(
            is_canonical(key.as_bytes()),
            "a non-canonical key was accepted: {key:?}"
        );
    }
}

/// Whether `key` is the canonical encoding of an X25519 u-coordinate, u < p = 2^255 - 19
/// (which also means bit 255 is clear): X25519 reduces u mod p and ignores bit 255, so any
/// other encoding names the same key as a canonical one.
fn is_canonical(key: &[u8; 32]) -> bool {
    let mut p = [0xFF; 32];
    p[0] = 0xED;
    p[31] = 0x7F;
    // Little-endian numbers: compare from the most significant byte.
    key.iter().rev().lt(p.iter().rev())
}

// ---------------------------------------------------------------------------------------------
// decrypt

/// Seed of the [`Fixture`]'s RNG: the fixture, and the corpus made from it, are reproducible.
const FIXTURE_SEED: u64 = 0xD00D_F022;

/// Who, in the [`Fixture`], can open a genuine message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recipient {
    /// `Fixture::bob_account`, through `Account::accept`.
    BobAccount,
    /// `Fixture::bob_session`.
    BobSession,
    /// `Fixture::alice_session`.
    AliceSession,
}

/// A message sealed while the fixture was built.
#[derive(Debug, Clone)]
pub(crate) struct Genuine {
    /// File-name friendly description.
    pub(crate) name: &'static str,
    /// The wire bytes.
    pub(crate) bytes: Vec<u8>,
    /// What they decrypt to.
    pub(crate) plaintext: &'static [u8],
    /// Who can open them (each checked when the fixture is built).
    pub(crate) recipients: &'static [Recipient],
}

/// A deterministic conversation frozen at one point, for the `decrypt` target.
///
/// Alice initiates with a one-time prekey and sends `a0`, `a1`, `a2` (initial messages). Bob
/// accepts `a0`, reads `a2` (so he holds the skipped key of `a1`) and replies `b0`, `b1`;
/// `bob_session` is frozen there, and `alice_session` just before she reads `b0`, after which
/// she sends `a3`, `a4` on a new chain (normal messages).
pub(crate) struct Fixture {
    /// Bob's account before any initial message arrived.
    pub(crate) bob_account: Account,
    /// Bob's session after replying.
    pub(crate) bob_session: Session,
    /// Alice's session before Bob's replies arrive.
    pub(crate) alice_session: Session,
    /// Every message sealed on the way.
    pub(crate) messages: Vec<Genuine>,
}

/// The fixture, built once per process.
pub(crate) static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    use Recipient::*;
    let mut rng = ChaCha20Rng::seed_from_u64(FIXTURE_SEED);
    let alice = Account::new(&mut rng);
    let mut bob = Account::new(&mut rng);
    bob.generate_one_time_prekeys(&mut rng, 2);
    let bundle = bob.prekey_bundle();
    let mut alice_session = alice.initiate(&mut rng, &bundle).expect("initiate");
    let mut messages = Vec::new();
    let mut seal = |session: &mut Session, name, plaintext, recipients| {
        let bytes = session.encrypt(&mut rng, plaintext).expect("encrypt");
        messages.push(Genuine {
            name,
            bytes: bytes.clone(),
            plaintext,
            recipients,
        });
        bytes
    };
    let a0 = seal(
        &mut alice_session,
        "a0-initial",
        b"a0: hello Bob",
        &[BobAccount],
    );
    let a1 = b"a1: skipped, read late";
    seal(
        &mut alice_session,
        "a1-initial-skipped",
        a1,
        &[BobAccount, BobSession],
    );
    let a2 = seal(
        &mut alice_session,
        "a2-initial-read",
        b"a2: read first",
        &[BobAccount],
    );
    let bob_account = bob.clone();
    let (mut bob_session, _) = bob.accept(&a0).expect("accept a0");
    bob_session.decrypt(&a2).expect("decrypt a2");
    let b0 = seal(
        &mut bob_session,
        "b0-reply",
        b"b0: hi Alice",
        &[AliceSession],
    );
    seal(
        &mut bob_session,
        "b1-reply-2",
        b"b1: are you there?",
        &[AliceSession],
    );
    let bob_frozen = bob_session.clone();
    let alice_frozen = alice_session.clone();
    alice_session.decrypt(&b0).expect("decrypt b0");
    seal(
        &mut alice_session,
        "a3-normal-new-chain",
        b"a3: a new chain",
        &[BobSession],
    );
    seal(&mut alice_session, "a4-normal-empty", b"", &[BobSession]);
    for message in &messages {
        for recipient in message.recipients {
            let opened = match recipient {
                BobAccount => bob_account.clone().accept(&message.bytes).map(|(_, p)| p),
                BobSession => bob_frozen.clone().decrypt(&message.bytes),
                AliceSession => alice_frozen.clone().decrypt(&message.bytes),
            };
            assert_eq!(opened.as_deref(), Ok(message.plaintext), "{}", message.name);
        }
    }
    Fixture {
        bob_account,
        bob_session: bob_frozen,
        alice_session: alice_frozen,
        messages,
    }
});

/// The normal message inside wire bytes: everything after an initial message's X3DH fields.
fn embedded(bytes: &[u8]) -> Option<&[u8]> {
    let wire = WireMessage::try_from(bytes).ok()?;
    let message = wire.message();
    let len = HEADER_LEN + message.ciphertext.len() + TAG_LEN;
    bytes.get(bytes.len() - len..)
}

impl Fixture {
    /// Asserts that `data`, which `recipient` just opened to `plaintext`, is a genuine message
    /// for it, byte for byte: `Account::accept` authenticates every byte of an initial message,
    /// and a session takes a repeated initial message only if its X3DH fields are exactly the
    /// session's. The one change allowed is dropping those fields: a session opens the embedded
    /// normal message alone, since its authentication covers only the normal message.
    fn assert_genuine(&self, recipient: Recipient, data: &[u8], plaintext: &[u8]) {
        let found = self.messages.iter().find(|m| {
            m.recipients.contains(&recipient)
                && (m.bytes == data
                    || (recipient != Recipient::BobAccount && embedded(&m.bytes) == Some(data)))
        });
        let found = found.unwrap_or_else(|| {
            unreachable!("{recipient:?} opened bytes that no one sealed for it: {data:02x?}")
        });
        assert_eq!(
            found.plaintext, plaintext,
            "{recipient:?} opened {}",
            found.name
        );
    }
}

/// Feeds `data` to the frozen sessions and Bob's account, each a fresh clone.
pub(crate) fn decrypt(data: &[u8]) {
    let fixture = &*FIXTURE;

    let mut account = fixture.bob_account.clone();
    let prekeys = account.one_time_prekey_count();
    match account.accept(data) {
        Ok((mut session, plaintext)) => {
            fixture.assert_genuine(Recipient::BobAccount, data, &plaintext);
            assert!(
                session.decrypt(data).is_err(),
                "a new session opened its initial message a second time"
            );
            assert_eq!(
                account.one_time_prekey_count(),
                prekeys - 1,
                "accepting did not consume the one-time prekey"
            );
            assert!(
                account.accept(data).is_err(),
                "an initial message was accepted twice"
            );
        }
        Err(_) => assert_eq!(
            account.one_time_prekey_count(),
            prekeys,
            "a refused initial message burnt a one-time prekey"
        ),
    }

    for (recipient, frozen) in [
        (Recipient::BobSession, &fixture.bob_session),
        (Recipient::AliceSession, &fixture.alice_session),
    ] {
        let mut session = frozen.clone();
        match session.decrypt(data) {
            Ok(plaintext) => {
                fixture.assert_genuine(recipient, data, &plaintext);
                assert!(
                    session.decrypt(data).is_err(),
                    "{recipient:?} opened the same message twice"
                );
            }
            Err(_) => {
                assert_eq!(
                    session.skipped_key_ids(),
                    frozen.skipped_key_ids(),
                    "a refused message changed {recipient:?}'s skipped keys"
                );
                assert_eq!(
                    session.is_awaiting_reply(),
                    frozen.is_awaiting_reply(),
                    "a refused message changed {recipient:?}'s awaiting-reply state"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// interaction

/// The script language of [`interaction`]: the first byte sets the limits, then each op is one
/// byte (taken modulo [`op::COUNT`]), some followed by argument bytes. A script that ends in the
/// middle of an op reads zeros.
pub(crate) mod op {
    /// First byte: with this bit, the default `RatchetConfig`; without it, `max_skip` is the low
    /// nibble (0..=15) and `max_skipped_keys` bits 4..=6 (0..=7), so limits are hit quickly.
    pub(crate) const DEFAULT_LIMITS: u8 = 0x80;
    /// Alice seals a message; one argument: plaintext length (mod 64).
    pub(crate) const ALICE_SENDS: u8 = 0;
    /// Bob seals a message (nothing before he has a session); argument: plaintext length.
    pub(crate) const BOB_SENDS: u8 = 1;
    /// Alice receives the oldest message queued for her.
    pub(crate) const ALICE_OLDEST: u8 = 2;
    /// Bob receives the oldest message queued for him.
    pub(crate) const BOB_OLDEST: u8 = 3;
    /// Alice receives the newest message queued for her.
    pub(crate) const ALICE_NEWEST: u8 = 4;
    /// Bob receives the newest message queued for him.
    pub(crate) const BOB_NEWEST: u8 = 5;
    /// A queued message is received; argument: bit 0 picks Bob (1) or Alice (0), the other bits
    /// the queue position (mod its length).
    pub(crate) const DELIVER: u8 = 6;
    /// A queued message is lost; argument as for [`DELIVER`].
    pub(crate) const DROP: u8 = 7;
    /// A queued message is copied to the back of its queue; argument as for [`DELIVER`].
    pub(crate) const DUPLICATE: u8 = 8;
    /// A tampered copy of a queued message is received (the original stays queued); arguments:
    /// which (as for [`DELIVER`]), then two bytes of position (big-endian, mod length) and an
    /// XOR mask (0 counts as 0x80). It must be refused and change nothing.
    pub(crate) const TAMPER: u8 = 9;
    /// Number of ops.
    pub(crate) const COUNT: u8 = 10;
}

/// Longest script read; the rest of the input is ignored.
const MAX_SCRIPT: usize = 2048;
/// Seed of each interaction's RNG (ratchet keys and the sessions' setup).
const INTERACTION_SEED: u64 = 0x1A7E_4AC7;

/// What an interaction did, so tests can check that a script exercises what it is meant to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Messages sealed.
    pub(crate) sent: usize,
    /// Deliveries that opened.
    pub(crate) opened: usize,
    /// Deliveries of genuine messages refused, as the model predicted: duplicates, evicted or
    /// discarded keys, and skips beyond `max_skip`.
    pub(crate) refused: usize,
    /// Tampered copies refused.
    pub(crate) tampered: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.opened += other.opened;
        self.refused += other.refused;
        self.tampered += other.tampered;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Alice = 0,
    Bob = 1,
}

impl Side {
    fn peer(self) -> Side {
        match self {
            Side::Alice => Side::Bob,
            Side::Bob => Side::Alice,
        }
    }
}

/// A message as sealed, with what the model needs to know of it.
struct Sent {
    plaintext: Vec<u8>,
    ratchet_key: [u8; 32],
    /// Which of its sender's sending chains: 0, 1, 2... in the order the sender made them.
    chain: usize,
    index: u32,
    previous_chain_length: u32,
}

/// A message in flight: the index of its [`Sent`] record, and its bytes.
#[derive(Clone)]
struct Envelope {
    id: usize,
    bytes: Vec<u8>,
}

/// Reference model of one side's receiving state (spec §3.5 with this crate's two documented
/// choices: skipped keys are evicted oldest first beyond `capacity`, and nothing changes unless
/// the message authenticates). It relies on one fact of the Double Ratchet: a genuine message on
/// a chain newer than the current receiving chain is always on the sender's very next chain.
struct Model {
    max_skip: u32,
    capacity: usize,
    /// The current receiving chain: which of the peer's chains, and its ratchet key.
    chain: Option<(usize, [u8; 32])>,
    next: u32,
    skipped: VecDeque<([u8; 32], u32)>,
}

impl Model {
    fn new(config: RatchetConfig) -> Self {
        Self {
            max_skip: config.max_skip,
            capacity: config.max_skipped_keys,
            chain: None,
            next: 0,
            skipped: VecDeque::new(),
        }
    }

    fn keep(&mut self, ratchet_key: [u8; 32], indices: Range<u32>) {
        for index in indices {
            if self.capacity == 0 {
                return;
            }
            if self.skipped.len() == self.capacity {
                self.skipped.pop_front();
            }
            self.skipped.push_back((ratchet_key, index));
        }
    }

    /// Whether the session must open `sent`; if so, the model's state moves as the session's.
    fn opens(&mut self, sent: &Sent) -> bool {
        let on_current = self.chain.is_some_and(|(_, key)| key == sent.ratchet_key);
        if (!on_current || sent.index < self.next)
            && let Some(position) = self
                .skipped
                .iter()
                .position(|&entry| entry == (sent.ratchet_key, sent.index))
        {
            self.skipped.remove(position);
            return true;
        }
        match self.chain {
            Some((_, key)) if key == sent.ratchet_key => {
                if sent.index < self.next || sent.index - self.next > self.max_skip {
                    return false;
                }
                self.keep(key, self.next..sent.index);
            }
            Some((chain, _)) if sent.chain < chain => return false,
            current => {
                if current.is_some()
                    && sent.previous_chain_length > self.next
                    && sent.previous_chain_length - self.next > self.max_skip
                {
                    return false;
                }
                if sent.index > self.max_skip {
                    return false;
                }
                if let Some((_, old)) = current {
                    self.keep(old, self.next..sent.previous_chain_length);
                }
                self.keep(sent.ratchet_key, 0..sent.index);
                self.chain = Some((sent.chain, sent.ratchet_key));
            }
        }
        self.next = sent.index + 1;
        true
    }
}

struct Party {
    side: Side,
    session: Option<Session>,
    /// Bob's account, used for the initial message that gives him his session.
    account: Option<Account>,
    inbox: Vec<Envelope>,
    model: Model,
    /// Ratchet keys of our sending chains, oldest first, and messages sealed on each.
    chains: Vec<([u8; 32], u32)>,
}

impl Party {
    fn open(&mut self, bytes: &[u8]) -> Result<Vec<u8>, SessionError> {
        if let Some(session) = &mut self.session {
            return session.decrypt(bytes);
        }
        let account = self
            .account
            .as_mut()
            .expect("a party without a session has an account");
        let (session, plaintext) = account.accept(bytes)?;
        self.session = Some(session);
        Ok(plaintext)
    }

    /// The session holds exactly the skipped keys the model holds, and Alice sends initial
    /// messages exactly until she has read something.
    fn check(&self) {
        let Some(session) = &self.session else {
            return;
        };
        let held: Vec<([u8; 32], u32)> = session
            .skipped_key_ids()
            .into_iter()
            .map(|(key, index)| (key.to_bytes(), index))
            .collect();
        assert!(
            held.iter().eq(self.model.skipped.iter()),
            "{:?} holds skipped keys {:?}, the model {:?}",
            self.side,
            held.iter().map(|(_, i)| i).collect::<Vec<_>>(),
            self.model
                .skipped
                .iter()
                .map(|(_, i)| i)
                .collect::<Vec<_>>()
        );
        let awaiting = self.side == Side::Alice && self.model.chain.is_none();
        assert_eq!(session.is_awaiting_reply(), awaiting, "{:?}", self.side);
    }

    /// Position in the inbox named by an argument byte, if the inbox is not empty.
    fn pick(&self, argument: u8) -> Option<usize> {
        (!self.inbox.is_empty()).then(|| usize::from(argument >> 1) % self.inbox.len())
    }
}

/// One scripted conversation.
struct Interaction {
    rng: ChaCha20Rng,
    parties: [Party; 2],
    sent: Vec<Sent>,
    stats: Stats,
}

/// Alice's session and Bob's account, just after Alice initiated, for each script limit byte.
static SETUPS: LazyLock<Vec<(Session, Account)>> = LazyLock::new(|| {
    (0..=op::DEFAULT_LIMITS)
        .map(|limits| {
            let mut rng = ChaCha20Rng::seed_from_u64(INTERACTION_SEED);
            let config = limits_config(limits);
            let alice = Account::with_config(&mut rng, config);
            let mut bob = Account::with_config(&mut rng, config);
            bob.generate_one_time_prekeys(&mut rng, 1);
            let bundle = bob.prekey_bundle();
            let session = alice.initiate(&mut rng, &bundle).expect("initiate");
            (session, bob)
        })
        .collect()
});

fn limits_config(limits: u8) -> RatchetConfig {
    if limits & op::DEFAULT_LIMITS != 0 {
        return RatchetConfig::default();
    }
    RatchetConfig {
        max_skip: u32::from(limits & 0x0F),
        max_skipped_keys: usize::from((limits >> 4) & 0x07),
    }
}

impl Interaction {
    fn new(limits: u8) -> Self {
        let limits = limits.min(op::DEFAULT_LIMITS);
        let (session, account) = SETUPS[usize::from(limits)].clone();
        let config = *session.config();
        let party = |side, session, account| Party {
            side,
            session,
            account,
            inbox: Vec::new(),
            model: Model::new(config),
            chains: Vec::new(),
        };
        Self {
            rng: ChaCha20Rng::seed_from_u64(INTERACTION_SEED ^ u64::from(limits)),
            parties: [
                party(Side::Alice, Some(session), None),
                party(Side::Bob, None, Some(account)),
            ],
            sent: Vec::new(),
            stats: Stats::default(),
        }
    }

    fn send(&mut self, from: Side, length: u8) {
        let id = self.sent.len();
        let party = &mut self.parties[from as usize];
        let Some(session) = &mut party.session else {
            return;
        };
        let mut plaintext = format!("{from:?} #{id}:").into_bytes();
        plaintext.resize(plaintext.len() + usize::from(length % 64), b'.');
        let awaiting = session.is_awaiting_reply();
        let bytes = session
            .encrypt(&mut self.rng, &plaintext)
            .expect("a session always seals");
        let wire = WireMessage::try_from(&bytes[..]).expect("a sealed message decodes");
        assert_eq!(
            matches!(wire, WireMessage::PreKey(_)),
            awaiting,
            "initial messages must be sent exactly until a reply is read"
        );
        let header = wire.message().header;
        let ratchet_key = header.ratchet_key.to_bytes();
        if party
            .chains
            .last()
            .is_none_or(|&(key, _)| key != ratchet_key)
        {
            let previous = party.chains.last().map_or(0, |&(_, count)| count);
            assert_eq!(header.previous_chain_length, previous, "PN of a new chain");
            party.chains.push((ratchet_key, 0));
        }
        let chain = party.chains.len() - 1;
        let count = &mut party.chains[chain].1;
        assert_eq!(
            header.index, *count,
            "messages are numbered from 0 on each chain"
        );
        *count += 1;
        self.sent.push(Sent {
            plaintext,
            ratchet_key,
            chain,
            index: header.index,
            previous_chain_length: header.previous_chain_length,
        });
        self.parties[from.peer() as usize]
            .inbox
            .push(Envelope { id, bytes });
        self.stats.sent += 1;
    }

    fn deliver(&mut self, to: Side, position: usize) {
        let envelope = self.parties[to as usize].inbox.remove(position);
        let sent = &self.sent[envelope.id];
        let party = &mut self.parties[to as usize];
        let expected = party.model.opens(sent);
        let result = party.open(&envelope.bytes);
        assert_eq!(
            result.as_deref().ok(),
            expected.then_some(&sent.plaintext[..]),
            "{to:?} receiving message #{} (chain {} index {} PN {}): the model says {}, the \
             session returned {result:?}",
            envelope.id,
            sent.chain,
            sent.index,
            sent.previous_chain_length,
            if expected { "open" } else { "refuse" },
        );
        party.check();
        if expected {
            self.stats.opened += 1;
        } else {
            self.stats.refused += 1;
        }
    }

    fn tamper(&mut self, to: Side, position: usize, at: usize, mask: u8) {
        let party = &mut self.parties[to as usize];
        let mut bytes = party.inbox[position].bytes.clone();
        let at = at % bytes.len();
        bytes[at] ^= if mask == 0 { 0x80 } else { mask };
        let prekeys = party.account.as_ref().map(Account::one_time_prekey_count);
        let result = party.open(&bytes);
        assert!(
            result.is_err(),
            "{to:?} opened a copy of a message with byte {at} changed: {result:?}"
        );
        party.check();
        assert_eq!(
            party.account.as_ref().map(Account::one_time_prekey_count),
            prekeys,
            "a tampered initial message burnt a one-time prekey"
        );
        self.stats.tampered += 1;
    }
}

/// Plays the conversation scripted by `data` (see [`op`]), asserting at every step that each
/// session behaves exactly as the reference model says.
pub(crate) fn interaction(data: &[u8]) -> Stats {
    let data = &data[..data.len().min(MAX_SCRIPT)];
    let Some((&limits, script)) = data.split_first() else {
        return Stats::default();
    };
    let mut run = Interaction::new(limits);
    let mut bytes = script.iter().copied();
    while let Some(code) = bytes.next() {
        let mut arg = || bytes.next().unwrap_or(0);
        let side = |argument: u8| {
            if argument & 1 == 1 {
                Side::Bob
            } else {
                Side::Alice
            }
        };
        match code % op::COUNT {
            op::ALICE_SENDS => run.send(Side::Alice, arg()),
            op::BOB_SENDS => run.send(Side::Bob, arg()),
            op::ALICE_OLDEST | op::BOB_OLDEST | op::ALICE_NEWEST | op::BOB_NEWEST => {
                let code = code % op::COUNT;
                let to = if code == op::ALICE_OLDEST || code == op::ALICE_NEWEST {
                    Side::Alice
                } else {
                    Side::Bob
                };
                let queued = run.parties[to as usize].inbox.len();
                if queued > 0 {
                    let newest = code == op::ALICE_NEWEST || code == op::BOB_NEWEST;
                    run.deliver(to, if newest { queued - 1 } else { 0 });
                }
            }
            op::DELIVER | op::DROP | op::DUPLICATE => {
                let argument = arg();
                let to = side(argument);
                let party = &mut run.parties[to as usize];
                let Some(position) = party.pick(argument) else {
                    continue;
                };
                match code % op::COUNT {
                    op::DELIVER => run.deliver(to, position),
                    op::DROP => {
                        party.inbox.remove(position);
                    }
                    _ => {
                        let copy = party.inbox[position].clone();
                        party.inbox.push(copy);
                    }
                }
            }
            _ => {
                let argument = arg();
                let at = usize::from(arg()) << 8 | usize::from(arg());
                let mask = arg();
                let to = side(argument);
                if let Some(position) = run.parties[to as usize].pick(argument) {
                    run.tamper(to, position, at, mask);
                }
            }
        }
    }
    run.stats
}

// ---------------------------------------------------------------------------------------------
// scenario

/// Loads `data` as a scenario file. A refusal must say something; an accepted scenario must
/// give an estimate, and its own serialisation must load back to it.
pub(crate) fn scenario(data: &[u8]) {
    match Scenario::load_bytes(data) {
        Err(error) => assert!(!error.to_string().is_empty(), "a refusal without a message"),
        Ok(scenario) => {
            let _ = scenario.estimate();
            let text = serde_json::to_string(&scenario).expect("a scenario serialises");
            let again = Scenario::load(&text).expect("a loaded scenario, written out, loads");
            assert_eq!(
                again, scenario,
                "a scenario changed through writing and loading"
            );
        }
    }
}

/// The bundled scenarios, and hostile variants of the default one: each of the parser's
/// refusals, so the fuzzer starts next to every branch.
fn scenario_seeds() -> Vec<Seed> {
    let mut seeds: Vec<Seed> = doormat::scenario::BUNDLED
        .iter()
        .map(|(name, _, text)| Seed {
            target: "scenario",
            name: format!("bundled-{name}.json"),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    let default = doormat::scenario::BUNDLED[0].2.trim_end();
    let replace = |from: &str, to: &str| {
        assert!(default.contains(from), "the default scenario has no {from}");
        default.replacen(from, to, 1).into_bytes()
    };
    let hostile: [(&str, Vec<u8>); 12] = [
        (
            "trailing-garbage",
            format!("{default}}}}}garbage").into_bytes(),
        ),
        ("two-documents", format!("{default}{default}").into_bytes()),
        (
            "plain-extra-field",
            replace(r#""kind": "plain""#, r#""kind": "plain", "x": 1"#),
        ),
        (
            "global-with-epoch-fields",
            replace(
                r#""kind": "global""#,
                r#""kind": "global", "length_hours": 24"#,
            ),
        ),
        (
            "population-as-array",
            replace(r#""population": {"#, r#""population": [30], "p": {"#),
        ),
        ("top-level-array", b"[1, 2, 3, 4, 5, 6, 7, 8, 9]".to_vec()),
        (
            "name-too-long",
            replace(
                r#""name": "default""#,
                &format!(r#""name": "{}""#, "n".repeat(300)),
            ),
        ),
        (
            "threshold-as-string",
            replace(r#""threshold": 3"#, r#""threshold": "x""#),
        ),
        (
            "duplicate-seed",
            replace(r#""seed": "#, r#""seed": 1, "seed": "#),
        ),
        (
            "not-utf8",
            [
                &default.as_bytes()[..20],
                b"\xff\xfe",
                &default.as_bytes()[20..],
            ]
            .concat(),
        ),
        (
            "deeply-nested",
            format!("{}{}", "[".repeat(200), "]".repeat(200)).into_bytes(),
        ),
        (
            "huge-numbers",
            replace(r#""seed": "#, r#""seed": 1e400, "x": "#),
        ),
    ];
    for (name, bytes) in hostile {
        seeds.push(Seed {
            target: "scenario",
            name: format!("hostile-{name}"),
            bytes,
        });
    }
    seeds
}

// ---------------------------------------------------------------------------------------------
// seed corpus

/// A seed input for one target.
pub(crate) struct Seed {
    /// The target, i.e. the corpus folder.
    pub(crate) target: &'static str,
    /// The file name.
    pub(crate) name: String,
    /// The input.
    pub(crate) bytes: Vec<u8>,
}

/// The seed corpus of every target, built from the fixture and hand-written scripts.
/// `cargo test --test all -- --ignored regenerate_fuzz_corpus` writes it to `fuzz/corpus/`.
pub(crate) fn seeds() -> Vec<Seed> {
    let mut seeds = Vec::new();
    let mut add = |target, name: &str, bytes: Vec<u8>| {
        seeds.push(Seed {
            target,
            name: name.to_owned(),
            bytes,
        });
    };
    let messages = &FIXTURE.messages;
    for message in messages {
        add("decode", message.name, message.bytes.clone());
        add("decrypt", message.name, message.bytes.clone());
    }
    let named = |name| {
        let message = messages.iter().find(|m| m.name == name);
        &message.expect("a fixture message of that name").bytes
    };
    let initial = named("a0-initial");
    let normal = named("a3-normal-new-chain");
    let flip = |bytes: &[u8], at: usize| {
        let mut bytes = bytes.to_vec();
        bytes[at] ^= 0x01;
        bytes
    };
    add("decode", "empty", Vec::new());
    add(
        "decode",
        "normal-header-only",
        normal[..HEADER_LEN].to_vec(),
    );
    add(
        "decode",
        "normal-tag-short",
        normal[..HEADER_LEN + TAG_LEN - 1].to_vec(),
    );
    add("decode", "initial-prefix-only", initial[..75].to_vec());
    add("decode", "initial-bad-version", flip(initial, 0));
    add("decode", "initial-as-kind-3", flip(initial, 1));
    add("decode", "initial-bad-flag", {
        let mut bytes = initial.clone();
        bytes[70] = 2;
        bytes
    });
    add("decode", "initial-without-one-time-prekey", {
        let mut bytes = initial.clone();
        bytes[70] = 0;
        bytes.drain(71..75);
        bytes
    });
    add("decode", "normal-non-canonical-ratchet-key", {
        let mut bytes = normal.clone();
        bytes[33] |= 0x80;
        bytes
    });
    add("decode", "initial-non-canonical-base-key", {
        let mut bytes = initial.clone();
        bytes[34] = 0xEE;
        bytes[35..65].fill(0xFF);
        bytes[65] = 0x7F;
        bytes
    });
    add(
        "decrypt",
        "a0-truncated",
        initial[..initial.len() - 1].to_vec(),
    );
    add(
        "decrypt",
        "a0-flipped-tag",
        flip(initial, initial.len() - 1),
    );
    add("decrypt", "a3-flipped-index", flip(normal, 41));
    add("decrypt", "a3-flipped-ciphertext", flip(normal, HEADER_LEN));
    add(
        "decrypt",
        "a3-truncated-header",
        normal[..HEADER_LEN - 1].to_vec(),
    );
    add("decrypt", "a3-with-high-index", {
        let mut bytes = normal.clone();
        bytes[38] = 0xFF;
        bytes
    });

    let scripts = [
        (
            "ping-pong",
            "limits=default A5 b< B7 a< A5 b< B7 a< A5 b< B7 a< A5 b< B7 a<",
        ),
        (
            "out-of-order",
            "limits=default A1 A2 A3 A4 b> b< B0 B9 a> b< a< b<",
        ),
        (
            "too-far-ahead-and-evicted",
            "limits=2/2 A0 A0 A0 A0 A0 A0 b> b@2 b> b< b< b<",
        ),
        (
            "new-chain-finishes-old",
            "limits=default A0 A1 A2 b< B3 a< A4 b> b< b< b<",
        ),
        (
            "drop-duplicate-tamper",
            "limits=default A8 A8 b+0 b!0:80:32 b-0 b< b!0:40:0 b< B2 a+0 a!0:3:0 a< a< b<",
        ),
        (
            "no-skipped-keys-kept",
            "limits=4/0 A0 A0 A0 b> b< B0 B0 a> a<",
        ),
        (
            "long-exchange",
            "limits=6/5 A3 A9 b@1 B1 a@0 b-1 A3 A9 b@1 B1 a@0 b-1 A3 A9 b@1 B1 a@0 b-1 \
             A3 A9 b@1 B1 a@0 b-1 A3 A9 b@1 B1 a@0 b-1 A3 A9 b@1 B1 a@0 b-1 b< a< b< a<",
        ),
    ];
    for (name, text) in scripts {
        add("interaction", name, script(text));
    }
    seeds.extend(scenario_seeds());
    seeds
}

/// Encodes a readable interaction script (for seeds and regression tests). The first token
/// sets the limits: `limits=default`, or `limits=S/K` for `max_skip` S (0..=15) and
/// `max_skipped_keys` K (0..=7). Then, with `a` for Alice's queue and `b` for Bob's:
/// `A<len>` / `B<len>` Alice / Bob sends; `a<` / `a>` Alice receives her oldest / newest;
/// `a@<i>` receives the message at position i; `a-<i>` drops it; `a+<i>` duplicates it;
/// `a!<i>:<at>:<mask>` receives a copy with byte `at` XORed with `mask`.
pub(crate) fn script(text: &str) -> Vec<u8> {
    let number = |digits: &str| -> u8 { digits.parse().expect("a number below 256") };
    let mut tokens = text.split_whitespace();
    let limits = tokens.next().and_then(|t| t.strip_prefix("limits="));
    let mut out = vec![match limits.expect("a script starts with limits=") {
        "default" => op::DEFAULT_LIMITS,
        small => {
            let (skip, keep) = small.split_once('/').expect("limits=S/K");
            number(keep) << 4 | number(skip)
        }
    }];
    for token in tokens {
        let (head, rest) = token.split_at(1);
        let queue = match head {
            "A" | "B" => {
                let code = if head == "A" {
                    op::ALICE_SENDS
                } else {
                    op::BOB_SENDS
                };
                out.extend([code, number(rest)]);
                continue;
            }
            "a" => 0,
            "b" => 1,
            _ => unreachable!("unknown script token {token}"),
        };
        let (action, rest) = rest.split_at(1);
        let position = |digits| number(digits) << 1 | queue;
        match action {
            "<" => out.push([op::ALICE_OLDEST, op::BOB_OLDEST][usize::from(queue)]),
            ">" => out.push([op::ALICE_NEWEST, op::BOB_NEWEST][usize::from(queue)]),
            "@" => out.extend([op::DELIVER, position(rest)]),
            "-" => out.extend([op::DROP, position(rest)]),
            "+" => out.extend([op::DUPLICATE, position(rest)]),
            "!" => {
                let mut fields = rest.split(':');
                let mut field = || fields.next().expect("a!<i>:<at>:<mask>");
                let (which, at, mask) = (position(field()), number(field()), number(field()));
                out.extend([op::TAMPER, which, 0, at, mask]);
            }
            _ => unreachable!("unknown script token {token}"),
        }
    }
    out
}
