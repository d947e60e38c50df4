//! Numbers into prose: the digit grouping and units a printed report needs.

/// A no-break space: keeps a number and its unit on one line.
pub(crate) const NBSP: char = '\u{a0}';

/// A count with thousands separators: `126,686`.
pub(crate) fn count(n: f64) -> String {
    grouped(n.round(), 0)
}

/// A fraction as a percentage, with more decimals for small shares so that they do not
/// round to zero: `100.0 %`, `0.16 %`, `0.004 %`.
pub(crate) fn percent(fraction: f64) -> String {
    let pct = fraction * 100.0;
    let places = match pct.abs() {
        p if p == 0.0 || p >= 1.0 => 1,
        p if p >= 0.1 => 2,
        _ => 3,
    };
    if pct != 0.0 && pct.abs() < 0.001 {
        return format!("<0.001{NBSP}%");
    }
    format!("{}{NBSP}%", grouped(pct, places))
}

/// A multiplier: `3,090×`, `12.5×`, `1.51×`.
pub(crate) fn times(ratio: f64) -> String {
    let places = match ratio.abs() {
        r if r >= 100.0 => 0,
        r if r >= 10.0 => 1,
        _ => 2,
    };
    format!("{}×", grouped(ratio, places))
}

/// A plain decimal with `places` decimals and thousands separators.
pub(crate) fn decimal(x: f64, places: usize) -> String {
    grouped(x, places)
}

/// `x` with `places` decimals and a comma every three integer digits.
fn grouped(x: f64, places: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let formatted = format!("{:.*}", places, x.abs());
    let (integer, fraction) = formatted
        .split_once('.')
        .map_or((formatted.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    if x < 0.0 && formatted.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, digit) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_counts_percentages_and_ratios() {
        assert_eq!(count(126_686.0), "126,686");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1_000_000.0), "1,000,000");
        assert_eq!(percent(1.0), "100.0\u{a0}%");
        assert_eq!(percent(0.0), "0.0\u{a0}%");
        assert_eq!(percent(0.001_62), "0.16\u{a0}%");
        assert_eq!(percent(0.000_04), "0.004\u{a0}%");
        assert_eq!(percent(1e-9), "<0.001\u{a0}%");
        assert_eq!(times(3_089.9), "3,090×");
        assert_eq!(times(1.512), "1.51×");
        assert_eq!(decimal(-80.46, 1), "-80.5");
        assert_eq!(decimal(-0.01, 1), "0.0");
        assert_eq!(decimal(f64::NAN, 1), "–");
    }
}
