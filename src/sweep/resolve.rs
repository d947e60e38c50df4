//! A loaded sweep: the spec checked, its base scenario resolved and normalised (every default
//! written out, so pointers reach defaulted fields), overrides applied, and every grid point's
//! scenario built and validated before anything runs.

use std::path::Path;

use serde_json::Value;

use super::{
    Grid, Item, ScenarioSource, Seeds, SweepError, SweepSpec, checksum,
    file::{self, MAX_SWEEP_BYTES},
    pointer::{self, Write},
    schema,
};
use crate::scenario::{BUNDLED, Scenario, bundled};

/// Most items a sweep may have: beyond, the grid is surely a mistake.
pub const MAX_ITEMS: usize = 1_000_000;
/// Most grid points a sweep may have. Each is a scenario built and validated before anything
/// runs, so a few short lists of values must not multiply into millions of them.
pub const MAX_POINTS: usize = 10_000;
/// Longest sweep name: it names the results folder.
pub const MAX_NAME_CHARS: usize = 100;

/// A checked sweep, ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    spec: SweepSpec,
    base: Value,
    grid: Grid,
    points: Vec<Point>,
    hash: String,
}

/// One grid point: its parameter values and the scenario they give.
#[derive(Debug, Clone)]
pub struct Point {
    /// One value per parameter, in the spec's order.
    pub values: Vec<Value>,
    /// The base scenario with those values set (its seed is replaced per item).
    pub scenario: Scenario,
}

impl Sweep {
    /// Reads and checks the sweep file at `path`; a relative scenario path is relative to it.
    pub fn from_file(path: &Path) -> Result<Self, SweepError> {
        let text = file::read_text(path, MAX_SWEEP_BYTES)?;
        Self::load(&text, path.parent()).map_err(|error| error.in_file(path))
    }

    /// Parses and checks sweep JSON. `base_dir` is where a scenario file named in it is looked
    /// for; without one, only bundled scenario names resolve.
    pub fn load(text: &str, base_dir: Option<&Path>) -> Result<Self, SweepError> {
        Self::from_spec(SweepSpec::from_json(text)?, base_dir)
    }

    /// Checks a parsed sweep (see [`Sweep::load`]).
    pub fn from_spec(spec: SweepSpec, base_dir: Option<&Path>) -> Result<Self, SweepError> {
        check_name(&spec.name)?;
        let base = base_scenario(&spec, base_dir)?;
        check_parameters(&spec, &base)?;
        check_metrics(&spec)?;
        check_seeds(&spec.seeds)?;
        let seed = base.get("seed").and_then(Value::as_u64).unwrap_or_default();
        let grid = Grid::new(&spec.parameters, &spec.seeds, seed)
            .ok_or_else(|| invalid("parameters", format!("more than {MAX_ITEMS} runs")))?;
        if grid.points() > MAX_POINTS {
            return Err(invalid(
                "parameters",
                format!(
                    "{} grid points, more than the {MAX_POINTS} allowed",
                    grid.points()
                ),
            ));
        }
        let points = (0..grid.points())
            .map(|point| build_point(&spec, &base, &grid, point))
            .collect::<Result<Vec<_>, _>>()?;
        let hash = fingerprint(env!("CARGO_PKG_VERSION"), &spec, &base);
        Ok(Self {
            spec,
            base,
            grid,
            points,
            hash,
        })
    }

    /// The spec as written.
    pub fn spec(&self) -> &SweepSpec {
        &self.spec
    }

    /// The sweep's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The base scenario, normalised, overrides applied, as JSON.
    pub fn base_scenario(&self) -> &Value {
        &self.base
    }

    /// Identifies the sweep: SHA-256 of the spec, the resolved base scenario and doormat's
    /// version. Task results merge only when theirs agree.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The grid: points, seeds, items.
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// Every grid point, in order.
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// The scenario item `item` runs: its grid point's, with its seed.
    pub fn scenario(&self, item: &Item) -> Option<Scenario> {
        self.points.get(item.point).map(|point| Scenario {
            seed: item.seed,
            ..point.scenario.clone()
        })
    }

    /// A grid point's values, as `pointer=value, …` for messages.
    pub fn assignment(&self, point: usize) -> String {
        assignment(&self.spec, &self.grid.point_values(point))
    }
}

