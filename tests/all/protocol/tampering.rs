//! Tampered, replayed, truncated and extended messages are all refused, and refusing them
//! changes nothing: the genuine message still opens afterwards.

use doormat::protocol::{Account, RatchetConfig, Session, SessionError};

use super::support::{assert_same_state, established, rng, text};

/// Length of an initial message's prefix before the embedded message, with and without a
/// one-time prekey id (crate docs, `message` module).
const PREFIX_WITH_OPK: usize = 75;
const PREFIX_WITHOUT_OPK: usize = 71;
/// The top bit of the last byte of the base key EK_A (bytes 34..66 of an initial message).
const BASE_KEY_HIGH_BIT: usize = 65 * 8 + 7;

fn flip(wire: &[u8], bit: usize) -> Vec<u8> {
    let mut flipped = wire.to_vec();
    flipped[bit / 8] ^= 1 << (bit % 8);
    flipped
}

/// Names the field a byte of a message belongs to, for failure messages (`prefix` is 0 for a
/// normal message).
fn field(wire_len: usize, prefix: usize, byte: usize) -> &'static str {
    match byte {
        _ if byte < prefix => match byte {
            0 => "prekey version",
            1 => "prekey kind",
            2..34 => "identity key IK_A",
            34..66 => "base key EK_A",
            66..70 => "signed prekey id",
            70 => "one-time prekey flag",
            _ => "one-time prekey id",
        },
        _ if byte >= wire_len - 16 => "tag",
        _ => match byte - prefix {
            0 => "version",
            1 => "kind",
            2..34 => "ratchet key",
            34..38 => "PN",
            38..42 => "N",
            _ => "ciphertext",
        },
    }
}

/// Every single-bit flip of `wire` (but those for which `skip` holds) is refused by a fresh
/// clone of `receiver`, and also by `receiver` itself fed all the flips in turn; afterwards
/// `receiver` is unchanged and still opens `wire`.
fn every_flip_refused_by_session(
    receiver: &mut Session,
    wire: &[u8],
    plaintext: &[u8],
    prefix: usize,
    skip: impl Fn(usize) -> bool,
) {
    let before = receiver.clone();
    for bit in (0..wire.len() * 8).filter(|&bit| !skip(bit)) {
        let flipped = flip(wire, bit);
        let result = receiver.clone().decrypt(&flipped);
        assert!(
            result.is_err(),
            "bit {bit} ({}) flipped and accepted",
            field(wire.len(), prefix, bit / 8)
        );
        assert!(receiver.decrypt(&flipped).is_err(), "bit {bit}");
    }
    assert_same_state(&before, receiver);
    assert_eq!(receiver.decrypt(wire).unwrap(), plaintext);
}

/// Normal messages in the three ways a receiver can derive their key: the first message of a
/// new chain (DH ratchet step), a message further along the current chain (keys skipped), a
/// message whose key comes from the skipped-key cache, and the next one in order.
#[test]
fn every_bit_flip_of_a_normal_message_is_refused() {
    let mut rng = rng(41);
    let mut pair = established(&mut rng, RatchetConfig::default());
    let replies: Vec<Vec<u8>> = (0..4)
        .map(|i| pair.bob.encrypt(&mut rng, &text(i)).unwrap())
        .collect();
    for i in [0, 2, 1, 3] {
        every_flip_refused_by_session(&mut pair.alice, &replies[i], &text(i), 0, |_| false);
    }
    assert_eq!(pair.alice.skipped_key_count(), 0);
}

/// An initial message from `alice_account` to `bob_account`, with or without a one-time prekey;
/// returns Alice's session, the first and second messages and the one-time prekey id.
fn initial_messages(
    seed: u64,
    with_one_time_prekey: bool,
) -> (Account, Session, Vec<u8>, Vec<u8>, Option<u32>) {
    let mut rng = rng(seed);
    let alice_account = Account::new(&mut rng);
    let mut bob_account = Account::new(&mut rng);
    if with_one_time_prekey {
        bob_account.generate_one_time_prekeys(&mut rng, 3);
    }
    let bundle = bob_account.prekey_bundle();
    let mut alice = alice_account.initiate(&mut rng, &bundle).unwrap();
    let first = alice.encrypt(&mut rng, b"first message").unwrap();
    let second = alice.encrypt(&mut rng, b"second message").unwrap();
    let opk = bundle.one_time_prekey.map(|(id, _)| id);
    (bob_account, alice, first, second, opk)
}

