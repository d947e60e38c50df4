//! Summary statistics of one metric over a grid point's seeds: n, mean, sample standard
//! deviation, the 95 % confidence half-width of the mean, min and max.
//!
//! The half-width is `t × sd / √n` with `t` the 0.975 quantile of Student's t distribution with
//! `n − 1` degrees of freedom: with the few seeds a sweep affords, the normal 1.96 would be far too
//! narrow (n = 3 needs t = 4.30). It assumes the per-seed values are independent and roughly
//! normal. Values are summed in seed order, so the figures are the same bit for bit however the
//! runs were split into tasks.

use serde::{Deserialize, Serialize};

/// Statistics of one metric's values; `null` where they are undefined (no value; sd and
/// half-width need two).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Values (seeds where the metric was a number).
    pub n: usize,
    /// Mean.
    pub mean: Option<f64>,
    /// Sample standard deviation (divisor n − 1).
    pub sd: Option<f64>,
    /// Half-width of the 95 % confidence interval of the mean (Student t).
    pub ci95: Option<f64>,
    /// Smallest value.
    pub min: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
}

/// Student t 0.975 quantiles for 1 to 30 degrees of freedom.
const T_975: [f64; 30] = [
    12.706204736,
    4.302652730,
    3.182446305,
    2.776445105,
    2.570581836,
    2.446911851,
    2.364624252,
    2.306004135,
    2.262157163,
    2.228138852,
    2.200985160,
    2.178812830,
    2.160368656,
    2.144786688,
    2.131449546,
    2.119905299,
    2.109815578,
    2.100922040,
    2.093024054,
    2.085963447,
    2.079613845,
    2.073873068,
    2.068657610,
    2.063898562,
    2.059538553,
    2.055529439,
    2.051830516,
    2.048407142,
    2.045229642,
    2.042272456,
];

/// The 0.975 quantile of Student's t with `df` degrees of freedom (`None` for 0): a table up to
/// 30, then the Cornish-Fisher expansion around the normal quantile (error below 3e-8).
pub fn student_t_975(df: usize) -> Option<f64> {
    match df {
        0 => None,
        1..=30 => Some(T_975[df - 1]),
        _ => {
            let z: f64 = 1.959_963_984_540_054;
            let n = df as f64;
            let g1 = (z.powi(3) + z) / 4.0;
            let g2 = (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / 96.0;
            let g3 = (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / 384.0;
            let g4 = (79.0 * z.powi(9) + 776.0 * z.powi(7) + 1482.0 * z.powi(5)
                - 1920.0 * z.powi(3)
                - 945.0 * z)
                / 92160.0;
            Some(z + g1 / n + g2 / n.powi(2) + g3 / n.powi(3) + g4 / n.powi(4))
        }
    }
}

impl Stats {
    /// The statistics of `values`, in the order given.
    pub fn of(values: &[f64]) -> Self {
        let n = values.len();
        let mean = (n > 0).then(|| values.iter().sum::<f64>() / n as f64);
        let sd = mean.filter(|_| n > 1).map(|mean| {
            let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
            (squares / (n - 1) as f64).sqrt()
        });
        let ci95 = sd
            .zip(student_t_975(n.saturating_sub(1)))
            .map(|(sd, t)| t * sd / (n as f64).sqrt());
        Self {
            n,
            mean,
            sd,
            ci95,
            min: values.iter().copied().reduce(f64::min),
            max: values.iter().copied().reduce(f64::max),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn one_two_three() {
        let stats = Stats::of(&[1.0, 2.0, 3.0]);
        assert_eq!(stats.n, 3);
        assert_eq!(stats.mean, Some(2.0));
        assert_eq!(stats.sd, Some(1.0));
        assert!((stats.ci95.unwrap() - 2.484_137_7).abs() < 1e-6);
        assert_eq!((stats.min, stats.max), (Some(1.0), Some(3.0)));
    }

    #[test]
    fn one_value_has_no_spread_and_none_has_no_mean() {
        let one = Stats::of(&[4.0]);
        assert_eq!((one.mean, one.sd, one.ci95), (Some(4.0), None, None));
        assert_eq!(Stats::of(&[]).mean, None);
    }

    #[test]
    fn the_expansion_meets_the_table() {
        let beyond = student_t_975(31).unwrap();
        assert!(beyond < T_975[29] && (beyond - 2.039_513_446).abs() < 1e-7);
        assert!((student_t_975(1000).unwrap() - 1.962_339_081).abs() < 1e-8);
    }
}
