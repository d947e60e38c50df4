//! The grid: every combination of the parameters' values, in a fixed order (the first parameter
//! varies slowest, as nested loops written in the file's order), times the seeds. Item `j` is
//! grid point `j / seeds` run with seed `j % seeds`.

use serde_json::Value;

use super::{MAX_ITEMS, Parameter, Seeds};

/// Grid points and seeds, without the scenarios: enough to number and check items.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Each parameter's values.
    values: Vec<Vec<Value>>,
    /// Every seed, in order.
    seeds: Vec<u64>,
    /// Number of grid points.
    points: usize,
}

/// One run of a sweep: a grid point with a seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Index among all items.
    pub index: usize,
    /// Index of its grid point.
    pub point: usize,
    /// Its seed.
    pub seed: u64,
}

impl Grid {
    /// The grid of `parameters`, with `seeds` counted from `base_seed`; `None` if it has more
    /// than [`MAX_ITEMS`] items.
    pub(crate) fn new(parameters: &[Parameter], seeds: &Seeds, base_seed: u64) -> Option<Self> {
        let values: Vec<Vec<Value>> = parameters.iter().map(|p| p.values.clone()).collect();
        let seeds = match seeds {
            // Checked before collecting: a count comes from a file.
            Seeds::Count(n) if *n > MAX_ITEMS as u64 => return None,
            Seeds::Count(n) => (0..*n).map(|i| base_seed.wrapping_add(i)).collect(),
            Seeds::List(list) => list.clone(),
        };
        let points = values
            .iter()
            .try_fold(1usize, |n, v| n.checked_mul(v.len()))?;
        points
            .checked_mul(seeds.len())
            .filter(|&items| items <= MAX_ITEMS)?;
        Some(Self {
            values,
            seeds,
            points,
        })
    }

    /// Number of grid points.
    pub fn points(&self) -> usize {
        self.points
    }

    /// Every seed, in order.
    pub fn seeds(&self) -> &[u64] {
        &self.seeds
    }

    /// Number of items: points × seeds.
    pub fn items(&self) -> usize {
        self.points * self.seeds.len()
    }

    /// Item `index`, if it exists.
    pub fn item(&self, index: usize) -> Option<Item> {
        (index < self.items()).then(|| Item {
            index,
            point: index / self.seeds.len(),
            seed: self.seeds[index % self.seeds.len()],
        })
    }

    /// The parameter values of grid point `point` (the last parameter varies fastest).
    pub fn point_values(&self, point: usize) -> Vec<Value> {
        let mut rest = point;
        let mut out: Vec<Value> = self
            .values
            .iter()
            .rev()
            .map(|values| {
                let value = values[rest % values.len()].clone();
                rest /= values.len();
                value
            })
            .collect();
        out.reverse();
        out
    }
}

#[cfg(test)]
mod test {
    use serde_json::json;

    use super::*;

    fn parameter(values: Vec<Value>) -> Parameter {
        Parameter {
            path: "/x".into(),
            label: String::new(),
            values,
        }
    }

    #[test]
    fn the_first_parameter_varies_slowest_and_seeds_fastest() {
        let grid = Grid::new(
            &[
                parameter(vec![json!(1), json!(2)]),
                parameter(vec![json!("a"), json!("b"), json!("c")]),
            ],
            &Seeds::Count(2),
            10,
        )
        .unwrap();
        assert_eq!(grid.points(), 6);
        assert_eq!(grid.items(), 12);
        assert_eq!(grid.point_values(0), vec![json!(1), json!("a")]);
        assert_eq!(grid.point_values(1), vec![json!(1), json!("b")]);
        assert_eq!(grid.point_values(3), vec![json!(2), json!("a")]);
        let item = grid.item(7).unwrap();
        assert_eq!((item.point, item.seed), (3, 11));
        assert_eq!(grid.item(12), None);
    }

    #[test]
    fn no_parameter_is_one_point() {
        let grid = Grid::new(&[], &Seeds::List(vec![5, 9]), 0).unwrap();
        assert_eq!(grid.points(), 1);
        assert!(grid.point_values(0).is_empty());
        assert_eq!(grid.item(1).unwrap().seed, 9);
    }
}
