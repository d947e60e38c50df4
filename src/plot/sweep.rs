//! Lines for parameter sweeps: one line per design over the swept parameter, each point a mean
//! over repeated runs with its confidence interval as an error bar.

use super::{LineChart, Series};

/// One point of a sweep line: `(x, mean, ci_half_width)`.
pub type SweepPoint = (f64, f64, f64);

/// A line chart of a sweep. `lines` holds, per design, its label and its points as
/// `(x, mean, ci_half_width)`; a NaN half-width draws no error bar at that point. Set `log_y`
/// or `notes` on the result if needed, then draw it with [`write()`](super::write()).
pub fn sweep_lines(
    title: &str,
    x_label: &str,
    y_label: &str,
    lines: &[(String, Vec<SweepPoint>)],
) -> LineChart {
    LineChart {
        title: title.to_string(),
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        series: lines
            .iter()
            .map(|(name, points)| Series {
                name: name.clone(),
                points: points.iter().map(|&(x, mean, _)| (x, mean)).collect(),
                error: Some(points.iter().map(|&(_, _, half)| half).collect()),
            })
            .collect(),
        ..LineChart::default()
    }
}
