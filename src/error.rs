//! Errors that point at a place in a file, printed as `path:line:column: what is wrong`.
//!
//! Rule files and `.reframe.toml` are written by people; an error that names the line is the
//! difference between a quick fix and a hunt.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in the library and its front ends. Each variant prints as the
/// one line a user reads; the CLI prefixes `reframe: ` and exits 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem at a place in a file: a rule file, `.reframe.toml`, a document.
    #[error(transparent)]
    Located(#[from] LocatedError),
    /// A file or folder that could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Standard output could not be written. A closed pipe (`reframe … | head`) is not an
    /// error to report: the CLI ends quietly with status 0, as ripgrep does.
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
    /// A service (the language server, the workshop page) could not start or run.
    #[error("cannot {what}: {source}")]
    Service {
        /// What was being done, as "cannot …" continues it.
        what: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file changed on disk after it was read; writing would lose that change.
    #[error("{}: the file changed on disk after it was read; not writing (run again)", path.display())]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
    },
    /// A request that cannot be carried out as asked (an unknown rule id, a missing
    /// argument); the message says what to do instead.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Whether this is a write to a pipe whose reader has gone.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What is wrong with one item of data that people write (a rule, its patterns, templates and
/// guards; a word-list row; a corpus label), in one sentence. Its caller knows where the item
/// is and turns it into a [`LocatedError`] at that file and line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DataError(pub String);

impl From<String> for DataError {
    fn from(message: String) -> DataError {
        DataError(message)
    }
}

impl From<DataError> for String {
    fn from(error: DataError) -> String {
        error.0
    }
}

impl From<&str> for DataError {
    fn from(message: &str) -> DataError {
        DataError(message.to_string())
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem at a place in a file. Line and column are 1-based; the column counts characters.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct LocatedError {
    /// The file the problem is in.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl LocatedError {
    /// An error at byte `offset` of `source`, which is the text of `path`.
    pub fn at_offset(path: &Path, source: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(source, offset);
        LocatedError {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    /// An error about a whole file (unreadable, missing), reported at line 1.
    pub fn whole_file(path: &Path, message: impl Into<String>) -> Self {
        LocatedError {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: message.into(),
        }
    }

    /// Converts a TOML parse or type error, using its span when it has one.
    pub fn from_toml(path: &Path, source: &str, error: &toml::de::Error) -> Self {
        let offset = error.span().map_or(0, |span| span.start);
        let message = plain_words(&error.message().trim().replace('\n', " "));
        LocatedError::at_offset(path, source, offset, message)
    }
}

/// serde's "unknown variant `loud`, expected one of `off`, `hint`" in plain words:
/// "`loud` is not allowed here; use one of: off, hint".
fn plain_words(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown variant ") else {
        return message.to_string();
    };
    match rest.split_once(", expected one of ") {
        Some((value, expected)) => format!(
            "{value} is not allowed here; use one of: {}",
            expected.replace('`', "")
        ),
        None => match rest.split_once(", expected ") {
            Some((value, expected)) => format!(
                "{value} is not allowed here; use {}",
                expected.replace('`', "")
            ),
            None => message.to_string(),
        },
    }
}

/// 1-based line and character column of byte `offset` in `source` (clamped to the text).
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    crate::lines::LineIndex::new(source).position(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nç😀x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 3 + 2 + 4), (2, 3));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn unknown_values_are_named_in_plain_words() {
        let source = "[severity]\nblame = \"loud\"\n";
        let error = toml::from_str::<crate::config::Settings>(source).unwrap_err();
        let located = LocatedError::from_toml(Path::new(".reframe.toml"), source, &error);
        assert_eq!(
            located.to_string(),
            ".reframe.toml:2:9: `loud` is not allowed here; use one of: off, hint, info, warning, error"
        );
    }

    #[test]
    fn display_is_path_line_column_message() {
        let e = LocatedError::at_offset(Path::new("r.toml"), "a\nb = 1", 2, "bad");
        assert_eq!(e.to_string(), "r.toml:2:1: bad");
    }
}
