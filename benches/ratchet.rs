//! Criterion benchmarks of doormat's X3DH handshake and Double Ratchet, and of the primitives
//! they are built from ("floors"), measured in the same run so the two can be compared.
//!
//! # Validity
//!
//! Every measured operation is one a real session could perform. State that an operation
//! consumes (a chain position, a one-time prekey, a received message) is cloned from a prepared
//! state in the untimed setup of [`criterion::Bencher::iter_batched`], so no iteration replays
//! consumed state: a message is never decrypted twice by the same session state. The routines
//! return the states they used, so freeing (and zeroizing) them is not timed either. The
//! `*_stream` variants check the batched numbers without any cloning: one pair of sessions keeps
//! talking for the whole measurement, every message new.
//!
//! # Groups
//!
//! - `x3dh`: `initiate` from a bundle (Ed25519 signature check, an ephemeral key, 4 DH, then
//!   the first sending chain: a ratchet key pair and a fifth DH) and `accept` of an initial
//!   message by a copy of the responder's account (4 DH, then the embedded message's DH step).
//! - `encrypt/existing_chain`, `decrypt/in_order`: one 100-byte message on an existing chain.
//! - `decrypt/new_chain`: the first message of a new chain, whose decryption takes a DH step.
//! - `pingpong`: encrypt + decrypt of one 100-byte message when the direction has just changed,
//!   so both sides take a DH ratchet step.
//! - `burst`: encrypt + decrypt of one 100-byte message on existing chains.
//! - `skip`: decrypt of a message that skips 10, 100 or 1000 earlier ones on its chain.
//! - `size`: encrypt + decrypt of 16 B to 64 KiB on existing chains, with byte throughput.
//! - `floor`: the primitives, with the input sizes doormat gives them: `x25519_dh`,
//!   `x25519_keygen` (secret from the RNG + public key), `hmac_sha256_1b` (32-byte key, one
//!   byte), `hkdf_sha256_64b` (extract + 64 bytes of expand) and `aes256gcm_seal_100b` /
//!   `aes256gcm_open_100b` (key setup + seal or open of 100 bytes, 106 bytes of associated
//!   data); and `burst_sum` / `pingpong_sum`, which run each workload's floor primitives back to
//!   back, a check on adding up the parts.
//!
//! # Floors
//!
//! A workload's floor is the sum of the primitives it cannot avoid, each timed alone:
//!
//! - **burst** (per message, both sides) = `4 × hmac_sha256_1b + aes256gcm_seal_100b +
//!   aes256gcm_open_100b`, that is 4 HMAC + 2 × (AES key setup + seal/open). Each side runs
//!   KDF_CK once (HMAC(CK, 0x01) for the message key, HMAC(CK, 0x02) for the next chain key),
//!   and each message key sets up AES-256-GCM once, to seal on one side and open on the other.
//! - **ping-pong** (per message, both sides) = `x25519_keygen + 2 × x25519_dh + 2 ×
//!   hkdf_sha256_64b + 4 × hmac_sha256_1b + aes256gcm_seal_100b + aes256gcm_open_100b`. The
//!   sender generates a ratchet key pair, computes DH with the peer's ratchet key and runs KDF_RK
//!   (HKDF) before its KDF_CK; the receiver computes the same DH and KDF_RK.
//!
//! The floors overstate the work slightly where doormat shares work between primitives (KDF_CK
//! keys one HMAC state and clones it for both outputs), and understate it by what no primitive
//! covers: header encoding and parsing, the output allocations, state bookkeeping.

#![allow(
    clippy::expect_used,
    reason = "a bench must stop rather than time an error path if an operation fails"
)]

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use aes_gcm::{AeadInOut, Aes256Gcm, KeyInit as _, Nonce, Tag};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use doormat::protocol::Account;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand_chacha::ChaCha20Rng;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

use self::common::{MESSAGE_LEN, burst_ready, ping_pong_ready, rng};

/// The chat-sized plaintext of the per-message benches.
const PLAINTEXT: [u8; MESSAGE_LEN] = [0x42; MESSAGE_LEN];

