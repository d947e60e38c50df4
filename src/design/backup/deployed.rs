//! The backup design as the engine runs it: each client's upload schedule and history, the
//! provider's keys (rotated at detection), the keys the adversary steals, and what each holder
//! opens.

use rand::RngExt;

use super::{BackupKey, BackupSpec, Entry, open, seal};
use crate::{
    design::{
        DesignError, Secret,
        capture::{Readable, Wiretap},
        kind::{
            ConversationSetup, Cost, Deployed, Design, DesignConversation, Load, Registered, Sent,
            Setup,
        },
        secret::Archive,
    },
    model::{HOUR, Side, SimTime, Stream, UserId, rng},
};

/// Copies of each plaintext a backup design holds: both sides' histories and their blobs.
const COPIES: f64 = 2.5;

/// The `backup` design.
pub struct Backup(pub BackupSpec);

impl Registered for Backup {
    type Spec = BackupSpec;
    const KIND: &'static str = "backup";
    const SUMMARY: &'static str = "daily backups under a provider-held key";

    fn new(spec: &BackupSpec) -> Self {
        Self(spec.clone())
    }

    fn examples() -> Vec<BackupSpec> {
        vec![BackupSpec { interval_hours: 24 }]
    }
}

impl Design for Backup {
    fn label(&self) -> String {
        "backup".into()
    }

    fn problems(&self) -> Vec<(String, String)> {
        if self.0.interval_hours == 0 {
            vec![(
                "interval_hours".into(),
                "expected at least 1 hour, found 0".into(),
            )]
        } else {
            Vec::new()
        }
    }

    /// Both sides' plaintexts sealed into backups: two AES-GCM passes over each byte, where
    /// the protocol's byte cost counts two (encrypt and decrypt) and the comparisons.
    fn cost(&self, load: &Load) -> Cost {
        Cost {
            cpu_seconds: load.messages * load.mean_bytes * load.byte_cost_s,
            wire_bytes: 0.0,
            conversation_bytes: COPIES * load.busiest * load.mean_bytes,
        }
    }

    fn deploy(&self, setup: &mut Setup<'_>) -> Result<Box<dyn Deployed>, DesignError> {
        let mut provider = rng(
            setup.seed,
            Stream::Provider {
                design: setup.index,
            },
        );
        let keys = BackupKeys::new([provider.random(), provider.random()], setup.rotation);
        let mut stolen: Vec<(SimTime, usize, usize, BackupKey)> = Vec::new();
        for theft in setup.thefts {
            if theft.secret != Secret::BackupKey {
                continue;
            }
            let generation = keys.generation_at(theft.at);
            if stolen.iter().all(|(_, _, g, _)| *g != generation) {
                let key = keys.key(generation).clone();
                stolen.push((theft.at, theft.compromise, generation, key));
            }
        }
        Ok(Box::new(Built {
            interval: SimTime::from(self.0.interval_hours.max(1)) * HOUR,
            authority: keys.clone(),
            keys,
            stolen,
        }))
    }
}

/// The provider's backup key, and the fresh one it switches to after a detection.
#[derive(Clone)]
pub struct BackupKeys {
    keys: [BackupKey; 2],
    rotation: Option<SimTime>,
}

impl BackupKeys {
    /// Keys from 64 random bytes; the second is used from `rotation` on.
    pub fn new(bytes: [[u8; 32]; 2], rotation: Option<SimTime>) -> Self {
        Self {
            keys: bytes.map(BackupKey::new),
            rotation,
        }
    }

    /// The generation (0, or 1 after rotation) in use at `t`.
    pub fn generation_at(&self, t: SimTime) -> usize {
        usize::from(self.rotation.is_some_and(|r| t >= r))
    }

    /// The key of `generation`.
    pub fn key(&self, generation: usize) -> &BackupKey {
        &self.keys[generation.min(1)]
    }
}

/// A backup design built for a run.
struct Built {
    interval: SimTime,
    /// The provider's keys, which clients seal their backups under.
    keys: BackupKeys,
    /// The same keys as the authority holds them: a court orders the provider to open backups.
    authority: BackupKeys,
    /// Keys the adversary stole: time, compromise, the generation in use then, and the key.
    stolen: Vec<(SimTime, usize, usize, BackupKey)>,
}

