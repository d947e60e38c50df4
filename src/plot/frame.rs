//! The parts around a chart's axes: background, title, notes under the chart, the legend panel
//! on the right (outside the data, so it never hides a line) and the "no data" note.

use plotters::{
    coord::Shift,
    element::DashedPathElement,
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

use super::{
    PlotError,
    style::{INK, LABEL_PX, Look, TEXT_PX, TITLE_PX, draw_marker, drawing, text},
};

/// Line height of notes and legend entries, in pixels.
const LINE_PX: u32 = TEXT_PX + 8;
/// Length of the line sample in a legend entry.
const SAMPLE_PX: i32 = 40;

/// The areas a chart draws into, after the title and notes are placed.
pub(crate) struct Frame<DB: DrawingBackend> {
    /// Where the axes and data go.
    pub(crate) plot: DrawingArea<DB, Shift>,
    /// The legend panel, if the chart has one.
    pub(crate) legend: Option<DrawingArea<DB, Shift>>,
}

/// Clears `root`, draws `title` and `notes`, and reserves a legend panel wide enough for the
/// longest of `legend_names` (none if empty).
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    notes: &[String],
    legend_names: &[&str],
) -> Result<Frame<DB>, PlotError> {
    let fail = drawing(title);
    root.fill(&WHITE).map_err(&fail)?;
    let body = root.titled(title, text(TITLE_PX, INK)).map_err(&fail)?;
    let (width, height) = body.dim_in_pixel();
    let notes_px = (notes.len() as u32 * LINE_PX).min(height / 3);
    let (main, foot) = body.split_vertically(height - notes_px);
    for (i, note) in notes.iter().enumerate() {
        foot.draw(&Text::new(
            note.as_str(),
            (12, i as i32 * LINE_PX as i32 + 2),
            text(TEXT_PX, INK),
        ))
        .map_err(&fail)?;
    }
    if legend_names.is_empty() {
        return Ok(Frame {
            plot: main,
            legend: None,
        });
    }
    let mut widest = 0;
    for name in legend_names {
        let (w, _) = root
            .estimate_text_size(name, &text(TEXT_PX, INK))
            .map_err(&fail)?;
        widest = widest.max(w);
    }
    let legend_px = (widest + SAMPLE_PX as u32 + 28).min(width * 2 / 5);
    let (plot, legend) = main.split_horizontally(width - legend_px);
    Ok(Frame {
        plot,
        legend: Some(legend),
    })
}

/// Draws one entry per series: a line sample in its colour and dash, its marker, its name.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(&str, Look)],
    chart: &str,
) -> Result<(), PlotError> {
    let fail = drawing(chart);
    for (i, (name, look)) in entries.iter().enumerate() {
        let y = 24 + i as i32 * LINE_PX as i32 + LINE_PX as i32 / 2;
        let (x0, x1) = (4, 4 + SAMPLE_PX);
        let line = look.colour.stroke_width(2);
        match look.dash {
            None => area.draw(&PathElement::new(vec![(x0, y), (x1, y)], line)),
            Some((dash, gap)) => area.draw(&DashedPathElement::new(
                vec![(x0, y), (x1, y)],
                dash,
                gap,
                line,
            )),
        }
        .map_err(&fail)?;
        draw_marker(area, ((x0 + x1) / 2, y), look.shape, look.colour, chart)?;
        area.draw(&Text::new(
            *name,
            (x1 + 8, y),
            text(TEXT_PX, INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(&fail)?;
    }
    Ok(())
}

/// Writes "no data" in the middle of the pixel rectangle `plot` (absolute coordinates on `root`).
pub(crate) fn draw_no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: (std::ops::Range<i32>, std::ops::Range<i32>),
    chart: &str,
) -> Result<(), PlotError> {
    let (x, y) = plot;
    root.draw(&Text::new(
        "no data",
        ((x.start + x.end) / 2, (y.start + y.end) / 2),
        text(LABEL_PX, INK).pos(Pos::new(HPos::Center, VPos::Center)),
    ))
    .map_err(drawing(chart))
}
