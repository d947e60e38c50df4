//! A JSON document checked against the JSON Schema schemars generates from doormat's types,
//! before serde reads it.
//!
//! serde alone lets through what the schema forbids: unknown fields inside the unit variants of
//! internally tagged enums (`{"kind": "plain", "x": 1}`) and arrays in place of structs
//! (`"population": [30]`). And an error inside a tagged enum loses its path, because serde
//! buffers the variant's content before reading it. This walk checks the subset of JSON Schema
//! that schemars emits for these types (`$ref`, `type`, `properties`, `required`,
//! `additionalProperties`, the decimal keys of `patternProperties`, `items`, `oneOf` / `anyOf`,
//! `const`, integer `format`s and bounds) and
//! names the full path of the first problem, in serde's words, so the schema users see in
//! `doormat schema` is exactly what is accepted.

use serde_json::{Map, Value};

/// The first problem found, at its JSON path (`""` for the document itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// JSON path, e.g. `designs[3].scope.threshold`.
    pub(crate) path: String,
    /// What was found, and what was expected.
    pub(crate) message: String,
}

/// Deeper than any doormat schema nests: guards against a `$ref` cycle.
const MAX_DEPTH: usize = 256;
/// Strings and keys quoted in messages are cut to this many characters.
const QUOTE_CHARS: usize = 60;
/// The `patternProperties` key schemars gives a map keyed by whole numbers.
const DECIMAL_KEYS: &str = "^\\d+$";

/// Checks `value` against `schema` (a whole schemars document, whose `$ref`s point into it).
pub(crate) fn check(schema: &Value, value: &Value) -> Result<(), Problem> {
    Walk { root: schema }.node(schema, value, "", 0)
}

struct Walk<'a> {
    root: &'a Value,
}

type Checked = Result<(), Problem>;

fn problem(path: &str, message: String) -> Checked {
    Err(Problem {
        path: path.to_string(),
        message,
    })
}

