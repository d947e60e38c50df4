use doormat::protocol::Account;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[test]
fn alice_and_bob_talk() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let alice = Account::new(&mut rng);
    let mut bob = Account::new(&mut rng);
    bob.generate_one_time_prekeys(&mut rng, 2);
    let bundle = bob.prekey_bundle();
    let mut a = alice.initiate(&mut rng, &bundle).unwrap();
    let m1 = a.encrypt(&mut rng, b"hi bob").unwrap();
    let m2 = a.encrypt(&mut rng, b"again").unwrap();
    let (mut b, p1) = bob.accept(&m1).unwrap();
    assert_eq!(p1, b"hi bob");
    assert_eq!(b.decrypt(&m2).unwrap(), b"again");
    assert!(b.decrypt(&m2).is_err());
    let r1 = b.encrypt(&mut rng, b"hi alice").unwrap();
    assert_eq!(a.decrypt(&r1).unwrap(), b"hi alice");
    assert!(!a.is_awaiting_reply());
    for i in 0..10u32 {
        let m = a.encrypt(&mut rng, &i.to_be_bytes()).unwrap();
        let r = b.encrypt(&mut rng, &i.to_le_bytes()).unwrap();
        assert_eq!(b.decrypt(&m).unwrap(), i.to_be_bytes());
        assert_eq!(a.decrypt(&r).unwrap(), i.to_le_bytes());
    }
    assert_eq!(bob.one_time_prekey_count(), 1);
}
