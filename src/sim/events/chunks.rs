//! The engine's path when rows are recorded: the plan's conversations in consecutive chunks,
//! each simulated in parallel with its rows collected in conversation order, then handed to the
//! sink before the next chunk starts. Memory holds one chunk's rows, and the order (so the
//! file) is the same for any thread count.

use rayon::prelude::*;

use super::{EventError, EventRow, EventSink};
use crate::{model::TaskSelection, sim::RunMetrics};

/// Rows a chunk aims at: about 25 MiB of rows, a few chunks for the bundled default run.
const CHUNK_ROWS: usize = 1 << 18;

/// Simulates the conversations `0..conversations` that `task` takes, with `one` (which adds a
/// conversation to the metrics and appends its rows), chunk by chunk, writing every chunk's rows
/// to `sink` in conversation order. The metrics add up as the engine's other path adds them.
pub(crate) fn in_chunks(
    conversations: usize,
    task: TaskSelection,
    designs: usize,
    threads: usize,
    sink: &dyn EventSink,
    one: impl Fn(&mut RunMetrics, usize, &mut Vec<EventRow>) + Sync,
) -> Result<RunMetrics, EventError> {
    // Enough conversations per chunk that every thread stays busy to the chunk's end.
    let least = 64 * threads.max(1) * task.of();
    let mut span = least;
    let mut total = RunMetrics::new(designs);
    let mut start = 0;
    while start < conversations {
        let end = conversations.min(start.saturating_add(span));
        let parts: Vec<Option<(RunMetrics, Vec<EventRow>)>> = (start..end)
            .into_par_iter()
            .map(|id| {
                task.takes(id as u64).then(|| {
                    let mut metrics = RunMetrics::new(designs);
                    let mut rows = Vec::new();
                    one(&mut metrics, id, &mut rows);
                    (metrics, rows)
                })
            })
            .collect();
        let mut rows = 0;
        for (metrics, part) in parts.into_iter().flatten() {
            total += metrics;
            rows += part.len();
            sink.write(&part)?;
        }
        // The next chunk's span, from this one's rows per conversation.
        span = (span.saturating_mul(CHUNK_ROWS) / rows.max(1)).clamp(least, least.max(1 << 22));
        start = end;
    }
    Ok(total)
}
