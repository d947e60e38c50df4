//! Reading sweep and task files, which may come from another machine: only regular files, of a
//! bounded size checked before anything is read, in UTF-8, holding exactly one JSON document.
//!
//! The file's metadata is read before it is opened, so a FIFO or a device never blocks or
//! streams forever, and a directory is named as such.

use std::{io::Read, path::Path};

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use super::SweepError;

/// Largest task result file read: a million items of a few hundred bytes each fit easily.
pub const MAX_TASK_BYTES: u64 = 256 * 1024 * 1024;
/// Largest sweep or scenario file read by a sweep: far beyond any hand-written file.
pub const MAX_SWEEP_BYTES: u64 = 16 * 1024 * 1024;

/// The text of the regular file at `path`, refused (before it is opened) if it is anything else
/// or larger than `limit` bytes, and refused if it is not UTF-8.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, SweepError> {
    let unreadable = |reason: String| SweepError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let read_error = |error| SweepError::Read {
        path: path.to_path_buf(),
        error,
    };
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    check_kind(&metadata, limit).map_err(unreadable)?;
    let file = std::fs::File::open(path).map_err(read_error)?;
    // The file may have been replaced between the two calls: check what was opened.
    check_kind(&file.metadata().map_err(read_error)?, limit).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(unreadable(format!("grew beyond {limit} bytes while read")));
    }
    String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        unreadable(format!("not UTF-8 text: invalid byte at offset {at}"))
    })
}

/// The text of the task file at `path` and the task its name names: a regular file of at most
/// [`MAX_TASK_BYTES`] named exactly `task-I-of-N.json`. The file is read first, so that a
/// missing file or a FIFO is named as such whatever its name.
pub(crate) fn read_task_text(
    path: &Path,
) -> Result<(String, crate::model::TaskSelection), SweepError> {
    let text = read_text(path, MAX_TASK_BYTES)?;
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    match crate::model::TaskSelection::from_file_name(name) {
        Some(named) => Ok((text, named)),
        None => Err(SweepError::Unreadable {
            path: path.to_path_buf(),
            reason: "expected a task result named task-I-of-N.json (I < N, no leading zeros)"
                .into(),
        }),
    }
}

/// Why `metadata` is not that of a regular file of at most `limit` bytes.
fn check_kind(metadata: &std::fs::Metadata, limit: u64) -> Result<(), String> {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err("is a folder, not a file".into());
    }
    if !kind.is_file() {
        return Err("is not a regular file (a FIFO, socket or device?)".into());
    }
    if metadata.len() > limit {
        return Err(format!(
            "is {} bytes, more than the {limit} bytes allowed",
            metadata.len()
        ));
    }
    Ok(())
}

/// Parses `text` as exactly one JSON document of type `T`, naming the JSON path, line and
/// column of the first error; anything but whitespace after the document is refused, and so is
/// anything `T`'s JSON Schema forbids that serde would let through (an array in place of an
/// object, an unknown field in a unit variant).
pub(crate) fn parse_strict<T: DeserializeOwned + JsonSchema>(text: &str) -> Result<T, SweepError> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let value: serde_json::Value =
        serde_path_to_error::deserialize(&mut *deserializer).map_err(SweepError::parse)?;
    deserializer.end().map_err(|error| SweepError::Parse {
        path: "(after the document)".into(),
        message: format!("{error}: expected the end of the file"),
    })?;
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    crate::scenario::strict::check(&schema, &value).map_err(|problem| SweepError::Parse {
        path: problem.path,
        message: problem.message,
    })?;
    // serde reads the text itself, not the `Value`, so a field given twice is refused too.
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(SweepError::parse)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn trailing_data_is_refused_with_its_position() {
        let error = parse_strict::<serde_json::Value>("{\"a\": 1}\n}x").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("line 2 column 1"), "{message}");
        assert!(parse_strict::<serde_json::Value>("{\"a\": 1}{\"a\": 1}").is_err());
        assert!(parse_strict::<serde_json::Value>(" {\"a\": 1} \n").is_ok());
    }

    #[test]
    fn a_folder_and_an_oversized_file_are_refused_before_reading() {
        let dir = std::env::temp_dir().join(format!("doormat-read-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let message = read_text(&dir, 10).unwrap_err().to_string();
        assert!(message.contains("folder"), "{message}");
        let file = dir.join("big.json");
        std::fs::write(&file, "12345678901").unwrap();
        let message = read_text(&file, 10).unwrap_err().to_string();
        assert!(message.contains("11 bytes"), "{message}");
        std::fs::write(&file, b"ab\xffcd").unwrap();
        let message = read_text(&file, 10).unwrap_err().to_string();
        assert!(message.contains("offset 2"), "{message}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
