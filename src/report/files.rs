//! Results folders that are whole or old. A run writes everything into a fresh temporary folder
//! beside its target, under a lock, then swaps it in with one atomic exchange: a reader, a crash
//! or a full disk sees the old folder or the new one, never a mix, and a rerun leaves no file of
//! the run before it.
//!
//! Test hook: with `DOORMAT_ABORT_AFTER_WRITE_STEP=k` the process aborts right after the k-th
//! step of writing (each file written, each rename of the swap), as a `kill -9` would stop it.

use std::{
    ffi::OsString,
    fmt,
    fs::{File, OpenOptions, TryLockError},
    io::{Read, Write},
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

/// Why results could not be written or read.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReportError {
    /// A file operation failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Results could not be encoded.
    Encode(String),
    /// Another process is writing the same results folder.
    Locked {
        /// The folder.
        target: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// The pid written in the lock file, if readable.
        pid: Option<u32>,
    },
}

/// The cause is printed in the message itself and not chained as a `source`, so a chain
/// printer (`{:#}`) does not show the OS error twice.
impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Encode(message) => write!(f, "encoding results: {message}"),
            Self::Locked { target, lock, pid } => write!(
                f,
                "{} is being written by another doormat ({}; lock {}): wait for it to finish, \
                 or choose another --out",
                target.display(),
                pid.map_or("pid unknown".to_string(), |p| format!("pid {p}")),
                lock.display()
            ),
        }
    }
}

impl std::error::Error for ReportError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Steps of writing taken by this process, for the test hook.
static STEPS: AtomicU64 = AtomicU64::new(0);
/// Temporary folders created by this process, for unique names.
static STAGINGS: AtomicU64 = AtomicU64::new(0);

/// Counts one step of writing; aborts the process after the step the test hook names.
fn step() {
    let taken = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
    let abort_after = std::env::var("DOORMAT_ABORT_AFTER_WRITE_STEP")
        .ok()
        .and_then(|k| k.parse::<u64>().ok());
    if abort_after == Some(taken) {
        std::process::abort();
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, then renames it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".tmp{}", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let result = (|| {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.map_err(io(path))?;
    step();
    Ok(())
}

/// A results folder being rewritten: held under a lock, staged in a temporary folder beside the
/// target, and swapped in whole by [`ResultsFolder::commit`]. Dropped without a commit, it
/// removes its temporary folder and leaves the target as it was.
#[derive(Debug)]
pub struct ResultsFolder {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
    /// Held open: the OS releases the lock when the process ends, however it ends.
    _lock: File,
}

impl ResultsFolder {
    /// Locks `target` (refusing if another process writes it), removes temporaries left by
    /// killed runs, and creates an empty temporary folder to write into. Call it before any
    /// long work: an output location that cannot be written fails here, at once.
    pub fn begin(target: &Path) -> Result<Self, ReportError> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .ok_or_else(|| ReportError::Io {
                path: target.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "expected a folder name",
                ),
            })?
            .to_owned();
        let not_a_folder = |path: &Path| ReportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "exists and is not a folder",
            ),
        };
        if let Some(file) = target.ancestors().find(|p| p.exists() && !p.is_dir()) {
            return Err(not_a_folder(file));
        }
        std::fs::create_dir_all(&parent).map_err(|e| {
            io(&parent)(std::io::Error::new(
                e.kind(),
                format!("cannot create this folder: {e}"),
            ))
        })?;
        let lock_path = parent.join(hidden(&name, ".lock"));
        let lock = take_lock(target, &lock_path)?;
        remove_stale(&parent, &name, target);
        let n = STAGINGS.fetch_add(1, Ordering::SeqCst);
        let staging = parent.join(hidden(&name, &format!(".tmp-{}-{n}", std::process::id())));
        std::fs::create_dir(&staging).map_err(io(&staging))?;
        Ok(Self {
            target: target.to_path_buf(),
            staging,
            committed: false,
            _lock: lock,
        })
    }

    /// The temporary folder to write the new results into.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The folder the results will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` to `relative` inside the temporary folder, creating its subfolders.
    pub fn write(&self, relative: impl AsRef<Path>, bytes: &[u8]) -> Result<(), ReportError> {
        let path = self.staging.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        write_atomic(&path, bytes)
    }

    /// Copies the target's top-level files whose name `keep` accepts into the temporary folder,
    /// for a rewrite that replaces only some files (`doormat plot` keeps `summary.json` and the
    /// CSVs; a sweep would keep its `task-I-of-N.json`). Returns how many were copied.
    pub fn carry_over(&self, keep: impl Fn(&str) -> bool) -> Result<usize, ReportError> {
        let Ok(entries) = std::fs::read_dir(&self.target) else {
            return Ok(0);
        };
        let mut copied = 0;
        for entry in entries {
            let entry = entry.map_err(io(&self.target))?;
            let name = entry.file_name();
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if is_file && name.to_str().is_some_and(&keep) {
                let to = self.staging.join(&name);
                std::fs::copy(entry.path(), &to).map_err(io(&to))?;
                step();
                copied += 1;
            }
        }
        Ok(copied)
    }

    /// Replaces the target with the temporary folder in one atomic exchange (or, where the file
    /// system cannot exchange, two renames), then removes the old results.
    pub fn commit(mut self) -> Result<PathBuf, ReportError> {
        sync_dir(&self.staging);
        if self.target.exists() {
            let name = self.target.file_name().unwrap_or_default();
            let n = STAGINGS.fetch_add(1, Ordering::SeqCst);
            let aside = self
                .staging
                .with_file_name(hidden(name, &format!(".old-{}-{n}", std::process::id())));
            swap(&self.staging, &self.target, &aside)?;
            step();
            // The staging path now holds the old results; the new ones are in place whatever
            // happens to them, and the next run removes them if this cannot.
            let _ = std::fs::remove_dir_all(&self.staging);
        } else {
            std::fs::rename(&self.staging, &self.target).map_err(io(&self.target))?;
        }
        step();
        self.committed = true;
        if let Some(parent) = self.target.parent() {
            sync_dir(parent);
        }
        Ok(self.target.clone())
    }
}