/// `pointer=value, …`, or `(no parameter)`.
pub(crate) fn assignment(spec: &SweepSpec, values: &[Value]) -> String {
    if spec.parameters.is_empty() {
        return "(no parameter)".into();
    }
    spec.parameters
        .iter()
        .zip(values)
        .map(|(parameter, value)| format!("{}={value}", parameter.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// SHA-256, in hex, of doormat's version, the spec and the resolved base scenario.
pub(crate) fn fingerprint(version: &str, spec: &SweepSpec, base: &Value) -> String {
    let identity = (version, spec, base);
    checksum::sha256_hex(&serde_json::to_vec(&identity).unwrap_or_default())
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> SweepError {
    SweepError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Checks that `name` can name a results folder inside `--out` and nothing else: 1 to
/// [`MAX_NAME_CHARS`] ASCII letters, digits, `-` and `_` (so no `/`, `..`, or absolute path).
pub fn check_name(name: &str) -> Result<(), SweepError> {
    match name_problem(name) {
        None => Ok(()),
        Some(problem) => Err(invalid("name", problem)),
    }
}

/// What is wrong with `name` as a sweep name (see [`check_name`]), if anything.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    let ok = (1..=MAX_NAME_CHARS).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let shown: String = name.chars().take(MAX_NAME_CHARS + 1).collect();
    (!ok).then(|| {
        format!(
            "expected 1 to {MAX_NAME_CHARS} letters, digits, '-' or '_', found {} characters: \
             {shown:?}",
            name.chars().count()
        )
    })
}

/// The base scenario as normalised JSON, overrides applied and the result validated.
fn base_scenario(spec: &SweepSpec, base_dir: Option<&Path>) -> Result<Value, SweepError> {
    let (source_name, loaded) = match &spec.scenario {
        ScenarioSource::Inline(object) => (
            "(inline)".to_string(),
            Scenario::load(&Value::Object(object.clone()).to_string()),
        ),
        ScenarioSource::Named(name) => {
            let path = base_dir.map(|dir| dir.join(name)).filter(|f| f.is_file());
            if let Some(path) = path {
                let text = file::read_text(&path, MAX_SWEEP_BYTES)?;
                (path.display().to_string(), Scenario::load(&text))
            } else if let Some(loaded) = bundled(name) {
                (name.clone(), loaded)
            } else {
                let names: Vec<&str> = BUNDLED.iter().map(|(n, _, _)| *n).collect();
                let looked = base_dir.map_or(String::new(), |dir| {
                    format!("no file {}, ", dir.join(name).display())
                });
                return Err(invalid(
                    "scenario",
                    format!(
                        "{name:?}: {looked}nor a bundled scenario ({})",
                        names.join(", ")
                    ),
                ));
            }
        }
    };
    let scenario = loaded.map_err(|error| SweepError::Scenario { source_name, error })?;
    let mut base = normalise(&scenario);
    if spec.overrides.is_empty() {
        return Ok(base);
    }
    for (path, value) in &spec.overrides {
        pointer::set(&mut base, path, value.clone(), Write::Add)
            .map_err(|message| invalid(format!("overrides.{path}"), message))?;
    }
    let scenario = Scenario::load(&base.to_string()).map_err(|error| SweepError::Scenario {
        source_name: "with the sweep's overrides".into(),
        error,
    })?;
    Ok(normalise(&scenario))
}

/// The scenario as JSON with every default written out.
fn normalise(scenario: &Scenario) -> Value {
    serde_json::to_value(scenario).unwrap_or_default()
}

fn check_parameters(spec: &SweepSpec, base: &Value) -> Result<(), SweepError> {
    for (i, parameter) in spec.parameters.iter().enumerate() {
        let field = format!("parameters[{i}].path");
        let path = &parameter.path;
        if path == "/seed" {
            return Err(invalid(
                field,
                "the seed is set by `seeds`, not by a parameter",
            ));
        }
        pointer::set(&mut base.clone(), path, Value::Null, Write::Replace).map_err(|reason| {
            invalid(
                &field,
                format!("{path} does not resolve in the base scenario: {reason}"),
            )
        })?;
        if spec.parameters[..i].iter().any(|p| p.path == *path) {
            return Err(invalid(field, format!("{path} is already a parameter")));
        }
        if parameter.values.is_empty() {
            return Err(invalid(
                format!("parameters[{i}].values"),
                "expected at least one value",
            ));
        }
    }
    Ok(())
}

fn check_metrics(spec: &SweepSpec) -> Result<(), SweepError> {
    if spec.metrics.is_empty() {
        return Err(invalid("metrics", "expected at least one metric"));
    }
    for (i, metric) in spec.metrics.iter().enumerate() {
        let field = format!("metrics[{i}].path");
        pointer::check(&metric.path).map_err(|message| invalid(&field, message))?;
        schema::check_metric(&metric.path).map_err(|message| invalid(&field, message))?;
        if spec.metrics[..i].iter().any(|m| m.path == metric.path) {
            return Err(invalid(
                field,
                format!("{} is already a metric", metric.path),
            ));
        }
    }
    Ok(())
}

fn check_seeds(seeds: &Seeds) -> Result<(), SweepError> {
    match seeds {
        Seeds::Count(0) => Err(invalid("seeds", "expected at least one seed")),
        Seeds::List(list) if list.is_empty() => Err(invalid("seeds", "expected at least one seed")),
        Seeds::List(list) => match list
            .iter()
            .enumerate()
            .find(|(i, s)| list[..*i].contains(s))
        {
            Some((i, seed)) => Err(invalid(
                format!("seeds[{i}]"),
                format!("seed {seed} appears twice"),
            )),
            None => Ok(()),
        },
        Seeds::Count(_) => Ok(()),
    }
}

/// Grid point `point`'s scenario, validated.
fn build_point(
    spec: &SweepSpec,
    base: &Value,
    grid: &Grid,
    point: usize,
) -> Result<Point, SweepError> {
    let values = grid.point_values(point);
    let mut document = base.clone();
    for (i, (parameter, value)) in spec.parameters.iter().zip(&values).enumerate() {
        pointer::set(
            &mut document,
            &parameter.path,
            value.clone(),
            Write::Replace,
        )
        .map_err(|reason| {
            invalid(
                format!("parameters[{i}].path"),
                format!("grid point {point}: {reason}"),
            )
        })?;
    }
    let scenario = Scenario::load(&document.to_string()).map_err(|error| SweepError::Point {
        point,
        assignment: assignment(spec, &values),
        error,
    })?;
    Ok(Point { values, scenario })
}
