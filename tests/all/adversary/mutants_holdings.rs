//! Holdings: which secrets a theft takes, pinned where a mutation pass found them untested.

use serde_json::json;

use super::{scenario, summarise};

/// A backup key stolen before the detection opens only the backups sealed before the provider
/// rotated its key: nothing sent after the detection is exposed (a key generation that ignored
/// the rotation would open them all).
#[test]
fn a_backup_key_stolen_before_rotation_opens_no_later_backup() {
    let s = scenario(
        40,
        json!([{ "kind": "backup", "interval_hours": 2 }]),
        json!({ "compromises": [{ "secret": { "kind": "backup_key" }, "at_hours": 2 }],
                "detected_at_hours": 6, "reference_victims": 0 }),
        serde_json::Value::Null,
    );
    let summary = summarise(&s);
    let exposure = summary.designs[0].exposure.as_ref().unwrap();
    assert!(exposure.exposed > 0);
    assert_eq!(exposure.after_detection, 0);
    let window = exposure.window_hours.unwrap();
    assert!(window[1] < 6.0, "{window:?}");
}
