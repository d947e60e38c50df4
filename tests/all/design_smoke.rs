use doormat::design::{
    Design, DesignSpec, Endpoint,
    escrow::{AuthorityKeys, EscrowPolicy, EscrowSpec, Granularity, Opener, Scope, Verification},
};
use doormat::protocol::Account;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn run(scope: Scope, granularity: Granularity) -> (usize, usize) {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let spec = EscrowSpec {
        scope,
        granularity,
        verification: Verification::Full,
    };
    let (keys, dir) = AuthorityKeys::generate(&spec, 10 * 86_400, &mut rng).unwrap();
    let design = Design::with_escrow(
        DesignSpec::Escrow(spec.clone()),
        EscrowPolicy::new(granularity, Verification::Full, dir, [7; 32]),
    );
    let alice = Account::new(&mut rng);
    let mut bob = Account::new(&mut rng);
    let bundle = bob.prekey_bundle();
    let mut a = alice.initiate(&mut rng, &bundle).unwrap();
    let (mut ea, mut eb) = (Endpoint::default(), Endpoint::default());
    let mut wire = Vec::new();
    let m = design.send(&mut ea, &mut a, &mut rng, b"m0", 0).unwrap();
    let (mut b, p) = design.accept(&mut eb, &mut bob, &m, 0).unwrap();
    assert_eq!(p, b"m0");
    wire.push((m, b"m0".to_vec(), *a.associated_data()));
    for i in 1..20u64 {
        let now = i * 3600;
        let pt = format!("m{i}").into_bytes();
        let (m, ok) = if i % 3 == 0 {
            let m = design.send(&mut eb, &mut b, &mut rng, &pt, now).unwrap();
            (m.clone(), design.receive(&mut ea, &mut a, &m, now).unwrap())
        } else {
            let m = design.send(&mut ea, &mut a, &mut rng, &pt, now).unwrap();
            (m.clone(), design.receive(&mut eb, &mut b, &m, now).unwrap())
        };
        assert_eq!(ok, pt);
        wire.push((m, pt, *a.associated_data()));
    }
    let mut opener = Opener::new(keys.held_at(0), Verification::Full);
    let opened = wire
        .iter()
        .filter(|(m, pt, ad)| opener.open(m, ad).ok().as_ref() == Some(pt))
        .count();
    (opened, wire.len())
}

#[test]
fn escrow_smoke() {
    assert_eq!(run(Scope::Global, Granularity::Message), (20, 20));
    assert_eq!(run(Scope::Global, Granularity::Chain), (20, 20));
    let (opened, _) = run(Scope::Global, Granularity::Session);
    assert_eq!(opened, 3, "initiator's first chain only");
    assert_eq!(
        run(
            Scope::Split {
                threshold: 3,
                trustees: vec!["a".into(), "b".into(), "c".into(), "d".into(), "e".into()]
            },
            Granularity::Message
        ),
        (20, 20)
    );
    let (opened, _) = run(
        Scope::Epoch {
            length_hours: 6,
            retention_hours: 0,
        },
        Granularity::Message,
    );
    assert_eq!(opened, 6, "epoch 0 only");
}
