//! Per-hour series that merge by addition.

/// Adds `other` into `series` element-wise, growing it as needed.
pub fn add_series(series: &mut Vec<u64>, other: &[u64]) {
    if series.len() < other.len() {
        series.resize(other.len(), 0);
    }
    for (a, b) in series.iter_mut().zip(other) {
        *a += b;
    }
}
