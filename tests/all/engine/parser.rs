//! The strict scenario parser: one document and nothing after it, no unknown field anywhere
//! (unit variants included), an object wherever the schema says object, and errors that name
//! the full JSON path, also inside designs and secrets. Every bundled scenario goes through
//! every mutation.

use doormat::scenario::{BUNDLED, MAX_NAME_LEN, Scenario, ScenarioError};
use serde_json::{Value, json};

/// The path and message of a parse error; fails the test on anything else.
fn parse_error(text: &str) -> (String, String) {
    match Scenario::load(text) {
        Err(ScenarioError::Parse { path, message }) => (path, message),
        other => panic!("expected a parse error, got {other:?} for {text}"),
    }
}

fn bundled_documents() -> Vec<(&'static str, Value)> {
    BUNDLED
        .iter()
        .map(|(name, _, text)| (*name, serde_json::from_str(text).unwrap()))
        .collect()
}

/// Every node of `value` with its JSON pointer and its path as errors name it.
fn nodes(value: &Value, pointer: String, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                nodes(member, format!("{pointer}/{key}"), child, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nodes(item, format!("{pointer}/{i}"), format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
    out.push((pointer, path));
}

fn every_node(document: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    nodes(document, String::new(), String::new(), &mut out);
    out
}

fn shown(path: &str) -> &str {
    if path.is_empty() { "(top level)" } else { path }
}

#[test]
fn trailing_data_after_a_bundled_scenario_is_refused_with_its_position() {
    for (name, _, text) in BUNDLED {
        let text = text.trim_end();
        for tail in ["}}garbage", "x", text, "[]"] {
            let (path, message) = parse_error(&format!("{text}{tail}"));
            assert_eq!(path, "(top level)", "{name}");
            assert!(
                message.contains("trailing characters at line"),
                "{name}: {message}"
            );
        }
        // Whitespace after the document is not data.
        assert!(Scenario::load(&format!("{text}\n \t\n")).is_ok(), "{name}");
    }
}

/// An extra field in any object, including the unit variants of tagged enums (`plain`,
/// `global`, `escrow_key_store`, `backup_key`), is refused at its own path.
#[test]
fn an_extra_field_in_every_object_of_every_bundled_scenario_is_refused() {
    for (name, document) in bundled_documents() {
        let mut objects = 0;
        for (pointer, path) in every_node(&document) {
            let mut mutated = document.clone();
            let Some(Value::Object(members)) = mutated.pointer_mut(&pointer) else {
                continue;
            };
            members.insert("zz_extra".into(), json!(1));
            objects += 1;
            let (at, message) = parse_error(&mutated.to_string());
            let expected = if path.is_empty() {
                "zz_extra".to_string()
            } else {
                format!("{path}.zz_extra")
            };
            assert_eq!(at, expected, "{name}: {message}");
            assert!(message.contains("unknown field `zz_extra`"), "{message}");
        }
        assert!(objects >= 3, "{name}: only {objects} objects");
    }
}

/// serde reads a sequence as a struct (`"population": [30]`); the schema says object.
#[test]
fn every_object_of_every_bundled_scenario_given_as_an_array_is_refused() {
    for (name, document) in bundled_documents() {
        for (pointer, path) in every_node(&document) {
            let mut mutated = document.clone();
            let Some(slot) = mutated.pointer_mut(&pointer) else {
                continue;
            };
            let Value::Object(members) = slot else {
                continue;
            };
            *slot = Value::Array(members.values().cloned().collect());
            let (at, message) = parse_error(&mutated.to_string());
            assert_eq!(at, shown(&path), "{name}: {message}");
            assert!(message.contains("expected an object"), "{name}: {message}");
        }
    }
}

/// A value of the wrong type anywhere (deep inside a design or a secret too) is named by its
/// full path, not by the enclosing design's.
#[test]
fn a_wrong_type_at_every_leaf_of_every_bundled_scenario_names_the_leaf() {
    for (name, document) in bundled_documents() {
        let mut leaves = 0;
        for (pointer, path) in every_node(&document) {
            let mut mutated = document.clone();
            let Some(slot) = mutated.pointer_mut(&pointer) else {
                continue;
            };
            *slot = match slot {
                Value::String(_) => json!(5),
                Value::Number(_) | Value::Bool(_) | Value::Null => json!("x"),
                _ => continue,
            };
            leaves += 1;
            let (at, message) = parse_error(&mutated.to_string());
            assert_eq!(at, path, "{name}: {message}");
            assert!(message.contains("invalid type"), "{name} {path}: {message}");
        }
        assert!(leaves >= 8, "{name}: only {leaves} leaves");
    }
}

#[test]
fn a_name_longer_than_the_limit_is_refused_and_the_limit_is_accepted() {
    for (name, mut document) in bundled_documents() {
        document["name"] = json!("a".repeat(MAX_NAME_LEN));
        assert!(Scenario::load(&document.to_string()).is_ok(), "{name}");
        for long in ["a".repeat(MAX_NAME_LEN + 1), "é".repeat(300), String::new()] {
            document["name"] = json!(long);
            let Err(ScenarioError::Invalid(errors)) = Scenario::load(&document.to_string()) else {
                panic!("{name}: a name of {} characters accepted", long.len())
            };
            assert_eq!(errors.0[0].path, "name");
            assert!(errors.0[0].message.contains("characters"), "{errors}");
            assert!(errors.0[0].message.len() < 80, "{errors}");
        }
    }
}

/// The issue's own examples, each refused at the path it names.
#[test]
fn the_reported_cases_are_refused_at_their_paths() {
    let base = json!({"name": "t", "description": "d", "seed": 1, "duration_days": 1,
        "population": {"users": 10}, "designs": [{"kind": "plain"}]});
    let with = |pointer: &str, value: Value| {
        let mut document = base.clone();
        *document.pointer_mut(pointer).unwrap() = value;
        document.to_string()
    };
    let escrow = |scope: Value| json!({"kind": "escrow", "scope": scope, "granularity": "chain"});
    let cases = [
        (
            with("/designs/0", json!({"kind": "plain", "x": 1})),
            "designs[0].x",
            "unknown field `x`",
        ),
        (
            with(
                "/designs",
                json!([{"kind": "plain"}, escrow(json!({"kind": "global", "length_hours": 24}))]),
            ),
            "designs[1].scope.length_hours",
            "unknown field",
        ),
        (
            with(
                "/designs/0",
                escrow(json!({"kind": "split", "threshold": "x", "trustees": []})),
            ),
            "designs[0].scope.threshold",
            "invalid type: string \"x\", expected u8",
        ),
        (
            with(
                "/designs/0",
                escrow(json!({"kind": "split", "threshold": 256, "trustees": []})),
            ),
            "designs[0].scope.threshold",
            "invalid value: integer `256`, expected u8",
        ),
        (
            with(
                "/designs/0",
                json!({"kind": "ghost", "notice_probability_per_day": "x"}),
            ),
            "designs[0].notice_probability_per_day",
            "invalid type",
        ),
        (
            with(
                "/designs/0",
                json!({"kind": "escrow", "scope": {"kind": "global"}}),
            ),
            "designs[0]",
            "missing field `granularity`",
        ),
        (
            with("/designs/0", json!({"kind": "bogus"})),
            "designs[0].kind",
            "unknown variant `bogus`",
        ),
        (
            with("/designs/0", json!({"scope": {"kind": "global"}})),
            "designs[0]",
            "missing field `kind`",
        ),
        (
            with(
                "/population",
                json!({"users": 10, "contacts": {"median": 8, "max": -1}}),
            ),
            "population.contacts.max",
            "invalid value: integer `-1`, expected u32",
        ),
        (
            with("/population", json!([30])),
            "population",
            "expected an object",
        ),
        (with("/seed", json!(1.5)), "seed", "floating point `1.5`"),
        (
            json!([1, 2, 3, 4, 5, 6, 7, 8, 9]).to_string(),
            "(top level)",
            "expected an object",
        ),
    ];
    for (text, path, message) in cases {
        let (at, said) = parse_error(&text);
        assert_eq!(
            (at.as_str(), said.contains(message)),
            (path, true),
            "{said}"
        );
    }
    let mut secret = base.clone();
    secret["adversary"] = json!({"compromises": [{"at_hours": 1,
        "secret": {"kind": "backup_key", "users": 5}}]});
    let (at, _) = parse_error(&secret.to_string());
    assert_eq!(at, "adversary.compromises[0].secret.users");
    secret["adversary"]["compromises"][0]["secret"] = json!({"kind": "device", "users": "5"});
    let (at, said) = parse_error(&secret.to_string());
    assert_eq!(at, "adversary.compromises[0].secret.users", "{said}");
}

/// The schema pass runs on a `Value`, which keeps the last of two equal keys; serde still sees
/// the text, and refuses the duplicate.
#[test]
fn a_field_given_twice_is_still_refused() {
    let text = r#"{"name":"t","description":"d","seed":1,"seed":2,"duration_days":1,
        "population":{"users":10},"designs":[{"kind":"plain","kind":"plain"}]}"#;
    let (_, message) = parse_error(text);
    assert!(message.contains("duplicate field"), "{message}");
}

/// Keys from a hostile file are quoted in messages, so they cannot inject lines or escapes.
#[test]
fn odd_keys_are_quoted_in_paths_and_messages() {
    let text = r#"{"name":"t","description":"d","seed":1,"duration_days":1,
        "population":{"users":10,"a\nb\u001b[31m":1},"designs":[{"kind":"plain"}]}"#;
    let (path, message) = parse_error(text);
    assert_eq!(path, r#"population["a\nb\u001b[31m"]"#);
    assert!(
        !message.contains('\n') && !message.contains('\u{1b}'),
        "{message}"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused_at_their_offset() {
    let mut bytes = br#"{"name":"t"#.to_vec();
    bytes.push(0xff);
    match Scenario::load_bytes(&bytes) {
        Err(ScenarioError::Parse { message, .. }) => {
            assert_eq!(message, "not valid UTF-8 at byte 10");
        }
        other => panic!("{other:?}"),
    }
}

/// What `doormat schema` prints is what the parser enforces: every object schema, including
/// each unit variant's, refuses other properties.
#[test]
fn every_object_in_the_schema_refuses_unknown_properties() {
    fn visit(schema: &Value, at: &str, count: &mut usize) {
        match schema {
            Value::Object(members) => {
                if members.contains_key("properties") {
                    *count += 1;
                    assert_eq!(
                        members.get("additionalProperties"),
                        Some(&json!(false)),
                        "{at}"
                    );
                }
                for (key, member) in members {
                    visit(member, &format!("{at}/{key}"), count);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    visit(item, &format!("{at}/{i}"), count);
                }
            }
            _ => {}
        }
    }
    let mut count = 0;
    visit(&Scenario::json_schema(), "", &mut count);
    assert!(count > 15, "{count} object schemas");
}

#[test]
fn a_syntax_error_names_its_path_and_position() {
    let text =
        "{\"name\": \"t\",\n \"population\": {\"users\": 10,\n \"contacts\": {\"median\": }}}";
    let (path, message) = parse_error(text);
    assert_eq!(path, "population.contacts.median");
    assert!(message.contains("at line 3 column"), "{message}");
}
