//! Histograms of already-binned counts (doormat's summaries carry bins, not raw samples).

use plotters::{coord::Shift, prelude::*};

use super::{
    PlotError,
    frame::{draw_no_data, frame},
    range::{degenerate, extent, on_axis},
    render::{Render, sealed::Draw},
    style::{BAR, LABEL_PX, drawing, style_axes},
};

/// A histogram.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    /// Shown above the chart.
    pub title: String,
    /// What is binned, with its unit.
    pub x_label: String,
    /// What is counted, e.g. `conversations`.
    pub y_label: String,
    /// (lower edge, upper edge, count); bins with non-finite or reversed edges are skipped.
    pub bins: Vec<(f64, f64, u64)>,
    /// Lines of small print under the chart (provenance, caveats).
    pub notes: Vec<String>,
}

impl Render for Histogram {
    fn title(&self) -> &str {
        &self.title
    }
}

impl Draw for Histogram {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let fail = drawing(&self.title);
        let bins: Vec<(f64, f64, u64)> = self
            .bins
            .iter()
            .copied()
            .filter(|(lo, hi, _)| {
                on_axis(*lo, false) && on_axis(*hi, false) && !degenerate(*lo, *hi)
            })
            .collect();
        let mut notes = self.notes.clone();
        if bins.len() < self.bins.len() {
            notes.push(format!(
                "{} malformed bin(s) left out",
                self.bins.len() - bins.len()
            ));
        }
        let framed = frame(root, &self.title, &notes, &[])?;
        let (lo, hi) = extent(bins.iter().flat_map(|(lo, hi, _)| [*lo, *hi])).unwrap_or((0.0, 1.0));
        let top = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64 * 1.08;
        let mut chart = ChartBuilder::on(&framed.plot)
            .margin(12)
            .x_label_area_size(LABEL_PX * 3)
            .y_label_area_size(LABEL_PX * 4 + 8)
            .build_cartesian_2d(lo..hi, 0.0..top)
            .map_err(&fail)?;
        style_axes(&mut chart.configure_mesh(), &self.x_label, &self.y_label)
            .disable_x_mesh()
            .x_labels(10)
            .y_labels(8)
            .draw()
            .map_err(&fail)?;
        if bins.is_empty() {
            return draw_no_data(root, chart.plotting_area().get_pixel_range(), &self.title);
        }
        let bars = bins
            .iter()
            .filter(|b| b.2 > 0)
            .map(|&(lo, hi, count)| Rectangle::new([(lo, 0.0), (hi, count as f64)], BAR.filled()));
        chart.draw_series(bars).map_err(&fail)?;
        // Thin white edges keep adjacent bins apart.
        let edges = bins.iter().filter(|b| b.2 > 0).map(|&(lo, hi, count)| {
            Rectangle::new([(lo, 0.0), (hi, count as f64)], WHITE.stroke_width(1))
        });
        chart.draw_series(edges).map_err(&fail)?;
        Ok(())
    }
}
