//! What each exceptional-access design costs a client per message, side by side with `plain` in
//! the same criterion groups, and what it costs the key holder to open one captured message.
//!
//! # Designs
//!
//! `plain`; escrow with a global key at `message`, `chain` and `session` granularity; escrow with
//! a 24-hour epoch key at `message` and `chain` granularity; escrow with a 3-of-5 split key at
//! `message` granularity; escrow with a global key at `message` granularity checked only by the
//! Clipper-style 16-bit checksum (`checksum16`); and `ghost`, whose cost per message to a target
//! is the ordinary message plus the sender's copy to the hidden device and the ghost's decryption
//! of it. Ids are the designs' [`DesignSpec::label`]s.
//!
//! # Groups
//!
//! Every client-side bench times [`Device::send`] then [`Device::receive`] of one 100-byte
//! message, Alice to Bob, escrow field built and checked as a compliant client does: the
//! engine's own client path, on the design as the engine builds it (from the registry).
//!
//! - `designs_burst`: on existing chains (Alice has sent before and Bob has not replied since), so
//!   no DH ratchet step. `message` granularity seals a field with HPKE on send and recomputes it
//!   on receive (full verification); `chain` granularity repeats the chain's cached field and the
//!   receiver compares bytes, so it should cost about what `plain` does; `session` granularity
//!   attaches nothing after the initial messages.
//! - `designs_pingpong`: right after Bob's message reached Alice, so both sides take a DH ratchet
//!   step. A new chain starts, so `chain` granularity now pays HPKE on both sides too.
//! - `designs_initial`: the first message of a session (the X3DH prekey message; Alice's
//!   `initiate` is done in the setup, Bob's `accept` is timed). This is the only message on which
//!   `session` granularity pays HPKE. Ghost is left out: its fan-out session is made once per
//!   sender, not per conversation.
//! - `designs_open`: the key holder's [`Opener::open`] of one captured message, per escrow
//!   design: HPKE open of the field, then AES-GCM open of the message (`chain` also runs KDF_CK
//!   from the field's first index, 0, to the message's, 5; `session` opens the initial message;
//!   the split key is rebuilt from 3 shares on every open, as the opener does).
//!
//! # Validity
//!
//! Every timed operation is one a real client could perform. Sessions and design endpoints are
//! cloned from a prepared state in the untimed setup of [`criterion::Bencher::iter_batched`], so
//! no iteration replays consumed state, and a receive that rejected the escrow field would stop
//! the bench. The ghost device is not `Clone`: its fan-out session streams instead, each copy a
//! new in-order message on a chain that never takes a DH step (the ghost never replies), which is
//! exactly what a real ghost session sees in either workload. Before registering a bench, each
//! design is checked once end to end, and the opener once against the plaintext.
//!
//! # After the benches (stderr)
//!
//! - **Interleaved check** (under `cargo bench` only): every design of a workload runs a few
//!   operations in turn, round after round, through the same routines and batching as the
//!   criterion benches. Load from other processes then hits all designs alike, so the median
//!   per-round ratio to `plain` holds on a busy machine, where criterion's groups, measured one
//!   design after another, may not.
//! - **Wire bytes**: criterion does not report sizes, so `main` prints the bytes each design adds
//!   to a message: envelope length minus plaintext length in each workload, and for `ghost` the
//!   whole fan-out copy on top.

#![allow(
    clippy::expect_used,
    reason = "a bench must stop rather than time an error path if an operation fails"
)]

use std::{
    hint::black_box,
    sync::Arc,
    time::{Duration, Instant},
};

