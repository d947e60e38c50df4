//! A run's figures, built from its `summary.json` read as plain JSON so they follow the file's
//! contract rather than the Rust types that produce it. A figure whose data is missing or null
//! is skipped; only a summary of another layout is an error.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{
    BarChart, Chart, Histogram, LineChart, Marker, PlotError, Render, Series, render_svg, write,
};
use crate::report::SCHEMA_VERSION;

/// Checks that `summary` has the layout this doormat reads: `schema_version` and a `designs`
/// array.
pub fn check_summary(summary: &Value) -> Result<(), PlotError> {
    let version = summary.get("schema_version");
    if version.and_then(Value::as_u64) != Some(u64::from(SCHEMA_VERSION)) {
        return Err(PlotError::Schema {
            found: version.map_or("missing".to_string(), Value::to_string),
            expected: SCHEMA_VERSION,
        });
    }
    if !summary.get("designs").is_some_and(Value::is_array) {
        return Err(PlotError::Summary {
            field: "designs",
            expected: "an array of designs",
        });
    }
    Ok(())
}

/// The two `plain` yardsticks of a leak's exposure.
#[derive(Debug, Clone, Copy)]
enum Reference {
    /// Spyware on one phone: its history and traffic until removal.
    Implant,
    /// One copy of a phone's state, read until its sessions heal.
    Copy,
}

/// Every figure the summary has data for, as `(file stem, chart)`, in a fixed order.
pub fn run_figures(summary: &Value) -> Result<Vec<(String, Chart)>, PlotError> {
    check_summary(summary)?;
    let run = Run::new(summary);
    let mut figures: Vec<(&str, Option<Chart>)> = vec![
        ("exposure", run.exposure().map(Chart::from)),
        (
            "equivalent_devices",
            run.equivalent_devices(Reference::Implant).map(Chart::from),
        ),
        (
            "equivalent_device_copies",
            run.equivalent_devices(Reference::Copy).map(Chart::from),
        ),
        ("overhead_cpu", run.overhead_cpu().map(Chart::from)),
        ("overhead_wire", run.overhead_wire().map(Chart::from)),
        ("healing_hours", run.healing("hours").map(Chart::from)),
        ("healing_messages", run.healing("messages").map(Chart::from)),
        ("lawful_yield", run.lawful_yield().map(Chart::from)),
    ];
    Ok(figures
        .drain(..)
        .filter_map(|(stem, chart)| Some((stem.to_string(), chart?)))
        .collect())
}

/// Writes every figure of the run into `dir` as `<stem>.svg` and `<stem>.png` and returns the
/// SVG paths.
pub fn write_run_figures(summary: &Value, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let mut written = Vec::new();
    for (stem, chart) in run_figures(summary)? {
        write(&chart, dir, &stem)?;
        written.push(dir.join(format!("{stem}.svg")));
    }
    Ok(written)
}

/// Every figure of the run as `(title, SVG document)`, for embedding in a report page.
pub fn figure_svgs(summary: &Value) -> Result<Vec<(String, String)>, PlotError> {
    run_figures(summary)?
        .iter()
        .map(|(_, chart)| Ok((chart.title().to_string(), render_svg(chart)?)))
        .collect()
}

/// Points on the evasion axis of the lawful-yield figure.
const EVASION_STEPS: u32 = 10;

/// The parts of a summary the figures read.
struct Run<'a> {
    summary: &'a Value,
    designs: &'a [Value],
    /// "scenario …, seed …, doormat …": every figure says where it comes from.
    provenance: String,
}

impl<'a> Run<'a> {
    fn new(summary: &'a Value) -> Self {
        let designs = summary
            .get("designs")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut parts = Vec::new();
        if let Some(name) = summary.pointer("/scenario/name").and_then(Value::as_str) {
            parts.push(format!("scenario {name}"));
        }
        if let Some(seed) = summary.get("seed").and_then(Value::as_u64) {
            parts.push(format!("seed {seed}"));
        }
        if let Some(version) = summary.get("doormat_version").and_then(Value::as_str) {
            parts.push(format!("doormat {version}"));
        }
        Self {
            summary,
            designs,
            provenance: parts.join(", "),
        }
    }

    fn notes(&self, extra: &[String]) -> Vec<String> {
        let mut notes = extra.to_vec();
        if !self.provenance.is_empty() {
            notes.push(self.provenance.clone());
        }
        notes
    }

