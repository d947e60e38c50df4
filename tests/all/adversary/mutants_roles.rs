//! The roles drawn before a run (warrants, issuers, evasion, device copies), pinned where a
//! mutation pass found them untested.

use doormat::{
    adversary::{Adversary, AdversarySpec, Issuer, LawfulConfig, LawfulSpec, Roles},
    model::{DAY, HOUR, SimTime},
};
use serde_json::{Value, json};

use super::{scenario, summarise};

const HORIZON: SimTime = 2 * DAY;

fn lawful(spec: Value) -> LawfulSpec {
    serde_json::from_value(spec).unwrap()
}

fn draw(spec: &LawfulSpec) -> Roles {
    Roles::draw(7, 40, HORIZON, None, Some(&LawfulConfig::new(spec, 40)))
}

/// Warrants are issued inside the first `issuance_fraction` of the run, spread over it, and
/// each window lasts `window_days`, cut at the end of the run.
#[test]
fn warrants_start_in_the_issuance_period_and_last_their_window() {
    let spec = lawful(json!({ "targets": 30, "window_days": 0.25, "issuance_fraction": 0.5 }));
    let roles = draw(&spec);
    assert_eq!(roles.targets.len(), 30);
    let window = DAY / 4;
    for (user, target) in &roles.targets {
        let warrant = &target.warrant;
        assert_eq!(warrant.target, *user);
        assert!(warrant.from <= HORIZON / 2, "{warrant:?}");
        assert_eq!(warrant.until, (warrant.from + window).min(HORIZON));
    }
    let starts = roles.targets.values().map(|t| t.warrant.from);
    let (earliest, latest) = (starts.clone().min().unwrap(), starts.max().unwrap());
    assert!(earliest < HORIZON / 8, "issued only late: {earliest}");
    assert!(latest > HORIZON / 4, "issued only early: {latest}");
    // A window longer than the run is cut at its end.
    let long = draw(&lawful(json!({ "targets": 30, "issuance_fraction": 0.5 })));
    assert!(long.targets.values().all(|t| t.warrant.until == HORIZON));
}

/// A prefect share of 0 gives only judges' warrants, of 1 only prefects'; an evasion of 0 no
/// evader, of 1 only evaders.
#[test]
fn issuer_and_evasion_shares_at_their_extremes() {
    let all = |share: f64, evasion: f64| {
        let roles = draw(&lawful(
            json!({ "targets": 20, "prefect_share": share, "evasion": evasion }),
        ));
        let prefects = roles
            .targets
            .values()
            .filter(|t| t.warrant.issuer == Issuer::Prefect)
            .count();
        let evaders = roles.targets.values().filter(|t| t.evades).count();
        (prefects, evaders)
    };
    assert_eq!(all(0.0, 0.0), (0, 0));
    assert_eq!(all(1.0, 1.0), (20, 20));
}

/// A warrant covers `[from, until)`: with every user a target from 0, the messages inside the
/// windows are exactly those sent before the window's end, the message sent in that very
/// second excluded.
#[test]
fn a_warrant_window_excludes_its_end() {
    let with_window = |days: f64| {
        scenario(
            40,
            json!([{ "kind": "plain" }]),
            Value::Null,
            json!({ "targets": 40, "evasion": 0.0, "window_days": days }),
        )
    };
    let scripts = super::scripts(&with_window(0.25));
    let end = scripts
        .iter()
        .flatten()
        .map(|m| m.sent_at)
        .filter(|&t| t >= 6 * HOUR)
        .min()
        .unwrap();
    let before: u64 = scripts
        .iter()
        .flatten()
        .map(|m| u64::from(m.sent_at < end))
        .sum();
    let summary = summarise(&with_window(end as f64 / DAY as f64));
    let lawful = &summary.designs[0].counts.lawful;
    assert!(before > 0 && before < summary.designs[0].counts.sent);
    assert_eq!(lawful.compliant_in_window, before);
    assert_eq!(lawful.evading_in_window, 0);
}

/// A device theft copies the devices of exactly the number of users it names, and the
/// reference victims are as many as asked.
#[test]
fn device_thefts_copy_as_many_users_as_named() {
    let spec: AdversarySpec = serde_json::from_value(json!({
        "compromises": [{ "at_hours": 2, "secret": { "kind": "device", "users": 5 } },
                        { "at_hours": 3, "secret": { "kind": "ghost_power", "users": 4 } }],
        "reference_victims": 6
    }))
    .unwrap();
    let roles = Roles::draw(7, 40, HORIZON, Some(&Adversary::new(&spec)), None);
    let copies: usize = roles.copies.values().map(Vec::len).sum();
    assert_eq!(copies, 5 + 6);
    assert_eq!(roles.reference_victims, 6);
    let ghosts: usize = roles.provider_access.values().map(Vec::len).sum();
    assert_eq!(ghosts, 4);
    // All 40 users named: the draw stops once every user is taken.
    let roles = Roles::draw(
        7,
        40,
        HORIZON,
        None,
        Some(&LawfulConfig::new(&lawful(json!({ "targets": 40 })), 40)),
    );
    assert_eq!(roles.targets.len(), 40);
}

/// Targets are drawn from a stream of their own: the same number of reference victims and of
/// targets are not the same users (a shared stream would draw the same ones).
#[test]
fn targets_and_reference_victims_are_drawn_independently() {
    use doormat::adversary::Owner;
    let adversary: AdversarySpec = serde_json::from_value(json!({
        "compromises": [{ "at_hours": 2, "secret": { "kind": "escrow_key_store" } }],
        "reference_victims": 5
    }))
    .unwrap();
    let roles = Roles::draw(
        7,
        40,
        HORIZON,
        Some(&Adversary::new(&adversary)),
        Some(&LawfulConfig::new(&lawful(json!({ "targets": 5 })), 40)),
    );
    let victims: std::collections::BTreeSet<u32> = roles
        .copies
        .iter()
        .filter(|(_, copies)| {
            copies
                .iter()
                .any(|c| matches!(c.owner, Owner::Reference(_)))
        })
        .map(|(user, _)| *user)
        .collect();
    let targets: std::collections::BTreeSet<u32> = roles.targets.keys().copied().collect();
    assert_eq!((victims.len(), targets.len()), (5, 5));
    assert_ne!(victims, targets);
}
