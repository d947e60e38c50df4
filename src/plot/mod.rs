//! Figures for people: line charts, bar charts and histograms as SVG (text kept as text) and PNG
//! (text drawn with an embedded font, so no system font is needed), and the figures of a run
//! built from its [`Summary`](crate::report::Summary).
//!
//! Charts are plain data ([`LineChart`], [`BarChart`], [`Histogram`]); [`render_svg`],
//! [`render_png`] and [`write()`] draw them with plotters. Bad values (NaN, infinities, zeros on a
//! log scale) are left out with a note on the chart, and a chart without data says "no data":
//! drawing never fails on the data itself.

mod bar;
mod error;
mod figures;
mod frame;
mod histogram;
mod line;
mod range;
mod render;
mod style;
mod sweep;

pub use self::{
    bar::BarChart,
    error::PlotError,
    figures::{figure_svgs, run_figures, write_run_figures},
    histogram::Histogram,
    line::{LineChart, Marker, Series},
    render::{Chart, Render, render_png, render_svg, write},
    sweep::{SweepPoint, sweep_lines},
};
