//! `summary.json` as a typed contract: [`Summary::from_json`] reads a file back into the types
//! that wrote it, naming the field, line and column of the first mismatch, and
//! [`Summary::json_schema`] is the schema `doormat schema summary` prints. Fields added after the
//! first layout carry `#[serde(default)]`, so older and smaller files still load.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

use super::{SCHEMA_VERSION, Summary};
use crate::{adversary::UserSet, model::UserId, scenario::MAX_USERS};

/// Why a `summary.json` could not be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SummaryError {
    /// The text is not one JSON document.
    #[error("not valid JSON: {0}")]
    Syntax(String),
    /// The summary has another layout than the one this doormat reads.
    #[error(
        "schema_version {found} is not the one this doormat reads ({expected}): rerun the \
         simulation with this version"
    )]
    Version {
        /// What the summary says (`missing` if absent).
        found: String,
        /// What this doormat reads.
        expected: u32,
    },
    /// A field does not hold what the summary's types expect.
    #[error("{path}: {message}")]
    Field {
        /// JSON path of the field, e.g. `designs[0].counts.sent`.
        path: String,
        /// What serde found and expected, with the line and column.
        message: String,
    },
}

impl Summary {
    /// Reads a `summary.json`: its `schema_version` first, so that a file of another layout is
    /// named as such, then every field into the summary's types.
    pub fn from_json(text: &str) -> Result<Self, SummaryError> {
        /// Only the version: every other field is left unread.
        #[derive(Deserialize)]
        struct Version {
            schema_version: Option<serde_json::Value>,
        }
        let version: Version =
            serde_json::from_str(text).map_err(|e| SummaryError::Syntax(e.to_string()))?;
        let found = version.schema_version;
        if found.as_ref().and_then(serde_json::Value::as_u64) != Some(u64::from(SCHEMA_VERSION)) {
            return Err(SummaryError::Version {
                found: found.map_or("missing".to_string(), |v| v.to_string()),
                expected: SCHEMA_VERSION,
            });
        }
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer).map_err(|error| SummaryError::Field {
            path: match error.path().to_string() {
                path if path == "." => "(top level)".to_string(),
                path => path,
            },
            message: error.into_inner().to_string(),
        })
    }

    /// The JSON Schema of `summary.json`, generated from these types.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Summary)).unwrap_or_default()
    }
}

/// A set of users is written as its size (`users_touched` is what a summary reports), so it
/// reads back as a set of that many users: the same size, the same JSON. Kept here, beside the
/// contract it serves, rather than in `adversary`, which only ever writes it.
impl<'de> Deserialize<'de> for UserSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let len = u64::deserialize(deserializer)?;
        if len > MAX_USERS {
            return Err(serde::de::Error::custom(format!(
                "{len} users, more than the {MAX_USERS} a scenario may have"
            )));
        }
        let mut users = UserSet::default();
        for user in 0..len {
            users.insert(user as UserId);
        }
        Ok(users)
    }
}

impl JsonSchema for UserSet {
    fn schema_name() -> Cow<'static, str> {
        "UserSet".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A set of users, written as how many there are.",
            "type": "integer",
            "format": "uint64",
            "minimum": 0
        })
    }
}