/// Every single-bit flip of an initial message, each given to a fresh clone of Bob's account,
/// is refused; so is every flip given in turn to Bob's account itself, which must not lose its
/// one-time prekey to any of them; the genuine message is accepted afterwards. Bits in `skip`
/// are left out.
fn every_flip_of_an_initial_message_refused(skip: &[usize]) {
    for (seed, with_opk) in [(42, true), (43, false)] {
        let (mut bob_account, _, first, _, _) = initial_messages(seed, with_opk);
        let prefix = if with_opk {
            PREFIX_WITH_OPK
        } else {
            PREFIX_WITHOUT_OPK
        };
        let prekeys = bob_account.one_time_prekey_count();
        for bit in (0..first.len() * 8).filter(|bit| !skip.contains(bit)) {
            let flipped = flip(&first, bit);
            assert!(
                bob_account.clone().accept(&flipped).is_err(),
                "bit {bit} ({}) flipped and accepted, one-time prekey: {with_opk}",
                field(first.len(), prefix, bit / 8)
            );
            assert!(bob_account.accept(&flipped).is_err(), "bit {bit}");
        }
        assert_eq!(bob_account.one_time_prekey_count(), prekeys);
        let (_, plaintext) = bob_account.accept(&first).unwrap();
        assert_eq!(plaintext, b"first message");
    }
}

/// Every single-bit flip of an initial message is refused.
///
/// BUG: flipping the top bit of the base key EK_A (bit 7 of byte 65) yields a message that
/// `Account::accept` accepts, with the genuine plaintext. X25519 ignores bit 255 of a
/// u-coordinate (RFC 7748 §5), so every DH with the altered EK_A gives the same output, SK is
/// unchanged, and EK_A is in neither the associated data (IK_A ‖ IK_B) nor the header. The
/// `message` module's claim that "any change to IK_A or EK_A yields another SK" does not hold
/// for this bit. Consequences: two distinct wire messages open the same session (whichever
/// arrives first burns the one-time prekey; without one, both are accepted), and the session
/// Bob creates from the altered message reports a `base_key()` whose bytes differ from
/// Alice's, which `PublicKey`'s `==` hides because curve25519-dalek compares u-coordinates
/// mod p; anything keyed on the raw bytes (a session table, a log, de-duplication by hash)
/// disagrees between the two sides. Fix: refuse non-canonical keys (bit 255 set, or u ≥ p)
/// when decoding the prekey fields, or bind the exact prefix bytes into the associated data.
#[test]
fn every_bit_flip_of_an_initial_message_is_refused() {
    every_flip_of_an_initial_message_refused(&[]);
}

/// The same, leaving out the one bit of the known bug above, so every other bit stays covered.
#[test]
fn every_bit_flip_of_an_initial_message_but_the_base_key_top_bit_is_refused() {
    every_flip_of_an_initial_message_refused(&[BASE_KEY_HIGH_BIT]);
}

/// The bug above, focused: an initial message with EK_A's top bit flipped must be refused. As
/// it is accepted, this also shows the two sides then name the session by different bytes.
#[test]
fn initial_message_with_malleated_base_key_is_refused() {
    let (bob_account, alice, first, _, _) = initial_messages(44, true);
    let malleated = flip(&first, BASE_KEY_HIGH_BIT);
    if let Ok((bob, _)) = bob_account.clone().accept(&malleated) {
        assert_eq!(bob.base_key(), alice.base_key(), "equal mod p");
        assert_eq!(
            bob.base_key().as_bytes(),
            alice.base_key().as_bytes(),
            "accepted, and the two sides' session names differ"
        );
    }
    assert!(bob_account.clone().accept(&malleated).is_err());
}

