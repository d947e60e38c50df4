//! The sweep file as written: a base scenario, the parameters to vary, the seeds to repeat each
//! grid point with, and the metrics to collect. Unknown fields are refused.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::SweepError;

/// A sweep file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// Short name; results go to `<out>/<name>/`. 1 to 100 letters, digits, `-` and `_`.
    pub name: String,
    /// What the sweep asks, and what each point costs to run.
    #[serde(default)]
    pub description: String,
    /// The scenario every point starts from.
    pub scenario: ScenarioSource,
    /// The parameters to vary; every combination of their values is a grid point.
    pub parameters: Vec<Parameter>,
    /// Runs per grid point. Default: 1 (the scenario's own seed).
    #[serde(default)]
    pub seeds: Seeds,
    /// What to collect from each run's `summary.json`, per design.
    pub metrics: Vec<Metric>,
    /// Fixed values set in the base scenario before the grid is built, by JSON pointer. A member
    /// missing from an object is added; applied in pointer order.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub overrides: Map<String, Value>,
}

/// Where the base scenario comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a bundled scenario name, a scenario file relative to the sweep file, or a scenario object"
)]
pub enum ScenarioSource {
    /// A file relative to the sweep file, or else a bundled scenario's name.
    Named(String),
    /// The scenario itself.
    Inline(Map<String, Value>),
}

/// One varied parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// JSON pointer (RFC 6901) into the scenario, e.g. `/population/users`.
    pub path: String,
    /// Axis label for tables and plots. Default: the path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The values it takes, in order.
    pub values: Vec<Value>,
}

/// One collected metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// JSON pointer into each design entry of `summary.json` (e.g. `/exposure/fraction`), or,
    /// starting with `/run/`, into the summary's top level (e.g. `/run/messages_per_second`).
    pub path: String,
    /// Label for tables and plots. Default: the path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// The seeds each grid point runs with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged, expecting = "a number of seeds, or a list of seeds")]
pub enum Seeds {
    /// `n` seeds: the scenario's seed, plus 0 to n - 1.
    Count(u64),
    /// These seeds.
    List(Vec<u64>),
}

impl Default for Seeds {
    fn default() -> Self {
        Seeds::Count(1)
    }
}

impl Parameter {
    /// The label, or the path when there is none.
    pub fn label(&self) -> &str {
        if self.label.is_empty() {
            &self.path
        } else {
            &self.label
        }
    }
}

impl Metric {
    /// The label, or the path when there is none.
    pub fn label(&self) -> &str {
        if self.label.is_empty() {
            &self.path
        } else {
            &self.label
        }
    }
}

impl SweepSpec {
    /// Parses sweep JSON, naming the JSON path, line and column of the first error; anything
    /// after the document is refused.
    pub fn from_json(text: &str) -> Result<Self, SweepError> {
        super::file::parse_strict(text)
    }
}
