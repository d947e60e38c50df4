//! The National Academies' 2018 framework ("Decrypting the Encryption Debate: A Framework for
//! Decision Makers", doi 10.17226/25010) asks decision makers a fixed set of questions about any
//! exceptional-access proposal. This turns a run's [`Summary`] into sentences that answer those
//! questions with the run's own numbers, per design, and says which scenario block would supply
//! a missing answer. Wording stays neutral: numbers, not verdicts. One question per file.

mod costs;
mod effectiveness;
mod privacy;
mod security;

use super::{
    DesignSummary, Summary,
    numbers::{count, decimal},
};

/// One framework question and what this run says about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    /// Short heading, e.g. `Q2 · Security`.
    pub(crate) heading: &'static str,
    /// The question, paraphrased from the report.
    pub(crate) question: &'static str,
    /// Plain-text sentences (not yet HTML-escaped), one per design or run-wide fact.
    pub(crate) findings: Vec<String>,
}

/// Answers every question the framework asks, from `summary`.
pub(crate) fn answers(summary: &Summary) -> Vec<Answer> {
    vec![
        Answer {
            heading: "Q1 · Effectiveness",
            question: "Would the design give authorities the access they seek, at the scale, \
                       timeliness and reliability sought, including against targets who evade it?",
            findings: effectiveness::findings(summary),
        },
        Answer {
            heading: "Q2 · Security",
            question: "What risk does the design add to the security of users' data and devices, \
                       and to cybersecurity broadly, if its access secret leaks?",
            findings: security::findings(summary),
        },
        Answer {
            heading: "Q3 · Privacy and civil liberties",
            question: "Whose communications does the design put within reach, beyond the people \
                       under warrant?",
            findings: privacy::findings(summary),
        },
        Answer {
            heading: "Q4, Q5 · Costs",
            question: "What does the design cost in computation and bandwidth, and so for \
                       providers and users?",
            findings: costs::findings(summary),
        },
        Answer {
            heading: "Q6–Q8 · Law, international effects, oversight",
            question: "Is the design consistent with law and other priorities, what are its \
                       international effects, and how is it overseen?",
            findings: vec![
                "These are questions of law, diplomacy and institutions: this run's numbers \
                 do not answer them."
                    .into(),
            ],
        },
    ]
}

/// A design's label, backticked so the page sets it as code.
fn label(design: &DesignSummary) -> String {
    format!("`{}`", design.label)
}

fn plural(n: f64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1.0 { one } else { many })
}

