//! Post-compromise security ("healing"): after a device state is stolen, one DH ratchet round
//! trip with fresh randomness locks the thief out again.
//!
//! **The attacker model.** At time `t` the attacker obtains `stolen = alice.clone()`: all of
//! Alice's session secrets (root key, ratchet key pair, chain keys, skipped keys). From then
//! on it sees every wire message but is *passive*: it injects, modifies and drops nothing, and
//! it never encrypts, so it never takes a DH ratchet step of its own. It does not know the
//! output of Alice's RNG after `t` (Alice and Bob draw from their own RNGs; the attacker has
//! none). It follows the conversation by feeding every Bob → Alice message, in the order Alice
//! receives it, to its copy (`stolen.decrypt`); a refused message leaves the copy unchanged,
//! so failures cannot desynchronise it any more than it already is.
//!
//! **What it can read.** Bob's messages encrypted before Bob has received any message carrying
//! a ratchet key Alice generated after `t`: those are on Bob's chain at `t`, or on Bob's next
//! chain, whose DH is with Alice's ratchet key at `t`, whose secret the attacker holds.
//!
//! **What it cannot read.** Every Bob message encrypted after Bob received Alice's first
//! post-`t` ratchet key: Bob's new chain mixes DH(Bob's new key, Alice's new key) into the
//! root key, and the attacker knows neither secret.
//!
//! Alice's own messages cannot be read with a copy of Alice's state through the public API at
//! all (a session does not decrypt what it sent); the test still feeds them to the copy and
//! expects refusals, as a sanity check on the model rather than a healing property.

use doormat::protocol::{RatchetConfig, Session};
use rand::RngExt;
use rand_chacha::ChaCha20Rng;

use super::support::{established, rng, text};

/// The conversation as the attacker sees it: every wire message, with the checks it implies.
struct Eavesdropper {
    /// The copy that follows the conversation.
    stolen: Session,
    /// A copy of the state at `t` that is fed nothing: it must not read post-healing messages
    /// either.
    at_t: Session,
    /// Alice's ratchet key at `t`: the only one whose secret the attacker has.
    known_ratchet_key: x25519_dalek::PublicKey,
    /// Whether Bob has received a ratchet key of Alice's generated after `t`.
    bob_healed: bool,
    read: usize,
    refused: usize,
}

impl Eavesdropper {
    fn steal(alice: &Session) -> Self {
        Self {
            stolen: alice.clone(),
            at_t: alice.clone(),
            known_ratchet_key: *alice.ratchet_key(),
            bob_healed: false,
            read: 0,
            refused: 0,
        }
    }
}

/// Two parties with their own RNGs, and the attacker watching.
struct World {
    alice: Session,
    bob: Session,
    alice_rng: ChaCha20Rng,
    bob_rng: ChaCha20Rng,
    /// Bob → Alice in flight: (wire, plaintext, readable by the attacker).
    to_alice: Vec<(Vec<u8>, Vec<u8>, bool)>,
    /// Alice → Bob in flight: (wire, plaintext).
    to_bob: Vec<(Vec<u8>, Vec<u8>)>,
    counter: usize,
    eve: Option<Eavesdropper>,
}

impl World {
    fn bob_sends(&mut self) {
        let plaintext = text(self.counter);
        self.counter += 1;
        let wire = self.bob.encrypt(&mut self.bob_rng, &plaintext).unwrap();
        let readable = self.eve.as_ref().is_none_or(|eve| !eve.bob_healed);
        self.to_alice.push((wire, plaintext, readable));
    }

    fn alice_sends(&mut self) {
        let plaintext = text(self.counter);
        self.counter += 1;
        let wire = self.alice.encrypt(&mut self.alice_rng, &plaintext).unwrap();
        self.to_bob.push((wire, plaintext));
    }

    /// Delivers Bob's `index`-th pending message to Alice; the attacker tries it too.
    fn deliver_to_alice(&mut self, index: usize) {
        let (wire, plaintext, readable) = self.to_alice.remove(index);
        assert_eq!(self.alice.decrypt(&wire).unwrap(), plaintext);
        if let Some(eve) = &mut self.eve {
            match eve.stolen.decrypt(&wire) {
                Ok(stolen_plaintext) => {
                    assert!(readable, "the attacker read a message sent after healing");
                    assert_eq!(stolen_plaintext, plaintext);
                    eve.read += 1;
                }
                Err(_) => {
                    assert!(
                        !readable,
                        "the attacker failed on a message sent before healing"
                    );
                    eve.refused += 1;
                }
            }
            if !readable {
                assert!(eve.at_t.clone().decrypt(&wire).is_err());
            }
        }
    }

