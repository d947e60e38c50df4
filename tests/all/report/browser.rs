//! Loads `report.html` in Debian's headless Chromium: the page must log nothing to the console
//! (it has no scripts, and its Content-Security-Policy turns any attempt to load something into
//! a console message), its headline table must be in the DOM, and its figures must be painted.
//! Without `/usr/bin/chromium` the tests skip, unless `DOORMAT_REQUIRE_BROWSER` is set (CI).

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const CHROMIUM: &str = "/usr/bin/chromium";
/// A distinctive stroke colour for the fixture's line plot.
const LINE_RED: [u8; 3] = [0xd6, 0x27, 0x28];
/// A distinctive fill for the fixture's bar chart.
const BAR_BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 3000;

/// The browser, or `None` (after saying so) when it is absent and not required.
fn chromium() -> Option<&'static Path> {
    let path = Path::new(CHROMIUM);
    if path.exists() {
        return Some(path);
    }
    let required =
        std::env::var("DOORMAT_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "DOORMAT_REQUIRE_BROWSER is set but {CHROMIUM} is missing"
    );
    println!("skipped: chromium not installed ({CHROMIUM}); apt-get install chromium to run");
    None
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("doormat-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the browser made of a page.
struct Loaded {
    /// The DOM after load, serialised.
    dom: String,
    /// Console messages and uncaught errors from the page.
    console: Vec<String>,
    /// The screenshot's rows, `channels` bytes a pixel (RGB or RGBA).
    pixels: Vec<u8>,
    channels: usize,
    width: u32,
}

/// Opens `page` in a fresh headless browser profile inside `dir`.
fn load(browser: &Path, page: &Path, dir: &Path) -> Loaded {
    let profile = dir.join("profile");
    std::fs::create_dir_all(&profile).unwrap();
    let screenshot = dir.join("screenshot.png");
    let stdout = dir.join("stdout.txt");
    let stderr = dir.join("stderr.txt");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 30 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = std::fs::read_to_string(&stderr).unwrap();
    assert!(status.success(), "chromium failed ({status}):\n{log}");
    // Chromium logs every console message of the page as `INFO:CONSOLE` whatever its level;
    // the report runs no script, so any message at all is a fault.
    let console = log
        .lines()
        .filter(|line| line.contains(":CONSOLE") || line.contains("Uncaught"))
        .map(str::to_string)
        .collect();
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&screenshot).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = match (frame.color_type, frame.bit_depth) {
        (png::ColorType::Rgb, png::BitDepth::Eight) => 3,
        (png::ColorType::Rgba, png::BitDepth::Eight) => 4,
        other => panic!("unexpected screenshot format {other:?}"),
    };
    pixels.truncate(frame.buffer_size());
    Loaded {
        dom: std::fs::read_to_string(&stdout).unwrap(),
        console,
        pixels,
        channels,
        width: frame.width,
    }
}

impl Loaded {
    /// Pixels within a small tolerance of `rgb` (antialiasing blends edges).
    fn count(&self, rgb: [u8; 3]) -> usize {
        self.pixels
            .chunks_exact(self.channels)
            .filter(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= 6))
            .count()
    }

    /// Pixels that are not near white.
    fn inked(&self) -> usize {
        self.pixels
            .chunks_exact(self.channels)
            .filter(|p| p[..3].iter().any(|c| *c < 200))
            .count()
    }
}

fn fixture() -> doormat::report::Summary {
    doormat::report::Summary::from_json(include_str!("summary.json")).unwrap()
}