impl Deployed for Built {
    fn conversation(&self, setup: &ConversationSetup<'_>) -> Box<dyn DesignConversation + '_> {
        Box::new(Backups {
            design: self,
            conversation: setup.conversation,
            users: setup.users,
            horizon: setup.horizon,
            history: [Vec::new(), Vec::new()],
            made: [0; 2],
            blobs: Vec::new(),
        })
    }

    fn secrets_required(&self) -> u64 {
        self.stolen.len() as u64
    }

    fn corrupt_secrets(&mut self) {
        for (_, _, _, key) in &mut self.stolen {
            *key = BackupKey::new([9; 32]);
        }
        self.authority = BackupKeys::new([[7; 32], [8; 32]], None);
    }
}

/// One backup: a side's messages since its previous backup.
struct Blob {
    side: Side,
    at: SimTime,
    /// Its number (in the key derivation).
    number: u64,
    /// The provider key generation it is sealed under.
    generation: usize,
    bytes: Vec<u8>,
}

/// One conversation's backups.
struct Backups<'a> {
    design: &'a Built,
    conversation: u64,
    users: [UserId; 2],
    horizon: SimTime,
    /// Each side's messages since its last backup.
    history: [Vec<Entry>; 2],
    /// Each side's backups so far.
    made: [u64; 2],
    blobs: Vec<Blob>,
}

impl Backups<'_> {
    /// The messages `blob` holds that open to their true plaintext under `key`.
    fn open(&self, tap: &Wiretap<'_>, key: &BackupKey, blob: &Blob) -> Vec<usize> {
        let user = self.users[blob.side.index()];
        open(key, user, blob.number, &blob.bytes)
            .map(|entries| {
                entries
                    .into_iter()
                    .filter_map(|entry| {
                        let index = usize::try_from(entry.message).ok()?;
                        tap.is_truth(index, &entry.text).then_some(index)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl DesignConversation for Backups<'_> {
    /// Each user backs up every `interval`, at a phase of its own.
    fn schedule(&self) -> Vec<(SimTime, Side)> {
        let interval = self.design.interval;
        let mut ticks = Vec::new();
        for (side, user) in Side::BOTH.into_iter().zip(self.users) {
            let phase = u64::from(user).wrapping_mul(0x9E37_79B9_7F4A_7C15) % interval;
            let mut at = if phase == 0 { interval } else { phase };
            while at <= self.horizon {
                ticks.push((at, side));
                at += interval;
            }
        }
        ticks
    }

    fn sent(&mut self, sent: &Sent<'_>, _crypto: &mut rand_chacha::ChaCha20Rng) {
        self.history[sent.side.index()].push(Entry {
            message: sent.index as u64,
            text: sent.text.to_vec(),
        });
    }

    fn read(&mut self, side: Side, index: usize, text: &[u8]) {
        self.history[side.index()].push(Entry {
            message: index as u64,
            text: text.to_vec(),
        });
    }

    fn tick(&mut self, side: Side, now: SimTime) {
        let entries = std::mem::take(&mut self.history[side.index()]);
        if entries.is_empty() {
            return;
        }
        let generation = self.design.keys.generation_at(now);
        let number = self.conversation << 20 | self.made[side.index()];
        self.made[side.index()] += 1;
        let user = self.users[side.index()];
        if let Ok(bytes) = seal(self.design.keys.key(generation), user, number, &entries) {
            self.blobs.push(Blob {
                side,
                at: now,
                number,
                generation,
                bytes,
            });
        }
    }

    /// Backups opened with a stolen key: every upload under that key's generation.
    fn expose(&mut self, tap: &Wiretap<'_>, _archive: &Archive, readable: &mut Readable) {
        for (at, compromise, generation, key) in &self.design.stolen {
            for blob in self.blobs.iter().filter(|b| b.generation == *generation) {
                for index in self.open(tap, key, blob) {
                    readable.offer(index, blob.at.max(*at), *compromise, *at);
                }
            }
        }
    }

    fn obtain(&mut self, tap: &Wiretap<'_>, _covered: &[bool], obtained: &mut [Vec<bool>; 2]) {
        for blob in &self.blobs {
            let key = self.design.authority.key(blob.generation);
            for index in self.open(tap, key, blob) {
                obtained[blob.side.index()][index] = true;
            }
        }
    }
}
