//! Scenario files: what a run simulates, as JSON.
//!
//! A [`Scenario`] is parsed strictly: one JSON document and nothing after it, checked against
//! the JSON Schema of these types (no unknown field anywhere, an object wherever the schema says
//! object; see [`strict`]), then read by serde. [`Scenario::validate`] then checks every value
//! and reports *all* problems with their JSON paths before any work starts. Every field with a
//! default documents it; units are in the field names (`_days`, `_s`, `_bytes`).

mod adversary;
mod bundled;
mod config;
mod estimate;
pub(crate) mod strict;
mod validate;

use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use self::validate::rounded;
pub use self::validate::{MAX_DESIGNS, MAX_NAME_LEN};
pub use self::{
    adversary::{validate_adversary, validate_lawful},
    bundled::{BUNDLED, bundled},
    config::RunConfig,
    estimate::{
        BASELINE_BYTES, Budget, CPU_BUDGET_SECONDS, Estimate, FALLBACK_MEMORY_BYTES, MEMORY_SHARE,
        Refusal, TASK_TARGET_CPU_SECONDS, machine_memory_bytes,
    },
    validate::{MAX_MESSAGES_PER_DESIGN, MAX_USERS, ValidationError, ValidationErrors},
};
use crate::{
    adversary::{AdversarySpec, LawfulSpec},
    design::DesignSpec,
};

/// A scenario as written in its JSON file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name; results go to `results/<name>/`. Letters, digits, `-` and `_`.
    pub name: String,
    /// What the scenario models, with the sources of its parameters.
    pub description: String,
    /// Master seed: the same seed gives the same results, whatever the thread count.
    pub seed: u64,
    /// Simulated duration, in days.
    pub duration_days: f64,
    /// Who is simulated.
    pub population: Population,
    /// How they message. Every field has a default.
    #[serde(default)]
    pub traffic: Traffic,
    /// The designs to compare, all on exactly the same messages. Put `plain` first.
    pub designs: Vec<DesignSpec>,
    /// Who watches and what they steal, and when. Default: none.
    #[serde(default)]
    pub adversary: Option<AdversarySpec>,
    /// Warrants and evasion. Default: none.
    #[serde(default)]
    pub lawful_access: Option<LawfulSpec>,
}

/// The users and their contact graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Number of users.
    pub users: u64,
    /// Contacts per user, drawn from a log-normal distribution.
    #[serde(default)]
    pub contacts: Contacts,
}

/// Log-normal degree distribution of the contact graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Contacts {
    /// Median contacts a user talks to. Default: 8.
    pub median: f64,
    /// Log-normal shape σ (spread). Default: 0.8.
    pub sigma: f64,
    /// Cap on one user's contacts. Default: 200.
    pub max: u32,
}

impl Default for Contacts {
    fn default() -> Self {
        Self {
            median: 8.0,
            sigma: 0.8,
            max: 200,
        }
    }
}

/// How conversations unfold. Conversations come as *exchanges* starting at Poisson times: a few
/// turns, each turn a burst of messages from one side, the other side replying after a delay,
/// so DH ratchet steps happen where real conversations turn. `pattern` says who sends each
/// message: geometric bursts and turns, or a fixed order as in published healing experiments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Traffic {
    /// The order of senders. Default: `natural`.
    pub pattern: Pattern,
    /// Messages each user sends per day. Default: 50 (WhatsApp: ~100 billion messages a day
    /// over ~2 billion users).
    pub messages_per_user_per_day: f64,
    /// Mean messages per turn (burst). Default: 2.5.
    pub burst_mean: f64,
    /// Mean turns per exchange. Default: 4.
    pub turns_mean: f64,
    /// Mean delay before the other side replies, in seconds. Default: 120.
    pub reply_delay_mean_s: f64,
    /// Mean gap between messages of one burst, in seconds. Default: 8.
    pub burst_gap_mean_s: f64,
    /// Message sizes.
    pub message_bytes: MessageSizes,
    /// Delivery delays and offline periods.
    pub delivery: Delivery,
}

/// Who sends each message of a conversation. Timing (reply delays, burst gaps, idle gaps
/// between exchanges) stays random in every pattern; only the order of senders is fixed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Pattern {
    /// Geometric bursts (mean `burst_mean`) and turns per exchange (mean `turns_mean`); the
    /// side that starts an exchange is drawn by the two users' rates.
    #[default]
    Natural,
    /// The two sides strictly alternate, one message each, across the whole conversation: a
    /// new exchange starts with the side that did not send last.
    Alternating,
    /// The two sides strictly alternate turns of exactly `n` messages across the whole
    /// conversation (Signal's healing experiments: 50).
    FixedBursts {
        /// Messages per turn, 1 to [`MAX_FIXED_BURST`].
        n: u32,
    },
}

