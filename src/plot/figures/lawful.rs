//! Lawful-access yield as targets evade: per design, from its yields on compliant and on
//! evading targets, with the scenario's own evasion marked.

use super::Run;
use crate::plot::{LineChart, Marker, Series};

/// Points on the evasion axis of the lawful-yield figure.
const EVASION_STEPS: u32 = 10;

impl Run<'_> {
    pub(super) fn lawful_yield(&self) -> Option<LineChart> {
        let series: Vec<Series> = self
            .summary
            .designs
            .iter()
            .filter_map(|design| {
                let lawful = design.lawful.as_ref()?;
                let (compliant, evading) = (lawful.yield_compliant?, lawful.yield_evading?);
                let points = (0..=EVASION_STEPS)
                    .map(|step| {
                        let e = f64::from(step) / f64::from(EVASION_STEPS);
                        (e, (1.0 - e) * compliant + e * evading)
                    })
                    .collect();
                Some(Series {
                    name: design.label.clone(),
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
            .scenario
            .lawful_access
            .as_ref()
            .map(|lawful| Marker {
                x: lawful.evasion,
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
