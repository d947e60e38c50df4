use doormat::sweep::{BUNDLED, bundled};

#[test]
fn every_bundled_sweep_parses_and_validates() {
    for (name, _, _) in BUNDLED {
        let sweep = bundled(name)
            .unwrap()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(sweep.name(), *name);
        assert!(sweep.grid().items() > 0);
    }
}

#[test]
fn every_sweep_file_is_bundled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/sweeps");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, _, bundled_text) = BUNDLED
            .iter()
            .find(|(n, _, _)| *n == stem)
            .unwrap_or_else(|| panic!("{} is not in sweep::BUNDLED", path.display()));
        assert_eq!(text, *bundled_text);
    }
}

#[test]
fn the_users_sweep_is_plain_only_with_one_seed() {
    let sweep = bundled("users-throughput").unwrap().unwrap();
    assert_eq!(sweep.grid().seeds().len(), 1);
    assert_eq!(sweep.grid().points(), 4);
    assert_eq!(sweep.points()[3].scenario.population.users, 1_000_000);
    assert!(
        sweep
            .points()
            .iter()
            .all(|p| p.scenario.designs == [doormat::design::DesignSpec::Plain(Default::default())])
    );
}
