//! Checks every value of a scenario and reports all problems at once, each with its JSON path,
//! and refuses runs too large for the machine with an estimate of what they would take.

use std::fmt;

use super::Scenario;
use crate::design::DesignSpec;

/// One problem, at one JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// JSON path, e.g. `population.users` or `designs[2].scope.threshold`.
    pub path: String,
    /// What was expected, and what was found.
    pub message: String,
}

/// Every problem found in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {}", error.path, error.message)?;
        }
        Ok(())
    }
}

/// Longest scenario name: it names the results folder, and file systems limit a name to 255
/// bytes.
pub const MAX_NAME_LEN: usize = 100;
/// Most designs one scenario compares: each is a whole simulation of the population.
pub const MAX_DESIGNS: usize = 64;
/// Largest population the engine accepts: a nation (France has about 68 million people), with
/// room; its per-user tables and plan would outgrow a node's memory well beyond.
pub const MAX_USERS: u64 = 100_000_000;
/// Largest expected message count per design: a year of that nation's traffic at 50 messages a
/// day (1.2e12), for runs split into tasks on a cluster.
pub const MAX_MESSAGES_PER_DESIGN: f64 = 2e12;
impl Scenario {
    /// Checks every field; returns all problems found.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        let mut check = |ok: bool, path: &str, message: String| {
            if !ok {
                errors.push(ValidationError {
                    path: path.to_string(),
                    message,
                });
            }
        };
        let name_length = self.name.chars().count();
        if (1..=MAX_NAME_LEN).contains(&name_length) {
            check(
                self.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "name",
                format!(
                    "expected letters, digits, '-' or '_', found {:?}",
                    self.name
                ),
            );
        } else {
            check(
                false,
                "name",
                format!("expected 1 to {MAX_NAME_LEN} characters, found {name_length}"),
            );
        }
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let non_negative = |v: f64| v.is_finite() && v >= 0.0;
        check(
            positive(self.duration_days) && self.duration_days <= 3650.0,
            "duration_days",
            format!(
                "expected a duration in (0, 3650] days, found {}",
                self.duration_days
            ),
        );
        let p = &self.population;
        check(
            p.users >= 2,
            "population.users",
            format!("expected at least 2 users, found {}", p.users),
        );
        check(
            p.users <= MAX_USERS,
            "population.users",
            format!("expected at most {MAX_USERS} users, found {}", p.users),
        );
        check(
            positive(p.contacts.median),
            "population.contacts.median",
            format!("expected a positive median, found {}", p.contacts.median),
        );
        check(
            non_negative(p.contacts.sigma) && p.contacts.sigma <= 5.0,
            "population.contacts.sigma",
            format!("expected σ in [0, 5], found {}", p.contacts.sigma),
        );
        check(
            p.contacts.max >= 1,
            "population.contacts.max",
            "expected at least 1".into(),
        );
        let t = &self.traffic;
        check(
            non_negative(t.messages_per_user_per_day) && t.messages_per_user_per_day <= 100_000.0,
            "traffic.messages_per_user_per_day",
            format!(
                "expected a rate in [0, 100000], found {}",
                t.messages_per_user_per_day
            ),
        );
        if let super::Pattern::FixedBursts { n } = t.pattern {
            check(
                (1..=super::MAX_FIXED_BURST).contains(&n),
                "traffic.pattern.n",
                format!(
                    "expected 1 to {} messages per turn, found {n}",
                    super::MAX_FIXED_BURST
                ),
            );
        }
        for (value, path) in [
            (t.burst_mean, "traffic.burst_mean"),
            (t.turns_mean, "traffic.turns_mean"),
        ] {
            check(
                value.is_finite() && value >= 1.0,
                path,
                format!("expected at least 1, found {value}"),
            );
        }
        for (value, path) in [
            (t.reply_delay_mean_s, "traffic.reply_delay_mean_s"),
            (t.burst_gap_mean_s, "traffic.burst_gap_mean_s"),
            (t.delivery.latency_mean_s, "traffic.delivery.latency_mean_s"),
            (t.delivery.offline_mean_s, "traffic.delivery.offline_mean_s"),
            (t.message_bytes.sigma, "traffic.message_bytes.sigma"),
        ] {
            check(
                non_negative(value),
                path,
                format!("expected a non-negative number, found {value}"),
            );
        }
        check(
            positive(t.message_bytes.median),
            "traffic.message_bytes.median",
            format!("expected a positive size, found {}", t.message_bytes.median),
        );
        check(
            (1..=crate::protocol::MAX_PLAINTEXT_LEN as u32).contains(&t.message_bytes.max),
            "traffic.message_bytes.max",
            format!(
                "expected 1 to {} bytes, found {}",
                crate::protocol::MAX_PLAINTEXT_LEN,
                t.message_bytes.max
            ),
        );
        check(
            (0.0..=1.0).contains(&t.delivery.offline_probability),
            "traffic.delivery.offline_probability",
            format!(
                "expected a probability in [0, 1], found {}",
                t.delivery.offline_probability
            ),
        );
        check(
            !self.designs.is_empty(),
            "designs",
            "expected at least one design".into(),
        );
        check(
            self.designs.len() <= MAX_DESIGNS,
            "designs",
            format!(
                "expected at most {MAX_DESIGNS} designs, found {}",
                self.designs.len()
            ),
        );
        for (i, design) in self.designs.iter().enumerate() {
            validate_design(design, &format!("designs[{i}]"), &mut errors);
        }
        if let Some(adversary) = &self.adversary {
            errors.extend(super::adversary::validate_adversary(
                adversary,
                self.duration_days,
                p.users,
                &self.designs,
            ));
        }
        if let Some(lawful) = &self.lawful_access {
            errors.extend(super::adversary::validate_lawful(lawful, p.users));
        }
        // Quadratic, so only once the count is known to be small.
        let few = self.designs.len() <= MAX_DESIGNS;
        for (i, design) in self.designs.iter().enumerate().filter(|_| few) {
            if self.designs[..i].contains(design) {
                errors.push(ValidationError {
                    path: format!("designs[{i}]"),
                    message: format!("duplicate of an earlier design ({})", design.label()),
                });
            }
        }
        if errors.is_empty() {
            let estimate = self.estimate();
            if estimate.messages_per_design > MAX_MESSAGES_PER_DESIGN {
                errors.push(ValidationError {
                    path: "population.users".into(),
                    message: format!(
                        "run too large: {:.2e} messages per design, about {:.0} CPU-hours and {:.1} GiB; \
                         the limit is {MAX_MESSAGES_PER_DESIGN:.0e} messages per design",
                        estimate.messages_per_design,
                        estimate.cpu_seconds / 3600.0,
                        estimate.peak_memory_bytes(1) / f64::from(1u32 << 30),
                    ),
                });
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(errors))
        }
    }
}

/// A number computed for a message (a bound, not the value found), rounded to six decimals so
/// float noise does not show: `2.4`, not `2.4000000000000004`.
pub(crate) fn rounded(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e12 {
        format!("{}", (x * 1e6).round() / 1e6 + 0.0)
    } else {
        format!("{x}")
    }
}

fn validate_design(design: &DesignSpec, path: &str, errors: &mut Vec<ValidationError>) {
    for (field, message) in design.design().problems() {
        errors.push(ValidationError {
            path: format!("{path}.{field}"),
            message,
        });
    }
}
