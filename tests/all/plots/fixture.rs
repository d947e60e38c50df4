//! A hand-written summary.json with every field the figures read, for three designs: as JSON,
//! to edit, and loaded.

use doormat::report::Summary;
use serde_json::{Value, json};

/// Hourly readable fractions: flat, then a jump at the compromise, flat after detection.
fn over_time(after: f64, hours: usize) -> Value {
    let points: Vec<Value> = (0..hours)
        .map(|h| {
            let fraction = if h < 20 {
                0.0
            } else if h < 50 {
                after * (h - 19) as f64 / 30.0
            } else {
                after
            };
            json!({ "hour": h as f64, "fraction": fraction })
        })
        .collect();
    Value::Array(points)
}

fn counts(sent: u64) -> Value {
    json!({
        "conversations": 100, "handshakes": 120, "sent": sent, "delivered": sent, "failed": 0,
        "dh_steps": sent / 3, "plaintext_bytes": sent * 60, "wire_bytes": sent * 180,
        "sent_per_hour": [sent / 4, sent / 4, sent / 4, sent / 4]
    })
}

fn cpu(total: f64) -> Value {
    json!({
        "handshake": total * 0.2, "ratchet": total * 0.5, "escrow": total * 0.1,
        "adversary": total * 0.1, "engine": total * 0.1, "total": total
    })
}

fn exposure(fraction: f64, equivalent_devices: Option<f64>, hours: usize) -> Value {
    json!({
        "exposed": 120, "fraction": fraction, "retroactive": 80, "prospective": 40,
        "after_detection": 0, "users_touched": 3, "conversations_touched": 4,
        "window_hours": [20.0, 50.0], "secrets_required": 1,
        "equivalent_devices": equivalent_devices,
        "equivalent_device_copies": equivalent_devices.map(|n| n * 2.0),
        "readable_over_time": over_time(fraction, hours)
    })
}

/// The scenario as run: what the figures read of it is its name and its evasion.
fn scenario() -> Value {
    json!({
        "name": "fixture", "description": "hand-written", "seed": 7, "duration_days": 3.0,
        "population": { "users": 200 },
        "designs": [
            { "kind": "plain" },
            { "kind": "escrow", "scope": { "kind": "global" }, "granularity": "chain" }
        ],
        "lawful_access": { "evasion": 0.3 }
    })
}

/// The fixture: `plain` (healing, a spyware lawful path), `escrow/global/chain` (everything
/// readable after the key leaks) and `ghost` (0 equivalent phones: a log-scale edge case).
pub(crate) fn summary_json() -> Value {
    let hours = 72;
    let mut summary = json!({
        "schema_version": doormat::report::SCHEMA_VERSION,
        "doormat_version": "0.1.0",
        "scenario": scenario(),
        "seed": 7, "conversations": 100, "threads": 2, "wall_seconds": 1.5,
        "messages_per_second": 4000.0, "peak_memory_bytes": 1_000_000,
        "adversary": {
            "compromise_hours": [20.0], "detected_at_hours": 50.0,
            "archive_retention_days": null, "reference_victims": 20,
            "implant_removed_at_hours": 50.0, "implant_exposure_per_device": 24.0,
            "copy_exposure_per_device": 12.0
        },
        "designs": [
            {
                "label": "plain", "counts": counts(6000), "wire_bytes_per_message": 150.0,
                "wire_overhead_vs_plain": 0.0, "cpu_ns_per_message": cpu(21_000.0),
                "cpu_ratio_vs_plain": 1.0, "messages_per_cpu_second": 47_000.0,
                "exposure": exposure(0.02, Some(1.0), hours),
                "healing": {
                    "sessions": 40, "healed_sessions": 38, "not_healed_by_end": 2,
                    "per_session_messages": {
                        "median": 3.0, "survival": [[1.0, 0.75], [3.0, 0.45]],
                        "healed": {
                            "mean": 3.4, "deciles": [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 6.0, 8.0],
                            "histogram": [[1, 10], [2, 9], [3, 7], [4, 5], [5, 3], [6, 2], [8, 2]]
                        },
                        "not_healed_by_end": 2
                    },
                    "per_session_hours": {
                        "median": 4.0, "survival": [[2.0, 0.85], [4.0, 0.45]],
                        "healed": {
                            "mean": 5.2, "deciles": [0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.5, 8.0, 12.0],
                            "histogram": [[0.0, 6], [2.0, 12], [4.0, 9], [6.0, 6], [8.0, 3], [10.0, 2]]
                        },
                        "not_healed_by_end": 2
                    },
                    "unhealed_share_at": { "hour_1": 0.95, "hours_24": 0.05, "days_7": null }
                },
                "lawful": {
                    "targets": 10, "evading_targets": 3, "messages_in_windows": 500,
                    "messages_obtained": 150, "yield": 0.3, "yield_compliant": 0.35,
                    "yield_evading": 0.25, "device_compromises": 10
                }
            },
            {
                "label": "escrow/global/chain", "counts": counts(6000),
                "wire_bytes_per_message": 262.0, "wire_overhead_vs_plain": 112.0,
                "cpu_ns_per_message": cpu(48_000.0), "cpu_ratio_vs_plain": 2.3,
                "messages_per_cpu_second": 20_000.0,
                "exposure": exposure(0.9, Some(4500.0), hours),
                "healing": null,
                "lawful": {
                    "targets": 10, "evading_targets": 3, "messages_in_windows": 500,
                    "messages_obtained": 350, "yield": 0.7, "yield_compliant": 1.0,
                    "yield_evading": 0.0, "device_compromises": 0
                }
            },
            {
                "label": "ghost", "counts": counts(6000), "wire_bytes_per_message": 151.0,
                "wire_overhead_vs_plain": 1.0, "cpu_ns_per_message": cpu(25_000.0),
                "cpu_ratio_vs_plain": 1.2, "messages_per_cpu_second": 40_000.0,
                "exposure": exposure(0.3, Some(0.0), hours),
                "healing": null,
                "lawful": {
                    "targets": 10, "evading_targets": 3, "messages_in_windows": 500,
                    "messages_obtained": 300, "yield": 0.6, "yield_compliant": 0.9,
                    "yield_evading": null, "device_compromises": 0
                }
            }
        ]
    });
    // The baseline: the design overheads are measured against.
    summary["baseline"] = json!(0);
    summary
}

/// The fixture, loaded.
pub(crate) fn summary() -> Summary {
    serde_json::from_value(summary_json()).unwrap()
}

/// `summary`, loaded.
pub(crate) fn load(summary: Value) -> Summary {
    serde_json::from_value(summary).unwrap()
}
