//! Batch clusters: a run or a sweep split into tasks as a job array, with a merge job that waits
//! for it. Only Slurm for now ([`SlurmJob`]), the scheduler of most research clusters.

mod slurm;

pub use self::slurm::{DEFAULT_MAX_ARRAY_SIZE, SlurmError, SlurmJob, Work};