impl Traffic {
    /// Mean messages per turn: a DH ratchet step comes about once per turn.
    pub fn mean_turn(&self) -> f64 {
        match self.pattern {
            Pattern::Natural => self.burst_mean.max(1.0),
            Pattern::Alternating => 1.0,
            Pattern::FixedBursts { n } => f64::from(n.max(1)),
        }
    }
}

/// The longest fixed burst a scenario may ask for: far beyond any published experiment, and
/// below the ratchet's 25,000-key skip limit.
pub const MAX_FIXED_BURST: u32 = 10_000;

impl Default for Traffic {
    fn default() -> Self {
        Self {
            pattern: Pattern::Natural,
            messages_per_user_per_day: 50.0,
            burst_mean: 2.5,
            turns_mean: 4.0,
            reply_delay_mean_s: 120.0,
            burst_gap_mean_s: 8.0,
            message_bytes: MessageSizes::default(),
            delivery: Delivery::default(),
        }
    }
}

/// Log-normal plaintext sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MessageSizes {
    /// Median plaintext size, in bytes. Default: 60 (a short text message).
    pub median: f64,
    /// Log-normal shape σ. Default: 1.0.
    pub sigma: f64,
    /// Largest plaintext, in bytes. Default: 65,536.
    pub max: u32,
}

impl Default for MessageSizes {
    fn default() -> Self {
        Self {
            median: 60.0,
            sigma: 1.0,
            max: 65_536,
        }
    }
}

/// How messages reach their recipient. Independent delays reorder messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Delivery {
    /// Mean network and server latency, in seconds (exponential). Default: 2.
    pub latency_mean_s: f64,
    /// Probability that the recipient is offline when a message is sent. Default: 0.1.
    pub offline_probability: f64,
    /// Mean extra delay while offline, in seconds (exponential). Default: 1,800.
    pub offline_mean_s: f64,
}

impl Default for Delivery {
    fn default() -> Self {
        Self {
            latency_mean_s: 2.0,
            offline_probability: 0.1,
            offline_mean_s: 1_800.0,
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The JSON does not parse into a scenario.
    #[error("{path}: {message}")]
    Parse {
        /// JSON path of the problem.
        path: String,
        /// What serde said.
        message: String,
    },
    /// The values are out of range.
    #[error("{0}")]
    Invalid(ValidationErrors),
}

/// The scenario schema, generated once: the parser checks every document against it.
static SCHEMA: LazyLock<Value> = LazyLock::new(Scenario::json_schema);

fn parse_error(path: String, message: String) -> ScenarioError {
    ScenarioError::Parse {
        path: match path.as_str() {
            "" | "." => "(top level)".to_string(),
            _ => path,
        },
        message,
    }
}

impl Scenario {
    /// Parses scenario JSON strictly, naming the JSON path of the first problem: a syntax error
    /// (with its line and column), anything after the document, a field the schema does not
    /// have, a value of the wrong type.
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value: Value =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                parse_error(error.path().to_string(), error.into_inner().to_string())
            })?;
        deserializer
            .end()
            .map_err(|error| parse_error(String::new(), error.to_string()))?;
        strict::check(&SCHEMA, &value).map_err(|p| parse_error(p.path, p.message))?;
        // serde reads the text itself, not the `Value`, so a field given twice is refused too.
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer)
            .map_err(|error| parse_error(error.path().to_string(), error.into_inner().to_string()))
    }

    /// Parses and validates.
    pub fn load(text: &str) -> Result<Self, ScenarioError> {
        let scenario = Self::from_json(text)?;
        scenario.validate().map_err(ScenarioError::Invalid)?;
        Ok(scenario)
    }

    /// Parses and validates the bytes of a scenario file, which must be UTF-8.
    pub fn load_bytes(bytes: &[u8]) -> Result<Self, ScenarioError> {
        let text = std::str::from_utf8(bytes).map_err(|error| {
            parse_error(
                String::new(),
                format!("not valid UTF-8 at byte {}", error.valid_up_to()),
            )
        })?;
        Self::load(text)
    }

    /// Simulated duration in seconds.
    pub fn horizon(&self) -> crate::model::SimTime {
        crate::model::days(self.duration_days)
    }

    /// The run's baseline: the first design without exceptional access, which overheads are
    /// measured against.
    pub fn baseline(&self) -> Option<usize> {
        self.designs
            .iter()
            .position(|d| !d.design().exceptional_access())
    }

    /// The JSON Schema of scenario files, generated from these types.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Scenario)).unwrap_or_default()
    }
}
