//! `doormat plot RESULTS_DIR`: redraws a run's figures from its `summary.json` into
//! `RESULTS_DIR/plots/`, as SVG and PNG, and its `report.html`, without rerunning anything. The
//! folder is rebuilt beside itself and swapped in whole, as `doormat run` writes it.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use doormat::{
    plot::{figure_svgs, write_run_figures},
    report::{ResultsFolder, Summary, html::write_report},
};

pub(crate) fn plot(results: &Path) -> Result<()> {
    if !results.is_dir() {
        bail!(
            "{}: no such results folder (run `doormat run` first)",
            results.display()
        );
    }
    let path = results.join("summary.json");
    if !path.is_file() {
        bail!(
            "{}: no such file; is {} a results folder? (run `doormat run` first)",
            path.display(),
            results.display()
        );
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let summary = Summary::from_json(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    // `.` or `results/default/.` have no name of their own: name the folder by its full path.
    let canonical = results
        .canonicalize()
        .with_context(|| results.display().to_string())?;
    let folder = ResultsFolder::begin(&canonical)?;
    // The run's own files stay; the figures and the page are drawn anew beside them.
    folder.carry_over(|name| name != "report.html" && !name.starts_with('.'))?;
    let written = draw(folder.path(), &summary).with_context(|| path.display().to_string())?;
    folder.commit()?;
    if written == 0 {
        println!("{}: no figure has data", path.display());
    } else {
        println!(
            "{written} figures in {}/ (SVG and PNG), report in {}",
            results.join("plots").display(),
            results.join("report.html").display()
        );
    }
    Ok(())
}

/// Draws a run's figures into `results/plots/` and writes `results/report.html` with them
/// embedded; returns how many figures had data.
pub(crate) fn draw(results: &Path, summary: &Summary) -> Result<usize> {
    let written = write_run_figures(summary, &results.join("plots"))?;
    write_report(results, summary, &figure_svgs(summary)?)?;
    Ok(written.len())
}
