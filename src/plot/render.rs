//! Turning a chart into SVG text or PNG bytes, and writing both files atomically.

use std::path::Path;

use plotters::prelude::*;

use super::{
    BarChart, Histogram, LineChart, PlotError,
    style::{SIZE, drawing, ensure_font},
};
use crate::report::write_atomic;

pub(crate) mod sealed {
    use plotters::{coord::Shift, prelude::*};

    use crate::plot::PlotError;

    /// Drawing on any plotters backend; kept out of the public API so that plotters' types
    /// do not become part of doormat's.
    pub trait Draw {
        /// Draws the whole chart onto `root`, the full canvas.
        fn draw_on<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
        ) -> Result<(), PlotError>;
    }
}

/// A chart that can be rendered: [`LineChart`], [`BarChart`], [`Histogram`] or [`Chart`].
pub trait Render: sealed::Draw {
    /// The chart's title.
    fn title(&self) -> &str;
}

/// Any chart, so figures of different kinds can travel in one list.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// A line chart.
    Line(LineChart),
    /// A bar chart.
    Bar(BarChart),
    /// A histogram.
    Histogram(Histogram),
}

impl Render for Chart {
    fn title(&self) -> &str {
        match self {
            Chart::Line(chart) => chart.title(),
            Chart::Bar(chart) => chart.title(),
            Chart::Histogram(chart) => chart.title(),
        }
    }
}

impl sealed::Draw for Chart {
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<(), PlotError> {
        match self {
            Chart::Line(chart) => chart.draw_on(root),
            Chart::Bar(chart) => chart.draw_on(root),
            Chart::Histogram(chart) => chart.draw_on(root),
        }
    }
}

impl From<LineChart> for Chart {
    fn from(chart: LineChart) -> Self {
        Chart::Line(chart)
    }
}

impl From<BarChart> for Chart {
    fn from(chart: BarChart) -> Self {
        Chart::Bar(chart)
    }
}

impl From<Histogram> for Chart {
    fn from(chart: Histogram) -> Self {
        Chart::Histogram(chart)
    }
}

/// The chart as a standalone SVG document, its text as `<text>` elements.
pub fn render_svg<C: Render>(chart: &C) -> Result<String, PlotError> {
    ensure_font()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        chart.draw_on(&root)?;
        root.present().map_err(drawing(chart.title()))?;
    }
    Ok(svg)
}

/// The chart as PNG bytes (RGB), text drawn with the embedded font.
pub fn render_png<C: Render>(chart: &C) -> Result<Vec<u8>, PlotError> {
    ensure_font()?;
    let (width, height) = SIZE;
    let mut pixels = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
        chart.draw_on(&root)?;
        root.present().map_err(drawing(chart.title()))?;
    }
    let fail = |error: png::EncodingError| PlotError::Png {
        chart: chart.title().to_string(),
        message: error.to_string(),
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(&pixels).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(bytes)
}

/// Writes `dir/stem.svg` and `dir/stem.png` (creating `dir`), each atomically: both are rendered
/// in memory first, so a failure leaves no half-written file.
pub fn write<C: Render>(chart: &C, dir: &Path, stem: &str) -> Result<(), PlotError> {
    let svg = render_svg(chart)?;
    let png = render_png(chart)?;
    std::fs::create_dir_all(dir).map_err(|error| PlotError::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    write_atomic(&dir.join(format!("{stem}.svg")), svg.as_bytes())?;
    write_atomic(&dir.join(format!("{stem}.png")), &png)?;
    Ok(())
}
