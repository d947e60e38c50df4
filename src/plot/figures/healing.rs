//! Healing per stolen session: a histogram of the healed sessions and, apart at the right, a
//! bar of those not healed by the end of the run, titled with the Kaplan–Meier median.

use super::Run;
use crate::plot::Histogram;

/// The two healing quantities, each a figure.
#[derive(Debug, Clone, Copy)]
pub(super) enum Healing {
    /// Simulated hours from the copy to healing.
    Hours,
    /// Messages read from the copy to healing.
    Messages,
}

impl Run<'_> {
    /// The healing histogram per stolen session, of the design [`Summary::healing`] names.
    ///
    /// [`Summary::healing`]: crate::report::Summary::healing
    pub(super) fn healing(&self, what: Healing) -> Option<Histogram> {
        let (design, healing) = self.summary.healing()?;
        let (stats, name, unit, x_label) = match what {
            Healing::Hours => (
                healing.per_session_hours.as_ref()?,
                "hours",
                " h",
                "simulated hours from device compromise to healing, per stolen session",
            ),
            Healing::Messages => (
                healing.per_session_messages.as_ref()?,
                "messages",
                " messages",
                "messages read from device compromise to healing, per stolen session",
            ),
        };
        let mut bins = stats
            .healed
            .as_ref()
            .map_or_else(Vec::new, |healed| bins(&healed.histogram));
        let open = stats.not_healed_by_end;
        if open > 0 {
            let (lo, hi) = bins.last().map_or((0.0, 1.0), |(lo, hi, _)| (*lo, *hi));
            let width = hi - lo;
            bins.push((hi + width, hi + 2.0 * width, open));
        }
        let label = &design.label;
        let title = match stats.median {
            Some(median) => format!(
                "Healing per stolen session in {label}: Kaplan–Meier median {}{unit}",
                short(median)
            ),
            None => format!("Healing per stolen session in {label} ({name}): median not reached"),
        };
        let mut extra = vec![format!(
            "{} stolen sessions; the separate bar at the right: {open} not healed by the end of \
             the run",
            healing.sessions
        )];
        let shares: Vec<String> = healing
            .unhealed_share_at
            .points()
            .iter()
            .filter_map(|(name, share)| Some(format!("{} % at {name}", short(100.0 * (*share)?))))
            .collect();
        if !shares.is_empty() {
            extra.push(format!(
                "still unhealed (Kaplan–Meier): {}",
                shares.join(", ")
            ));
        }
        Some(Histogram {
            title,
            x_label: x_label.into(),
            y_label: "stolen sessions".into(),
            bins,
            notes: self.notes(&extra),
        })
    }
}

/// Histogram bins from `[value, count]` pairs, each value a bin's centre. Every bin is as wide
/// as the closest spacing of two values, so values with no entry show as gaps and no bar is
/// stretched over them; bins of non-negative values do not reach below 0.
fn bins(entries: &[[f64; 2]]) -> Vec<(f64, f64, u64)> {
    let mut pairs: Vec<(f64, u64)> = entries
        .iter()
        .map(|[value, count]| (*value, count.max(0.0) as u64))
        .filter(|(value, _)| value.is_finite())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    pairs.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 += b.1;
        }
        same
    });
    let closest = pairs
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .fold(f64::INFINITY, f64::min);
    let half = if closest.is_finite() {
        closest / 2.0
    } else {
        0.5
    };
    let floor = if pairs.first().is_some_and(|p| p.0 >= 0.0) {
        0.0
    } else {
        f64::NEG_INFINITY
    };
    pairs
        .iter()
        .map(|&(centre, count)| ((centre - half).max(floor), centre + half, count))
        .collect()
}

/// A number for a title, without trailing zeros.
fn short(value: f64) -> String {
    crate::plot::style::number(value)
}
