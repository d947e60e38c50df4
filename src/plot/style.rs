//! The look shared by every chart: size, fonts, and a colour + dash + marker per series, chosen
//! so lines stay apart in grayscale print and for colour-blind readers (Okabe–Ito palette).

use std::sync::OnceLock;

use plotters::{
    chart::MeshStyle,
    coord::{CoordTranslate, ranged1d::ValueFormatter},
    prelude::*,
    style::{FontStyle, register_font},
};

use super::PlotError;

/// Canvas size in pixels: readable at a paper column's width.
pub(crate) const SIZE: (u32, u32) = (900, 540);
/// Font sizes as plotters counts them (line height): the SVG's `font-size` is these ÷ 1.24, so
/// the smallest text is 16 px there and about as large in the PNG.
pub(crate) const TITLE_PX: u32 = 26;
pub(crate) const LABEL_PX: u32 = 22;
pub(crate) const TEXT_PX: u32 = 20;
/// The family name every text uses; SVG viewers substitute their own sans-serif.
pub(crate) const FAMILY: &str = "sans-serif";

/// DejaVu Sans, embedded so PNG text never depends on the fonts installed (see assets/fonts/).
static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the embedded font with plotters once; every render calls this first.
pub(crate) fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok =
        *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

/// A text style of `px` pixels in `colour`.
pub(crate) fn text(px: u32, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, px).into_font().color(&colour)
}

/// Axis, tick and note text.
pub(crate) const INK: RGBColor = RGBColor(30, 30, 30);
/// Vertical event markers (compromise, detection, …).
pub(crate) const MARKER_INK: RGBColor = RGBColor(90, 90, 90);
/// Bars of bar charts and histograms.
pub(crate) const BAR: RGBColor = RGBColor(0, 114, 178);

/// How one line series is told apart from the others.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    pub(crate) colour: RGBColor,
    /// Dash and gap lengths in pixels; `None` is a solid line.
    pub(crate) dash: Option<(u32, u32)>,
    pub(crate) shape: Shape,
}

/// A point marker's shape.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    Circle,
    Triangle,
    Square,
    Cross,
    Diamond,
    HollowCircle,
    HollowSquare,
}

const COLOURS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];
const DASHES: [Option<(u32, u32)>; 4] = [None, Some((12, 6)), Some((3, 4)), Some((18, 4))];
const SHAPES: [Shape; 7] = [
    Shape::Circle,
    Shape::Triangle,
    Shape::Square,
    Shape::Cross,
    Shape::Diamond,
    Shape::HollowCircle,
    Shape::HollowSquare,
];

/// The look of series number `index`; colours, dashes and shapes cycle at different periods.
pub(crate) fn look(index: usize) -> Look {
    Look {
        colour: COLOURS[index % COLOURS.len()],
        dash: DASHES[index % DASHES.len()],
        shape: SHAPES[index % SHAPES.len()],
    }
}

/// Maps a plotters error (generic over the backend) to ours, naming the chart.
pub(crate) fn drawing<E: std::fmt::Display>(chart: &str) -> impl Fn(E) -> PlotError + '_ {
    move |error| PlotError::Draw {
        chart: chart.to_string(),
        message: error.to_string(),
    }
}

/// Draws a point marker of `shape` centred on `at` (in the area's own coordinates).
pub(crate) fn draw_marker<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    at: CT::From,
    shape: Shape,
    colour: RGBColor,
    chart: &str,
) -> Result<(), PlotError> {
    let fill = colour.filled();
    let line = colour.stroke_width(2);
    let at = EmptyElement::at(at);
    match shape {
        Shape::Circle => area.draw(&(at + Circle::new((0, 0), 5, fill))),
        Shape::HollowCircle => area.draw(&(at + Circle::new((0, 0), 5, line))),
        Shape::Triangle => area.draw(&(at + TriangleMarker::new((0, 0), 6, fill))),
        Shape::Square => area.draw(&(at + Rectangle::new([(-4, -4), (4, 4)], fill))),
        Shape::HollowSquare => area.draw(&(at + Rectangle::new([(-4, -4), (4, 4)], line))),
        Shape::Cross => area.draw(&(at + Cross::new((0, 0), 5, line))),
        Shape::Diamond => {
            area.draw(&(at + Polygon::new(vec![(0, -6), (6, 0), (0, 6), (-6, 0)], fill)))
        }
    }
    .map_err(drawing(chart))
}

/// A tick label: short, with no float noise (`0.25`, `2500`, `1e5`, `1e-4`).
pub(crate) fn number(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 {
        "0".to_string()
    } else if !(1e-3..1e5).contains(&magnitude) {
        let text = format!("{value:.0e}");
        let exact = text
            .parse::<f64>()
            .is_ok_and(|t| (t - value).abs() <= magnitude * 1e-6);
        if exact { text } else { format!("{value:.2e}") }
    } else {
        // Three significant digits, so close ticks (0.0015, 0.002) stay distinct.
        let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
        trim(format!("{value:.decimals$}"))
    }
}

/// A value label: three significant digits, no trailing zeros (`21`, `4.5`, `0.0213`, `4.5e5`).
pub(crate) fn value_label(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 {
        "0".to_string()
    } else if !(1e-3..1e5).contains(&magnitude) {
        let text = format!("{value:.2e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) => format!("{}e{exponent}", trim(mantissa.to_string())),
            None => text,
        }
    } else {
        let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
        trim(format!("{value:.decimals$}"))
    }
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing follows.
fn trim(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

fn tick(value: &f64) -> String {
    number(*value)
}

/// The axes a line chart and a histogram share: both descriptions with their units, tick text,
/// numbers formatted alike, a pale grid. The caller sets tick counts and draws.
pub(crate) fn style_axes<'a, 'b, 'm, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    x_label: &str,
    y_label: &str,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    DB: DrawingBackend,
{
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .label_style(text(TEXT_PX, INK))
        .axis_desc_style(text(LABEL_PX, INK))
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .bold_line_style(RGBColor(215, 215, 215))
        .light_line_style(RGBColor(240, 240, 240))
        .max_light_lines(4)
}