    /// Delivers Alice's `index`-th pending message to Bob; the attacker's copy refuses it.
    fn deliver_to_bob(&mut self, index: usize) {
        let (wire, plaintext) = self.to_bob.remove(index);
        assert_eq!(self.bob.decrypt(&wire).unwrap(), plaintext);
        if let Some(eve) = &mut self.eve {
            assert!(eve.stolen.clone().decrypt(&wire).is_err());
            let header = doormat::protocol::message::WireMessage::try_from(&wire[..])
                .unwrap()
                .message()
                .header;
            if header.ratchet_key != eve.known_ratchet_key {
                eve.bob_healed = true;
            }
        }
    }

    fn deliver_all(&mut self) {
        while !self.to_alice.is_empty() {
            self.deliver_to_alice(0);
        }
        while !self.to_bob.is_empty() {
            self.deliver_to_bob(0);
        }
    }
}

fn world(seed: u64) -> World {
    let mut setup = rng(seed);
    let pair = established(&mut setup, RatchetConfig::default());
    World {
        alice: pair.alice,
        bob: pair.bob,
        alice_rng: rng(seed + 1),
        bob_rng: rng(seed + 2),
        to_alice: Vec::new(),
        to_bob: Vec::new(),
        counter: 0,
        eve: None,
    }
}

/// The scripted compromise. Before `t`: a few round trips. At `t`, Alice has just sent on a
/// fresh chain (not yet delivered) and Bob has messages in flight on his current chain.
/// Then, in order:
/// 1. Bob's in-flight messages reach Alice: readable (Bob's chain at `t`).
/// 2. Bob reads Alice's message (ratchet key known to the attacker) and replies on a new
///    chain: still readable, the DH is with Alice's key at `t`.
/// 3. Alice reads it and answers with a *new* ratchet key from her own RNG; Bob reads it and
///    replies on a new chain: the attacker fails from here on.
/// 4. 50 more messages each way, random senders and delivery: the attacker reads none.
#[test]
fn one_round_trip_heals_a_stolen_state() {
    let mut w = world(61);
    for _ in 0..3 {
        w.alice_sends();
        w.deliver_all();
        w.bob_sends();
        w.bob_sends();
        w.deliver_all();
    }
    w.bob_sends();
    w.bob_sends();
    w.alice_sends(); // a new chain: Alice had received Bob's last messages

    // t: the state is stolen.
    w.eve = Some(Eavesdropper::steal(&w.alice));

    // 1. Bob's chain at t.
    w.deliver_to_alice(1);
    w.deliver_to_alice(0);
    // 2. Bob answers Alice's key at t.
    w.deliver_to_bob(0);
    w.bob_sends();
    w.bob_sends();
    w.deliver_all();
    let eve = w.eve.as_ref().unwrap();
    assert_eq!((eve.read, eve.refused), (4, 0));
    assert!(!eve.bob_healed);
    // 3. Alice's fresh key; Bob answers it.
    w.alice_sends();
    w.bob_sends(); // crosses Alice's message: still on Bob's chain answering the key at t
    w.deliver_to_bob(0);
    assert!(w.eve.as_ref().unwrap().bob_healed);
    w.bob_sends();
    w.bob_sends();
    w.deliver_to_alice(2); // the healed chain first
    w.deliver_to_alice(0); // then the crossing message, from Alice's skipped keys
    w.deliver_all();
    let eve = w.eve.as_ref().unwrap();
    assert_eq!((eve.read, eve.refused), (5, 2));

    // 4. Fifty more each way; the attacker reads nothing.
    let mut dice = rng(62);
    let (mut from_alice, mut from_bob) = (0, 0);
    while from_alice < 50 || from_bob < 50 || !w.to_alice.is_empty() || !w.to_bob.is_empty() {
        match dice.random_range(0..4) {
            0 if from_alice < 50 => {
                w.alice_sends();
                from_alice += 1;
            }
            1 if from_bob < 50 => {
                w.bob_sends();
                from_bob += 1;
            }
            2 if !w.to_alice.is_empty() => w.deliver_to_alice(0),
            3 if !w.to_bob.is_empty() => w.deliver_to_bob(0),
            _ => {}
        }
    }
    let eve = w.eve.as_ref().unwrap();
    assert_eq!((eve.read, eve.refused), (5, 52));
}

/// A state stolen while Alice is between receiving Bob's new key and her next send (her
/// sending chain is gone, her next ratchet key not yet generated): the very next round trip
/// heals it.
#[test]
fn a_state_stolen_between_receiving_and_sending_heals_on_the_next_step() {
    let mut w = world(63);
    w.bob_sends();
    w.deliver_all(); // Alice received Bob's new key: her next send takes a DH step
    w.eve = Some(Eavesdropper::steal(&w.alice));
    w.bob_sends(); // same chain as before: readable
    w.deliver_all();
    w.alice_sends(); // new key from Alice's RNG
    w.deliver_all();
    assert!(w.eve.as_ref().unwrap().bob_healed);
    for _ in 0..10 {
        w.bob_sends();
        w.deliver_all();
        w.alice_sends();
        w.deliver_all();
    }
    let eve = w.eve.as_ref().unwrap();
    assert_eq!((eve.read, eve.refused), (1, 10));
}
