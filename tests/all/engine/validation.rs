use doormat::scenario::{Scenario, ScenarioError};

const VALID: &str = r#"{"name":"t","description":"d","seed":1,"duration_days":1,
  "population":{"users":10},"designs":[{"kind":"plain"}]}"#;

#[test]
fn a_minimal_scenario_takes_every_default() {
    let scenario = Scenario::load(VALID).unwrap();
    assert_eq!(scenario.traffic.messages_per_user_per_day, 50.0);
    assert_eq!(scenario.population.contacts.median, 8.0);
}

#[test]
fn unknown_fields_are_refused_with_their_path() {
    let text = VALID.replace(r#""users":10"#, r#""users":10,"userz":3"#);
    match Scenario::load(&text) {
        Err(ScenarioError::Parse { path, message }) => {
            assert_eq!(path, "population.userz");
            assert!(message.contains("userz"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn a_wrong_type_names_its_path() {
    let text = VALID.replace(r#""seed":1"#, r#""seed":"one""#);
    assert!(
        matches!(Scenario::load(&text), Err(ScenarioError::Parse { path, .. }) if path == "seed")
    );
}

/// All value errors are reported together, each with its JSON path.
#[test]
fn every_invalid_value_is_reported_with_its_path() {
    let text = r#"{"name":"bad name","description":"d","seed":1,"duration_days":-1,
      "population":{"users":0},
      "traffic":{"delivery":{"offline_probability":1.5}},
      "designs":[{"kind":"plain"},
                 {"kind":"escrow","scope":{"kind":"split","threshold":4,"trustees":["a","b"]},"granularity":"chain"},
                 {"kind":"plain"}]}"#;
    let Err(ScenarioError::Invalid(errors)) = Scenario::load(text) else {
        panic!("accepted")
    };
    let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
    for expected in [
        "name",
        "duration_days",
        "population.users",
        "traffic.delivery.offline_probability",
        "designs[1].scope.threshold",
        "designs[2]",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
}

/// A population too large to simulate is refused with an estimate of its cost.
#[test]
fn an_absurd_size_is_refused_with_an_estimate() {
    let text = VALID
        .replace(r#""users":10"#, r#""users":90000000"#)
        .replace(r#""duration_days":1"#, r#""duration_days":3650"#);
    let Err(ScenarioError::Invalid(errors)) = Scenario::load(&text) else {
        panic!("accepted")
    };
    let message = &errors.0[0].message;
    assert!(
        message.contains("CPU-hours") && message.contains("GiB"),
        "{message}"
    );
}

#[test]
fn the_json_schema_describes_the_scenario_fields() {
    let schema = Scenario::json_schema().to_string();
    for field in [
        "duration_days",
        "messages_per_user_per_day",
        "offline_probability",
        "granularity",
    ] {
        assert!(schema.contains(field), "{field} missing from the schema");
    }
}
