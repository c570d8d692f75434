//! Engine findings as the Python API reports them: offsets as string indices (code points) and
//! bytes, and the sentence around each match.

use pyo3::prelude::*;
use reframe::sentence_around;
use reframe::Finding as EngineFinding;
use std::ops::Range;

/// One flagged phrase in a checked text.
#[pyclass(frozen, get_all, eq, module = "reframe_lint")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule that matched.
    pub rule: String,
    /// The rule's category, like `blame-framing`.
    pub category: String,
    /// Effective severity: `error`, `warning`, `info` or `hint`.
    pub severity: String,
    /// Index of the match's first character in the Python string (`text[start:end]`).
    pub start: usize,
    /// Index just past the match's last character in the Python string.
    pub end: usize,
    /// UTF-8 byte offset of the match's start (as in `reframe check --format json`).
    pub byte_start: usize,
    /// UTF-8 byte offset just past the match.
    pub byte_end: usize,
    /// The matched text, as written.
    pub matched: String,
    /// One line naming the issue.
    pub message: String,
    /// Suggested replacements for the matched text; the first is preferred.
    pub reframes: Vec<String>,
    /// The sentence around the match, as written (trimmed).
    pub sentence: String,
    /// Whether the match sits inside quotation marks.
    pub quoted: bool,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(rule={:?}, severity={:?}, start={}, end={}, matched={:?})",
            self.rule, self.severity, self.start, self.end, self.matched
        )
    }
}

/// Converts a document's findings (sorted by position, as the engine reports them).
pub fn convert(text: &str, findings: &[EngineFinding]) -> Vec<Finding> {
    let mut chars = CharIndex::new(text);
    findings
        .iter()
        .map(|f| {
            let start = chars.index_of(f.range.start);
            let end = start + text[f.range.clone()].chars().count();
            Finding {
                rule: f.rule.id.clone(),
                category: f.rule.category.to_string(),
                severity: f.severity.to_string(),
                start,
                end,
                byte_start: f.range.start,
                byte_end: f.range.end,
                matched: text[f.range.clone()].to_string(),
                message: f.rule.message.clone(),
                reframes: f.reframes.to_vec(),
                sentence: sentence(text, &f.range),
                quoted: f.quoted,
            }
        })
        .collect()
}

/// The sentence around `range`, as `reframe report` finds it, with its closing punctuation and
/// quotation marks, trimmed.
fn sentence(text: &str, range: &Range<usize>) -> String {
    let bounds = sentence_around(text, range);
    let closing: usize = text[bounds.end..]
        .chars()
        .take_while(|c| matches!(c, '.' | '!' | '?' | '…' | '"' | '”' | '’' | ')'))
        .map(char::len_utf8)
        .sum();
    text[bounds.start..bounds.end + closing].trim().to_string()
}

/// Byte offset → character index, counting forward from the last offset asked for, so a
/// document's sorted findings cost one pass over its text.
struct CharIndex<'a> {
    text: &'a str,
    ascii: bool,
    byte: usize,
    char: usize,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        CharIndex {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            char: 0,
        }
    }

    fn index_of(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            (self.byte, self.char) = (0, 0);
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }
}
