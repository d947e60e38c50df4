//! The ghost design as the engine runs it: hidden devices added to users the authority or the
//! adversary can reach through the provider, each sender's fan-out to them, and what the
//! devices read.

use rand_chacha::ChaCha20Rng;

use super::{GhostDevice, GhostFanout, GhostSpec};
use crate::{
    design::{
        DesignError, Secret,
        capture::{Holder, Readable, Wiretap},
        kind::{
            ConversationSetup, Cost, Deployed, Design, DesignConversation, Load, Registered, Sent,
            Setup,
        },
        secret::Archive,
    },
    model::{Side, SimTime, Stream, rng},
};

/// Share of messages a ghost design fans out to a hidden device (measured, small).
const FANNED_OUT: f64 = 0.3;

/// The `ghost` design.
pub struct Ghost(pub GhostSpec);

impl Registered for Ghost {
    type Spec = GhostSpec;
    const KIND: &'static str = "ghost";
    const SUMMARY: &'static str = "the provider adds a hidden device to targeted users";

    fn new(spec: &GhostSpec) -> Self {
        Self(spec.clone())
    }

    fn examples() -> Vec<GhostSpec> {
        vec![GhostSpec {
            notice_probability_per_day: 0.01,
        }]
    }
}

impl Design for Ghost {
    fn label(&self) -> String {
        "ghost".into()
    }

    fn problems(&self) -> Vec<(String, String)> {
        let p = self.0.notice_probability_per_day;
        if (0.0..=1.0).contains(&p) {
            Vec::new()
        } else {
            vec![(
                "notice_probability_per_day".into(),
                format!("expected a probability in [0, 1], found {p}"),
            )]
        }
    }

    /// Ghost devices tap only the targets' conversations.
    fn cost(&self, load: &Load) -> Cost {
        Cost {
            cpu_seconds: FANNED_OUT * load.messages * load.message_cost_s,
            ..Cost::default()
        }
    }

    fn deploy(&self, setup: &mut Setup<'_>) -> Result<Box<dyn Deployed>, DesignError> {
        let power = setup
            .thefts
            .iter()
            .any(|t| matches!(t.secret, Secret::GhostPower { .. }));
        Ok(Box::new(Built {
            spec: self.0.clone(),
            secrets_required: u64::from(power),
        }))
    }
}

/// A ghost design built for a run.
struct Built {
    spec: GhostSpec,
    secrets_required: u64,
}

impl Deployed for Built {
    fn conversation(&self, setup: &ConversationSetup<'_>) -> Box<dyn DesignConversation + '_> {
        let mut taps = Vec::new();
        for side in Side::BOTH {
            let user = setup.users[side.index()];
            for (number, access) in setup.access[side.index()].iter().enumerate() {
                let ghosting = number as u32;
                let noticed = self.spec.noticed_at(
                    &mut rng(setup.seed, Stream::GhostNotice { user, ghosting }),
                    access.from,
                    setup.horizon,
                );
                let until = noticed.map_or(access.until, |t| t.min(access.until));
                for sender in Side::BOTH {
                    let stream = Stream::GhostDevice {
                        conversation: setup.conversation,
                        ghosting,
                        side,
                        sender,
                    };
                    taps.push(Tap {
                        holder: access.holder,
                        side,
                        sender,
                        from: access.from,
                        until,
                        device: GhostDevice::new(&mut rng(setup.seed, stream)),
                        fanout: GhostFanout::default(),
                        copies: Vec::new(),
                    });
                }
            }
        }
        Box::new(Taps(taps))
    }

    fn secrets_required(&self) -> u64 {
        self.secrets_required
    }
}

/// A ghost device on one side's user, fed by one sender side's fan-out while it is in place.
struct Tap {
    holder: Holder,
    /// The ghosted side.
    side: Side,
    /// The side that fans out to it.
    sender: Side,
    from: SimTime,
    until: SimTime,
    device: GhostDevice,
    fanout: GhostFanout,
    /// The fanned-out copies: message index and bytes.
    copies: Vec<(usize, Vec<u8>)>,
}

impl Tap {
    /// The messages the device reads from its copies.
    fn reads(&self, tap: &Wiretap<'_>) -> Vec<usize> {
        let mut device = self.device.clone();
        let mut reader = device.reader();
        self.copies
            .iter()
            .filter(|(index, bytes)| {
                device
                    .receive(&mut reader, bytes)
                    .is_ok_and(|text| tap.is_truth(*index, &text))
            })
            .map(|(index, _)| *index)
            .collect()
    }
}

/// One conversation's ghost devices.
struct Taps(Vec<Tap>);

impl DesignConversation for Taps {
    fn sent(&mut self, sent: &Sent<'_>, crypto: &mut ChaCha20Rng) {
        for tap in &mut self.0 {
            let in_place = tap.from <= sent.at && sent.at < tap.until;
            if tap.sender == sent.side
                && in_place
                && let Ok(copy) = tap.fanout.send(crypto, &mut tap.device, sent.text)
            {
                tap.copies.push((sent.index, copy));
            }
        }
    }

    /// The adversary's ghosts: each message read is readable from its send time.
    fn expose(&mut self, tap: &Wiretap<'_>, _archive: &Archive, readable: &mut Readable) {
        for ghost in &self.0 {
            let Holder::Attacker(compromise) = ghost.holder else {
                continue;
            };
            for index in ghost.reads(tap) {
                let sent_at = tap.script[index].sent_at;
                readable.offer(index, sent_at, compromise, sent_at);
            }
        }
    }

    fn obtain(&mut self, tap: &Wiretap<'_>, _covered: &[bool], obtained: &mut [Vec<bool>; 2]) {
        for ghost in self.0.iter().filter(|g| g.holder == Holder::Authority) {
            for index in ghost.reads(tap) {
                obtained[ghost.side.index()][index] = true;
            }
        }
    }
}
