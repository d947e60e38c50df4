//! `doormat plot RESULTS_DIR`: redraws a run's figures from its `summary.json` into
//! `RESULTS_DIR/plots/`, as SVG and PNG, without rerunning anything.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use doormat::plot::write_run_figures;

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
    let summary: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{}: not valid JSON: {e}", path.display()))?;
    let dir = results.join("plots");
    let written = write_run_figures(&summary, &dir).with_context(|| path.display().to_string())?;
    if written.is_empty() {
        println!("{}: no figure has data", path.display());
    } else {
        println!(
            "{} figures in {}/ (SVG and PNG)",
            written.len(),
            dir.display()
        );
    }
    Ok(())
}