use criterion::{BatchSize, Bencher, Criterion, measurement::WallTime};
use doormat::{
    design::{
        Deployed, DesignSpec, Device, Setup,
        escrow::{AuthorityKeys, EscrowSpec, Granularity, KeyRing, Opener, Scope, Verification},
        ghost::{GhostDevice, GhostFanout, GhostReader, GhostSpec},
    },
    model::{DAY, HOUR, SimTime, Timing},
    protocol::{Account, x3dh::AD_LEN},
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// Plaintext length of every message here: a short chat message.
const MESSAGE_LEN: usize = 100;
/// The plaintext of every timed message.
const PLAINTEXT: [u8; MESSAGE_LEN] = [0x42; MESSAGE_LEN];
/// Simulated time of every message: mid-way through the first 24-hour epoch.
const NOW: SimTime = 12 * HOUR;
/// Simulated run length the authority generates keys for.
const HORIZON: SimTime = 10 * DAY;
/// Rounds of ping-pong (a DH ratchet step in each direction) before a bench starts.
const WARM_UP_ROUNDS: usize = 8;
/// Messages Alice sends on her current chain, after the ping-pong rounds, before a bench starts.
const WARM_UP_BURST: usize = 4;

/// A deterministic RNG, so every run benchmarks the same keys.
fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// `spec` as the engine builds it for a run of [`HORIZON`], its authority keys drawn from
/// `seed`.
fn deploy(spec: &DesignSpec, seed: u64) -> Arc<dyn Deployed> {
    let design = spec
        .design()
        .deploy(&mut Setup {
            seed,
            index: 0,
            horizon: HORIZON,
            rotation: None,
            authority: &mut rng(seed),
            thefts: &[],
        })
        .expect("valid design parameters");
    Arc::from(design)
}

/// One design under test, with what the key holder needs to open its messages.
struct Case {
    label: String,
    design: Arc<dyn Deployed>,
    /// The key holder's ring and the verification mode, for escrow designs.
    opener: Option<(KeyRing, Verification)>,
    /// Whether every message is also fanned out to a ghost device.
    ghost: bool,
}

impl Case {
    fn without_escrow(spec: DesignSpec) -> Self {
        Self {
            label: spec.label(),
            ghost: matches!(spec, DesignSpec::Ghost(_)),
            design: deploy(&spec, 0),
            opener: None,
        }
    }

    /// An escrow design with authority keys from `seed`; the key holder keeps the keys held
    /// at [`NOW`], or 3 shares if split.
    fn escrow(
        seed: u64,
        scope: Scope,
        granularity: Granularity,
        verification: Verification,
    ) -> Self {
        let spec = EscrowSpec {
            scope,
            granularity,
            verification,
        };
        // The keys the design draws from the same stream.
        let (keys, _) = AuthorityKeys::generate(&spec, HORIZON, &mut rng(seed))
            .expect("valid escrow parameters");
        let ring = match spec.scope {
            Scope::Split { threshold, .. } => keys.shares(0..usize::from(threshold)),
            _ => keys.held_at(NOW),
        };
        let spec = DesignSpec::Escrow(spec);
        Self {
            label: spec.label(),
            design: deploy(&spec, seed),
            opener: Some((ring, verification)),
            ghost: false,
        }
    }
}

/// Every design compared, `plain` first.
fn cases() -> Vec<Case> {
    let epoch = || Scope::Epoch {
        length_hours: 24,
        retention_hours: 24,
    };
    let split = Scope::Split {
        threshold: 3,
        trustees: ["judge", "prefect", "minister", "auditor", "ombudsman"]
            .map(String::from)
            .to_vec(),
    };
    let full = Verification::Full;
    vec![
        Case::without_escrow(DesignSpec::Plain(Default::default())),
        Case::escrow(1, Scope::Global, Granularity::Message, full),
        Case::escrow(2, Scope::Global, Granularity::Chain, full),
        Case::escrow(3, Scope::Global, Granularity::Session, full),
        Case::escrow(4, epoch(), Granularity::Message, full),
        Case::escrow(5, epoch(), Granularity::Chain, full),
        Case::escrow(6, split, Granularity::Message, full),
        Case::escrow(
            7,
            Scope::Global,
            Granularity::Message,
            Verification::Checksum16,
        ),
        Case::without_escrow(DesignSpec::Ghost(GhostSpec {
            notice_probability_per_day: 0.01,
        })),
    ]
}

/// Both sides of a conversation through a design: their devices (sessions, design state).
#[derive(Clone)]
struct Pair {
    alice: Device,
    bob: Device,
}

impl Pair {
    /// Alice → Bob, or Bob → Alice: the envelope and what the recipient read.
    fn send(
        &mut self,
        design: &dyn Deployed,
        rng: &mut ChaCha20Rng,
        to_bob: bool,
    ) -> (Vec<u8>, Vec<u8>) {
        let (from, to) = if to_bob {
            (&mut self.alice, &mut self.bob)
        } else {
            (&mut self.bob, &mut self.alice)
        };
        let mut timing = Timing::default();
        let envelope = from
            .send(
                design,
                &mut None,
                rng,
                black_box(&PLAINTEXT),
                NOW,
                &mut timing,
            )
            .expect("a compliant client sends")
            .bytes;
        let plaintext = to
            .receive(design, &envelope, NOW, &mut timing)
            .expect("a compliant client accepts the message and its field")
            .text;
        (envelope, plaintext)
    }

    /// The session's `IK_A ‖ IK_B`.
    fn associated_data(&self) -> [u8; AD_LEN] {
        *self
            .alice
            .session
            .as_ref()
            .expect("a started session")
            .associated_data()
    }
}

/// The state just before Alice's initial message: her session from `initiate`, Bob's account
/// still holding the one-time prekey her bundle named.
#[derive(Clone)]
struct Initial {
    alice: Device,
    bob: Device,
}

impl Initial {
    fn new(rng: &mut ChaCha20Rng) -> Self {
        let alice_account = Account::new(rng);
        let mut bob_account = Account::new(rng);
        bob_account.generate_one_time_prekeys(rng, 1);
        let bundle = bob_account.prekey_bundle();
        let session = alice_account
            .initiate(rng, &bundle)
            .expect("a fresh bundle verifies");
        let mut alice = Device::new(alice_account);
        alice.session = Some(session);
        Self {
            alice,
            bob: Device::new(bob_account),
        }
    }

    /// Alice's initial message and Bob's acceptance of it.
    fn send(self, design: &dyn Deployed, rng: &mut ChaCha20Rng) -> (Pair, Vec<u8>, Vec<u8>) {
        let mut pair = Pair {
            alice: self.alice,
            bob: self.bob,
        };
        let (envelope, plaintext) = pair.send(design, rng, true);
        (pair, envelope, plaintext)
    }
}

/// A conversation after X3DH, a few ping-pong rounds and a short burst from Alice that Bob has
/// read: Alice's next message to Bob takes no DH step, and both endpoints know the chain's field.
fn burst_ready(design: &dyn Deployed, rng: &mut ChaCha20Rng) -> Pair {
    let (mut pair, _, _) = Initial::new(rng).send(design, rng);
    for _ in 0..WARM_UP_ROUNDS {
        pair.send(design, rng, false);
        pair.send(design, rng, true);
    }
    for _ in 0..WARM_UP_BURST {
        pair.send(design, rng, true);
    }
    pair
}

/// The ping-pong position: Bob's last message has just reached Alice, so her next send takes a DH
/// ratchet step, and so does Bob's receipt of it.
fn ping_pong_ready(design: &dyn Deployed, rng: &mut ChaCha20Rng) -> Pair {
    let mut pair = burst_ready(design, rng);
    pair.send(design, rng, false);
    pair
}

/// The ghost's side: a hidden device, the sender's fan-out session to it, and the ghost's reader,
/// past their first (X3DH) message.
struct GhostStream {
    device: GhostDevice,
    fanout: GhostFanout,
    reader: GhostReader,
}

impl GhostStream {
    fn new(rng: &mut ChaCha20Rng) -> Self {
        let device = GhostDevice::new(rng);
        let reader = device.reader();
        let mut stream = Self {
            device,
            fanout: GhostFanout::default(),
            reader,
        };
        stream.copy(rng);
        stream
    }

    /// Fans one copy out to the ghost and lets it read it: the copy and what the ghost read.
    fn copy(&mut self, rng: &mut ChaCha20Rng) -> (Vec<u8>, Vec<u8>) {
        let copy = self
            .fanout
            .send(rng, &mut self.device, black_box(&PLAINTEXT))
            .expect("the fan-out copy encrypts");
        let read = self
            .device
            .receive(&mut self.reader, &copy)
            .expect("the ghost reads its copy");
        (copy, read)
    }
}

/// Runs a batched measurement: untimed `setup` of fresh inputs, timed `routine` on each, the
/// outputs dropped untimed. Criterion's [`Bencher`] is one; [`Timer`] is the interleaved check's.
trait Driver {
    fn drive<I, O>(&mut self, setup: impl FnMut() -> I, routine: impl FnMut(I) -> O);
}

impl Driver for Bencher<'_, WallTime> {
    fn drive<I, O>(&mut self, setup: impl FnMut() -> I, routine: impl FnMut(I) -> O) {
        self.iter_batched(setup, routine, BatchSize::SmallInput);
    }
}

