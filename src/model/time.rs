//! Simulated time: seconds since the start of a run, never wall-clock time. Scenario files
//! speak in hours and days; [`hours`] and [`days`] turn them into [`SimTime`] once, when a run
//! is configured.

/// Simulated time, in seconds since the start of a run.
pub type SimTime = u64;
/// Seconds in a simulated hour.
pub const HOUR: SimTime = 3_600;
/// Seconds in a simulated day.
pub const DAY: SimTime = 24 * HOUR;

/// `h` hours as simulated seconds, rounded to the nearest second; negative is 0.
pub fn hours(h: f64) -> SimTime {
    (h * HOUR as f64).round().max(0.0) as SimTime
}

/// `d` days as simulated seconds, rounded to the nearest second; negative is 0.
pub fn days(d: f64) -> SimTime {
    (d * DAY as f64).round().max(0.0) as SimTime
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn hours_and_days_round_to_the_second() {
        assert_eq!(hours(1.5), 5_400);
        assert_eq!(hours(1.0 / 7200.0), 1);
        assert_eq!(hours(-3.0), 0);
        assert_eq!(days(0.25), 6 * HOUR);
        assert_eq!(days(30.0), 30 * DAY);
    }
}
