//! A ready-to-submit Slurm script for a run or a sweep split into N tasks.
//!
//! `submit.sh` submits, with `sbatch --parsable`, one job array per block of at most
//! `MaxArraySize` tasks (`--array=0-(n−1)%K`, logs `%A_%a`), each array task running
//! `doormat run|sweep … --task $((offset + SLURM_ARRAY_TASK_ID)) --of N`, then a merge job with
//! `--dependency=afterok:<every array>`. An array larger than the site's `MaxArraySize` (1001 by
//! default) is refused by `sbatch`, hence the blocks. Every task result records doormat's
//! version, the scenario's hash and the Slurm job that ran it; the merge refuses tasks of
//! another scenario or version.
//!
//! Everything the script names (the doormat binary, the scenario or sweep, the output folder)
//! is an absolute path, single-quoted, so it runs from any folder on any compute node that
//! shares the filesystem.

use std::{fmt::Write as _, path::PathBuf};

/// Slurm's default `MaxArraySize`: array indices run from 0 to 1000.
pub const DEFAULT_MAX_ARRAY_SIZE: usize = 1001;

/// What the job array runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// `doormat run SCENARIO`: a bundled name or an absolute path.
    Run(String),
    /// `doormat sweep SWEEP`: a bundled name or an absolute path.
    Sweep(String),
}

/// A run or sweep as a Slurm job array and its merge job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlurmJob {
    /// The results folder's name: the scenario's or the sweep's (validated).
    pub name: String,
    /// What each task runs.
    pub work: Work,
    /// The doormat binary, absolute.
    pub doormat: PathBuf,
    /// The folder receiving `<name>/` (absolute).
    pub out: PathBuf,
    /// Where the script and the logs go (absolute).
    pub script_dir: PathBuf,
    /// Tasks N.
    pub tasks: usize,
    /// Array tasks running at once, K (the `%K` of `--array`), if limited.
    pub parallel: Option<usize>,
    /// Worker threads of each task (`--cpus-per-task`).
    pub threads: usize,
    /// Memory of each task, in MiB (`--mem`).
    pub memory_mib: u64,
    /// Time limit of each task (`--time`), in Slurm's format.
    pub time: String,
    /// Time limit of the merge job.
    pub merge_time: String,
    /// The partition, if not the site's default.
    pub partition: Option<String>,
    /// The site's `MaxArraySize`.
    pub max_array_size: usize,
    /// Pass `--allow-long` to the tasks.
    pub allow_long: bool,
}

/// A setting the script cannot carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SlurmError {
    /// The option, e.g. `--partition`.
    pub field: &'static str,
    /// What was expected and found.
    pub message: String,
}

impl SlurmJob {
    /// Checks the settings a user typed: they end up in a shell script and in `#SBATCH` lines.
    pub fn check(&self) -> Result<(), SlurmError> {
        let error = |field, message: String| Err(SlurmError { field, message });
        if self.tasks == 0 {
            return error("--tasks", "expected at least 1 task, found 0".into());
        }
        if self.parallel == Some(0) {
            return error(
                "--parallel",
                "expected at least 1 task at once, found 0".into(),
            );
        }
        if self.max_array_size < 2 {
            return error(
                "--max-array-size",
                format!("expected at least 2, found {}", self.max_array_size),
            );
        }
        let plain = |text: &str, extra: &str| {
            !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
        };
        if let Some(partition) = &self.partition
            && !plain(partition, "_-.,")
        {
            return error(
                "--partition",
                format!("expected letters, digits and _-., found {partition:?}"),
            );
        }
        for (field, time) in [("--time", &self.time), ("--time", &self.merge_time)] {
            if !plain(time, ":-") || !time.starts_with(|c: char| c.is_ascii_digit()) {
                return error(
                    field,
                    format!("expected a Slurm time such as 2:00:00 or 1-12:00:00, found {time:?}"),
                );
            }
        }
        for (field, path) in [
            ("doormat binary", &self.doormat),
            ("--out", &self.out),
            ("script folder", &self.script_dir),
        ] {
            if !path.is_absolute() || path.to_str().is_none() {
                return error(
                    field,
                    format!("expected an absolute UTF-8 path, found {}", path.display()),
                );
            }
        }
        Ok(())
    }

    /// The blocks of tasks, one job array each: `(offset, count)`.
    pub fn arrays(&self) -> Vec<(usize, usize)> {
        (0..self.tasks)
            .step_by(self.max_array_size.max(1))
            .map(|offset| (offset, self.max_array_size.min(self.tasks - offset)))
            .collect()
    }

