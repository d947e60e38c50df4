//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// doormat: simulate end-to-end encrypted messaging under exceptional-access designs, with real
/// cryptography, and measure cost, lawful yield and attacker gain.
#[derive(Debug, Parser)]
#[command(version, about)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a scenario and write results/<name>/.
    Run {
        /// A scenario file, or the name of a bundled scenario. Default: the bundled `default`.
        scenario: Option<String>,
        /// Worker threads (default: one per core), at most 1024.
        #[arg(long, default_value_t = 0, value_parser = threads)]
        threads: usize,
        /// Override the scenario's seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Simulate only task I of N (the conversations j with j % N == I) and write
        /// `<out>/<name>/task-I-of-N.json`; `doormat merge` makes the run's results from all N.
        #[arg(long, value_name = "I", requires = "of")]
        task: Option<usize>,
        /// The number of tasks the run is split into, at most 1,000,000.
        #[arg(long, value_name = "N", requires = "task", value_parser = tasks)]
        of: Option<usize>,
        /// Folder that receives `<name>/` (default: `results`).
        #[arg(long, default_value = "results")]
        out: PathBuf,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
        /// Run even if the estimate exceeds the CPU budget (24 CPU-hours).
        #[arg(long)]
        allow_long: bool,
        /// Also write one row per message per design as Parquet: `<out>/<name>/events.parquet`,
        /// or `events-task-I-of-N.parquet` for a task.
        #[arg(long)]
        events: bool,
    },
    /// Run a parameter sweep, or one task of it, and write <out>/<sweep name>/.
    Sweep {
        /// A sweep file, or the name of a bundled sweep (epoch-length, detection-delay,
        /// users-throughput).
        sweep: String,
        /// Run only task I of N (the items j with j % N == I) and write task-I-of-N.json.
        #[arg(long, value_name = "I", requires = "of")]
        task: Option<usize>,
        /// The number of tasks the sweep is split into.
        #[arg(long, value_name = "N", requires = "task")]
        of: Option<usize>,
        /// Worker threads per run (default: one per core), at most 1024; items run one after
        /// the other.
        #[arg(long, default_value_t = 0, value_parser = threads)]
        threads: usize,
        /// Folder that receives `<sweep name>/` (default: `results`).
        #[arg(long, default_value = "results")]
        out: PathBuf,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
        /// Run items estimated past the CPU budget (24 CPU-hours each).
        #[arg(long)]
        allow_long: bool,
    },
    /// Merge task results: a run's into `<out>/<name>/` (summary.json, the CSVs, the figures,
    /// report.html), or a sweep's into sweep.json, sweep.csv and sweep-measured.json.
    Merge {
        /// Task result files (task-I-of-N.json) of one run or one sweep, or folders: every
        /// task-*-of-*.json in them.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Folder that receives `<sweep name>/` (default: `results`).
        #[arg(long, default_value = "results")]
        out: PathBuf,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
    },
    /// Write a ready-to-submit Slurm script: a run or a sweep as a job array of N tasks and a
    /// merge job after it, into `<out>/<name>-slurm/submit.sh`.
    Slurm(SlurmOptions),
    /// Compare two results folders figure by figure: exit 0 if every deterministic file is the
    /// same (measured figures are named and skipped), 1 if any differs.
    Compare {
        /// A results folder, e.g. `results/default`.
        a: PathBuf,
        /// Another, e.g. the same run merged from tasks.
        b: PathBuf,
    },
    /// Check a scenario file and report every problem.
    Validate {
        /// A scenario file, or the name of a bundled scenario.
        scenario: String,
        /// Accept an estimate above the CPU budget (24 CPU-hours), as `run --allow-long` does.
        #[arg(long)]
        allow_long: bool,
    },
    /// Redraw a run's figures from RESULTS_DIR/summary.json into RESULTS_DIR/plots/ (SVG + PNG).
    Plot {
        /// A results folder written by `doormat run`, e.g. `results/default`.
        results: PathBuf,
    },
    /// List bundled scenarios and available designs.
    List,
    /// Print the JSON Schema of scenario files, or of a run's summary.json.
    Schema {
        /// Which schema: `scenario` (scenario files) or `summary` (a run's summary.json).
        #[arg(value_enum, default_value_t = SchemaKind::Scenario)]
        of: SchemaKind,
    },
}

/// `doormat slurm`'s options.
#[derive(Debug, clap::Args)]
pub(crate) struct SlurmOptions {
    /// A scenario or a sweep: a file, or a bundled name.
    pub(crate) source: String,
    /// Tasks N: the run's conversations (or the sweep's items) split N ways.
    #[arg(long, value_name = "N", value_parser = tasks)]
    pub(crate) tasks: usize,
    /// Array tasks running at once (the `%K` of `--array`); default: no limit.
    #[arg(long, value_name = "K")]
    pub(crate) parallel: Option<usize>,
    /// The partition (default: the site's).
    #[arg(long, value_name = "P")]
    pub(crate) partition: Option<String>,
    /// Time limit of each task, in Slurm's format (default: 3× the estimate, at least 10 min).
    #[arg(long, value_name = "T")]
    pub(crate) time: Option<String>,
    /// Worker threads (and CPUs) per task.
    #[arg(long, default_value_t = 1, value_parser = threads)]
    pub(crate) threads: usize,
    /// The site's `MaxArraySize` (`scontrol show config | grep MaxArraySize`): more tasks go to
    /// several arrays.
    #[arg(long, default_value_t = doormat::batch::DEFAULT_MAX_ARRAY_SIZE)]
    pub(crate) max_array_size: usize,
    /// Folder that receives `<name>/` (default: `results`); must be shared with the nodes.
    #[arg(long, default_value = "results")]
    pub(crate) out: PathBuf,
    /// Let tasks run past the CPU budget (24 CPU-hours each).
    #[arg(long)]
    pub(crate) allow_long: bool,
}

/// The files `doormat schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaKind {
    /// Scenario files, as `doormat run` and `doormat validate` read them.
    Scenario,
    /// `summary.json`, as `doormat run` writes it and `doormat plot` reads it back.
    Summary,
}

/// Most worker threads `--threads` accepts: far beyond any machine's cores, and each thread
/// costs a stack, so an absurd count is refused at once rather than spawned.
const MAX_THREADS: usize = 1024;

/// `--threads`: 0 (one per core) to [`MAX_THREADS`].
fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= MAX_THREADS => Ok(n),
        _ => Err(format!(
            "expected 0 (one per core) to {MAX_THREADS} threads"
        )),
    }
}

/// `--of` of a run: 1 to [`doormat::split::MAX_RUN_TASKS`].
fn tasks(text: &str) -> Result<usize, String> {
    let most = doormat::split::MAX_RUN_TASKS;
    match text.parse::<usize>() {
        Ok(n) if (1..=most).contains(&n) => Ok(n),
        _ => Err(format!("expected 1 to {most} tasks")),
    }
}
