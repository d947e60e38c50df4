//! What the adversary read: the share of traffic readable over time, and each design's
//! exposure in phones' worth against the two references on the baseline design.

use super::Run;
use crate::plot::{BarChart, LineChart, Marker, Series};

/// The two yardsticks of a leak's exposure, both on the baseline design.
#[derive(Debug, Clone, Copy)]
pub(super) enum Reference {
    /// Spyware on one phone: its history and traffic until removal.
    Implant,
    /// One copy of a phone's state, read until its sessions heal.
    Copy,
}

impl Run<'_> {
    pub(super) fn exposure(&self) -> Option<LineChart> {
        let series: Vec<Series> = self
            .summary
            .designs
            .iter()
            .filter_map(|design| {
                let exposure = design.exposure.as_ref()?;
                Some(Series {
                    name: design.label.clone(),
                    points: exposure
                        .readable_over_time
                        .iter()
                        .map(|p| (p.hour, p.fraction))
                        .collect(),
                    error: None,
                })
            })
            .collect();
        if series.is_empty() {
            return None;
        }
        let adversary = self.summary.adversary.as_ref();
        let compromises = adversary
            .map_or(&[][..], |a| a.compromise_hours.as_slice())
            .iter()
            .map(|&x| Marker {
                x,
                label: "compromise".into(),
            });
        let detection = adversary.and_then(|a| a.detected_at_hours).map(|x| Marker {
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

    /// Each design's exposure in devices' worth, against one of the two references.
    pub(super) fn equivalent_devices(&self, reference: Reference) -> Option<BarChart> {
        let adversary = self.summary.adversary.as_ref()?;
        // The references are phones of the baseline design (named, if the summary says which).
        let baseline = self
            .summary
            .baseline_design()
            .map_or(String::new(), |d| format!("{} ", d.label));
        let (per_device, title, y_label, what) = match reference {
            Reference::Implant => (
                adversary.implant_exposure_per_device,
                "Equivalent phones compromised (implant reference, log scale)",
                "exposed ÷ one implanted phone",
                format!("one implanted {baseline}phone, history and traffic until removal,"),
            ),
            Reference::Copy => (
                adversary.copy_exposure_per_device,
                "Equivalent one-time phone copies (log scale)",
                "exposed ÷ one phone copy",
                format!("one one-time copy of a {baseline}phone, read until it heals,"),
            ),
        };
        let per_device = per_device?;
        // Each bar names the secrets its exposure required: beside the figure, not divided in.
        let bars: Vec<(String, f64)> = self
            .summary
            .designs
            .iter()
            .filter_map(|d| {
                let exposure = d.exposure.as_ref()?;
                let value = match reference {
                    Reference::Implant => exposure.equivalent_devices,
                    Reference::Copy => exposure.equivalent_device_copies,
                }?;
                let label = match exposure.secrets_required {
                    1 => format!("{}\n1 secret", d.label),
                    n => format!("{}\n{n} secrets", d.label),
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
}
