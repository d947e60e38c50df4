//! Q3, privacy and civil liberties: how many users a leak reaches, against how many are under
//! warrant.

use std::fmt::Write;

use super::{label, plural};
use crate::report::{
    Summary,
    numbers::{count, percent},
};

pub(super) fn findings(summary: &Summary) -> Vec<String> {
    let users = summary.scenario.population.users as f64;
    let targets = summary
        .designs
        .iter()
        .find_map(|d| d.lawful.as_ref())
        .map(|lawful| lawful.targets);
    let mut findings = Vec::new();
    for design in &summary.designs {
        let Some(exposure) = &design.exposure else {
            continue;
        };
        let touched = exposure.users_touched as f64;
        let mut s = format!(
            "With {}, the leak reached {}",
            label(design),
            plural(touched, "user", "users")
        );
        if users > 0.0 {
            let _ = write!(
                s,
                " of the run's {} ({})",
                count(users),
                percent(touched / users)
            );
        }
        if let Some(targets) = targets {
            let _ = write!(
                s,
                ", while {} under warrant",
                if targets == 1 {
                    "1 user was".to_string()
                } else {
                    format!("{} users were", count(targets as f64))
                }
            );
        }
        s.push('.');
        findings.push(s);
    }
    if findings.is_empty() {
        findings.push(
            "An `adversary` block in the scenario adds how many users and conversations a leak \
             reaches."
                .into(),
        );
    }
    findings.push("Misuse of access by insiders is not modelled in this run.".into());
    findings
}