impl Walk<'_> {
    fn node(&self, schema: &Value, value: &Value, path: &str, depth: usize) -> Checked {
        let Some(schema) = schema.as_object() else {
            return Ok(()); // `true` or an empty schema: anything goes.
        };
        if depth > MAX_DEPTH {
            return problem(path, "too deeply nested".into());
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let Some(target) = reference
                .strip_prefix('#')
                .and_then(|p| self.root.pointer(p))
            else {
                return problem(path, format!("the schema has no {reference}"));
            };
            self.node(target, value, path, depth + 1)?;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                self.branches(branches, value, path, depth + 1)?;
            }
        }
        if let Some(expected) = schema.get("const")
            && value != expected
        {
            return problem(path, format!("expected {expected}, found {}", found(value)));
        }
        if let Some(types) = schema.get("type") {
            let types: Vec<&str> = match types {
                Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
                other => other.as_str().into_iter().collect(),
            };
            if !types.iter().any(|name| has_type(value, name)) {
                let expected: Vec<String> =
                    types.iter().map(|name| describe(name, schema)).collect();
                return problem(
                    path,
                    format!(
                        "invalid type: {}, expected {}",
                        found(value),
                        expected.join(" or ")
                    ),
                );
            }
        }
        match value {
            Value::Object(object) => self.object(schema, object, path, depth),
            Value::Array(items) => match schema.get("items") {
                Some(item) => items.iter().enumerate().try_for_each(|(i, element)| {
                    self.node(item, element, &format!("{path}[{i}]"), depth + 1)
                }),
                None => Ok(()),
            },
            Value::Number(_) => integer_range(schema, value, path),
            _ => Ok(()),
        }
    }

    fn object(
        &self,
        schema: &Map<String, Value>,
        object: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) -> Checked {
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let patterns = schema
            .get("patternProperties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        // The one pattern doormat's types generate: the decimal keys of a map of whole numbers.
        let decimal = patterns.get(DECIMAL_KEYS);
        let is_decimal = |key: &str| !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit());
        let known =
            |key: &str| properties.contains_key(key) || (decimal.is_some() && is_decimal(key));
        if schema.get("additionalProperties") == Some(&Value::Bool(false))
            && let Some(unknown) = object.keys().find(|key| !known(key))
        {
            let expected: Vec<String> = properties.keys().map(|k| format!("`{k}`")).collect();
            return problem(
                &field(path, unknown),
                format!(
                    "unknown field `{}`, expected {}",
                    quote_key(unknown),
                    match expected.len() {
                        0 => "no field".to_string(),
                        _ => format!("one of {}", expected.join(", ")),
                    }
                ),
            );
        }
        let required = schema.get("required").and_then(Value::as_array);
        for name in required.into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                return problem(path, format!("missing field `{name}`"));
            }
        }
        for (name, property) in properties {
            if let Some(member) = object.get(name) {
                self.node(property, member, &field(path, name), depth + 1)?;
            }
        }
        if let Some(pattern) = decimal {
            for (name, member) in object.iter().filter(|(k, _)| is_decimal(k)) {
                self.node(pattern, member, &field(path, name), depth + 1)?;
            }
        }
        Ok(())
    }

    /// `oneOf` and `anyOf`. Tagged enums (every branch fixes the same property with a `const`)
    /// and enums of strings (every branch is a `const`) pick their branch by that value, so the
    /// error is the chosen branch's, or names the unknown variant. Otherwise (an `Option`) the
    /// first branch that accepts the value wins, else the first non-null branch's error stands.
    fn branches(&self, branches: &[Value], value: &Value, path: &str, depth: usize) -> Checked {
        let branches: Vec<&Value> = branches.iter().map(|b| self.resolve(b)).collect();
        let consts: Option<Vec<&Value>> = branches.iter().map(|b| b.get("const")).collect();
        if let Some(consts) = consts {
            return match consts.iter().position(|c| *c == value) {
                Some(i) => self.node(branches[i], value, path, depth),
                None => problem(path, unknown_variant(value, &consts)),
            };
        }
        if let Some(tag) = self.tag(&branches) {
            let Some(object) = value.as_object() else {
                return problem(
                    path,
                    format!("invalid type: {}, expected an object", found(value)),
                );
            };
            let Some(kind) = object.get(tag) else {
                return problem(path, format!("missing field `{tag}`"));
            };
            let consts: Vec<&Value> = branches
                .iter()
                .filter_map(|b| b.pointer(&format!("/properties/{tag}/const")))
                .collect();
            return match consts.iter().position(|c| *c == kind) {
                Some(i) => self.node(branches[i], value, path, depth),
                None => problem(&field(path, tag), unknown_variant(kind, &consts)),
            };
        }
        let null = |b: &&Value| b.get("type").and_then(Value::as_str) == Some("null");
        if value.is_null() && branches.iter().any(null) {
            return Ok(());
        }
        let mut first = None;
        for branch in branches.iter().filter(|b| !null(b)) {
            match self.node(branch, value, path, depth) {
                Ok(()) => return Ok(()),
                Err(error) => {
                    first.get_or_insert(error);
                }
            }
        }
        first.map_or(Ok(()), Err)
    }

    /// The property every branch requires and fixes with a `const`: an internally tagged enum.
    fn tag<'s>(&self, branches: &[&'s Value]) -> Option<&'s str> {
        let first = branches.first()?.get("properties")?.as_object()?;
        first.keys().map(String::as_str).find(|name| {
            branches.iter().all(|branch| {
                branch
                    .pointer(&format!("/properties/{name}/const"))
                    .is_some()
                    && branch
                        .get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| r.iter().any(|n| n == name))
            })
        })
    }

    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.root.pointer(pointer))
            .unwrap_or(schema)
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        // As serde reads integers: `1.0` is a float, not an integer.
        "integer" => value.is_u64() || value.is_i64(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// The integer range of a schemars `format` (`uint32`: Rust's `u32`), with its Rust name.
fn format_range(format: &str) -> Option<(&'static str, i128, i128)> {
    Some(match format {
        "uint8" => ("u8", 0, u8::MAX.into()),
        "uint16" => ("u16", 0, u16::MAX.into()),
        "uint32" => ("u32", 0, u32::MAX.into()),
        "uint64" | "uint" => ("u64", 0, u64::MAX.into()),
        "int8" => ("i8", i8::MIN.into(), i8::MAX.into()),
        "int16" => ("i16", i16::MIN.into(), i16::MAX.into()),
        "int32" => ("i32", i32::MIN.into(), i32::MAX.into()),
        "int64" | "int" => ("i64", i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

fn describe(name: &str, schema: &Map<String, Value>) -> String {
    let format = schema.get("format").and_then(Value::as_str);
    match (name, format.and_then(format_range)) {
        ("integer", Some((rust, _, _))) => rust.to_string(),
        ("integer", None) => "an integer".into(),
        ("number", _) => "a number".into(),
        ("string", _) => "a string".into(),
        ("boolean", _) => "a boolean".into(),
        ("array", _) => "an array".into(),
        ("object", _) => "an object".into(),
        (other, _) => other.to_string(),
    }
}

/// An integer outside its format's range or the schema's `minimum`/`maximum`.
fn integer_range(schema: &Map<String, Value>, value: &Value, path: &str) -> Checked {
    let Some(n) = value
        .as_u64()
        .map(i128::from)
        .or(value.as_i64().map(i128::from))
    else {
        return Ok(());
    };
    let format = schema.get("format").and_then(Value::as_str);
    let (rust, mut low, mut high) =
        format
            .and_then(format_range)
            .unwrap_or(("an integer", i128::MIN, i128::MAX));
    let bound = |key| {
        schema
            .get(key)
            .and_then(|b| b.as_i64().map(i128::from).or(b.as_u64().map(i128::from)))
    };
    low = low.max(bound("minimum").unwrap_or(low));
    high = high.min(bound("maximum").unwrap_or(high));
    if (low..=high).contains(&n) {
        Ok(())
    } else {
        problem(
            path,
            format!("invalid value: integer `{n}`, expected {rust}"),
        )
    }
}

fn unknown_variant(found_value: &Value, variants: &[&Value]) -> String {
    let names: Vec<String> = variants
        .iter()
        .map(|v| format!("`{}`", v.as_str().unwrap_or_default()))
        .collect();
    match found_value.as_str() {
        Some(name) => format!(
            "unknown variant `{}`, expected one of {}",
            quote_key(name),
            names.join(", ")
        ),
        None => format!(
            "invalid type: {}, expected one of {}",
            found(found_value),
            names.join(", ")
        ),
    }
}

/// What a value is, in serde's words: `string "x"`, `integer `5``, `an array`.
fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {}", quote(s)),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// `text` as a JSON string (control characters escaped), cut to [`QUOTE_CHARS`] characters.
fn quote(text: &str) -> String {
    let cut: String = text.chars().take(QUOTE_CHARS).collect();
    let quoted = serde_json::to_string(&cut).unwrap_or_default();
    if cut.len() < text.len() {
        format!("{quoted}…")
    } else {
        quoted
    }
}

fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= QUOTE_CHARS
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A key as written in a path or a message: plain, or quoted if it holds anything else.
fn quote_key(key: &str) -> String {
    if is_plain(key) {
        key.to_string()
    } else {
        quote(key)
    }
}

/// The path of member `key` of the object at `path`: `a.b`, or `a["b c"]` for other keys.
fn field(path: &str, key: &str) -> String {
    match (path.is_empty(), is_plain(key)) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", quote(key)),
    }
}
