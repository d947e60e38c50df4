//! The Kaplan–Meier product-limit estimate of a survival curve from right-censored counts
//! (Kaplan and Meier, "Nonparametric estimation from incomplete observations", JASA 1958):
//! S(t) = ∏ over event values tᵢ ≤ t of (1 − dᵢ / nᵢ), with dᵢ events at tᵢ and nᵢ
//! observations still at risk just before tᵢ. Healing is the event; a stolen session still
//! readable when the run ends is censored at what was seen of it, so it counts as at risk up
//! to there instead of being dropped. A censored value tied with an event value is at risk at
//! that value (the usual convention: the event is taken to come first).

use super::Counts;

/// A Kaplan–Meier curve: after each event value, the estimated share still surviving.
#[derive(Debug, Clone, PartialEq)]
pub struct Survival {
    /// `(event value, S just after it)`, in increasing value order.
    pub steps: Vec<(u64, f64)>,
    /// The largest value observed, event or censored: the curve says nothing beyond it.
    pub followed_up_to: Option<u64>,
}

impl Survival {
    /// The estimate from `events` (value → how many healed there) and `censored` (value → how
    /// many were last seen unhealed there).
    pub fn estimate(events: &Counts, censored: &Counts) -> Self {
        let mut at_risk = events.total() + censored.total();
        let mut survival = 1.0;
        let mut steps = Vec::new();
        let mut censored_before = censored.0.iter().peekable();
        for (&value, &deaths) in &events.0 {
            // Censored strictly before this value have left the risk set.
            while let Some((_, count)) = censored_before.next_if(|(v, _)| **v < value) {
                at_risk -= count;
            }
            if deaths > 0 && at_risk > 0 {
                survival *= 1.0 - deaths as f64 / at_risk as f64;
                steps.push((value, survival));
            }
            at_risk -= deaths;
        }
        let last = |c: &Counts| c.0.keys().next_back().copied();
        Self {
            steps,
            followed_up_to: last(events).max(last(censored)),
        }
    }

    /// The estimate from counts that are lower bounds: `at_least` (value → how many were known
    /// only to reach at least that value). A stolen session censored after reading m messages
    /// read at least m, so it is at risk of healing at every value below m but not at m itself
    /// (its message m was never sent): in the usual terms, censored just after m − 1.
    pub fn estimate_at_least(events: &Counts, at_least: &Counts) -> Self {
        let mut censored = Counts::default();
        for (value, count) in &at_least.0 {
            if let Some(before) = value.checked_sub(1) {
                *censored.0.entry(before).or_default() += count;
            }
        }
        let mut curve = Self::estimate(events, &censored);
        let last = at_least.0.keys().next_back().copied();
        curve.followed_up_to = curve.followed_up_to.max(last.map(|v| v.saturating_sub(1)));
        curve
    }

    /// S(t): the estimated share surviving past `t`; `None` beyond the longest follow-up
    /// (where the data say nothing), unless every observation had its event by then.
    pub fn at(&self, t: u64) -> Option<f64> {
        let s = self
            .steps
            .iter()
            .take_while(|(value, _)| *value <= t)
            .last()
            .map_or(1.0, |(_, s)| *s);
        let observed = self.followed_up_to.is_some_and(|end| t <= end);
        (observed || s == 0.0).then_some(s)
    }

    /// The restricted mean: the area under the curve up to the longest follow-up, the mean
    /// value if no observation went on longer. For whole-number values (messages) it is
    /// Σₖ S(k), the mean of a count.
    pub fn restricted_mean(&self) -> Option<f64> {
        let end = self.followed_up_to?;
        let (mut area, mut from, mut survival) = (0.0, 0, 1.0);
        for &(value, after) in self.steps.iter().take_while(|(v, _)| *v <= end) {
            area += survival * (value - from) as f64;
            (from, survival) = (value, after);
        }
        Some(area + survival * end.saturating_sub(from) as f64)
    }

