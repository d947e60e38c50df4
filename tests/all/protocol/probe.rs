use super::support::*;
use doormat::protocol::RatchetConfig;

#[test]
fn probe_ek_high_bit() {
    let mut r = rng(5);
    let alice_account = doormat::protocol::Account::new(&mut r);
    let mut bob = doormat::protocol::Account::new(&mut r);
    bob.generate_one_time_prekeys(&mut r, 1);
    let bundle = bob.prekey_bundle();
    let mut a = alice_account.initiate(&mut r, &bundle).unwrap();
    let m = a.encrypt(&mut r, b"x").unwrap();
    let mut ok = vec![];
    for bit in 0..m.len() * 8 {
        let mut f = m.clone();
        f[bit / 8] ^= 1 << (bit % 8);
        if bob.clone().accept(&f).is_ok() { ok.push(bit); }
    }
    println!("accepted flips: {ok:?}");
    let _ = established(&mut r, RatchetConfig::default());
}
