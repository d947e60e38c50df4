//! doormat against vodozemac's Olm (Matrix's Double Ratchet, `vodozemac` 0.11), side by side in
//! the same criterion groups: the same workloads, 100-byte messages, encrypt + decrypt.
//!
//! - `peers_burst`: one message on existing chains (no DH step).
//! - `peers_pingpong`: one message right after the direction changed, so the sender and the
//!   receiver each take a DH ratchet step. Both libraries generate the new ratchet key lazily,
//!   on the next send.
//!
//! Olm runs with `SessionConfig::version_1()`, the default and the version deployed in Matrix:
//! AES-256-CBC and HMAC-SHA256 truncated to 8 bytes, under keys that HKDF derives per message.
//! (Version 2, with an untruncated MAC, sits behind vodozemac's `experimental-session-config`
//! feature and costs the same primitives.)
//!
//! Both sides of the comparison go through the wire: doormat's `encrypt` returns bytes and its
//! `decrypt` parses them; for vodozemac the bench encodes the `OlmMessage` with `to_parts` and
//! decodes it with `from_parts` before decrypting, as a transport would.
//!
//! Each iteration runs on copies of prepared session states, made in the untimed setup of
//! [`criterion::Bencher::iter_batched`] (`Clone` for doormat, a pickle round trip for vodozemac,
//! whose `Session` is not `Clone`), so no iteration replays consumed state. The `*_stream`
//! groups repeat the comparison without copies: one pair of sessions keeps talking for the
//! whole measurement, every message new.

#![allow(
    clippy::expect_used,
    reason = "a bench must stop rather than time an error path if an operation fails"
)]

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use doormat::protocol::Session;
use vodozemac::olm::{
    Account as OlmAccount, OlmMessage, Session as OlmSession, SessionConfig as OlmConfig,
};

use self::common::{MESSAGE_LEN, burst_ready, ping_pong_ready, rng};

/// The chat-sized plaintext of every bench here.
const PLAINTEXT: [u8; MESSAGE_LEN] = [0x42; MESSAGE_LEN];
/// Ping-pong rounds of the Olm warm-up, as in doormat's.
const OLM_WARM_UP_ROUNDS: usize = 8;
/// Messages Alice sends on her current chain after the Olm warm-up's ping-pong rounds.
const OLM_WARM_UP_BURST: usize = 4;

/// One Olm message through the wire: encrypt, encode, decode, decrypt.
fn olm_send(from: &mut OlmSession, to: &mut OlmSession, plaintext: &[u8]) -> Vec<u8> {
    let message = from.encrypt(plaintext).expect("Olm encryption succeeds");
    let (kind, bytes) = message.to_parts();
    let received = OlmMessage::from_parts(kind, &bytes).expect("the message decodes");
    to.decrypt(&received).expect("the message opens")
}

/// A copy of an Olm session: `Session` is not `Clone`, its pickle is an exact copy of the state.
fn olm_copy(session: &OlmSession) -> OlmSession {
    OlmSession::from_pickle(session.pickle())
}

/// Olm sessions after the same warm-up as doormat's [`common::burst_ready`]: Alice has a live
/// sending chain that Bob follows.
fn olm_burst_ready() -> (OlmSession, OlmSession) {
    let alice_account = OlmAccount::new();
    let mut bob_account = OlmAccount::new();
    bob_account.generate_one_time_keys(1);
    let one_time_key = *bob_account
        .one_time_keys()
        .values()
        .next()
        .expect("one one-time key was generated");
    bob_account.mark_keys_as_published();
    let mut alice = alice_account
        .create_outbound_session(
            OlmConfig::version_1(),
            bob_account.curve25519_key(),
            one_time_key,
        )
        .expect("the keys are contributory");
    let prekey = match alice.encrypt(b"hello bob").expect("encryption succeeds") {
        OlmMessage::PreKey(prekey) => Some(prekey),
        OlmMessage::Normal(_) => None,
    }
    .expect("the first message carries the pre-key fields");
    let mut bob = bob_account
        .create_inbound_session(
            OlmConfig::version_1(),
            alice_account.curve25519_key(),
            &prekey,
        )
        .expect("the pre-key message opens")
        .session;
    let payload = [0x5au8; MESSAGE_LEN];
    for _ in 0..OLM_WARM_UP_ROUNDS {
        olm_send(&mut bob, &mut alice, &payload);
        olm_send(&mut alice, &mut bob, &payload);
    }
    for _ in 0..OLM_WARM_UP_BURST {
        olm_send(&mut alice, &mut bob, &payload);
    }
    (alice, bob)
}