/// X3DH: the initiator's `initiate` and the responder's `accept`.
fn x3dh(c: &mut Criterion) {
    let mut rng = rng(1);
    let alice = Account::new(&mut rng);
    let mut bob = Account::new(&mut rng);
    bob.generate_one_time_prekeys(&mut rng, 1);
    let bundle = bob.prekey_bundle();
    let initial = alice
        .initiate(&mut rng, &bundle)
        .expect("a fresh bundle verifies")
        .encrypt(&mut rng, &PLAINTEXT)
        .expect("encryption succeeds");

    let mut group = c.benchmark_group("x3dh");
    // A device's keys: identity (X25519 + Ed25519) and a signed prekey. The engine creates one
    // per user and conversation, so this is part of its handshake floor.
    group.bench_function("account_new", |b| b.iter(|| Account::new(&mut rng)));
    // `initiate` changes no state: Alice's account is only read and every iteration draws a
    // fresh ephemeral key from the RNG, so each one is a distinct, valid handshake. (Reusing the
    // bundle's one-time prekey is something only Bob's server would prevent; the initiator's
    // work is the same.) The new session is freed outside the timing.
    group.bench_function("initiate", |b| {
        b.iter_with_large_drop(|| {
            alice
                .initiate(&mut rng, black_box(&bundle))
                .expect("a fresh bundle verifies")
        })
    });
    // `accept` deletes the one-time prekey it uses: each iteration accepts on a copy of Bob's
    // account that still holds it. Includes decrypting the embedded first message.
    group.bench_function("accept", |b| {
        b.iter_batched(
            || bob.clone(),
            |mut bob| {
                let accepted = bob.accept(&initial).expect("the initial message opens");
                (bob, accepted)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Encrypt on an existing chain, decrypt in order, and decrypt of a new chain's first message.
fn single_operations(c: &mut Criterion) {
    let mut rng = rng(2);
    let (alice, bob) = burst_ready(&mut rng);
    // The next message on Alice's chain, not yet seen by Bob.
    let next = alice
        .clone()
        .encrypt(&mut rng, &PLAINTEXT)
        .expect("encryption succeeds");
    // A reply from Bob on a new chain (his send takes the DH step), not yet seen by Alice.
    let reply = bob
        .clone()
        .encrypt(&mut rng, &PLAINTEXT)
        .expect("encryption succeeds");

    let mut group = c.benchmark_group("encrypt");
    group.bench_function("existing_chain", |b| {
        b.iter_batched(
            || alice.clone(),
            |mut alice| {
                let message = alice
                    .encrypt(&mut rng, black_box(&PLAINTEXT))
                    .expect("encryption succeeds");
                (alice, message)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();

    let mut group = c.benchmark_group("decrypt");
    group.bench_function("in_order", |b| {
        b.iter_batched(
            || bob.clone(),
            |mut bob| {
                let plaintext = bob.decrypt(&next).expect("an in-order message opens");
                (bob, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("new_chain", |b| {
        b.iter_batched(
            || alice.clone(),
            |mut alice| {
                let plaintext = alice.decrypt(&reply).expect("a new chain's message opens");
                (alice, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Encrypt + decrypt of one 100-byte message: ping-pong (a DH step on both sides) and burst
/// (existing chains), each on cloned state and, as a check, as one long-running conversation.
fn conversations(c: &mut Criterion) {
    let mut rng = rng(3);

    let mut group = c.benchmark_group("pingpong");
    let (alice, bob) = ping_pong_ready(&mut rng);
    group.bench_function("enc_dec", |b| {
        b.iter_batched(
            || (alice.clone(), bob.clone()),
            |(mut alice, mut bob)| {
                let message = alice
                    .encrypt(&mut rng, black_box(&PLAINTEXT))
                    .expect("encryption succeeds");
                let plaintext = bob.decrypt(&message).expect("the reply opens");
                (alice, bob, message, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    // No cloning: the two sessions take turns to send, so every message changes direction.
    let mut sessions = [alice, bob];
    let mut turn = false;
    group.bench_function("enc_dec_stream", |b| {
        b.iter(|| {
            let [alice, bob] = &mut sessions;
            let (from, to) = if turn { (bob, alice) } else { (alice, bob) };
            turn = !turn;
            let message = from
                .encrypt(&mut rng, black_box(&PLAINTEXT))
                .expect("encryption succeeds");
            to.decrypt(&message).expect("the reply opens")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("burst");
    let (alice, bob) = burst_ready(&mut rng);
    group.bench_function("enc_dec", |b| {
        b.iter_batched(
            || (alice.clone(), bob.clone()),
            |(mut alice, mut bob)| {
                let message = alice
                    .encrypt(&mut rng, black_box(&PLAINTEXT))
                    .expect("encryption succeeds");
                let plaintext = bob.decrypt(&message).expect("an in-order message opens");
                (alice, bob, message, plaintext)
            },
            BatchSize::SmallInput,
        )
    });
    // No cloning: Alice keeps sending on her chain, Bob keeps reading it.
    let (mut alice, mut bob) = (alice, bob);
    group.bench_function("enc_dec_stream", |b| {
        b.iter(|| {
            let message = alice
                .encrypt(&mut rng, black_box(&PLAINTEXT))
                .expect("encryption succeeds");
            bob.decrypt(&message).expect("an in-order message opens")
        })
    });
    group.finish();
}

/// Decrypt of a message that arrives after `skip` earlier messages of its chain were lost: the
/// receiver derives and stores `skip` message keys first.
fn skipped(c: &mut Criterion) {
    let mut rng = rng(4);
    let (alice, bob) = burst_ready(&mut rng);
    let mut group = c.benchmark_group("skip");
    for skip in [10usize, 100, 1000] {
        let mut sender = alice.clone();
        for _ in 0..skip {
            sender
                .encrypt(&mut rng, &PLAINTEXT)
                .expect("encryption succeeds");
        }
        let late = sender
            .encrypt(&mut rng, &PLAINTEXT)
            .expect("encryption succeeds");
        group.bench_with_input(BenchmarkId::from_parameter(skip), &late, |b, late| {
            b.iter_batched(
                || bob.clone(),
                |mut bob| {
                    let plaintext = bob.decrypt(late).expect("a message within MAX_SKIP opens");
                    (bob, plaintext)
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// Encrypt + decrypt on existing chains across message sizes.
fn sizes(c: &mut Criterion) {
    let mut rng = rng(5);
    let (alice, bob) = burst_ready(&mut rng);
    let mut group = c.benchmark_group("size");
    for size in [16usize, 256, 4 << 10, 64 << 10] {
        let plaintext = vec![0x42u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &plaintext, |b, pt| {
            b.iter_batched(
                || (alice.clone(), bob.clone()),
                |(mut alice, mut bob)| {
                    let message = alice.encrypt(&mut rng, pt).expect("encryption succeeds");
                    let opened = bob.decrypt(&message).expect("an in-order message opens");
                    (alice, bob, message, opened)
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// HMAC-SHA256 keyed by a 32-byte key over one byte: one half of KDF_CK.
fn hmac_1b(key: &[u8; 32], byte: u8) -> [u8; 32] {
    let mut mac = <Hmac<Sha256>>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(&[byte]);
    mac.finalize().into_bytes().into()
}

/// HKDF-SHA256, extract then 64 bytes of expand, with doormat's 23-byte KDF_RK info: KDF_RK.
fn hkdf_64b(salt: &[u8; 32], ikm: &[u8; 32]) -> [u8; 64] {
    let mut okm = [0u8; 64];
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(b"doormat v1 ratchet root", &mut okm)
        .expect("64 bytes is within HKDF's limit");
    okm
}

/// AES-256-GCM key setup and seal of 100 bytes under the zero nonce.
fn seal_100b(key: [u8; 32], associated_data: &[u8], plaintext: &[u8; MESSAGE_LEN]) -> Sealed {
    let mut buffer = *plaintext;
    let tag = Aes256Gcm::new(&key.into())
        .encrypt_inout_detached(
            &Nonce::from([0u8; 12]),
            associated_data,
            (&mut buffer[..]).into(),
        )
        .expect("100 bytes is within GCM's limit");
    (buffer, tag)
}

/// AES-256-GCM key setup and open of 100 bytes under the zero nonce.
fn open_100b(key: [u8; 32], associated_data: &[u8], sealed: &Sealed) -> [u8; MESSAGE_LEN] {
    let (mut buffer, tag) = *sealed;
    Aes256Gcm::new(&key.into())
        .decrypt_inout_detached(
            &Nonce::from([0u8; 12]),
            associated_data,
            (&mut buffer[..]).into(),
            &tag,
        )
        .expect("the tag verifies");
    buffer
}

/// A 100-byte ciphertext and its GCM tag.
type Sealed = ([u8; MESSAGE_LEN], Tag);

/// X25519 key generation as doormat does it: a secret from the RNG, then its public key.
fn keygen(rng: &mut ChaCha20Rng) -> (StaticSecret, PublicKey) {
    let secret = StaticSecret::random_from_rng(rng);
    let public = PublicKey::from(&secret);
    (secret, public)
}

/// The primitives the workloads are made of, with the inputs doormat gives them (see the crate
/// documentation for how they add up to each workload's floor). The `*_sum` benches run each
/// workload's floor primitives back to back, a check on adding up the parts.
fn floor(c: &mut Criterion) {
    let mut rng = rng(6);
    let mut group = c.benchmark_group("floor");

    let (ours, _) = keygen(&mut rng);
    let (_, theirs) = keygen(&mut rng);
    group.bench_function("x25519_dh", |b| {
        b.iter(|| black_box(&ours).diffie_hellman(black_box(&theirs)))
    });
    group.bench_function("x25519_keygen", |b| b.iter(|| keygen(&mut rng)));

    // KDF_CK's shape: a 32-byte chain key, one input byte.
    let chain_key = [7u8; 32];
    group.bench_function("hmac_sha256_1b", |b| {
        b.iter(|| hmac_1b(black_box(&chain_key), 0x01))
    });

    // KDF_RK's shape: a 32-byte root key as salt, a 32-byte DH output.
    let (root_key, dh_out) = ([1u8; 32], [2u8; 32]);
    group.bench_function("hkdf_sha256_64b", |b| {
        b.iter(|| hkdf_64b(black_box(&root_key), black_box(&dh_out)))
    });

    // A message's shape: a fresh key per message, zero nonce, 100 bytes of plaintext, and
    // doormat's 106 bytes of associated data (IK_A ‖ IK_B ‖ header).
    let message_key = [9u8; 32];
    let associated_data = [3u8; 106];
    group.bench_function("aes256gcm_seal_100b", |b| {
        b.iter(|| seal_100b(black_box(message_key), &associated_data, &PLAINTEXT))
    });
    let sealed = seal_100b(message_key, &associated_data, &PLAINTEXT);
    group.bench_function("aes256gcm_open_100b", |b| {
        b.iter(|| open_100b(black_box(message_key), &associated_data, black_box(&sealed)))
    });

    // One burst message: KDF_CK on each side (2 HMACs each), seal, open.
    group.bench_function("burst_sum", |b| {
        b.iter(|| {
            let sent = hmac_1b(black_box(&chain_key), 0x01);
            black_box(hmac_1b(black_box(&chain_key), 0x02));
            let received = hmac_1b(black_box(&chain_key), 0x01);
            black_box(hmac_1b(black_box(&chain_key), 0x02));
            let sealed = seal_100b(sent, &associated_data, &PLAINTEXT);
            open_100b(received, &associated_data, &sealed)
        })
    });
    // One ping-pong message: the sender's new key pair, DH and KDF_RK; the receiver's DH and
    // KDF_RK; then the burst message's work.
    group.bench_function("pingpong_sum", |b| {
        b.iter(|| {
            let (secret, public) = keygen(&mut rng);
            let sender_dh = secret.diffie_hellman(black_box(&theirs));
            let receiver_dh = black_box(&ours).diffie_hellman(&public);
            let sender_root = hkdf_64b(black_box(&root_key), sender_dh.as_bytes());
            let receiver_root = hkdf_64b(black_box(&root_key), receiver_dh.as_bytes());
            let mut sender_chain = [0u8; 32];
            sender_chain.copy_from_slice(&sender_root[32..]);
            let mut receiver_chain = [0u8; 32];
            receiver_chain.copy_from_slice(&receiver_root[32..]);
            let sent = hmac_1b(&sender_chain, 0x01);
            black_box(hmac_1b(&sender_chain, 0x02));
            let received = hmac_1b(&receiver_chain, 0x01);
            black_box(hmac_1b(&receiver_chain, 0x02));
            let sealed = seal_100b(sent, &associated_data, &PLAINTEXT);
            // The two sides' keys differ here (no real peer), so open the sender's own message.
            black_box(received);
            open_100b(sent, &associated_data, &sealed)
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    floor,
    x3dh,
    single_operations,
    conversations,
    skipped,
    sizes
);
criterion_main!(benches);
