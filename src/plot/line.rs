//! Line charts: one line per series (e.g. per design) against a numeric x, with optional error
//! bars and vertical event markers such as a compromise or its detection.

use std::ops::Range;

use plotters::{
    coord::{
        Shift,
        ranged1d::{AsRangedCoord, ValueFormatter},
    },
    element::DashedPathElement,
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

use super::{
    PlotError,
    frame::{draw_legend, draw_no_data, frame},
    range::{decades, degenerate, extent, on_axis},
    render::{Render, sealed::Draw},
    style::{LABEL_PX, MARKER_INK, TEXT_PX, draw_marker, drawing, look, style_axes, text},
};

/// A line chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineChart {
    /// Shown above the chart.
    pub title: String,
    /// The x axis, with its unit, e.g. `simulated time (hours)`.
    pub x_label: String,
    /// The y axis, with its unit.
    pub y_label: String,
    /// Logarithmic y axis; values ≤ 0 are then left out and a note says how many.
    pub log_y: bool,
    /// Logarithmic x axis (e.g. a population swept from 1,000 to 1,000,000); values ≤ 0 are
    /// then left out too.
    pub log_x: bool,
    /// The lines, each named in the legend.
    pub series: Vec<Series>,
    /// Vertical dashed lines at notable x values.
    pub markers: Vec<Marker>,
    /// Lines of small print under the chart (provenance, caveats).
    pub notes: Vec<String>,
}

/// One line of a [`LineChart`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Legend entry, e.g. a design label.
    pub name: String,
    /// (x, y) points, drawn in order; points with a NaN or infinite coordinate are skipped.
    pub points: Vec<(f64, f64)>,
    /// Half-width of an error bar per point (e.g. a 95% confidence interval), same order as
    /// `points`; missing or non-finite entries draw no bar.
    pub error: Option<Vec<f64>>,
}

/// A vertical dashed line across a [`LineChart`], labelled once per distinct label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marker {
    /// Where, in x units.
    pub x: f64,
    /// What happened there, e.g. `compromise`.
    pub label: String,
}

/// A point kept for drawing, with its error bar bounds if any.
struct Point {
    x: f64,
    y: f64,
    bar: Option<(f64, f64)>,
}

/// Markers drawn on a line: about this many per series, so dense series stay legible.
const MARKERS_PER_SERIES: usize = 8;

impl Render for LineChart {
    fn title(&self) -> &str {
        &self.title
    }
}

impl Draw for LineChart {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let (lines, dropped) = self.kept_points();
        let mut notes = self.notes.clone();
        if dropped > 0 {
            let why = if self.log_y || self.log_x {
                "≤ 0 or out of range"
            } else {
                "not finite or out of range"
            };
            notes.push(format!("{dropped} value(s) left out ({why})"));
        }
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        let framed = frame(root, &self.title, &notes, &names)?;
        if let Some(legend) = &framed.legend {
            let entries: Vec<(&str, _)> = names
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, look(i)))
                .collect();
            draw_legend(legend, &entries, &self.title)?;
        }
        let x = self.x_range(&lines);
        let y = y_range(&lines, self.log_y);
        let area = &framed.plot;
        match (self.log_x, self.log_y) {
            (false, false) => self.draw_axes_and_data(root, area, &lines, x, y.clone(), y),
            (false, true) => {
                self.draw_axes_and_data(root, area, &lines, x, y.clone(), y.log_scale())
            }
            (true, false) => {
                self.draw_axes_and_data(root, area, &lines, x.log_scale(), y.clone(), y)
            }
            (true, true) => {
                self.draw_axes_and_data(root, area, &lines, x.log_scale(), y.clone(), y.log_scale())
            }
        }
    }
}

impl LineChart {
    /// Finite points (positive too on a log scale) per series, and how many were dropped.
    fn kept_points(&self) -> (Vec<Vec<Point>>, usize) {
        let mut dropped = 0;
        let lines = self
            .series
            .iter()
            .map(|series| {
                series
                    .points
                    .iter()
                    .enumerate()
                    .filter_map(|(i, &(x, y))| {
                        let usable = on_axis(x, self.log_x) && on_axis(y, self.log_y);
                        if !usable {
                            dropped += 1;
                            return None;
                        }
                        let half = series.error.as_ref().and_then(|e| e.get(i).copied());
                        let bar = half
                            .filter(|h| on_axis(*h, false))
                            .map(|h| (y - h.abs(), y + h.abs()));
                        Some(Point { x, y, bar })
                    })
                    .collect()
            })
            .collect();
        (lines, dropped)
    }

    /// The data's x extent, markers included; `0..1` without data (whole decades on a log
    /// axis).
    fn x_range(&self, lines: &[Vec<Point>]) -> Range<f64> {
        let xs = lines.iter().flatten().map(|p| p.x);
        let xs = xs.chain(
            self.markers
                .iter()
                .map(|m| m.x)
                .filter(|x| on_axis(*x, self.log_x)),
        );
        if self.log_x {
            return decades(xs);
        }
        let (lo, hi) = extent(xs).unwrap_or((0.0, 1.0));
        if degenerate(lo, hi) {
            return lo - 0.5..lo + 0.5;
        }
        // Error bars at the ends need room for their caps.
        let bars = lines.iter().flatten().any(|p| p.bar.is_some());
        let pad = if bars { (hi - lo) * 0.03 } else { 0.0 };
        lo - pad..hi + pad
    }