/// Olm sessions in the ping-pong position: Bob's last message has just reached Alice.
fn olm_ping_pong_ready() -> (OlmSession, OlmSession) {
    let (mut alice, mut bob) = olm_burst_ready();
    olm_send(&mut bob, &mut alice, &[0x5au8; MESSAGE_LEN]);
    (alice, bob)
}

/// Registers one workload for both libraries in `group`, on copies of the prepared states.
fn side_by_side(
    c: &mut Criterion,
    group: &str,
    doormat: (Session, Session),
    olm: (OlmSession, OlmSession),
) {
    let mut rng = rng(7);
    let mut group = c.benchmark_group(group);
    let (alice, bob) = doormat;
    group.bench_function("doormat", |b| {
        b.iter_batched(
            || (alice.clone(), bob.clone()),
            |(mut alice, mut bob)| {
                let message = alice
                    .encrypt(&mut rng, black_box(&PLAINTEXT))
                    .expect("encryption succeeds");
                let plaintext = bob.decrypt(&message).expect("the message opens");
                (alice, bob, message, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    let (alice, bob) = olm;
    group.bench_function("vodozemac", |b| {
        b.iter_batched(
            || (olm_copy(&alice), olm_copy(&bob)),
            |(mut alice, mut bob)| {
                let plaintext = olm_send(&mut alice, &mut bob, black_box(&PLAINTEXT));
                (alice, bob, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Registers one workload for both libraries in `group`, on one long conversation per library:
/// Alice always sends (burst), or the two take turns (ping-pong).
fn side_by_side_stream(
    c: &mut Criterion,
    group: &str,
    doormat: (Session, Session),
    olm: (OlmSession, OlmSession),
    take_turns: bool,
) {
    let mut rng = rng(8);
    let mut group = c.benchmark_group(group);
    let mut sessions = [doormat.0, doormat.1];
    let mut turn = false;
    group.bench_function("doormat", |b| {
        b.iter(|| {
            let [alice, bob] = &mut sessions;
            let (from, to) = if turn { (bob, alice) } else { (alice, bob) };
            turn = take_turns && !turn;
            let message = from
                .encrypt(&mut rng, black_box(&PLAINTEXT))
                .expect("encryption succeeds");
            to.decrypt(&message).expect("the message opens")
        })
    });
    let mut sessions = [olm.0, olm.1];
    let mut turn = false;
    group.bench_function("vodozemac", |b| {
        b.iter(|| {
            let [alice, bob] = &mut sessions;
            let (from, to) = if turn { (bob, alice) } else { (alice, bob) };
            turn = take_turns && !turn;
            olm_send(from, to, black_box(&PLAINTEXT))
        })
    });
    group.finish();
}

/// Burst: Alice → Bob on existing chains.
fn burst(c: &mut Criterion) {
    let mut rng = rng(9);
    side_by_side(c, "peers_burst", burst_ready(&mut rng), olm_burst_ready());
    side_by_side_stream(
        c,
        "peers_burst_stream",
        burst_ready(&mut rng),
        olm_burst_ready(),
        false,
    );
}

/// Ping-pong: every message changes direction, a DH ratchet step on both sides.
fn ping_pong(c: &mut Criterion) {
    let mut rng = rng(10);
    side_by_side(
        c,
        "peers_pingpong",
        ping_pong_ready(&mut rng),
        olm_ping_pong_ready(),
    );
    side_by_side_stream(
        c,
        "peers_pingpong_stream",
        ping_pong_ready(&mut rng),
        olm_ping_pong_ready(),
        true,
    );
}

criterion_group!(benches, burst, ping_pong);
criterion_main!(benches);