/// Times `iterations` runs of a routine, as criterion's `iter_batched` does, for the interleaved
/// check.
struct Timer {
    iterations: usize,
    elapsed: Duration,
}

impl Driver for Timer {
    fn drive<I, O>(&mut self, mut setup: impl FnMut() -> I, mut routine: impl FnMut(I) -> O) {
        let inputs: Vec<I> = (0..self.iterations).map(|_| setup()).collect();
        let mut outputs = Vec::with_capacity(self.iterations);
        let start = Instant::now();
        for input in inputs {
            outputs.push(routine(input));
        }
        self.elapsed = start.elapsed();
        drop(black_box(outputs));
    }
}

/// The four workloads, each a criterion group.
#[derive(Clone, Copy)]
enum Workload {
    Burst,
    PingPong,
    Initial,
    Open,
}

impl Workload {
    const ALL: [Workload; 4] = [
        Workload::Burst,
        Workload::PingPong,
        Workload::Initial,
        Workload::Open,
    ];

    fn group(self) -> &'static str {
        match self {
            Workload::Burst => "designs_burst",
            Workload::PingPong => "designs_pingpong",
            Workload::Initial => "designs_initial",
            Workload::Open => "designs_open",
        }
    }
}

/// What one bench starts from.
#[allow(
    clippy::large_enum_variant,
    reason = "built once per bench and never moved while timed"
)]
enum Prepared {
    /// Alice's next message to Bob, from `ready`; with the ghost's streams for `ghost`.
    Message {
        ready: Pair,
        ghost: Option<GhostStream>,
    },
    /// Alice's initial message.
    Initial(Initial),
    /// The key holder's ring, and the captured envelope it opens.
    Open {
        ring: KeyRing,
        verification: Verification,
        captured: Vec<u8>,
        associated_data: [u8; AD_LEN],
    },
}

