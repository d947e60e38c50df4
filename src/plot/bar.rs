//! Bar charts: one bar per category (e.g. per design), its value written above it. On a log
//! scale, values that cannot be drawn (≤ 0) keep their slot and are named in a note.

use std::ops::Range;

use plotters::{
    coord::{
        Shift,
        ranged1d::{AsRangedCoord, ValueFormatter},
    },
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

use super::{
    PlotError,
    frame::{draw_no_data, frame},
    range::{decades, degenerate, extent, on_axis},
    render::{Render, sealed::Draw},
    style::{BAR, INK, LABEL_PX, TEXT_PX, drawing, number, text, value_label},
};

/// A bar chart with categories on the x axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BarChart {
    /// Shown above the chart.
    pub title: String,
    /// The y axis, with its unit.
    pub y_label: String,
    /// Logarithmic y axis, for values spanning decades.
    pub log_y: bool,
    /// (category, value), drawn left to right.
    pub bars: Vec<(String, f64)>,
    /// Lines of small print under the chart (provenance, caveats).
    pub notes: Vec<String>,
}

/// Vertical space per line of a category label.
const LABEL_LINE_PX: u32 = TEXT_PX + 4;

impl Render for BarChart {
    fn title(&self) -> &str {
        &self.title
    }
}

impl Draw for BarChart {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let mut notes = self.notes.clone();
        let undrawable: Vec<&str> = self
            .bars
            .iter()
            .filter(|(_, v)| !self.drawable(*v))
            .map(|(name, _)| name.as_str())
            .collect();
        if !undrawable.is_empty() {
            let why = if self.log_y {
                "≤ 0 or out of range, not on the log scale"
            } else {
                "not finite or out of range"
            };
            let names: Vec<String> = undrawable.iter().map(|n| n.replace('\n', " ")).collect();
            notes.push(format!("no bar ({why}): {}", names.join(", ")));
        }
        let framed = frame(root, &self.title, &notes, &[])?;
        let values = self
            .bars
            .iter()
            .map(|(_, v)| *v)
            .filter(|v| self.drawable(*v));
        let x = -0.5..(self.bars.len().max(1) as f64 - 0.5);
        if self.log_y {
            // Twice the highest value leaves headroom for its label.
            let y = decades(values.flat_map(|v| [v, v * 2.0]));
            self.draw_axes_and_data(root, &framed.plot, x, y.clone(), y.log_scale())
        } else {
            let y = linear_range(values);
            self.draw_axes_and_data(root, &framed.plot, x, y.clone(), y)
        }
    }
}

impl BarChart {
    fn drawable(&self, v: f64) -> bool {
        on_axis(v, self.log_y)
    }

    /// Each category's label, broken after `/` into lines when wider than its slot.
    fn category_lines<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        slot_px: u32,
    ) -> Result<Vec<Vec<String>>, PlotError> {
        let style = text(TEXT_PX, INK);
        let fail = drawing(&self.title);
        let mut all = Vec::new();
        for (name, _) in &self.bars {
            // A line break in a category starts a line of its own; each line too wide for its
            // slot breaks after its slashes.
            let mut lines = Vec::new();
            for line in name.split('\n') {
                let (width, _) = area.estimate_text_size(line, &style).map_err(&fail)?;
                if width + 8 <= slot_px || !line.contains('/') {
                    lines.push(line.to_string());
                    continue;
                }
                let parts: Vec<&str> = line.split('/').collect();
                let last = parts.len() - 1;
                lines.extend(parts.iter().enumerate().map(|(i, part)| {
                    if i < last {
                        format!("{part}/")
                    } else {
                        part.to_string()
                    }
                }));
            }
            all.push(lines);
        }
        Ok(all)
    }

    fn draw_axes_and_data<DB: DrawingBackend, Y>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        x: Range<f64>,
        y_bounds: Range<f64>,
        y: Y,
    ) -> Result<(), PlotError>
    where
        Y: AsRangedCoord<Value = f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let fail = drawing(&self.title);
        let y_axis_px = LABEL_PX * 4 + 8;
        let slot_px =
            area.dim_in_pixel().0.saturating_sub(y_axis_px + 24) / self.bars.len().max(1) as u32;
        let labels = self.category_lines(area, slot_px)?;
        let rows = labels.iter().map(Vec::len).max().unwrap_or(1) as u32;
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(12 + rows * LABEL_LINE_PX)
            .y_label_area_size(y_axis_px)
            .build_cartesian_2d(x, y)
            .map_err(&fail)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(self.y_label.as_str())
            .label_style(text(TEXT_PX, INK))
            .axis_desc_style(text(LABEL_PX, INK))
            .y_label_formatter(&|v| number(*v))
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(RGBColor(240, 240, 240))
            .max_light_lines(4)
            .y_labels(8)
            .draw()
            .map_err(&fail)?;
        if self.bars.is_empty() {
            return draw_no_data(root, chart.plotting_area().get_pixel_range(), &self.title);
        }
        let base = if self.log_y { y_bounds.start } else { 0.0 };
        let centre = |i: usize| i as f64;
        for (i, (_, v)) in self.bars.iter().enumerate() {
            let (x, drawable) = (centre(i), self.drawable(*v));
            if drawable {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.35, base), (x + 0.35, *v)],
                        BAR.filled(),
                    )))
                    .map_err(&fail)?;
            }
            let top = if drawable { *v } else { base };
            let shown = if v.is_nan() {
                "n/a".to_string()
            } else {
                value_label(*v)
            };
            let below = *v < 0.0;
            let (dy, vpos) = if below {
                (4, VPos::Top)
            } else {
                (-4, VPos::Bottom)
            };
            let style = text(TEXT_PX, INK).pos(Pos::new(HPos::Center, vpos));
            chart
                .plotting_area()
                .draw(&(EmptyElement::at((x, top)) + Text::new(shown, (0, dy), style)))
                .map_err(&fail)?;
        }
        let (_, pixels_y) = chart.plotting_area().get_pixel_range();
        for (i, lines) in labels.iter().enumerate() {
            let px = chart.backend_coord(&(centre(i), base)).0;
            for (row, line) in lines.iter().enumerate() {
                let y = pixels_y.end + 8 + (row as u32 * LABEL_LINE_PX) as i32;
                let style = text(TEXT_PX, INK).pos(Pos::new(HPos::Center, VPos::Top));
                root.draw(&Text::new(line.as_str(), (px, y), style))
                    .map_err(&fail)?;
            }
        }
        Ok(())
    }
}

/// From 0 (or the lowest negative value) to the highest value, with headroom for value labels.
fn linear_range(values: impl Iterator<Item = f64>) -> Range<f64> {
    let (lo, hi) = extent(values).unwrap_or((0.0, 1.0));
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let span = if degenerate(lo, hi) { 1.0 } else { hi - lo };
    let lo = if lo < 0.0 { lo - 0.12 * span } else { lo };
    lo..hi + 0.12 * span
}