/// Initial messages arriving in an established responder session (the initiator repeats its
/// X3DH fields until it hears back): every flip is refused.
///
/// BUG: `Session::decrypt` checks only the base key of an initial message against the
/// session, and compares it with `PublicKey`'s `==`, which curve25519-dalek defines modulo p
/// (the top bit is ignored). The embedded message opens under the session's own associated
/// data, so flips in IK_A (bytes 2..34), the signed prekey id (66..70), the one-time prekey id
/// (71..75) and the top bit of EK_A (byte 65, bit 7) are all accepted: 41 bytes of the message
/// are unauthenticated, and `WireMessage::try_from` hands the forged values to any caller that
/// reads them (for instance to show who a message is from). Fix: keep the initial message's
/// prefix (or its fields) in the responder's session and compare it byte for byte, or bind
/// the prefix into the associated data.
#[test]
fn every_bit_flip_of_an_initial_message_in_session_is_refused() {
    let (mut bob_account, _, first, second, _) = initial_messages(45, true);
    let (mut bob, _) = bob_account.accept(&first).unwrap();
    every_flip_refused_by_session(
        &mut bob,
        &second,
        b"second message",
        PREFIX_WITH_OPK,
        |_| false,
    );
}

/// The same, leaving out the prefix fields of the known bug above: the version, kind, flag
/// and base key (but its top bit), and the whole embedded message, stay covered.
#[test]
fn every_bit_flip_of_an_initial_message_in_session_but_unchecked_fields_is_refused() {
    let (mut bob_account, _, first, second, _) = initial_messages(45, true);
    let (mut bob, _) = bob_account.accept(&first).unwrap();
    let unchecked =
        |bit: usize| matches!(bit / 8, 2..=33 | 66..=69 | 71..=74) || bit == BASE_KEY_HIGH_BIT;
    every_flip_refused_by_session(
        &mut bob,
        &second,
        b"second message",
        PREFIX_WITH_OPK,
        unchecked,
    );
}

/// Replays: of a normal message (in order and from the skipped-key cache), of an initial
/// message into the session it opened, of an initial message to the account once its one-time
/// prekey is used, and of old messages after both sides took DH steps. Each is refused and
/// leaves the session unchanged.
#[test]
fn replays_are_refused() {
    let mut rng = rng(1046);
    let (mut bob_account, mut alice, first, second, opk) = initial_messages(46, true);
    let opk = opk.unwrap();
    let (mut bob, _) = bob_account.accept(&first).unwrap();
    assert_eq!(bob.decrypt(&second).unwrap(), b"second message");

    let refused = |session: &mut Session, wire: &[u8]| {
        let before = session.clone();
        let result = session.decrypt(wire);
        assert!(result.is_err(), "replay accepted");
        assert_same_state(&before, session);
        result
    };

    // The account: the one-time prekey is gone, whichever initial message is replayed.
    assert_eq!(
        bob_account.clone().accept(&first).map(|_| ()),
        Err(SessionError::UnknownOneTimePreKey(opk))
    );
    assert_eq!(
        bob_account.clone().accept(&second).map(|_| ()),
        Err(SessionError::UnknownOneTimePreKey(opk))
    );
    // The session: initial messages it already read.
    assert_eq!(
        refused(&mut bob, &first),
        Err(SessionError::DuplicateOrExpired { index: 0 })
    );
    assert_eq!(
        refused(&mut bob, &second),
        Err(SessionError::DuplicateOrExpired { index: 1 })
    );

    // Normal messages, in order and out of order.
    let replies: Vec<Vec<u8>> = (0..3)
        .map(|i| bob.encrypt(&mut rng, &text(i)).unwrap())
        .collect();
    for i in [0, 2, 1] {
        assert_eq!(alice.decrypt(&replies[i]).unwrap(), text(i));
        assert!(refused(&mut alice, &replies[i]).is_err());
    }
    assert_eq!(alice.skipped_key_count(), 0);

    // After a DH step each way, the old chains' messages are still refused.
    let answer = alice.encrypt(&mut rng, b"answer").unwrap();
    assert_eq!(bob.decrypt(&answer).unwrap(), b"answer");
    let reply = bob.encrypt(&mut rng, b"new chain").unwrap();
    assert_eq!(alice.decrypt(&reply).unwrap(), b"new chain");
    for wire in &replies {
        assert!(refused(&mut alice, wire).is_err());
    }
    for wire in [&first, &second, &answer] {
        assert!(refused(&mut bob, wire).is_err());
    }
    assert!(refused(&mut alice, &reply).is_err());

    // And the conversation goes on.
    let more = alice.encrypt(&mut rng, b"more").unwrap();
    assert_eq!(bob.decrypt(&more).unwrap(), b"more");
}

