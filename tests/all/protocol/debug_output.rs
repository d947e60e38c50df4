//! `Debug` output of accounts, sessions and bundles shows no secrets: every long hex run in it
//! is a public key the test knows, there is no dump of raw bytes, and none of the secret keys
//! the traced API reveals (message, chain and root keys) appears in it.

use std::collections::HashSet;

use doormat::protocol::{Account, KeyTrace, RatchetConfig, Session, message::WireMessage};
use x25519_dalek::PublicKey;

use super::support::{rng, text};

/// Maximal runs of hex digits (either case) of at least `min` characters.
fn hex_runs(text: &str, min: usize) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|run| run.len() >= min)
        .collect()
}

/// The length of the longest run of comma-separated small integers, as a derived `Debug` of a
/// byte array prints (`[12, 200, 7, ...]`).
fn longest_byte_list(text: &str) -> usize {
    let mut longest = 0;
    for piece in text.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == ' ')) {
        let mut run = 0;
        for item in piece.split(',') {
            let item = item.trim();
            if !item.is_empty() && item.len() <= 3 && item.parse::<u16>().is_ok_and(|n| n < 256) {
                run += 1;
                longest = longest.max(run);
            } else {
                run = 0;
            }
        }
    }
    longest
}

#[test]
fn the_scanners_find_what_they_look_for() {
    let key = "ab".repeat(32);
    assert_eq!(
        hex_runs(&format!("x: \"{key}\", y: 3"), 32),
        vec![key.as_str()]
    );
    assert_eq!(hex_runs(&"AB".repeat(20), 32).len(), 1);
    assert_eq!(longest_byte_list(&format!("{:?}", [7u8; 32])), 32);
    assert_eq!(longest_byte_list("count: 3, other: 4"), 1);
}

/// Public keys seen anywhere (in accounts, bundles, sessions, and on the wire), and the secret
/// keys the traced API handed out.
#[derive(Default)]
struct Known {
    public: HashSet<String>,
    secret: HashSet<String>,
}

impl Known {
    fn key(&mut self, key: &PublicKey) {
        self.public.insert(hex::encode(key.as_bytes()));
    }

    /// Records the secrets of a trace; its own `Debug` must not show them either.
    fn trace(&mut self, trace: &KeyTrace) -> String {
        self.secret.insert(hex::encode(*trace.message_key));
        if let Some(start) = &trace.chain_start {
            self.key(&start.ratchet_key);
            self.secret.insert(hex::encode(*start.root_key));
            self.secret.insert(hex::encode(*start.chain_key));
        }
        format!("{trace:?}")
    }

    fn session(&mut self, session: &Session) {
        self.key(session.base_key());
        self.key(session.ratchet_key());
        for (key, _) in session.skipped_key_ids() {
            self.key(&key);
        }
    }

    fn wire(&mut self, wire: &[u8]) {
        let parsed = WireMessage::try_from(wire).unwrap();
        if let WireMessage::PreKey(prekey) = &parsed {
            self.key(&prekey.fields.identity_key);
            self.key(&prekey.fields.base_key);
        }
        self.key(&parsed.message().header.ratchet_key);
    }

    /// Every hex run of 32 or more characters in `printed` is exactly a known public key, no
    /// known secret appears (in hex, either case, or as its first 16 hex digits), and there is
    /// no list of byte values.
    fn check(&self, what: &str, printed: &str) {
        let lower = printed.to_ascii_lowercase();
        for secret in &self.secret {
            assert!(
                !lower.contains(&secret[..16]),
                "{what}: Debug output contains a secret key: {printed}"
            );
        }
        for run in hex_runs(printed, 32) {
            assert!(
                self.public.contains(&run.to_ascii_lowercase()),
                "{what}: Debug output contains an unknown hex run {run}: {printed}"
            );
        }
        assert!(
            longest_byte_list(printed) < 16,
            "{what}: Debug output looks like a byte dump: {printed}"
        );
    }
}

/// Debug output at every interesting moment of a session: fresh accounts, after initiating,
/// with skipped keys held, with a sending chain and without one (between receiving a new key
/// and the next send), and after many steps.
#[test]
fn debug_output_contains_no_secrets() {
    let mut rng = rng(71);
    let mut known = Known::default();
    let alice_account = Account::with_config(&mut rng, RatchetConfig::default());
    let mut bob_account = Account::new(&mut rng);
    bob_account.generate_one_time_prekeys(&mut rng, 3);
    known.key(&alice_account.identity_key().dh);
    known.key(&bob_account.identity_key().dh);
    let bundle = bob_account.prekey_bundle();
    known.key(&bundle.signed_prekey);
    if let Some((_, key)) = bundle.one_time_prekey {
        known.key(&key);
    }
    let mut printed: Vec<(String, String)> = vec![
        ("Alice's account".into(), format!("{alice_account:?}")),
        ("Bob's account".into(), format!("{bob_account:?}")),
        ("bundle".into(), format!("{bundle:?}")),
        ("pretty account".into(), format!("{bob_account:#?}")),
    ];

    let mut alice = alice_account.initiate(&mut rng, &bundle).unwrap();
    known.session(&alice);
    printed.push(("Alice, initiated".into(), format!("{alice:?}")));
    let (first, trace) = alice.encrypt_traced(&mut rng, b"first").unwrap();
    printed.push(("trace".into(), known.trace(&trace)));
    known.wire(&first);
    let (mut bob, _, trace) = bob_account.accept_traced(&first).unwrap();
    printed.push(("trace".into(), known.trace(&trace)));
    known.session(&bob);
    printed.push(("Bob, accepted".into(), format!("{bob:?}")));
    printed.push(("Bob's account, after".into(), format!("{bob_account:?}")));

    for round in 0..6usize {
        let mut burst = Vec::new();
        for i in 0..4 {
            let (wire, trace) = bob.encrypt_traced(&mut rng, &text(round * 10 + i)).unwrap();
            printed.push(("trace".into(), known.trace(&trace)));
            known.wire(&wire);
            burst.push(wire);
        }
        known.session(&bob);
        // Out of order: keys 0 and 1 skipped and held.
        let (_, trace) = alice.decrypt_traced(&burst[2]).unwrap();
        printed.push(("trace".into(), known.trace(&trace)));
        known.session(&alice);
        printed.push((
            format!("Alice with skipped keys, {round}"),
            format!("{alice:?}"),
        ));
        printed.push((format!("Alice pretty, {round}"), format!("{alice:#?}")));
        for i in [0, 1, 3] {
            let (_, trace) = alice.decrypt_traced(&burst[i]).unwrap();
            printed.push(("trace".into(), known.trace(&trace)));
        }
        // Alice has no sending chain now; Bob has one.
        printed.push((
            format!("Alice between steps, {round}"),
            format!("{alice:?}"),
        ));
        printed.push((format!("Bob sending, {round}"), format!("{bob:?}")));
        let (answer, trace) = alice.encrypt_traced(&mut rng, &text(round)).unwrap();
        printed.push(("trace".into(), known.trace(&trace)));
        known.wire(&answer);
        known.session(&alice);
        let (_, trace) = bob.decrypt_traced(&answer).unwrap();
        printed.push(("trace".into(), known.trace(&trace)));
        printed.push((format!("Bob between steps, {round}"), format!("{bob:?}")));
    }
    // Traces were recorded: the secret check above is not vacuous.
    assert!(known.secret.len() > 50);

    for (what, text) in &printed {
        known.check(what, text);
    }
}
