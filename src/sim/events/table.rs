//! The event table as a Parquet file (Arrow arrays, Snappy pages): written through a temporary
//! file beside it and renamed into place by [`EventTable::finish`], so the path holds a whole
//! table or nothing.
//!
//! The bytes depend only on the rows: rows are cut into batches of a fixed size whatever chunks
//! they arrive in, and the file records no time or host.

use std::{
    fs::File,
    io::BufWriter,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use arrow_array::{ArrayRef, BooleanArray, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::{
    arrow::ArrowWriter,
    basic::Compression,
    file::{
        metadata::{KeyValue, SortingColumn},
        properties::WriterProperties,
    },
};

use super::{EventError, EventRow, EventSink};

/// Rows per Arrow batch: fixed, so that page boundaries do not depend on the engine's chunks.
const BATCH_ROWS: usize = 1 << 16;

/// The columns, in file order: name, type, nullable.
const COLUMNS: [(&str, DataType, bool); 16] = [
    ("conversation", DataType::UInt64, false),
    ("design", DataType::UInt32, false),
    ("design_label", DataType::Utf8, false),
    ("message", DataType::UInt32, false),
    ("sender", DataType::UInt32, false),
    ("recipient", DataType::UInt32, false),
    ("sent_at_s", DataType::UInt64, false),
    ("delivered_at_s", DataType::UInt64, true),
    ("plaintext_bytes", DataType::UInt32, false),
    ("wire_bytes", DataType::UInt32, true),
    ("dh_step", DataType::Boolean, false),
    ("exposed", DataType::Boolean, false),
    ("exposed_by", DataType::UInt32, true),
    ("readable_at_s", DataType::UInt64, true),
    ("warranted", DataType::Boolean, false),
    ("obtained", DataType::Boolean, false),
];

/// A Parquet event table being written. Dropped without [`EventTable::finish`], it removes its
/// temporary file and leaves the path as it was.
#[derive(Debug)]
pub struct EventTable {
    path: PathBuf,
    temporary: PathBuf,
    labels: Vec<String>,
    schema: SchemaRef,
    state: Mutex<State>,
}

struct State {
    writer: Option<ArrowWriter<BufWriter<File>>>,
    pending: Vec<EventRow>,
    rows: u64,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("pending", &self.pending.len())
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl EventTable {
    /// Starts the table that [`EventTable::finish`] puts at `path`: `labels` name the designs
    /// by index, and `metadata` (such as the scenario and seed) goes into the file's footer.
    pub fn create(
        path: &Path,
        labels: Vec<String>,
        metadata: &[(&str, String)],
    ) -> Result<Self, EventError> {
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".tmp{}", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let fail = |message: String| EventError {
            path: path.to_path_buf(),
            message,
        };
        let schema: SchemaRef = Arc::new(Schema::new(
            COLUMNS
                .iter()
                .map(|(name, kind, nullable)| Field::new(*name, kind.clone(), *nullable))
                .collect::<Vec<_>>(),
        ));
        let sorted = ["conversation", "design", "message"].map(|name| SortingColumn {
            column_idx: COLUMNS.iter().position(|c| c.0 == name).unwrap_or(0) as i32,
            descending: false,
            nulls_first: false,
        });
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_sorting_columns(Some(sorted.to_vec()))
            .set_key_value_metadata(Some(
                metadata
                    .iter()
                    .map(|(key, value)| KeyValue::new(format!("doormat.{key}"), value.clone()))
                    .collect(),
            ))
            .build();
        let file = File::create(&temporary)
            .map_err(|e| fail(format!("cannot create {}: {e}", temporary.display())))?;
        let writer = ArrowWriter::try_new(BufWriter::new(file), schema.clone(), Some(properties))
            .map_err(|e| fail(e.to_string()));
        let writer = match writer {
            Ok(writer) => writer,
            Err(error) => {
                let _ = std::fs::remove_file(&temporary);
                return Err(error);
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            temporary,
            labels,
            schema,
            state: Mutex::new(State {
                writer: Some(writer),
                pending: Vec::with_capacity(BATCH_ROWS),
                rows: 0,
            }),
        })
    }

    /// Writes the last rows and the footer, syncs the file and renames it into place. Returns
    /// the rows written.
    pub fn finish(self) -> Result<u64, EventError> {
        let mut state = self.lock()?;
        self.flush(&mut state, true)?;
        let rows = state.rows;
        let writer = state
            .writer
            .take()
            .ok_or_else(|| self.error("already failed"))?;
        let file = writer
            .into_inner()
            .map_err(|e| self.error(e.to_string()))?
            .into_inner()
            .map_err(|e| self.error(e.error().to_string()))?;
        file.sync_all().map_err(|e| self.error(e.to_string()))?;
        drop(file);
        std::fs::rename(&self.temporary, &self.path).map_err(|e| self.error(e.to_string()))?;
        Ok(rows)
    }

    /// The path the table goes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, message: impl Into<String>) -> EventError {
        EventError {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, State>, EventError> {
        self.state
            .lock()
            .map_err(|_| self.error("a writer thread failed"))
    }

    /// Writes every whole batch pending, and the rest too if `all`.
    fn flush(&self, state: &mut State, all: bool) -> Result<(), EventError> {
        while state.pending.len() >= BATCH_ROWS || (all && !state.pending.is_empty()) {
            let take = state.pending.len().min(BATCH_ROWS);
            let batch = self.batch(&state.pending[..take])?;
            let writer = state
                .writer
                .as_mut()
                .ok_or_else(|| self.error("already failed"))?;
            if let Err(e) = writer.write(&batch) {
                state.writer = None;
                return Err(self.error(e.to_string()));
            }
            state.pending.drain(..take);
            state.rows += take as u64;
        }
        Ok(())
    }

    /// `rows` as one Arrow batch of [`COLUMNS`].
    fn batch(&self, rows: &[EventRow]) -> Result<RecordBatch, EventError> {
        let u64s = |f: fn(&EventRow) -> u64| -> ArrayRef {
            Arc::new(UInt64Array::from_iter_values(rows.iter().map(f)))
        };
        let u32s = |f: fn(&EventRow) -> u32| -> ArrayRef {
            Arc::new(UInt32Array::from_iter_values(rows.iter().map(f)))
        };
        let bools = |f: fn(&EventRow) -> bool| -> ArrayRef {
            Arc::new(rows.iter().map(|r| Some(f(r))).collect::<BooleanArray>())
        };
        let label = |design: u32| self.labels.get(design as usize).map_or("", String::as_str);
        let columns: Vec<ArrayRef> = vec![
            u64s(|r| r.conversation),
            u32s(|r| r.design),
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| label(r.design)),
            )),
            u32s(|r| r.message),
            u32s(|r| r.sender),
            u32s(|r| r.recipient),
            u64s(|r| r.sent_at),
            Arc::new(rows.iter().map(|r| r.delivered_at).collect::<UInt64Array>()),
            u32s(|r| r.plaintext_bytes),
            Arc::new(rows.iter().map(|r| r.wire_bytes).collect::<UInt32Array>()),
            bools(|r| r.dh_step),
            bools(|r| r.exposed_by.is_some()),
            Arc::new(rows.iter().map(|r| r.exposed_by).collect::<UInt32Array>()),
            Arc::new(rows.iter().map(|r| r.readable_at).collect::<UInt64Array>()),
            bools(|r| r.warranted),
            bools(|r| r.obtained),
        ];
        RecordBatch::try_new(self.schema.clone(), columns).map_err(|e| self.error(e.to_string()))
    }
}

impl EventSink for EventTable {
    fn write(&self, rows: &[EventRow]) -> Result<(), EventError> {
        let mut state = self.lock()?;
        state.pending.extend_from_slice(rows);
        self.flush(&mut state, false)
    }
}

impl Drop for EventTable {
    fn drop(&mut self) {
        // After a finish the temporary is gone and this does nothing.
        let _ = std::fs::remove_file(&self.temporary);
    }
}
