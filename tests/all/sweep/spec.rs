use doormat::sweep::{ScenarioSource, Sweep, SweepError, SweepSpec, is_measured};
use serde_json::json;

use super::{TINY, scratch, tiny};

fn load(text: &str) -> Result<Sweep, SweepError> {
    Sweep::load(text, None)
}

#[test]
fn the_tiny_sweep_has_a_grid_of_two_points_by_two_seeds() {
    let sweep = tiny();
    let grid = sweep.grid();
    assert_eq!(
        (grid.points(), grid.seeds(), grid.items()),
        (2, &[11, 12][..], 4)
    );
    assert_eq!(sweep.points()[1].values, vec![json!(80)]);
    assert_eq!(
        sweep.points()[1].scenario.traffic.messages_per_user_per_day,
        80.0
    );
    let item = grid.item(3).unwrap();
    assert_eq!(sweep.scenario(&item).unwrap().seed, 12);
    assert_eq!(sweep.hash().len(), 64);
    assert_eq!(sweep.hash(), tiny().hash(), "the hash is stable");
}

#[test]
fn a_pointer_that_does_not_resolve_is_named() {
    let text = TINY.replace(
        "/traffic/messages_per_user_per_day",
        "/traffic/messages_per_user",
    );
    match load(&text) {
        Err(SweepError::Invalid { field, message }) => {
            assert_eq!(field, "parameters[0].path");
            assert!(message.contains("/traffic/messages_per_user"), "{message}");
        }
        other => panic!("expected a bad pointer, got {other:?}"),
    }
    let text = TINY.replace(r#""path": "/counts/sent""#, r#""path": "counts/sent""#);
    assert!(
        matches!(load(&text), Err(SweepError::Invalid { field, .. }) if field == "metrics[0].path")
    );
}

/// A metric that names no number of `summary.json` is refused when the sweep loads, with its
/// field and the closest valid names.
#[test]
fn a_misspelt_metric_is_refused_at_load_time() {
    let text = TINY.replace(r#""/exposure/fraction""#, r#""/exposure/fractoin""#);
    match load(&text) {
        Err(SweepError::Invalid { field, message }) => {
            assert_eq!(field, "metrics[3].path");
            assert!(
                message.contains("no field \"fractoin\"")
                    && message.contains("closest first: fraction"),
                "{message}"
            );
        }
        other => panic!("expected a refused metric, got {other:?}"),
    }
    let text = TINY.replace(r#""/counts/sent""#, r#""/run/wall_secs""#);
    let error = load(&text).unwrap_err().to_string();
    assert!(
        error.starts_with("metrics[0].path: /run has no field"),
        "{error}"
    );
    let text = TINY.replace(r#""/counts/sent""#, r#""/label""#);
    let error = load(&text).unwrap_err().to_string();
    assert!(error.contains("not a number"), "{error}");
}

/// A scenario file may leave out fields with defaults; the sweep reaches them anyway.
#[test]
fn pointers_reach_defaulted_fields() {
    let text = TINY.replace("/traffic/messages_per_user_per_day", "/traffic/burst_mean");
    let sweep = load(&text.replace("[40, 80]", "[2, 3]")).unwrap();
    assert_eq!(sweep.points()[1].scenario.traffic.burst_mean, 3.0);
}

#[test]
fn a_grid_point_that_does_not_validate_names_the_point_and_the_problem() {
    let text = TINY
        .replace("/traffic/messages_per_user_per_day", "/population/users")
        .replace("[40, 80]", "[40, 1]");
    match load(&text) {
        Err(error @ SweepError::Point { point: 1, .. }) => {
            let message = error.to_string();
            assert!(
                message.contains("/population/users=1") && message.contains("population.users"),
                "{message}"
            );
        }
        other => panic!("expected a grid point error, got {other:?}"),
    }
}

#[test]
fn bad_json_gives_its_line_and_column() {
    let text = TINY.replace(r#""seeds": 2,"#, r#""seeds": 2,,"#);
    let message = load(&text).unwrap_err().to_string();
    assert!(
        message.contains("line") && message.contains("column"),
        "{message}"
    );
    let text = TINY.replace(r#""seeds": 2"#, r#""seedz": 2"#);
    match load(&text) {
        Err(SweepError::Parse { path, message }) => {
            assert_eq!(path, "seedz");
            assert!(message.contains("seedz"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn empty_values_seeds_and_metrics_are_refused() {
    for (from, to, field) in [
        ("[40, 80]", "[]", "parameters[0].values"),
        (r#""seeds": 2"#, r#""seeds": 0"#, "seeds"),
        (r#""seeds": 2"#, r#""seeds": [3, 3]"#, "seeds[1]"),
        (r#""name": "tiny""#, r#""name": "a b""#, "name"),
    ] {
        match load(&TINY.replace(from, to)) {
            Err(SweepError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{to}: expected {field} refused, got {other:?}"),
        }
    }
    let mut spec = SweepSpec::from_json(TINY).unwrap();
    spec.metrics.clear();
    assert!(
        matches!(Sweep::from_spec(spec, None), Err(SweepError::Invalid { field, .. }) if field == "metrics")
    );
}

#[test]
fn several_parameters_make_a_full_grid_in_file_order() {
    let text = TINY.replace(
        r#""values": [40, 80]}]"#,
        r#""values": [40, 80]}, {"path": "/population/users", "values": [30, 40, 50]}]"#,
    );
    let sweep = load(&text.replace(r#""seeds": 2"#, r#""seeds": [5, 9]"#)).unwrap();
    assert_eq!(sweep.grid().points(), 6);
    assert_eq!(sweep.points()[2].values, vec![json!(40), json!(50)]);
    assert_eq!(sweep.points()[3].values, vec![json!(80), json!(30)]);
    assert_eq!(sweep.grid().item(7).unwrap().seed, 9);
}

#[test]
fn overrides_replace_and_add_before_the_grid_is_built() {
    let text = TINY.replace(
        r#""seeds": 2,"#,
        r#""seeds": 2, "overrides": {"/population/users": 30, "/population/contacts/median": 3},"#,
    );
    let sweep = load(&text).unwrap();
    assert_eq!(sweep.points()[0].scenario.population.users, 30);
    assert_eq!(sweep.points()[0].scenario.population.contacts.median, 3.0);
    let text = TINY.replace(
        r#""seeds": 2,"#,
        r#""seeds": 2, "overrides": {"/nothing/here": 1},"#,
    );
    assert!(
        matches!(load(&text), Err(SweepError::Invalid { field, .. }) if field == "overrides./nothing/here")
    );
    // An added member must still be a scenario field.
    let text = TINY.replace(
        r#""seeds": 2,"#,
        r#""seeds": 2, "overrides": {"/extra": 1},"#,
    );
    let message = load(&text).unwrap_err().to_string();
    assert!(message.contains("extra"), "{message}");
}

#[test]
fn a_scenario_comes_from_a_file_beside_the_sweep_or_by_bundled_name() {
    let dir = scratch("scenario-file");
    let spec = SweepSpec::from_json(TINY).unwrap();
    let ScenarioSource::Inline(scenario) = &spec.scenario else {
        panic!("inline")
    };
    std::fs::write(
        dir.join("base.json"),
        serde_json::to_string(scenario).unwrap(),
    )
    .unwrap();
    let with = |source: &str| {
        let mut spec = spec.clone();
        spec.scenario = ScenarioSource::Named(source.into());
        serde_json::to_string(&spec).unwrap()
    };
    let file = dir.join("sweep.json");
    std::fs::write(&file, with("base.json")).unwrap();
    let from_file = Sweep::from_file(&file).unwrap();
    assert_eq!(from_file.points()[0].scenario, tiny().points()[0].scenario);

    assert_eq!(
        load(&with("scaling")).unwrap().points()[0].scenario.name,
        "scaling"
    );
    let message = load(&with("nowhere")).unwrap_err().to_string();
    assert!(
        message.contains("nowhere") && message.contains("default"),
        "{message}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn timing_figures_are_measured_and_counts_are_not() {
    assert!(is_measured("/run/messages_per_second"));
    assert!(is_measured("/cpu_ns_per_message/total"));
    assert!(!is_measured("/exposure/fraction"));
    assert!(!is_measured("/lawful/yield"));
}

/// The name becomes a folder: 1 to 100 letters, digits, `-` and `_`, nothing that climbs out.
#[test]
fn a_sweep_name_is_one_short_plain_folder_name() {
    let named =
        |name: &str| load(&TINY.replace("\"name\": \"tiny\"", &format!("\"name\": {name:?}")));
    assert!(named(&"n".repeat(100)).is_ok());
    for name in ["", "..", "../x", "/tmp/x", "a b", "é", &"n".repeat(101)] {
        match named(name) {
            Err(SweepError::Invalid { field, .. }) => assert_eq!(field, "name", "{name:?}"),
            other => panic!("{name:?}: expected an invalid name, got {other:?}"),
        }
    }
}

/// Three short lists of values multiply into more grid points than may be built: refused
/// before any point's scenario is.
#[test]
fn too_many_grid_points_are_refused_before_they_are_built() {
    let values: Vec<u32> = (1..=30).collect();
    let parameter = |path: &str| json!({"path": path, "values": values});
    let mut spec: serde_json::Value = serde_json::from_str(TINY).unwrap();
    spec["parameters"] = json!([
        parameter("/traffic/messages_per_user_per_day"),
        parameter("/population/users"),
        parameter("/duration_days"),
    ]);
    let start = std::time::Instant::now();
    let message = load(&spec.to_string()).unwrap_err().to_string();
    assert!(message.contains("27000 grid points"), "{message}");
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
}
