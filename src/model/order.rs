//! The one order of a conversation's events. The engine runs them in this order, and the
//! adversary's device follower replays a copied side's share of them in the same order, so a
//! stolen state sees exactly what the victim's device saw, one event at a time.

use super::{Scripted, Side, SimTime};

/// What happens at one simulated instant, in this order when simultaneous (the derived `Ord`
/// is the definition): a re-key first, then sends by message index, then deliveries by message
/// index, then the design's scheduled ticks. Sends come before deliveries so a message sent in the same second as
/// a reply arrives still goes out on the chain the sender held before reading that reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    /// Detection: the initiator starts a fresh session (X3DH) on its next send.
    Rekey,
    /// Message `index` is sent.
    Send(u32),
    /// Message `index` reaches its recipient.
    Deliver(u32),
    /// A time the design scheduled for side `side` (a backup upload).
    Tick(Side),
}

/// Every send and delivery of `script`, in engine order.
pub fn message_events(script: &[Scripted]) -> Vec<(SimTime, Event)> {
    let mut events: Vec<(SimTime, Event)> = Vec::with_capacity(2 * script.len());
    for (index, message) in script.iter().enumerate() {
        events.push((message.sent_at, Event::Send(index as u32)));
        events.push((message.delivered_at, Event::Deliver(index as u32)));
    }
    events.sort_unstable();
    events
}

/// What `side`'s device processes from `from` on (a copy taken at `from` precedes everything
/// at `from`): its own sends and the deliveries to it, in engine order, as
/// `(message index, own)`.
pub fn side_events(script: &[Scripted], side: Side, from: SimTime) -> Vec<(usize, bool)> {
    message_events(script)
        .into_iter()
        .filter(|(at, _)| *at >= from)
        .filter_map(|(_, event)| match event {
            Event::Send(i) if script[i as usize].from == side => Some((i as usize, true)),
            Event::Deliver(i) if script[i as usize].from != side => Some((i as usize, false)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(from: Side, sent_at: SimTime, delivered_at: SimTime) -> Scripted {
        Scripted {
            from,
            sent_at,
            delivered_at,
            size: 1,
        }
    }

    #[test]
    fn a_send_precedes_a_delivery_in_the_same_second() {
        // Side 1's reply arrives at 10, the second in which side 0 sends message 2.
        let script = [
            message(Side::A, 1, 2),
            message(Side::B, 5, 10),
            message(Side::A, 10, 11),
        ];
        assert_eq!(
            side_events(&script, Side::A, 0),
            [(0, true), (2, true), (1, false)]
        );
        assert_eq!(
            side_events(&script, Side::B, 0),
            [(0, false), (1, true), (2, false)]
        );
    }

    #[test]
    fn a_copy_sees_everything_from_its_own_second_on() {
        let script = [
            message(Side::A, 1, 2),
            message(Side::B, 5, 10),
            message(Side::A, 10, 11),
        ];
        assert_eq!(side_events(&script, Side::A, 10), [(2, true), (1, false)]);
        assert_eq!(side_events(&script, Side::B, 11), [(2, false)]);
    }
}
