//! Event tables (`doormat run --events`): one row per message per design, for analyses the
//! summary does not foresee. The rows are recorded where the engine and the measurement count
//! (nothing is recomputed), so the table adds up to `summary.json`.
//!
//! Rows come in one order, (conversation, design, message), whatever the thread count: the
//! engine simulates the conversations in chunks, collects each chunk's rows in parallel and
//! hands them to an [`EventSink`] in order before the next chunk, so memory holds one chunk.

mod chunks;
mod row;
mod table;

pub(crate) use self::chunks::in_chunks;
pub use self::{
    row::{EventRow, Recorder},
    table::EventTable,
};

use std::{fmt, path::PathBuf};

/// Where a run's event rows go, in table order.
pub trait EventSink: Sync + fmt::Debug {
    /// Takes the next rows: every later call's rows come after these.
    fn write(&self, rows: &[EventRow]) -> Result<(), EventError>;
}

/// Why an event table could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct EventError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}
