use doormat::plot::{
    BarChart, Histogram, LineChart, Marker, Series, render_png, render_svg, sweep_lines, write,
};

use super::inspect::{
    SERIES, assert_texts, dark_pixels_in_rows, decode_png, png_pixels, stroked_paths, svg_pixels,
    texts, tree,
};

fn two_lines() -> LineChart {
    LineChart {
        title: "Two lines".into(),
        x_label: "time (hours)".into(),
        y_label: "share (0–1)".into(),
        series: vec![
            Series {
                name: "first".into(),
                points: (0..50).map(|i| (i as f64, i as f64 / 50.0)).collect(),
                error: None,
            },
            Series {
                name: "second".into(),
                points: (0..50).map(|i| (i as f64, 1.0 - i as f64 / 50.0)).collect(),
                error: None,
            },
        ],
        markers: vec![Marker {
            x: 10.0,
            label: "compromise".into(),
        }],
        ..LineChart::default()
    }
}

#[test]
fn line_chart_draws_each_series_labels_and_legend() {
    let chart = two_lines();
    let svg = render_svg(&chart).unwrap();
    let tree = tree(&svg);
    // The solid first series is one long path; the dashed second one is many dashes.
    assert!(stroked_paths(&tree, SERIES[0], 40) >= 1);
    assert!(stroked_paths(&tree, SERIES[1], 2) >= 10);
    for colour in &SERIES[..2] {
        assert!(svg_pixels(&tree, *colour) > 200, "{colour:?} not drawn");
    }
    assert_texts(
        &svg,
        &[
            "Two lines",
            "time (hours)",
            "share (0–1)",
            "first",
            "second",
            "compromise",
        ],
    );
    let png = render_png(&chart).unwrap();
    let (width, height, _) = decode_png(&png);
    assert_eq!((width, height), (900, 540));
    for colour in &SERIES[..2] {
        assert!(png_pixels(&png, *colour) > 200, "{colour:?} not in the PNG");
    }
    // The title is drawn with the embedded font: dark pixels in the top rows.
    assert!(dark_pixels_in_rows(&png, 0..30) > 50);
}

#[test]
fn nan_and_infinite_values_are_skipped() {
    let mut chart = two_lines();
    chart.series[0].points[3].1 = f64::NAN;
    chart.series[1].points[4].0 = f64::INFINITY;
    chart.markers.push(Marker {
        x: f64::NAN,
        label: "never".into(),
    });
    let svg = render_svg(&chart).unwrap();
    assert!(stroked_paths(&tree(&svg), SERIES[0], 40) >= 1);
    assert_texts(&svg, &["2 value(s) left out (not finite or out of range)"]);
    assert!(!texts(&svg).iter().any(|t| t.contains("never")));
    render_png(&chart).unwrap();
}

#[test]
fn error_bars_are_drawn_from_sweep_lines() {
    let chart = sweep_lines(
        "Sweep",
        "users",
        "CPU per message (µs)",
        &[
            (
                "plain".into(),
                vec![
                    (10.0, 20.0, 1.0),
                    (100.0, 21.0, 2.0),
                    (1000.0, 22.0, f64::NAN),
                ],
            ),
            (
                "escrow".into(),
                vec![(10.0, 40.0, 3.0), (100.0, 44.0, 2.5), (1000.0, 47.0, 1.0)],
            ),
        ],
    );
    assert_eq!(chart.series[0].error.as_deref().unwrap()[1], 2.0);
    let svg = render_svg(&chart).unwrap();
    let tree = tree(&svg);
    // Each error bar is a stroked path of its series' colour besides the line itself.
    assert!(stroked_paths(&tree, SERIES[0], 2) >= 3);
    assert_texts(&svg, &["users", "CPU per message (µs)", "plain", "escrow"]);
}

#[test]
fn charts_without_data_say_so() {
    let empty_line = LineChart {
        title: "Nothing".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        ..LineChart::default()
    };
    let empty_series = LineChart {
        series: vec![Series {
            name: "lonely".into(),
            points: vec![(f64::NAN, 1.0)],
            error: None,
        }],
        ..empty_line.clone()
    };
    let bars = BarChart {
        title: "No bars".into(),
        y_label: "y".into(),
        ..BarChart::default()
    };
    let log_bars = BarChart {
        log_y: true,
        ..bars.clone()
    };
    let histogram = Histogram {
        title: "No bins".into(),
        x_label: "x".into(),
        y_label: "count".into(),
        ..Histogram::default()
    };
    for svg in [
        render_svg(&empty_line).unwrap(),
        render_svg(&empty_series).unwrap(),
        render_svg(&bars).unwrap(),
        render_svg(&log_bars).unwrap(),
        render_svg(&histogram).unwrap(),
    ] {
        tree(&svg);
        assert_texts(&svg, &["no data"]);
    }
    render_png(&empty_line).unwrap();
    render_png(&log_bars).unwrap();
    render_png(&histogram).unwrap();
}

