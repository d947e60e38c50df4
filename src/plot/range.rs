//! Axis extents: the data's bounds, and whole decades for log axes.

use std::ops::Range;

/// The largest magnitude drawn. Beyond it, spans overflow and plotters' pixel arithmetic
/// degenerates (a dashed line across 2³¹ pixels takes minutes), so such values are left out
/// like NaN; spans narrower than its inverse are drawn as a single value.
pub(crate) const LIMIT: f64 = 1e100;

/// Whether `value` can be placed on an axis; on a log axis it must also be positive.
pub(crate) fn on_axis(value: f64, log: bool) -> bool {
    value.is_finite() && value.abs() <= LIMIT && (!log || value >= 1.0 / LIMIT)
}

/// Whether `lo..hi` is too narrow to draw as a span.
pub(crate) fn degenerate(lo: f64, hi: f64) -> bool {
    hi - lo <= 1.0 / LIMIT
}

/// Whole decades around positive `values`: `1..10` without any.
pub(crate) fn decades(values: impl Iterator<Item = f64>) -> Range<f64> {
    let Some((lo, hi)) = extent(values) else {
        return 1.0..10.0;
    };
    let lo = 10f64.powf(lo.log10().floor());
    let hi = 10f64.powf(hi.log10().ceil()).max(lo * 10.0);
    // A hair wider, so rounding in plotters' tick search keeps both end decades.
    lo * (1.0 - 1e-9)..hi * (1.0 + 1e-9)
}

/// Minimum and maximum, or `None` when empty.
pub(crate) fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}