    /// Each design with its label (a placeholder if the label is missing).
    fn labelled(&self) -> impl Iterator<Item = (String, &'a Value)> + 'a {
        self.designs.iter().enumerate().map(|(i, design)| {
            let label = design.get("label").and_then(Value::as_str);
            (
                label.map_or(format!("design {}", i + 1), str::to_string),
                design,
            )
        })
    }

    /// Per design with a number at `pointer`, (label, number × `scale`).
    fn per_design(&self, pointer: &str, scale: f64) -> Vec<(String, f64)> {
        self.labelled()
            .filter_map(|(label, d)| Some((label, d.pointer(pointer)?.as_f64()? * scale)))
            .collect()
    }

    fn exposure(&self) -> Option<LineChart> {
        let series: Vec<Series> = self
            .labelled()
            .filter_map(|(name, design)| {
                let exposure = design.get("exposure").filter(|e| e.is_object())?;
                let points = exposure
                    .get("readable_over_time")
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter_map(|p| Some((p.get("hour")?.as_f64()?, p.get("fraction")?.as_f64()?)))
                    .collect();
                Some(Series {
                    name,
                    points,
                    error: None,
                })
            })
            .collect();
        if series.is_empty() {
            return None;
        }
        let adversary = self.summary.get("adversary");
        let compromises = adversary
            .and_then(|a| a.get("compromise_hours"))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(Value::as_f64)
            .map(|x| Marker {
                x,
                label: "compromise".into(),
            });
        let detection = adversary
            .and_then(|a| a.get("detected_at_hours"))
            .and_then(Value::as_f64)
            .map(|x| Marker {
                x,
                label: "detection".into(),
            });
        Some(LineChart {
            title: "Share of traffic the adversary can read".into(),
            x_label: "simulated time (hours)".into(),
            y_label: "readable / sent so far".into(),
            log_y: false,
            log_x: false,
            series,
            markers: compromises.chain(detection).collect(),
            notes: self.notes(&[]),
        })
    }

    /// Each design's exposure in devices' worth, against one of the two `plain` references.
    fn equivalent_devices(&self, reference: Reference) -> Option<BarChart> {
        let (field, per_device, title, y_label, what) = match reference {
            Reference::Implant => (
                "/exposure/equivalent_devices",
                "/adversary/implant_exposure_per_device",
                "Equivalent phones compromised (implant reference, log scale)",
                "exposed ÷ one implanted phone",
                "one implanted plain phone, history and traffic until removal,",
            ),
            Reference::Copy => (
                "/exposure/equivalent_device_copies",
                "/adversary/copy_exposure_per_device",
                "Equivalent one-time phone copies (log scale)",
                "exposed ÷ one phone copy",
                "one one-time copy of a plain phone, read until it heals,",
            ),
        };
        let per_device = self.summary.pointer(per_device).and_then(Value::as_f64)?;
        // Each bar names the secrets its exposure required: beside the figure, not divided in.
        let bars: Vec<(String, f64)> = self
            .labelled()
            .filter_map(|(label, d)| {
                let value = d.pointer(field)?.as_f64()?;
                let label = match d
                    .pointer("/exposure/secrets_required")
                    .and_then(Value::as_u64)
                {
                    Some(1) => format!("{label}\n1 secret"),
                    Some(n) => format!("{label}\n{n} secrets"),
                    None => label,
                };
                Some((label, value))
            })
            .collect();
        (!bars.is_empty()).then(|| BarChart {
            title: title.into(),
            y_label: y_label.into(),
            log_y: true,
            bars,
            notes: self.notes(&[format!(
                "reference: {what} {} messages",
                crate::plot::style::number(per_device)
            )]),
        })
    }

    fn overhead_cpu(&self) -> Option<BarChart> {
        let bars = self.per_design("/cpu_ns_per_message/total", 1e-3);
        (!bars.is_empty()).then(|| BarChart {
            title: "CPU time per message".into(),
            y_label: "CPU time per message (µs)".into(),
            log_y: false,
            bars,
            notes: self.notes(&["measured: handshake, ratchet, escrow, adversary, engine".into()]),
        })
    }

    fn overhead_wire(&self) -> Option<BarChart> {
        let bars = self.per_design("/wire_bytes_per_message", 1.0);
        (!bars.is_empty()).then(|| BarChart {
            title: "Wire size per message".into(),
            y_label: "wire bytes per message (B)".into(),
            log_y: false,
            bars,
            notes: self.notes(&[]),
        })
    }

    /// The `plain` design's healing histogram per stolen session of `what` (`hours` or
    /// `messages`): the healed sessions, then, apart at the right, a bar of the sessions not
    /// healed by the end of the run; titled with the Kaplan–Meier median.
    fn healing(&self, what: &str) -> Option<Histogram> {
        let (_, plain) = self.labelled().find(|(label, _)| label == "plain")?;
        let healing = plain.get("healing").filter(|h| h.is_object())?;
        let stats = healing
            .get(format!("per_session_{what}"))
            .filter(|s| s.is_object())?;
        let mut bins = stats
            .pointer("/healed/histogram")
            .and_then(Value::as_array)
            .map_or_else(Vec::new, |h| bins(h));
        let open = stats.get("not_healed_by_end").and_then(Value::as_u64);
        if let Some(open) = open.filter(|n| *n > 0) {
            let (lo, hi) = bins.last().map_or((0.0, 1.0), |(lo, hi, _)| (*lo, *hi));
            let width = hi - lo;
            bins.push((hi + width, hi + 2.0 * width, open));
        }
        let (unit, x_label) = if what == "hours" {
            (
                " h",
                "simulated hours from device compromise to healing, per stolen session",
            )
        } else {
            (
                " messages",
                "messages read from device compromise to healing, per stolen session",
            )
        };
        let title = match stats.get("median").and_then(Value::as_f64) {
            Some(median) => format!(
                "Healing per stolen session in plain: Kaplan–Meier median {}{unit}",
                short(median)
            ),
            None => format!("Healing per stolen session in plain ({what}): median not reached"),
        };
        let mut extra = Vec::new();
        let sessions = healing.get("sessions").and_then(Value::as_u64);
        if let (Some(sessions), Some(open)) = (sessions, open) {
            extra.push(format!(
                "{sessions} stolen sessions; the separate bar at the right: {open} not healed by \
                 the end of the run"
            ));
        }
        let shares: Vec<String> = crate::report::UnhealedShare::POINTS
            .iter()
            .filter_map(|(key, name)| {
                let share = healing
                    .pointer(&format!("/unhealed_share_at/{key}"))?
                    .as_f64()?;
                Some(format!("{} % at {name}", short(100.0 * share)))
            })
            .collect();
        if !shares.is_empty() {
            extra.push(format!(
                "still unhealed (Kaplan–Meier): {}",
                shares.join(", ")
            ));
        }
        Some(Histogram {
            title,
            x_label: x_label.into(),
            y_label: "stolen sessions".into(),
            bins,
            notes: self.notes(&extra),
        })
    }

    fn lawful_yield(&self) -> Option<LineChart> {
        let series: Vec<Series> = self
            .labelled()
            .filter_map(|(name, design)| {
                let lawful = design.get("lawful").filter(|l| l.is_object())?;
                let compliant = lawful.get("yield_compliant")?.as_f64()?;
                let evading = lawful.get("yield_evading")?.as_f64()?;
                let points = (0..=EVASION_STEPS)
                    .map(|step| {
                        let e = f64::from(step) / f64::from(EVASION_STEPS);
                        (e, (1.0 - e) * compliant + e * evading)
                    })
                    .collect();
                Some(Series {
                    name,
                    points,
                    error: None,
                })
            })
            .collect();
        if series.is_empty() {
            return None;
        }
        let markers = self
            .summary
            .pointer("/scenario/lawful_access/evasion")
            .and_then(Value::as_f64)
            .map(|x| Marker {
                x,
                label: "scenario's evasion".into(),
            });
        Some(LineChart {
            title: "Lawful-access yield as targets evade".into(),
            x_label: "share of targets evading".into(),
            y_label: "yield (warranted messages read)".into(),
            log_y: false,
            log_x: false,
            series,
            markers: markers.into_iter().collect(),
            notes: self.notes(&["evading: superencryption or a non-compliant client".into()]),
        })
    }
}

/// Histogram bins from `[[value, count], …]`, each value a bin's centre. Every bin is as wide
/// as the closest spacing of two values, so values with no entry show as gaps and no bar is
/// stretched over them; bins of non-negative values do not reach below 0.
fn bins(entries: &[Value]) -> Vec<(f64, f64, u64)> {
    let mut pairs: Vec<(f64, u64)> = entries
        .iter()
        .filter_map(|entry| {
            let pair = entry.as_array()?;
            let count = pair.get(1)?;
            let count = count
                .as_u64()
                .or_else(|| count.as_f64().map(|c| c.max(0.0) as u64))?;
            Some((pair.first()?.as_f64()?, count))
        })
        .filter(|(value, _)| value.is_finite())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    pairs.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 += b.1;
        }
        same
    });
    let closest = pairs
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .fold(f64::INFINITY, f64::min);
    let half = if closest.is_finite() {
        closest / 2.0
    } else {
        0.5
    };
    let floor = if pairs.first().is_some_and(|p| p.0 >= 0.0) {
        0.0
    } else {
        f64::NEG_INFINITY
    };
    pairs
        .iter()
        .map(|&(centre, count)| ((centre - half).max(floor), centre + half, count))
        .collect()
}

/// A number for a title, without trailing zeros.
fn short(value: f64) -> String {
    super::style::number(value)
}