/// Two small figures in the shape doormat's plots take: a line plot and a bar chart, each with
/// its own distinctive colour.
fn figures() -> Vec<(String, String)> {
    let line = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg width=\"800\" height=\"300\" viewBox=\"0 0 800 300\" xmlns=\"http://www.w3.org/2000/svg\">\
         <rect width=\"800\" height=\"300\" fill=\"#ffffff\"/>\
         <polyline points=\"40,260 200,250 360,240 440,60 600,50 760,40\" fill=\"none\" \
         stroke=\"#{:02x}{:02x}{:02x}\" stroke-width=\"6\"/>\
         <text x=\"400\" y=\"290\" text-anchor=\"middle\" font-size=\"14\">default · seed 20231019 · doormat 0.1.0</text>\
         </svg>",
        LINE_RED[0], LINE_RED[1], LINE_RED[2]
    );
    let bars = format!(
        "<svg width=\"800\" height=\"300\" viewBox=\"0 0 800 300\" xmlns=\"http://www.w3.org/2000/svg\">\
         <rect x=\"100\" y=\"200\" width=\"120\" height=\"60\" fill=\"#{0:02x}{1:02x}{2:02x}\"/>\
         <rect x=\"340\" y=\"60\" width=\"120\" height=\"200\" fill=\"#{0:02x}{1:02x}{2:02x}\"/>\
         <rect x=\"580\" y=\"40\" width=\"120\" height=\"220\" fill=\"#{0:02x}{1:02x}{2:02x}\"/>\
         <text x=\"400\" y=\"290\" text-anchor=\"middle\" font-size=\"14\">default · seed 20231019 · doormat 0.1.0</text>\
         </svg>",
        BAR_BLUE[0], BAR_BLUE[1], BAR_BLUE[2]
    );
    vec![
        (
            "Readable share of messages over simulated time".into(),
            line,
        ),
        ("CPU per message by design".into(), bars),
    ]
}

/// The detector itself: a page that logs an error must be caught, else a clean report proves
/// nothing.
#[test]
fn a_console_error_is_detected() {
    let Some(browser) = chromium() else { return };
    let dir = scratch("console");
    let page = dir.join("page.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title>\
         <link rel=\"icon\" href=\"data:,\"></head><body><p>x</p>\
         <script>console.error(\"doormat-detector-check\")</script></body></html>",
    )
    .unwrap();
    let loaded = load(browser, &page, &dir);
    assert!(
        loaded
            .console
            .iter()
            .any(|line| line.contains("doormat-detector-check")),
        "console.error was not seen: {:?}",
        loaded.console
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_loads_cleanly_with_table_and_figures() {
    let Some(browser) = chromium() else { return };
    let dir = scratch("page");
    let figures = figures();
    let page = doormat::report::html::write_report(&dir, &fixture(), &figures).unwrap();
    assert_eq!(page, dir.join("report.html"));
    let loaded = load(browser, &page, &dir);

    assert!(
        loaded.console.is_empty(),
        "console messages: {:#?}",
        loaded.console
    );

    for label in ["plain", "escrow/global/chain", "escrow/3of5/chain"] {
        assert!(
            loaded
                .dom
                .contains(&format!("<tr><th scope=\"row\">{label}</th>")),
            "no headline row for {label}"
        );
    }
    assert!(
        loaded
            .dom
            .contains("The National Academies' framework questions")
    );
    assert!(loaded.dom.contains("Figure 2. CPU per message by design"));
    assert!(
        loaded
            .dom
            .contains("&amp; to a key split 3-of-5 (k &lt; n)"),
        "description escaped"
    );

    let total = loaded.pixels.len() / loaded.channels;
    assert_eq!((loaded.width, total), (WIDTH, (WIDTH * HEIGHT) as usize));
    assert!(loaded.inked() > total / 100, "screenshot is blank");
    // The polyline: 6 px wide and some 900 px long at full size.
    let red = loaded.count(LINE_RED);
    assert!(red > 2_000, "line plot not painted: {red} red pixels");
    // The bars: 120 × (60 + 200 + 220) px at full size.
    let blue = loaded.count(BAR_BLUE);
    assert!(blue > 30_000, "bar chart not painted: {blue} blue pixels");
    if std::env::var_os("DOORMAT_KEEP_REPORT").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The page as `doormat run` writes it: the real figures drawn by `doormat::plot` from the same
/// summary, painted in the browser with no console message.
#[test]
fn report_with_the_real_figures_paints_them() {
    let Some(browser) = chromium() else { return };
    let dir = scratch("real");
    let summary = fixture();
    let figures = doormat::plot::figure_svgs(&summary).unwrap();
    assert!(figures.len() >= 5, "{} figures", figures.len());
    let page = doormat::report::html::write_report(&dir, &summary, &figures).unwrap();
    let loaded = load(browser, &page, &dir);
    assert!(
        loaded.console.is_empty(),
        "console messages: {:#?}",
        loaded.console
    );
    assert!(
        loaded
            .dom
            .contains("Share of traffic the adversary can read")
    );
    // Bar charts and histograms fill their bars in one blue (0, 114, 178).
    let bars = loaded.count([0, 114, 178]);
    assert!(bars > 5_000, "bar charts not painted: {bars} pixels");
    let _ = std::fs::remove_dir_all(&dir);
}
