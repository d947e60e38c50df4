//! The recipient checks a field against the authority key in use when its message was sent, from
//! the public directory alone, so a key deleted while the message is in flight refuses nothing;
//! a field naming a key not in use at the claimed sending is refused.

use doormat::design::escrow::{Granularity, Verification};
use doormat::model::SimTime;

use super::support::{EPOCH, Run};

/// Each sampled message that carries a field is redelivered (to a copy of its recipient) as if
/// sent an epoch earlier or later. With full verification in the epoch scope a `message` or
/// `chain` field is accepted only at a sending time in the epoch it was sealed in, and a
/// `session` field (sealed once, at the session's start) at any time from that epoch on.
/// Single-key scopes, the 16-bit check and messages without a field accept any time.
pub(crate) fn field_names_the_key_in_use_at_sending(run: &Run) {
    let fixture = &run.fixture;
    let checks_time = fixture.is_epoch_scope() && fixture.verification() == Verification::Full;
    let mut wrong = Vec::new();
    for m in run.sample() {
        let sealed_from = SimTime::from(run.epoch_of(m)) * EPOCH;
        let claims = [
            m.sent_at,
            m.sent_at.saturating_sub(EPOCH),
            m.sent_at + EPOCH,
        ];
        for claimed in claims {
            let in_epoch = claimed / EPOCH == sealed_from / EPOCH;
            let accepted = !checks_time
                || !run.carries_field(m)
                || match fixture.granularity() {
                    Some(Granularity::Session) => sealed_from <= claimed,
                    _ => in_epoch,
                };
            let result =
                super::support::receive(&mut m.before.clone(), run.design(), &m.bytes, claimed);
            if result.as_ref().ok() != accepted.then_some(&m.plaintext) {
                wrong.push(format!(
                    "message {} sent at {} claimed at {claimed}: {result:?}",
                    m.index, m.sent_at
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{}:\n{}",
        fixture.spec.label(),
        wrong.join("\n")
    );
}
