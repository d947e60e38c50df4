//! A run's figures, built from its [`Summary`]. A figure whose data the run lacks (no adversary,
//! no warrants, no healing) is left out.

mod exposure;
mod healing;
mod lawful;

use std::path::{Path, PathBuf};

use self::{exposure::Reference, healing::Healing};
use super::{BarChart, Chart, PlotError, Render, render_svg, write};
use crate::report::{DesignSummary, Summary};

/// Every figure the summary has data for, as `(file stem, chart)`, in a fixed order.
pub fn run_figures(summary: &Summary) -> Vec<(String, Chart)> {
    let run = Run::new(summary);
    let figures: [(&str, Option<Chart>); 8] = [
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
        (
            "healing_hours",
            run.healing(Healing::Hours).map(Chart::from),
        ),
        (
            "healing_messages",
            run.healing(Healing::Messages).map(Chart::from),
        ),
        ("lawful_yield", run.lawful_yield().map(Chart::from)),
    ];
    figures
        .into_iter()
        .filter_map(|(stem, chart)| Some((stem.to_string(), chart?)))
        .collect()
}

/// Writes every figure of the run into `dir` as `<stem>.svg` and `<stem>.png` and returns the
/// SVG paths.
pub fn write_run_figures(summary: &Summary, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let mut written = Vec::new();
    for (stem, chart) in run_figures(summary) {
        write(&chart, dir, &stem)?;
        written.push(dir.join(format!("{stem}.svg")));
    }
    Ok(written)
}

/// Every figure of the run as `(title, SVG document)`, for embedding in a report page.
pub fn figure_svgs(summary: &Summary) -> Result<Vec<(String, String)>, PlotError> {
    run_figures(summary)
        .iter()
        .map(|(_, chart)| Ok((chart.title().to_string(), render_svg(chart)?)))
        .collect()
}

/// The summary the figures read, and where it comes from.
struct Run<'a> {
    summary: &'a Summary,
    /// "scenario …, seed …, doormat …": every figure says where it comes from.
    provenance: String,
}

impl<'a> Run<'a> {
    fn new(summary: &'a Summary) -> Self {
        Self {
            summary,
            provenance: format!(
                "scenario {}, seed {}, doormat {}",
                summary.scenario.name, summary.seed, summary.doormat_version
            ),
        }
    }

    fn notes(&self, extra: &[String]) -> Vec<String> {
        let mut notes = extra.to_vec();
        notes.push(self.provenance.clone());
        notes
    }

    /// Per design with a figure, (label, figure × `scale`).
    fn per_design(
        &self,
        figure: impl Fn(&DesignSummary) -> Option<f64>,
        scale: f64,
    ) -> Vec<(String, f64)> {
        self.summary
            .designs
            .iter()
            .filter_map(|d| Some((d.label.clone(), figure(d)? * scale)))
            .collect()
    }

    fn overhead_cpu(&self) -> Option<BarChart> {
        let bars = self.per_design(|d| Some(d.cpu_ns_per_message.total), 1e-3);
        (!bars.is_empty()).then(|| BarChart {
            title: "CPU time per message".into(),
            y_label: "CPU time per message (µs)".into(),
            log_y: false,
            bars,
            notes: self.notes(&["measured: handshake, ratchet, escrow, adversary, engine".into()]),
        })
    }

    fn overhead_wire(&self) -> Option<BarChart> {
        let bars = self.per_design(|d| Some(d.wire_bytes_per_message), 1.0);
        (!bars.is_empty()).then(|| BarChart {
            title: "Wire size per message".into(),
            y_label: "wire bytes per message (B)".into(),
            log_y: false,
            bars,
            notes: self.notes(&[]),
        })
    }
}