#[test]
fn log_bar_chart_spans_decades_and_names_the_zero() {
    let chart = BarChart {
        title: "Gain".into(),
        y_label: "gain ratio (× plain)".into(),
        log_y: true,
        bars: vec![
            ("plain".into(), 1.0),
            ("escrow/global/chain".into(), 45_000.0),
            ("ghost".into(), 0.0),
            ("backup".into(), 0.02),
        ],
        notes: Vec::new(),
    };
    let svg = render_svg(&chart).unwrap();
    let tree = tree(&svg);
    assert!(svg_pixels(&tree, SERIES[0]) > 1000, "bars not drawn");
    let texts = texts(&svg);
    // Decade ticks from 0.01 to 1e5, the zero named in a note, every category labelled.
    for tick in ["0.01", "1", "100", "1e5"] {
        assert!(
            texts.iter().any(|t| t == tick),
            "no tick {tick} in {texts:?}"
        );
    }
    assert_texts(
        &svg,
        &[
            "ghost",
            "plain",
            "backup",
            "escrow/",
            "no bar (≤ 0 or out of range",
        ],
    );
    render_png(&chart).unwrap();
}

#[test]
fn histogram_draws_its_bins() {
    let chart = Histogram {
        title: "Healing".into(),
        x_label: "hours".into(),
        y_label: "conversations".into(),
        bins: vec![
            (0.0, 2.0, 5),
            (2.0, 4.0, 9),
            (4.0, 6.0, 0),
            (6.0, 8.0, 2),
            (9.0, 8.0, 4),
        ],
        notes: vec!["a note".into()],
    };
    let svg = render_svg(&chart).unwrap();
    assert!(svg_pixels(&tree(&svg), SERIES[0]) > 1000);
    assert_texts(
        &svg,
        &[
            "Healing",
            "hours",
            "conversations",
            "a note",
            "1 malformed bin(s)",
        ],
    );
}

#[test]
fn write_puts_svg_and_png_side_by_side() {
    let dir = std::env::temp_dir().join(format!("doormat-plot-write-{}", std::process::id()));
    write(&two_lines(), &dir.join("nested"), "lines").unwrap();
    let svg = std::fs::read_to_string(dir.join("nested/lines.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    let png = std::fs::read(dir.join("nested/lines.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("nested"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn extreme_values_draw_without_panicking() {
    let extremes = [
        f64::MIN_POSITIVE,
        1e-300,
        f64::MAX,
        -f64::MAX,
        0.0,
        f64::NAN,
        f64::INFINITY,
    ];
    for log_y in [false, true] {
        let bars = BarChart {
            title: "Extremes".into(),
            y_label: "y".into(),
            log_y,
            bars: extremes.iter().map(|v| (format!("{v}"), *v)).collect(),
            notes: Vec::new(),
        };
        render_svg(&bars).unwrap();
        render_png(&bars).unwrap();
        let line = LineChart {
            title: "Extremes".into(),
            log_y,
            series: vec![Series {
                name: "wild".into(),
                points: extremes
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i as f64, *v))
                    .collect(),
                error: Some(extremes.to_vec()),
            }],
            markers: vec![Marker {
                x: f64::MAX,
                label: "far".into(),
            }],
            ..LineChart::default()
        };
        render_svg(&line).unwrap();
        render_png(&line).unwrap();
    }
    let histogram = Histogram {
        title: "Extremes".into(),
        bins: vec![(-f64::MAX, f64::MAX, u64::MAX), (0.0, f64::MIN_POSITIVE, 1)],
        ..Histogram::default()
    };
    render_svg(&histogram).unwrap();
    render_png(&histogram).unwrap();
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    #[test]
    fn any_numbers_render(
        values in proptest::collection::vec(proptest::num::f64::ANY, 0..12),
        log_y in proptest::bool::ANY,
    ) {
        let line = LineChart {
            title: "Any".into(),
            log_y,
            series: vec![Series {
                name: "any".into(),
                points: values.windows(2).map(|w| (w[0], w[1])).collect(),
                error: Some(values.clone()),
            }],
            markers: values.iter().map(|x| Marker { x: *x, label: "m".into() }).collect(),
            ..LineChart::default()
        };
        render_svg(&line).unwrap();
        let bars = BarChart {
            title: "Any".into(),
            log_y,
            bars: values.iter().map(|v| (v.to_string(), *v)).collect(),
            ..BarChart::default()
        };
        render_svg(&bars).unwrap();
        let histogram = Histogram {
            title: "Any".into(),
            bins: values.windows(2).map(|w| (w[0], w[1], 3)).collect(),
            ..Histogram::default()
        };
        render_svg(&histogram).unwrap();
    }
}

/// A log x axis spreads 1,000 to 1,000,000 evenly: every series is painted, the decades are
/// labelled, and a value ≤ 0 is left out with a note instead of breaking the axis.
#[test]
fn log_x_axis_spans_decades() {
    let mut chart = two_lines();
    chart.log_x = true;
    chart.markers.clear();
    for series in &mut chart.series {
        series.points = [1e3, 1e4, 1e5, 1e6]
            .iter()
            .enumerate()
            .map(|(i, &x)| (x, i as f64))
            .collect();
        series.points.push((0.0, 1.0));
    }
    let svg = render_svg(&chart).unwrap();
    assert!(
        svg.contains("1e6") || svg.contains("1000000"),
        "decade labels"
    );
    assert!(svg.contains("left out"), "the x = 0 points are noted");
    let png = render_png(&chart).unwrap();
    for colour in &SERIES[..2] {
        assert!(png_pixels(&png, *colour) > 100, "{colour:?} not in the PNG");
    }
}