impl Drop for ResultsFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// `.<name><suffix>`: hidden, beside the target.
fn hidden(name: &std::ffi::OsStr, suffix: &str) -> OsString {
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(suffix);
    hidden
}

fn take_lock(target: &Path, lock_path: &Path) -> Result<File, ReportError> {
    let mut lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path)
        .map_err(io(lock_path))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = lock.read_to_string(&mut text);
            return Err(ReportError::Locked {
                target: target.to_path_buf(),
                lock: lock_path.to_path_buf(),
                pid: text.trim().parse().ok(),
            });
        }
        Err(TryLockError::Error(source)) => return Err(io(lock_path)(source)),
    }
    lock.set_len(0)
        .and_then(|()| lock.write_all(std::process::id().to_string().as_bytes()))
        .map_err(io(lock_path))?;
    Ok(lock)
}

/// Removes what killed runs left: their temporary folders beside the target (only a lock holder
/// creates them, and we hold the lock, so every one is stale), the old results of an
/// interrupted two-rename swap (restored if the target is missing), and `*.tmp<pid>` files of
/// interrupted file writes inside the target.
fn remove_stale(parent: &Path, name: &std::ffi::OsStr, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = hidden(name, ".tmp-");
    let old = hidden(name, ".old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let bytes = file_name.as_encoded_bytes();
        if bytes.starts_with(old.as_encoded_bytes()) && !target.exists() {
            let _ = std::fs::rename(entry.path(), target);
        } else if bytes.starts_with(staging.as_encoded_bytes())
            || bytes.starts_with(old.as_encoded_bytes())
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    remove_tmp_files(target, 0);
}

fn remove_tmp_files(dir: &Path, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_tmp = name.rfind(".tmp").is_some_and(|at| {
            let pid = &name[at + 4..];
            !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        });
        if is_tmp && path.is_file() {
            let _ = std::fs::remove_file(&path);
        } else if depth < 2 && path.is_dir() {
            remove_tmp_files(&path, depth + 1);
        }
    }
}

/// Exchanges `new` and `target` atomically (Linux `renameat2(RENAME_EXCHANGE)`); elsewhere, or
/// on a file system without it, moves the target to `aside` and `new` in: two renames whose
/// gap [`remove_stale`] repairs at the next run.
fn swap(new: &Path, target: &Path, aside: &Path) -> Result<(), ReportError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(io(target)(e.into())),
        }
    }
    std::fs::rename(target, aside).map_err(io(target))?;
    std::fs::rename(new, target).map_err(io(target))?;
    // Leave the old results where `commit` removes them.
    std::fs::rename(aside, new).map_err(io(new))
}

fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}
