//! Byte offsets to 1-based line and column (Unicode scalar values): the one calculator behind
//! command-line output, reports, JSON Lines output and located errors.
//!
//! Columns are counted by cursors that move from the last offset they converted, never from
//! the line's start again: findings come sorted, so converting all of a report costs the text's
//! length plus the number of findings, even when the whole text is one line.

use std::ops::Range;

/// Line starts of a text, computed once so many findings convert cheaply.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line ending.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based (line, column) of one byte offset (clamped to the text, and moved back to a
    /// character's start); the column counts characters. To convert many offsets, use a
    /// [`Cursor`], which does not count from the line's start each time.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.cursor().position(offset)
    }

    /// A cursor at the start of the text.
    pub fn cursor(&self) -> Cursor<'_, 'a> {
        Cursor {
            index: self,
            offset: 0,
            line: 0,
            column: 0,
            scanned: 0,
        }
    }

    /// Cursors for the starts and the ends of sorted ranges.
    pub fn ranges(&self) -> RangeCursor<'_, 'a> {
        RangeCursor {
            start: self.cursor(),
            end: self.cursor(),
        }
    }

    /// The text of the 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The part of the 1-based `line` to show with a finding at `range` (which starts on it):
    /// the whole line, or, where the line runs on more than `context` bytes before or after the
    /// match, the match with `context` bytes either side and `…` for the rest. Its cost follows
    /// `context`, not the line's length, so a one-line document prints in linear time.
    pub fn excerpt(&self, line: usize, range: &Range<usize>, context: usize) -> Excerpt<'a> {
        let text = self.text;
        let line_start = self.starts[line - 1];
        let line_end = line_start + self.line_text(line).len();
        let start = range.start.clamp(line_start, line_end);
        let end = range.end.min(line_end).max(start);
        let mut lo = line_start;
        if start - line_start > context {
            lo = start - context;
            while !text.is_char_boundary(lo) {
                lo += 1;
            }
        }
        let mut hi = line_end;
        if line_end - end > context {
            hi = end + context;
            while !text.is_char_boundary(hi) {
                hi -= 1;
            }
        }
        let clipped_before = lo > line_start;
        let underlined = count_chars(&text.as_bytes()[start..end]);
        Excerpt {
            before: if clipped_before { "…" } else { "" },
            text: &text[lo..hi],
            after: if hi < line_end { "…" } else { "" },
            caret: count_chars(&text.as_bytes()[lo..start]) + usize::from(clipped_before),
            // A match that runs on past the line is underlined to one past its end.
            width: (underlined + usize::from(range.end > line_end)).max(1),
        }
    }

    /// Where the 0-based `line` ends: the next line's first byte, or the end of the text.
    fn line_end(&self, line: usize) -> usize {
        self.starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len() + 1)
    }
}

/// A line, or the part of a long one around a match, as [`LineIndex::excerpt`] gives it.
pub struct Excerpt<'a> {
    /// `…` when the line goes on before `text`.
    pub before: &'static str,
    /// The text shown.
    pub text: &'a str,
    /// `…` when the line goes on after `text`.
    pub after: &'static str,
    /// Characters shown before the match, `before` included.
    pub caret: usize,
    /// Characters to underline.
    pub width: usize,
}

/// Converts byte offsets to positions by counting characters from the offset it converted
/// last. Offsets in increasing order cost their distance apart; an offset behind the cursor on
/// the same line costs its distance back.
pub struct Cursor<'i, 'a> {
    index: &'i LineIndex<'a>,
    /// The offset last converted, a character boundary.
    offset: usize,
    /// Its 0-based line and column.
    line: usize,
    column: usize,
    /// Bytes of text counted so far, which the tests hold to the text's length.
    scanned: usize,
}

impl Cursor<'_, '_> {
    /// 1-based (line, column) of byte `offset`, as [`LineIndex::position`] gives it.
    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let text = self.index.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = &self.index.starts;
        let line_start = starts[self.line];
        if offset >= self.offset && offset < self.index.line_end(self.line) {
            self.column += self.count(self.offset..offset);
        } else if offset < self.offset && offset >= line_start {
            self.column -= self.count(offset..self.offset);
        } else {
            self.line = if offset > self.offset {
                self.line + starts[self.line..].partition_point(|&s| s <= offset) - 1
            } else {
                starts[..self.line].partition_point(|&s| s <= offset) - 1
            };
            self.column = self.count(starts[self.line]..offset);
        }
        self.offset = offset;
        (self.line + 1, self.column + 1)
    }

    /// Characters in `bytes` of the text, counted as scanned.
    fn count(&mut self, bytes: Range<usize>) -> usize {
        self.scanned += bytes.len();
        count_chars(&self.index.text.as_bytes()[bytes])
    }
}