/// One design in one workload: its prepared state, checked end to end once.
struct Op {
    label: String,
    design: Arc<dyn Deployed>,
    rng: ChaCha20Rng,
    prepared: Prepared,
}

impl Op {
    /// `case` in `workload`, or `None` where the workload does not apply (ghost's initial
    /// message, opening a design without escrow).
    fn new(case: &Case, workload: Workload, seed: u64) -> Option<Self> {
        let mut rng = rng(seed);
        let design = case.design.as_ref();
        let prepared = match workload {
            Workload::Burst | Workload::PingPong => {
                let ready = match workload {
                    Workload::PingPong => ping_pong_ready(design, &mut rng),
                    _ => burst_ready(design, &mut rng),
                };
                let (_, read) = ready.clone().send(design, &mut rng, true);
                assert_eq!(read, PLAINTEXT, "{}: the message round-trips", case.label);
                let ghost = case.ghost.then(|| {
                    let mut ghost = GhostStream::new(&mut rng);
                    let (_, read) = ghost.copy(&mut rng);
                    assert_eq!(read, PLAINTEXT, "the ghost reads its copy");
                    ghost
                });
                Prepared::Message { ready, ghost }
            }
            Workload::Initial if case.ghost => return None,
            Workload::Initial => {
                let ready = Initial::new(&mut rng);
                let (_, _, read) = ready.clone().send(design, &mut rng);
                assert_eq!(read, PLAINTEXT, "{}: the initial message opens", case.label);
                Prepared::Initial(ready)
            }
            Workload::Open => {
                let (ring, verification) = case.opener.clone()?;
                // Session escrow rides on the initial message only; the others on every message.
                let (pair, captured) = if case.label.ends_with("/session") {
                    let (pair, envelope, _) = Initial::new(&mut rng).send(design, &mut rng);
                    (pair, envelope)
                } else {
                    let mut pair = burst_ready(design, &mut rng);
                    let (envelope, _) = pair.send(design, &mut rng, true);
                    (pair, envelope)
                };
                let associated_data = pair.associated_data();
                let opened = Opener::new(ring.clone(), verification)
                    .open(&captured, &associated_data)
                    .expect("the key holder opens the captured message");
                assert_eq!(opened, PLAINTEXT, "{}: the opener reads it", case.label);
                Prepared::Open {
                    ring,
                    verification,
                    captured,
                    associated_data,
                }
            }
        };
        Some(Self {
            label: case.label.clone(),
            design: Arc::clone(&case.design),
            rng,
            prepared,
        })
    }

    /// Measures the operation with `driver`, on fresh copies of the prepared state.
    fn run(&mut self, driver: &mut impl Driver) {
        let Self {
            design,
            rng,
            prepared,
            ..
        } = self;
        let design = design.as_ref();
        match prepared {
            Prepared::Message { ready, ghost } => driver.drive(
                || Pair::clone(ready),
                |mut pair| {
                    let message = pair.send(design, rng, true);
                    let copy = ghost.as_mut().map(|ghost| ghost.copy(rng));
                    (pair, message, copy)
                },
            ),
            Prepared::Initial(ready) => {
                driver.drive(|| ready.clone(), |initial| initial.send(design, rng));
            }
            Prepared::Open {
                ring,
                verification,
                captured,
                associated_data,
            } => driver.drive(
                || Opener::new(ring.clone(), *verification),
                |mut opener| {
                    let plaintext = opener
                        .open(black_box(captured), associated_data)
                        .expect("the key holder opens the captured message");
                    (opener, plaintext)
                },
            ),
        }
    }
}

