//! A distribution's summary in `summary.json`: mean, deciles and an equal-width histogram of
//! exact counts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::adversary::Counts;

/// A distribution's summary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Distribution {
    /// Mean.
    pub mean: f64,
    /// 10th to 90th percentiles.
    pub deciles: Vec<f64>,
    /// `[bin centre, count]` pairs, every bin from 0 to the largest value, of equal width: each
    /// whole number up to 20 on its own, otherwise a round width giving about 20 bins.
    pub histogram: Vec<[f64; 2]>,
}

/// A round bin width (1, 2 or 5 × 10^k) giving at most about 20 bins up to `max`; at least 1
/// for whole numbers up to 20.
fn bin_width(max: f64) -> f64 {
    if max <= 20.0 {
        return 1.0;
    }
    let raw = max / 20.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|w| *w >= raw)
        .unwrap_or(10.0 * magnitude)
}

impl Distribution {
    pub(super) fn new(counts: &Counts, scale: f64) -> Option<Self> {
        let total = counts.total();
        if total == 0 {
            return None;
        }
        let sum: f64 = counts.0.iter().map(|(v, c)| *v as f64 * *c as f64).sum();
        let quantile = |q: f64| {
            let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
            let mut seen = 0;
            for (value, count) in &counts.0 {
                seen += count;
                if seen >= rank {
                    return *value as f64 / scale;
                }
            }
            0.0
        };
        Some(Self {
            mean: sum / total as f64 / scale,
            deciles: (1..10).map(|d| quantile(f64::from(d) / 10.0)).collect(),
            histogram: {
                let max = counts.0.keys().last().map_or(0.0, |v| *v as f64 / scale);
                let width = bin_width(max);
                // Whole numbers counted one by one are centred on themselves.
                let offset = if scale == 1.0 && width == 1.0 {
                    0.0
                } else {
                    0.5
                };
                let bins = (max / width).floor() as usize + 1;
                let mut histogram: Vec<[f64; 2]> = (0..bins)
                    .map(|b| [(b as f64 + offset) * width, 0.0])
                    .collect();
                for (value, count) in &counts.0 {
                    let b = ((*value as f64 / scale) / width).floor() as usize;
                    histogram[b.min(bins - 1)][1] += *count as f64;
                }
                histogram
            },
        })
    }
}