    fn draw_axes_and_data<DB: DrawingBackend, X, Y>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        lines: &[Vec<Point>],
        x: X,
        y_bounds: Range<f64>,
        y: Y,
    ) -> Result<(), PlotError>
    where
        X: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
        Y: AsRangedCoord<Value = f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let fail = drawing(&self.title);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(LABEL_PX * 3)
            .y_label_area_size(LABEL_PX * 4 + 8)
            .build_cartesian_2d(x, y)
            .map_err(&fail)?;
        style_axes(&mut chart.configure_mesh(), &self.x_label, &self.y_label)
            .x_labels(8)
            .y_labels(8)
            .draw()
            .map_err(&fail)?;
        if lines.iter().all(Vec::is_empty) {
            return draw_no_data(root, chart.plotting_area().get_pixel_range(), &self.title);
        }
        self.draw_markers(&chart, &y_bounds, false)?;
        for (i, points) in lines.iter().enumerate() {
            let look = look(i);
            let line = look.colour.stroke_width(2);
            let xy = points.iter().map(|p| (p.x, p.y));
            match look.dash {
                None => chart.draw_series(LineSeries::new(xy, line)).map(|_| ()),
                Some((dash, gap)) => chart
                    .draw_series(DashedLineSeries::new(xy, dash, gap, line))
                    .map(|_| ()),
            }
            .map_err(&fail)?;
            let bars = points.iter().filter_map(|p| {
                let (lo, hi) = p.bar?;
                Some(ErrorBar::new_vertical(
                    p.x,
                    lo.max(y_bounds.start),
                    p.y,
                    hi.min(y_bounds.end),
                    look.colour.stroke_width(2),
                    8,
                ))
            });
            chart.draw_series(bars).map_err(&fail)?;
            // Offset each series' markers so they do not sit on top of one another.
            let step = points.len().div_ceil(MARKERS_PER_SERIES).max(1);
            let offset = (i * step / lines.len().max(1)).min(step - 1);
            for p in points.iter().skip(offset).step_by(step) {
                draw_marker(
                    chart.plotting_area(),
                    (p.x, p.y),
                    look.shape,
                    look.colour,
                    &self.title,
                )?;
            }
        }
        self.draw_markers(&chart, &y_bounds, true)
    }

    /// Vertical dashed lines (under the data), or their labels (over it): each distinct label
    /// is written once, at its first marker, on its own text row so that labels of nearby
    /// markers do not overlap.
    fn draw_markers<DB: DrawingBackend, X, Y>(
        &self,
        chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
        y: &Range<f64>,
        labels: bool,
    ) -> Result<(), PlotError>
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let fail = drawing(&self.title);
        let area = chart.plotting_area();
        let (pixels_x, _) = area.get_pixel_range();
        let middle = (pixels_x.start + pixels_x.end) / 2;
        let mut labelled: Vec<&str> = Vec::new();
        for marker in self.markers.iter().filter(|m| on_axis(m.x, self.log_x)) {
            if !labels {
                area.draw(&DashedPathElement::new(
                    vec![(marker.x, y.start), (marker.x, y.end)],
                    7,
                    5,
                    MARKER_INK.stroke_width(2),
                ))
                .map_err(&fail)?;
                continue;
            }
            if marker.label.is_empty() || labelled.contains(&marker.label.as_str()) {
                continue;
            }
            let row = labelled.len() as i32;
            labelled.push(&marker.label);
            let left = chart.backend_coord(&(marker.x, y.end)).0 > middle;
            let (dx, anchor) = if left {
                (-6, HPos::Right)
            } else {
                (6, HPos::Left)
            };
            let style = text(TEXT_PX, MARKER_INK).pos(Pos::new(anchor, VPos::Top));
            let (width, height) = area
                .estimate_text_size(&marker.label, &style)
                .map_err(&fail)?;
            let (width, height) = (width as i32, height as i32);
            let top = 6 + row * (TEXT_PX as i32 + 8);
            let (left_edge, right_edge) = if left {
                (dx - width, dx)
            } else {
                (dx, dx + width)
            };
            // A pale box behind the label keeps it legible over lines and grid.
            let backdrop = Rectangle::new(
                [(left_edge - 3, top - 2), (right_edge + 3, top + height + 3)],
                WHITE.mix(0.85).filled(),
            );
            area.draw(
                &(EmptyElement::at((marker.x, y.end))
                    + backdrop
                    + Text::new(marker.label.clone(), (dx, top), style)),
            )
            .map_err(&fail)?;
        }
        Ok(())
    }
}

/// The y extent of the points and their error bars: from 0 on a linear axis (so sizes compare
/// honestly), whole decades on a log axis (so it has labelled ticks); `0..1` without data.
fn y_range(lines: &[Vec<Point>], log: bool) -> Range<f64> {
    let ys = lines.iter().flatten().flat_map(|p| {
        let (lo, hi) = p.bar.unwrap_or((p.y, p.y));
        [p.y, lo, hi]
    });
    if log {
        return decades(ys.filter(|y| *y > 0.0 && y.is_finite()));
    }
    let Some((lo, hi)) = extent(ys.filter(|y| y.is_finite())) else {
        return 0.0..1.0;
    };
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    if degenerate(lo, hi) {
        return lo..lo + 1.0;
    }
    let pad = (hi - lo) * 0.05;
    (if lo < 0.0 { lo - pad } else { lo })..hi + pad
}
