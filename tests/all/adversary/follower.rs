//! A stolen device copy, followed message by message: it reads until the next full DH round
//! trip, and not one message more (Double Ratchet spec §4, post-compromise security).

use doormat::{adversary::Follower, design::envelope, protocol::RatchetConfig};

use crate::protocol::support::{established, rng};

#[test]
fn a_copy_reads_until_the_next_round_trip() {
    let mut rng = rng(41);
    let mut pair = established(&mut rng, RatchetConfig::default());
    let stolen = pair.alice.clone();
    let wrap = |wire: Vec<u8>| envelope::seal(&[], &wire).unwrap();
    // Alice goes on on her chain; Bob answers with a new ratchet key.
    let a3 = wrap(pair.alice.encrypt(&mut rng, b"a3").unwrap());
    let a4 = wrap(pair.alice.encrypt(&mut rng, b"a4").unwrap());
    let b1 = wrap(pair.bob.encrypt(&mut rng, b"b1").unwrap());
    pair.alice.decrypt(envelope::open(&b1).unwrap().1).unwrap();
    // Alice's reply takes a DH step with a key pair the copy never saw.
    let a5 = wrap(pair.alice.encrypt(&mut rng, b"a5").unwrap());
    let b2 = wrap(pair.bob.encrypt(&mut rng, b"b2").unwrap());
    pair.bob.decrypt(envelope::open(&a3).unwrap().1).unwrap();
    pair.bob.decrypt(envelope::open(&a4).unwrap().1).unwrap();
    pair.bob.decrypt(envelope::open(&a5).unwrap().1).unwrap();
    let b3 = wrap(pair.bob.encrypt(&mut rng, b"b3").unwrap());
    let a6 = wrap(pair.alice.encrypt(&mut rng, b"a6").unwrap());

    let mut follower = Follower::new(Some(stolen), None);
    let read: Vec<Option<Vec<u8>>> = [
        (&a3, true),
        (&a4, true),
        (&b1, false),
        (&a5, true),
        (&b2, false),
        (&b3, false),
        (&a6, true),
    ]
    .iter()
    .enumerate()
    .map(|(i, (bytes, own))| follower.read(bytes, i, *own))
    .collect();
    assert_eq!(read[0].as_deref(), Some(&b"a3"[..]));
    assert_eq!(read[1].as_deref(), Some(&b"a4"[..]));
    assert_eq!(read[2].as_deref(), Some(&b"b1"[..]));
    assert_eq!(read[3], None, "Alice's new chain is out of reach");
    assert_eq!(
        read[4].as_deref(),
        Some(&b"b2"[..]),
        "Bob's chain is still the one the copy derived"
    );
    assert_eq!(read[5], None, "healed: Bob answered Alice's new key");
    assert_eq!(read[6], None);
}

#[test]
fn no_session_reads_nothing() {
    let mut rng = rng(42);
    let mut pair = established(&mut rng, RatchetConfig::default());
    let wire = envelope::seal(&[], &pair.alice.encrypt(&mut rng, b"x").unwrap()).unwrap();
    assert_eq!(Follower::new(None, None).read(&wire, 0, true), None);
    assert_eq!(Follower::new(None, None).read(&wire, 0, false), None);
}
