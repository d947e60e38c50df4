//! A sweep's curves: per metric, the mean over seeds against the first swept parameter, one line
//! per design (and per value of any further parameter), with 95 % confidence bars.

use std::collections::BTreeMap;

use super::SweepResult;
use crate::plot::{LineChart, SweepPoint, sweep_lines};

/// A design's name across a sweep whose parameters change its label: the `/`-separated parts
/// that differ between points become `*` (e.g. `escrow/*/chain`).
fn common_label(labels: &[&str]) -> String {
    let split: Vec<Vec<&str>> = labels.iter().map(|l| l.split('/').collect()).collect();
    let Some(first) = split.first() else {
        return String::new();
    };
    if split.iter().any(|s| s.len() != first.len()) {
        return first.join("/") + " …";
    }
    (0..first.len())
        .map(|i| {
            if split.iter().all(|s| s[i] == first[i]) {
                first[i]
            } else {
                "*"
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A line under construction: the design's label at each point, and the points.
type Line<'a> = (Vec<&'a str>, Vec<SweepPoint>);

/// One chart per metric, with the metric's path as its file stem.
pub fn sweep_charts(result: &SweepResult) -> Vec<(String, LineChart)> {
    let parameters = &result.spec.parameters;
    let Some(x_parameter) = parameters.first() else {
        return Vec::new();
    };
    let mut charts = Vec::new();
    for (m, metric) in result.metrics.iter().enumerate() {
        // (design, further parameter values) → label parts and points.
        let mut lines: BTreeMap<(usize, String), Line<'_>> = BTreeMap::new();
        for point in &result.points {
            let Some(x) = point.values.first().and_then(serde_json::Value::as_f64) else {
                continue;
            };
            let rest: Vec<String> = parameters
                .iter()
                .zip(&point.values)
                .skip(1)
                .map(|(p, v)| format!("{} = {v}", p.label()))
                .collect();
            for design in &point.designs {
                let Some(stats) = design.metrics.get(m).map(|r| &r.stats) else {
                    continue;
                };
                let Some(mean) = stats.mean else { continue };
                let line = lines.entry((design.design, rest.join(", "))).or_default();
                line.0.push(&design.label);
                line.1.push((x, mean, stats.ci95.unwrap_or(f64::NAN)));
            }
        }
        let lines: Vec<(String, Vec<SweepPoint>)> = lines
            .into_iter()
            .map(|((_, rest), (labels, points))| {
                let name = common_label(&labels);
                let name = if rest.is_empty() {
                    name
                } else {
                    format!("{name}, {rest}")
                };
                (name, points)
            })
            .collect();
        let title = format!("{}: {}", result.sweep, metric.label);
        let mut chart = sweep_lines(&title, x_parameter.label(), &metric.label, &lines);
        // Values spanning two decades or more (users, epoch lengths) read better on a log axis.
        let xs = lines
            .iter()
            .flat_map(|(_, points)| points.iter().map(|p| p.0));
        let (lo, hi) = xs.fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
        chart.log_x = lo > 0.0 && hi / lo >= 100.0;
        chart.notes.push(format!(
            "mean over {} seed(s), bars: 95 % confidence interval; doormat {}",
            result.seeds.len(),
            result.doormat_version
        ));
        let stem = metric.path.trim_start_matches('/').replace('/', "_");
        charts.push((stem, chart));
    }
    charts
}

#[cfg(test)]
mod test {
    use super::common_label;

    #[test]
    fn labels_that_vary_become_a_pattern() {
        assert_eq!(
            common_label(&["escrow/epoch1h-keep1d/chain", "escrow/epoch6h-keep1d/chain"]),
            "escrow/*/chain"
        );
        assert_eq!(common_label(&["plain", "plain"]), "plain");
    }
}
