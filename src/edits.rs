//! What changed in a document since its last lint, merged into one changed region, so the next
//! lint re-chunks and re-lints only around it (see [`crate::engine::Engine::lint_cached`]).
//!
//! Edits arrive one at a time in the current text's coordinates; the region is kept in both the
//! last linted text's coordinates and the current one's, which is all the engine needs to know
//! which chunks stayed the same and how far the ones after the region moved.

use std::ops::Range;

/// The changes to a document's text since it was last linted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Edits {
    /// None: the text is the one last linted.
    #[default]
    None,
    /// Bytes `start..old_end` of the last linted text are now bytes `start..new_end`; the text
    /// before is unchanged and the text after is unchanged but moved.
    Span {
        /// First byte that may have changed, in both texts.
        start: usize,
        /// End of the changed region in the last linted text.
        old_end: usize,
        /// End of the changed region in the current text.
        new_end: usize,
    },
    /// Not known: the text was replaced whole, so every chunk must be looked at again.
    Unknown,
}

impl Edits {
    /// Records that bytes `range` of the current text were replaced by `new_len` bytes.
    pub fn replaced(&mut self, range: Range<usize>, new_len: usize) {
        let removed = range.end - range.start;
        *self = match *self {
            Edits::None => Edits::Span {
                start: range.start,
                old_end: range.end,
                new_end: range.start + new_len,
            },
            Edits::Span {
                start,
                old_end,
                new_end,
            } => {
                // Grow the region to cover the edit; past its old end the text is unchanged, so
                // the same number of bytes is added in both coordinates.
                let covered = new_end.max(range.end);
                Edits::Span {
                    start: start.min(range.start),
                    old_end: old_end + (covered - new_end),
                    new_end: covered + new_len - removed,
                }
            }
            Edits::Unknown => Edits::Unknown,
        };
    }

    /// Records that the whole text was replaced.
    pub fn replaced_all(&mut self) {
        *self = Edits::Unknown;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies `edits` (range, replacement) to `text` in order, recording them, and checks that
    /// the recorded region explains the result: same prefix before `start`, same suffix after
    /// the ends.
    fn check(text: &str, edits: &[(Range<usize>, &str)]) -> Edits {
        let mut current = text.to_string();
        let mut recorded = Edits::None;
        for (range, replacement) in edits {
            current.replace_range(range.clone(), replacement);
            recorded.replaced(range.clone(), replacement.len());
        }
        let Edits::Span {
            start,
            old_end,
            new_end,
        } = recorded
        else {
            panic!("no span recorded: {recorded:?}");
        };
        assert_eq!(text[..start], current[..start]);
        assert_eq!(text[old_end..], current[new_end..], "{recorded:?}");
        recorded
    }

    #[test]
    fn one_edit_is_its_own_span() {
        let span = check("abcdef", &[(2..3, "XYZ")]);
        assert_eq!(
            span,
            Edits::Span {
                start: 2,
                old_end: 3,
                new_end: 5
            }
        );
    }

    #[test]
    fn later_edits_grow_the_span_either_side() {
        check("0123456789", &[(4..5, ""), (7..7, "ab"), (1..2, "xyz")]);
        check("0123456789", &[(5..5, "abc"), (6..7, "")]);
        check("0123456789", &[(2..8, ""), (0..3, "")]);
        check("0123456789", &[(9..10, "long tail"), (0..0, "head ")]);
    }

    #[test]
    fn replacing_everything_is_unknown_from_then_on() {
        let mut edits = Edits::None;
        edits.replaced_all();
        edits.replaced(0..1, 1);
        assert_eq!(edits, Edits::Unknown);
    }
}
