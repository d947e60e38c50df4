//! Reading rendered charts back: SVG through usvg (paths, colours) and roxmltree (text), PNG
//! through the png decoder.

use resvg::{
    tiny_skia::{Pixmap, Transform},
    usvg::{Group, Node, Options, Paint, Tree},
};

/// The chart palette's first colours (series 0, 1, 2), as the charts draw them.
pub(crate) const SERIES: [(u8, u8, u8); 3] = [(0, 114, 178), (213, 94, 0), (0, 158, 115)];

/// The SVG as usvg's tree; fails the test if it does not parse or is empty.
pub(crate) fn tree(svg: &str) -> Tree {
    let tree = Tree::from_str(svg, &Options::default()).expect("SVG parses");
    assert!(!tree.root().children().is_empty(), "empty SVG");
    tree
}

/// Every `<text>` element's content.
pub(crate) fn texts(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).expect("SVG is XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

/// Asserts that each of `wanted` appears in some `<text>` element.
pub(crate) fn assert_texts(svg: &str, wanted: &[&str]) {
    let texts = texts(svg);
    for word in wanted {
        assert!(
            texts.iter().any(|t| t.contains(word)),
            "no text {word:?} in {texts:?}"
        );
    }
}

/// Stroked paths of `colour` with at least `points` points (a line, not a tick or a marker).
pub(crate) fn stroked_paths(tree: &Tree, colour: (u8, u8, u8), points: usize) -> usize {
    fn walk(group: &Group, colour: (u8, u8, u8), points: usize) -> usize {
        group
            .children()
            .iter()
            .map(|node| match node {
                Node::Group(g) => walk(g, colour, points),
                Node::Path(path) => {
                    let stroke = path.stroke().map(|s| s.paint());
                    let matches = matches!(stroke, Some(Paint::Color(c))
                        if (c.red, c.green, c.blue) == colour);
                    usize::from(matches && path.data().points().len() >= points)
                }
                _ => 0,
            })
            .sum()
    }
    walk(tree.root(), colour, points)
}

/// Pixels within a small distance of `colour` in a rasterised SVG.
pub(crate) fn svg_pixels(tree: &Tree, colour: (u8, u8, u8)) -> usize {
    let size = tree.size().to_int_size();
    let mut pixmap = Pixmap::new(size.width(), size.height()).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(tree, Transform::default(), &mut pixmap.as_mut());
    pixmap
        .pixels()
        .iter()
        .filter(|p| near((p.red(), p.green(), p.blue()), colour))
        .count()
}

/// The PNG's size and RGB pixels.
pub(crate) fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<(u8, u8, u8)>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = buffer[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| (p[0], p[1], p[2]))
        .collect();
    (info.width, info.height, pixels)
}

/// Pixels of the PNG near `colour`.
pub(crate) fn png_pixels(bytes: &[u8], colour: (u8, u8, u8)) -> usize {
    decode_png(bytes)
        .2
        .iter()
        .filter(|p| near(**p, colour))
        .count()
}

/// Dark pixels (text, axes) in the PNG rows `rows`: text is drawn if some are there.
pub(crate) fn dark_pixels_in_rows(bytes: &[u8], rows: std::ops::Range<u32>) -> usize {
    let (width, _, pixels) = decode_png(bytes);
    pixels
        .chunks_exact(width as usize)
        .enumerate()
        .filter(|(y, _)| rows.contains(&(*y as u32)))
        .flat_map(|(_, row)| row.iter())
        .filter(|p| p.0 < 100 && p.1 < 100 && p.2 < 100)
        .count()
}

fn near(a: (u8, u8, u8), b: (u8, u8, u8)) -> bool {
    a.0.abs_diff(b.0) <= 12 && a.1.abs_diff(b.1) <= 12 && a.2.abs_diff(b.2) <= 12
}
