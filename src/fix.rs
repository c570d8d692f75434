//! Applying reframes to text, and writing files so that nothing is ever lost.
//!
//! `reframe fix`, the server's fix-all action and the workshop page all splice with
//! [`apply_edits`]. Writes go to a temporary file in the same folder, keep the original's
//! permissions, and replace it with a rename only if the file is still what was read.

use crate::engine::Finding;
use crate::rule::{FixSafety, Severity};
use std::io::Write;
use std::ops::Range;
use std::path::Path;

/// A replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// The new text.
    pub replacement: String,
}

/// Which reframes a fix-all applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixScope {
    /// Only reframes their rule marks safe: same meaning, other words.
    SafeOnly,
    /// Suggestions too, which may change what the sentence says (`reframe fix --unsafe`).
    WithSuggestions,
}

/// The preferred reframe of every finding at or above `min` that `scope` allows, skipping
/// findings without a reframe and any that overlap an earlier edit. Findings must be sorted by
/// start.
pub fn preferred_edits<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    min: Severity,
    scope: FixScope,
) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for f in findings {
        if f.severity < min || f.severity == Severity::Off {
            continue;
        }
        let Some(replacement) = f.reframes.first() else {
            continue;
        };
        if scope == FixScope::SafeOnly && f.rule.reframe_safety(0) != FixSafety::Safe {
            continue;
        }
        if edits.last().is_some_and(|e| e.range.end > f.range.start) {
            continue;
        }
        edits.push(Edit {
            range: f.range.clone(),
            replacement: replacement.clone(),
        });
    }
    edits
}

/// Splices sorted, non-overlapping edits into `text`. Bytes outside the edits are copied as
/// they are, so line endings, a BOM and trailing whitespace survive.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        assert!(
            edit.range.start >= at,
            "edits must be sorted and must not overlap"
        );
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Why a write did not happen. The original file is untouched in every case.
#[derive(Debug)]
pub enum WriteError {
    /// The file changed on disk after it was read; writing would lose those changes.
    ChangedOnDisk,
    /// An I/O error, with what was being done.
    Io(String, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::ChangedOnDisk => {
                f.write_str("the file changed on disk after it was read; not writing (run again)")
            }
            WriteError::Io(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

/// Replaces `path`'s contents with `new`, atomically, if it still holds `original`.
///
/// The new text goes to a temporary file beside it, is flushed to disk, gets the original's
/// permissions, and is renamed over the original. A crash at any point leaves either the old
/// file or the new one, never a mix.
pub fn write_atomic(path: &Path, original: &[u8], new: &str) -> Result<(), WriteError> {
    let io = |what: &str| {
        let what = format!("{what} {}", path.display());
        move |e| WriteError::Io(what, e)
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path)
        .map_err(io("cannot read"))?
        .permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".reframe-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io("cannot create a temporary file beside"))?;
    temp.write_all(new.as_bytes()).map_err(io("cannot write"))?;
    temp.as_file().sync_all().map_err(io("cannot flush"))?;
    std::fs::set_permissions(temp.path(), permissions).map_err(io("cannot set permissions of"))?;
    let current = std::fs::read(path).map_err(io("cannot re-read"))?;
    if current != original {
        return Err(WriteError::ChangedOnDisk);
    }
    temp.persist(path)
        .map_err(|e| WriteError::Io(format!("cannot replace {}", path.display()), e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untouched_bytes_survive() {
        let text = "\u{feff}a resistant b  \r\nresistant\r\n";
        let first = text.find("resistant").unwrap();
        let second = text.rfind("resistant").unwrap();
        let edits = vec![
            Edit {
                range: first..first + 9,
                replacement: "hesitant".into(),
            },
            Edit {
                range: second..second + 9,
                replacement: "Hesitant".into(),
            },
        ];
        assert_eq!(
            apply_edits(text, &edits),
            "\u{feff}a hesitant b  \r\nHesitant\r\n"
        );
    }

    #[test]
    fn refuses_when_changed_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "new content").unwrap();
        let err = write_atomic(&path, b"old content", "x").unwrap_err();
        assert!(matches!(err, WriteError::ChangedOnDisk));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new content");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"old", "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