    /// The median: the smallest value at which S drops to one half or below; `None` if it never
    /// does within the follow-up (more than half still survive).
    pub fn median(&self) -> Option<u64> {
        self.steps
            .iter()
            .find(|(_, s)| *s <= 0.5)
            .map(|(value, _)| *value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(values: &[u64]) -> Counts {
        let mut counts = Counts::default();
        for v in values {
            counts.add(*v);
        }
        counts
    }

    /// The 6-MP arm of Freireich et al. (Blood, 1963), weeks in remission for 21 leukaemia
    /// patients, as tabulated in Kleinbaum and Klein, "Survival Analysis: A Self-Learning
    /// Text" (3rd ed., ch. 2): relapses at 6 (three), 7, 10, 13, 16, 22, 23; censored at 6, 9,
    /// 10, 11, 17, 19, 20, 25, 32, 32, 34, 35.
    #[test]
    fn the_freireich_6mp_arm_matches_the_textbook_table() {
        let relapses = counts(&[6, 6, 6, 7, 10, 13, 16, 22, 23]);
        let censored = counts(&[6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]);
        let curve = Survival::estimate(&relapses, &censored);
        let table = [
            (6, 0.8571),
            (7, 0.8067),
            (10, 0.7529),
            (13, 0.6902),
            (16, 0.6275),
            (22, 0.5378),
            (23, 0.4482),
        ];
        assert_eq!(curve.steps.len(), table.len());
        for ((value, s), (week, expected)) in curve.steps.iter().zip(table) {
            assert_eq!(*value, week);
            assert!(
                (s - expected).abs() < 5e-5,
                "S({week}) = {s}, table {expected}"
            );
        }
        assert_eq!(curve.median(), Some(23));
        assert_eq!(curve.at(5), Some(1.0));
        assert!((curve.at(21).unwrap() - 0.6275).abs() < 5e-5);
        assert!((curve.at(35).unwrap() - 0.4482).abs() < 5e-5);
        assert_eq!(curve.at(36), None, "nobody was followed past week 35");
        // The restricted mean up to week 35, as R's survival package prints it (23.287).
        assert!((curve.restricted_mean().unwrap() - 23.287).abs() < 5e-4);
    }

    #[test]
    fn without_censoring_it_is_the_empirical_survival() {
        let curve = Survival::estimate(&counts(&[1, 2, 2, 4]), &Counts::default());
        assert_eq!(curve.steps, [(1, 0.75), (2, 0.25), (4, 0.0)]);
        assert_eq!(curve.median(), Some(2));
        assert_eq!(
            curve.at(9),
            Some(0.0),
            "all had healed: none left beyond the follow-up"
        );
        assert_eq!(
            curve.restricted_mean(),
            Some(2.25),
            "the plain mean of 1, 2, 2, 4"
        );
    }

    #[test]
    fn a_lower_bound_is_not_at_risk_at_its_own_value() {
        // Two healed after 0 messages; one read 1 and the run ended; one saw no message at all
        // (known only to read at least 0), which says nothing about healing at 0.
        let curve = Survival::estimate_at_least(&counts(&[0, 0]), &counts(&[0, 1]));
        assert_eq!(curve.steps, [(0, 1.0 - 2.0 / 3.0)]);
        assert_eq!(curve.at(0), Some(1.0 - 2.0 / 3.0));
        assert_eq!(
            curve.at(1),
            None,
            "nobody was seen to read a second message"
        );
    }

    #[test]
    fn mostly_censored_has_no_median() {
        let curve = Survival::estimate(&counts(&[3]), &counts(&[1, 5, 5]));
        assert_eq!(curve.steps, [(3, 1.0 - 1.0 / 3.0)]);
        assert_eq!(curve.median(), None);
        assert_eq!(curve.at(5), Some(1.0 - 1.0 / 3.0));
    }
}