/// Every applicable design in every workload, `plain` first where it applies.
fn ops() -> Vec<(Workload, Vec<Op>)> {
    let cases = cases();
    Workload::ALL
        .into_iter()
        .zip(10..)
        .map(|(workload, seed)| {
            let ops = cases
                .iter()
                .filter_map(|case| Op::new(case, workload, seed))
                .collect();
            (workload, ops)
        })
        .collect()
}

/// Rounds of the interleaved check; odd, so the median is one round's.
const ROUNDS: usize = 101;
/// Operations per design per round.
const PER_ROUND: usize = 8;

/// The interleaved check: in each round every design of a workload runs [`PER_ROUND`] times,
/// back to back, starting from a rotating design. Load from other processes then hits all
/// designs alike, and the per-round ratio to `plain` survives it. Returns, per op, the median
/// time per operation (µs) and the median ratio to the workload's first op.
fn interleaved(ops: &mut [Op]) -> Vec<(f64, f64)> {
    let mut times = vec![Vec::with_capacity(ROUNDS); ops.len()];
    for round in 0..ROUNDS {
        for offset in 0..ops.len() {
            let i = (round + offset) % ops.len();
            let mut timer = Timer {
                iterations: PER_ROUND,
                elapsed: Duration::ZERO,
            };
            ops[i].run(&mut timer);
            times[i].push(timer.elapsed.as_secs_f64() * 1e6 / PER_ROUND as f64);
        }
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let base = times[0].clone();
    times
        .into_iter()
        .map(|op| {
            let ratios = op.iter().zip(&base).map(|(t, b)| t / b).collect();
            (median(op), median(ratios))
        })
        .collect()
}

/// Prints the interleaved check's table.
fn print_interleaved(workloads: &mut [(Workload, Vec<Op>)]) {
    eprintln!();
    eprintln!(
        "interleaved check: median over {ROUNDS} rounds of {PER_ROUND} operations per design; \
         ratio = median of per-round ratios to the group's first row"
    );
    for (workload, ops) in workloads.iter_mut() {
        let results = interleaved(ops);
        for (op, (micros, ratio)) in ops.iter().zip(results) {
            eprintln!(
                "{:<18} {:<34} {micros:>10.2} µs {ratio:>8.2}x",
                workload.group(),
                op.label
            );
        }
    }
}

/// Bytes a design adds to one message, in each workload: envelope minus plaintext, and for ghost
/// the fan-out copy on top (it travels as a whole extra message).
fn print_wire_bytes() {
    let mut rng = rng(6);
    let overhead = |envelope: &[u8]| envelope.len() - MESSAGE_LEN;
    eprintln!();
    eprintln!("wire bytes per {MESSAGE_LEN}-byte message (envelope length - plaintext length)");
    eprintln!(
        "{:<34} {:>7} {:>9} {:>8} {:>16}",
        "design", "burst", "pingpong", "initial", "ghost copy extra"
    );
    for case in cases() {
        let (envelope, _) =
            burst_ready(case.design.as_ref(), &mut rng).send(case.design.as_ref(), &mut rng, true);
        let burst = overhead(&envelope);
        let (envelope, _) = ping_pong_ready(case.design.as_ref(), &mut rng).send(
            case.design.as_ref(),
            &mut rng,
            true,
        );
        let ping_pong = overhead(&envelope);
        let (_, envelope, _) = Initial::new(&mut rng).send(case.design.as_ref(), &mut rng);
        let initial = overhead(&envelope);
        let ghost = if case.ghost {
            let (copy, _) = GhostStream::new(&mut rng).copy(&mut rng);
            copy.len().to_string()
        } else {
            "-".to_string()
        };
        eprintln!(
            "{:<34} {burst:>7} {ping_pong:>9} {initial:>8} {ghost:>16}",
            case.label
        );
    }
    eprintln!(
        "(ghost: the hidden device never replies, so every fan-out copy is an X3DH prekey \
         message, sent on top of the target's own message)"
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let mut workloads = ops();
    for (workload, ops) in &mut workloads {
        let mut group = criterion.benchmark_group(workload.group());
        for op in ops.iter_mut() {
            let label = op.label.clone();
            group.bench_function(label, |b| op.run(b));
        }
        group.finish();
    }
    criterion.final_summary();
    // Only when measuring (`cargo bench`, not `--test`, `--list` or `cargo test --benches`): the
    // check takes several seconds.
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    if flag("--bench") && !flag("--test") && !flag("--list") {
        print_interleaved(&mut workloads);
    }
    print_wire_bytes();
}
