//! Applying reframes to text. `reframe fix`, the server's fix-all action and the workshop page
//! all splice with [`apply_edits`]; `files::write_atomic` writes the result.

use crate::engine::Finding;
use crate::rule::Severity;
use std::ops::Range;

/// A replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// The new text.
    pub replacement: String,
}

/// The preferred reframe of every finding at or above `min`, skipping findings without a
/// reframe and any that overlap an earlier edit. Findings must be sorted by start.
pub fn preferred_edits<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    min: Severity,
) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for f in findings {
        if f.severity < min || f.severity == Severity::Off {
            continue;
        }
        let Some(replacement) = f.reframes.first() else {
            continue;
        };
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
}