/// Two cursors, for the starts and the ends of ranges sorted by start. The engine's findings
/// have increasing starts and increasing ends, but an end can lie past the next start; one
/// cursor would go back and forth.
pub struct RangeCursor<'i, 'a> {
    start: Cursor<'i, 'a>,
    end: Cursor<'i, 'a>,
}

impl RangeCursor<'_, '_> {
    /// 1-based (line, column) of both ends of `range`.
    pub fn range(&mut self, range: &Range<usize>) -> ((usize, usize), (usize, usize)) {
        (
            self.start.position(range.start),
            self.end.position(range.end),
        )
    }

    /// Bytes of text both cursors have counted characters in (what the linear-cost test counts).
    #[cfg(test)]
    pub fn scanned(&self) -> usize {
        self.start.scanned + self.end.scanned
    }
}

/// Unicode scalar values in UTF-8 `bytes`: every byte that does not continue a character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values() {
        let text = "a\r\n😀 x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(text.find('x').unwrap()), (2, 3));
        assert_eq!(index.line_text(1), "a");
        assert_eq!(index.line_text(2), "😀 x");
        // Past the end, and inside a character, clamp.
        assert_eq!(index.position(999), (3, 1));
        assert_eq!(index.position(4), (2, 1));
    }

    #[test]
    fn long_lines_are_shown_around_the_match() {
        let text = format!(
            "{}the client is resistant{}\nshort é line",
            "a".repeat(500),
            "b".repeat(500)
        );
        let index = LineIndex::new(&text);
        let at = text.find("resistant").unwrap();
        let excerpt = index.excerpt(1, &(at..at + 9), 20);
        assert_eq!(excerpt.before, "…");
        assert_eq!(excerpt.after, "…");
        assert_eq!(excerpt.text, &text[at - 20..at + 29]);
        assert_eq!((excerpt.caret, excerpt.width), (21, 9));
        let short = text.find("é").unwrap();
        let excerpt = index.excerpt(2, &(short..short + 2), 20);
        assert_eq!(
            (excerpt.before, excerpt.text, excerpt.after),
            ("", "short é line", "")
        );
        assert_eq!((excerpt.caret, excerpt.width), (6, 1));
    }

    /// The position by definition: count everything before the offset.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    #[test]
    fn a_cursor_agrees_with_counting_from_the_start_in_any_order() {
        let text = "a😀b\r\n客户 e\u{301}x\n\nthe client 😀😀 is resistant\r\n\r\nend";
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let reversed: Vec<usize> = offsets.iter().rev().copied().collect();
        let jumping: Vec<usize> = offsets
            .windows(7)
            .flat_map(|w| [w[0], w[6], w[3]])
            .collect();
        let index = LineIndex::new(text);
        for order in [&offsets, &reversed, &jumping] {
            let mut cursor = index.cursor();
            for &i in order {
                assert_eq!(cursor.position(i), naive(text, i), "offset {i}");
            }
        }
    }

    #[test]
    fn sorted_ranges_on_one_long_line_are_counted_once() {
        // One line, a finding every few words, ends past the next start: the cost a quadratic
        // count from the line's start would show grows with findings × length.
        for words in [1_000, 4_000, 16_000] {
            let text = "the client is resistant é ".repeat(words);
            let ranges: Vec<Range<usize>> = text
                .match_indices("client is resistant")
                .map(|(i, m)| i..(i + m.len() + 12).min(text.len()))
                .collect();
            let index = LineIndex::new(&text);
            let mut cursor = index.ranges();
            for range in &ranges {
                let (start, end) = cursor.range(range);
                assert_eq!(start, naive(&text, range.start));
                assert_eq!(end, naive(&text, range.end));
            }
            assert!(
                cursor.scanned() <= 2 * text.len(),
                "{} bytes counted for a {}-byte line",
                cursor.scanned(),
                text.len()
            );
        }
    }
}