    /// `submit.sh`: submits the arrays, then the merge job after all of them, and prints their
    /// job ids.
    pub fn script(&self) -> String {
        let q = |path: &PathBuf| quote(&path.to_string_lossy());
        let logs = self.script_dir.join("logs");
        let (verb, source) = match &self.work {
            Work::Run(source) => ("run", source),
            Work::Sweep(source) => ("sweep", source),
        };
        let partition = self
            .partition
            .as_ref()
            .map_or(String::new(), |p| format!("#SBATCH --partition={p}\n"));
        let mut s = String::new();
        let _ = write!(
            s,
            "#!/bin/bash\n\
             # doormat {verb} {name} as {tasks} Slurm array tasks and a merge job.\n\
             # Written by `doormat slurm` (doormat {version}). Submit with: bash {script}\n\
             # Results: {out}/{name}/ once the merge job has finished; logs in {logs}/.\n\
             set -euo pipefail\n\
             mkdir -p {logs_q}\n\
             arrays=\"\"\n",
            name = self.name,
            tasks = self.tasks,
            version = env!("CARGO_PKG_VERSION"),
            script = self.script_dir.join("submit.sh").display(),
            out = self.out.display(),
            logs = logs.display(),
            logs_q = q(&logs),
        );
        let limit = self.parallel.map_or(String::new(), |k| format!("%{k}"));
        let allow_long = if self.allow_long { " --allow-long" } else { "" };
        for (block, (offset, count)) in self.arrays().into_iter().enumerate() {
            let _ = write!(
                s,
                "\n# Tasks {offset} to {last}.\n\
                 job=$(sbatch --parsable <<'DOORMAT_ARRAY'\n\
                 #!/bin/bash\n\
                 #SBATCH --job-name=doormat-{name}\n\
                 #SBATCH --array=0-{top}{limit}\n\
                 #SBATCH --output={logs}/%A_%a.out\n\
                 #SBATCH --error={logs}/%A_%a.err\n\
                 #SBATCH --ntasks=1\n\
                 #SBATCH --cpus-per-task={threads}\n\
                 #SBATCH --mem={memory}M\n\
                 #SBATCH --time={time}\n\
                 {partition}\
                 set -euo pipefail\n\
                 exec {doormat} {verb} {source} --task $(({offset} + SLURM_ARRAY_TASK_ID)) --of {tasks} \
                 --threads {threads} --out {out} --quiet{allow_long}\n\
                 DOORMAT_ARRAY\n\
                 )\n\
                 job=${{job%%;*}}\n\
                 echo \"array {block}: job $job (tasks {offset} to {last})\"\n\
                 arrays=\"$arrays:$job\"\n",
                last = offset + count - 1,
                top = count - 1,
                name = self.name,
                logs = logs.to_string_lossy(),
                threads = self.threads,
                memory = self.memory_mib,
                time = self.time,
                doormat = q(&self.doormat),
                source = quote(source),
                tasks = self.tasks,
                out = q(&self.out),
            );
        }
        let _ = write!(
            s,
            "\n# The merge, once every array task has succeeded.\n\
             merge=$(sbatch --parsable --dependency=afterok$arrays <<'DOORMAT_MERGE'\n\
             #!/bin/bash\n\
             #SBATCH --job-name=doormat-{name}-merge\n\
             #SBATCH --output={logs}/merge-%j.out\n\
             #SBATCH --error={logs}/merge-%j.err\n\
             #SBATCH --ntasks=1\n\
             #SBATCH --cpus-per-task=1\n\
             #SBATCH --mem={memory}M\n\
             #SBATCH --time={merge_time}\n\
             {partition}\
             set -euo pipefail\n\
             exec {doormat} merge {folder} --out {out} --quiet\n\
             DOORMAT_MERGE\n\
             )\n\
             merge=${{merge%%;*}}\n\
             echo \"merge: job $merge, after the arrays\"\n\
             echo \"$merge\" > {merge_id}\n",
            name = self.name,
            logs = logs.to_string_lossy(),
            memory = self.memory_mib,
            merge_time = self.merge_time,
            doormat = q(&self.doormat),
            folder = q(&self.out.join(&self.name)),
            out = q(&self.out),
            merge_id = q(&self.script_dir.join("merge.jobid")),
        );
        s
    }
}

/// `text` single-quoted for the shell: `'` becomes `'\''`.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod test {
    use super::*;

    fn job(tasks: usize, max: usize) -> SlurmJob {
        SlurmJob {
            name: "default".into(),
            work: Work::Run("/data/it's here/s.json".into()),
            doormat: "/opt/doormat/bin/doormat".into(),
            out: "/scratch/results".into(),
            script_dir: "/scratch/results/default-slurm".into(),
            tasks,
            parallel: Some(8),
            threads: 1,
            memory_mib: 512,
            time: "1:00:00".into(),
            merge_time: "0:30:00".into(),
            partition: Some("short".into()),
            max_array_size: max,
            allow_long: false,
        }
    }

    #[test]
    fn tasks_beyond_the_array_limit_go_to_more_arrays_with_offsets() {
        let job = job(2500, 1001);
        assert_eq!(job.arrays(), vec![(0, 1001), (1001, 1001), (2002, 498)]);
        let script = job.script();
        assert!(script.contains("#SBATCH --array=0-1000%8\n"), "{script}");
        assert!(script.contains("#SBATCH --array=0-497%8\n"), "{script}");
        assert!(script.contains("--task $((2002 + SLURM_ARRAY_TASK_ID)) --of 2500"));
        assert_eq!(script.matches("DOORMAT_ARRAY\n)").count(), 3);
        assert!(script.contains("--dependency=afterok$arrays"));
        assert!(job.check().is_ok());
    }

    #[test]
    fn paths_are_quoted_and_settings_checked() {
        let script = job(4, 1001).script();
        assert!(script.contains(r"'/data/it'\''s here/s.json'"), "{script}");
        assert!(script.contains("#SBATCH --output=/scratch/results/default-slurm/logs/%A_%a.out"));
        assert!(script.contains("#SBATCH --partition=short\n"));
        assert!(
            script.contains("exec '/opt/doormat/bin/doormat' merge '/scratch/results/default'")
        );
        let mut bad = job(4, 1001);
        bad.partition = Some("a;rm -rf".into());
        assert_eq!(bad.check().unwrap_err().field, "--partition");
        let mut bad = job(4, 1001);
        bad.time = "$(x)".into();
        assert_eq!(bad.check().unwrap_err().field, "--time");
        let mut bad = job(0, 1001);
        assert_eq!(bad.check().unwrap_err().field, "--tasks");
        bad.tasks = 1;
        bad.out = "relative".into();
        assert_eq!(bad.check().unwrap_err().field, "--out");
    }
}