/// An initial message of *another* session from the same initiator (another base key) is
/// refused by an established session; a normal message of another session fails to
/// authenticate.
#[test]
fn messages_of_another_session_are_refused() {
    let mut rng = rng(47);
    let alice_account = Account::new(&mut rng);
    let mut bob_account = Account::new(&mut rng);
    bob_account.generate_one_time_prekeys(&mut rng, 2);
    let mut alice_one = alice_account
        .initiate(&mut rng, &bob_account.prekey_bundle())
        .unwrap();
    let mut alice_two = alice_account
        .initiate(&mut rng, &bob_account.prekey_bundle())
        .unwrap();
    let one = alice_one.encrypt(&mut rng, b"one").unwrap();
    let two = alice_two.encrypt(&mut rng, b"two").unwrap();
    let (mut bob_one, _) = bob_account.accept(&one).unwrap();
    let (mut bob_two, _) = bob_account.accept(&two).unwrap();
    let before = bob_one.clone();
    assert_eq!(bob_one.decrypt(&two), Err(SessionError::WrongSession));
    assert_same_state(&before, &bob_one);

    let reply_one = bob_one.encrypt(&mut rng, b"reply one").unwrap();
    let reply_two = bob_two.encrypt(&mut rng, b"reply two").unwrap();
    assert_eq!(
        alice_one.decrypt(&reply_two),
        Err(SessionError::Authentication)
    );
    assert_eq!(alice_one.decrypt(&reply_one).unwrap(), b"reply one");
    let normal_one = alice_one.encrypt(&mut rng, b"normal").unwrap();
    assert!(bob_two.decrypt(&normal_one).is_err());
    assert_eq!(bob_one.decrypt(&normal_one).unwrap(), b"normal");
}

/// Every truncation, and extensions by one byte (and by a whole copy), of a normal message and
/// of an initial message are refused; the genuine messages still open afterwards.
#[test]
fn truncated_and_extended_messages_are_refused() {
    let mut rng = rng(48);
    let mut pair = established(&mut rng, RatchetConfig::default());
    let wire = pair.bob.encrypt(&mut rng, b"a normal message").unwrap();
    let before = pair.alice.clone();
    for len in 0..wire.len() {
        assert!(pair.alice.decrypt(&wire[..len]).is_err(), "length {len}");
    }
    for extension in [&[0u8][..], &[0xff], &wire[..]] {
        let extended = [&wire[..], extension].concat();
        assert!(pair.alice.decrypt(&extended).is_err());
    }
    assert_same_state(&before, &pair.alice);
    assert_eq!(pair.alice.decrypt(&wire).unwrap(), b"a normal message");

    let (mut bob_account, _, first, second, _) = initial_messages(49, true);
    let prekeys = bob_account.one_time_prekey_count();
    for len in 0..first.len() {
        assert!(bob_account.accept(&first[..len]).is_err(), "length {len}");
    }
    for extension in [&[0u8][..], &[0xff], &first[..]] {
        let extended = [&first[..], extension].concat();
        assert!(bob_account.accept(&extended).is_err());
    }
    assert_eq!(bob_account.one_time_prekey_count(), prekeys);
    let (mut bob, plaintext) = bob_account.accept(&first).unwrap();
    assert_eq!(plaintext, b"first message");
    for len in 0..second.len() {
        assert!(bob.decrypt(&second[..len]).is_err(), "length {len}");
    }
    assert!(bob.decrypt(&[&second[..], &[0]].concat()).is_err());
    assert_eq!(bob.decrypt(&second).unwrap(), b"second message");
}