/// An hour of the run: `15` or `20.4`.
fn hour(h: f64) -> String {
    if h.fract() == 0.0 {
        count(h)
    } else {
        decimal(h, 1)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::report::numbers::NBSP;

    fn fixture_json() -> Value {
        serde_json::from_str(include_str!("../../../tests/all/report/summary.json")).unwrap()
    }

    fn fixture() -> Summary {
        serde_json::from_value(fixture_json()).unwrap()
    }

    fn findings(summary: &Summary, heading: &str) -> Vec<String> {
        answers(summary)
            .into_iter()
            .find(|a| a.heading.starts_with(heading))
            .unwrap()
            .findings
            .into_iter()
            .map(|s| s.replace(NBSP, " "))
            .collect()
    }

    #[test]
    fn effectiveness_per_design_with_evasion() {
        let q1 = findings(&fixture(), "Q1");
        assert_eq!(
            q1[0],
            "With `plain`, the authority read 78.4 % of the 4,210 messages in the warrant windows \
             of its 10 targets (3,301 messages): 79.0 % for the 8 who did not evade, 76.0 % for \
             the 2 who did, using 10 targeted device compromises."
        );
        assert_eq!(
            q1[1],
            "With `escrow/global/chain`, the authority read 80.0 % of the 4,210 messages in the \
             warrant windows of its 10 targets (3,368 messages): 100.0 % for the 8 who did not \
             evade, 0.0 % for the 2 who did."
        );
        assert!(q1[3].starts_with("The scenario sets 20.0 % of targets to evade"));
    }

    #[test]
    fn security_states_leak_retroactivity_gain_and_dwell() {
        let q2 = findings(&fixture(), "Q2");
        assert_eq!(
            q2[0],
            "The adversary gained its secrets at hour 15 and kept every captured message \
             (harvest now, decrypt later); the compromise was detected at hour 20."
        );
        assert_eq!(
            q2[2],
            "With `escrow/global/chain`, the adversary's 1 stolen secret made 83.3 % of the run's \
             126,686 messages readable (105,572; 74.4 % of them retroactively, sent before the \
             compromise), touching 2,500 users in 8,123 conversations. That is like hacking \
             1,759.5 phones: one implanted phone in plain exposed 60.0 messages on average, its \
             history and traffic until removal (or 2,574.9 one-time phone copies, at 41.0 \
             messages each before the ratchet healed). Readable messages span hours 0–20 of the \
             run; 3 messages sent after detection at hour 20 stayed readable."
        );
        assert_eq!(
            q2[4],
            "In `plain`, 29 of 31 stolen sessions (one per copied device and contact) healed \
             before the run ended and 2 were still readable; the Kaplan–Meier median per \
             session is 4.0 messages read before a new DH ratchet step shut the thief out, \
             0.4 h after the copy; still unhealed: 23.0 % after 1 h, 6.5 % after 24 h."
        );
    }

    #[test]
    fn privacy_and_costs() {
        let q3 = findings(&fixture(), "Q3");
        assert_eq!(
            q3[1],
            "With `escrow/global/chain`, the leak reached 2,500 users of the run's 2,500 \
             (100.0 %), while 10 users were under warrant."
        );
        let costs = findings(&fixture(), "Q4");
        assert_eq!(
            costs[0],
            "`plain` (the baseline): 41.0 µs of CPU per message and 168.4 B on the wire; one \
             core handles 24,390 messages per second."
        );
        assert_eq!(
            costs[2],
            "`escrow/3of5/chain`: 150.0 µs of CPU per message (3.66× plain's) and 530.2 B on the \
             wire (+361.8 B over plain); one core handles 6,667 messages per second."
        );
    }

    #[test]
    fn missing_blocks_name_the_scenario_block_that_adds_them() {
        let mut summary = fixture_json();
        summary["adversary"] = Value::Null;
        for design in summary["designs"].as_array_mut().unwrap() {
            design["exposure"] = Value::Null;
            design["healing"] = Value::Null;
            design.as_object_mut().unwrap().remove("lawful");
        }
        let summary: Summary = serde_json::from_value(summary).unwrap();
        let q1 = findings(&summary, "Q1");
        assert_eq!(q1.len(), 1);
        assert!(q1[0].contains("a `lawful` block"), "{q1:?}");
        let q2 = findings(&summary, "Q2");
        assert_eq!(q2.len(), 1);
        assert!(q2[0].contains("an `adversary` block"), "{q2:?}");
        assert!(findings(&summary, "Q3")[0].contains("`adversary` block"));
    }

    #[test]
    fn a_summary_without_designs_says_so() {
        let mut summary = fixture();
        summary.designs.clear();
        summary.baseline = None;
        assert_eq!(answers(&summary).len(), 5);
        let costs = findings(&summary, "Q4");
        assert_eq!(costs, ["This summary has no CPU or byte figures."]);
    }

    #[test]
    fn the_baseline_is_the_summary_s_not_a_label() {
        let mut summary = fixture();
        summary.designs[0].label = "clear".into();
        let costs = findings(&summary, "Q4");
        assert!(costs[0].starts_with("`clear` (the baseline)"), "{costs:?}");
        assert!(costs[2].contains("(3.66× clear's)"), "{costs:?}");
        summary.baseline = None;
        let costs = findings(&summary, "Q4");
        assert!(!costs[0].contains("baseline"), "{costs:?}");
        assert!(
            costs.last().unwrap().contains("no plain design"),
            "{costs:?}"
        );
    }
}
