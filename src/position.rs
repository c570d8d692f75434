//! Line/character positions in UTF-16 or UTF-8 code units ⇄ byte offsets in a rope, and
//! applying an editor's change to the rope.
//!
//! Editors count positions the way the Language Server Protocol does; the engine counts bytes.
//! This module holds that arithmetic without any protocol types, so the fuzz targets can test it
//! without building the server, and `lsp::convert` only maps field to field.

use crate::edits::Edits;
use ropey::Rope;

/// A zero-based line and a character offset in that line, counted in [`Encoding`] units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Zero-based line.
    pub line: u32,
    /// Code units from the line's start.
    pub character: u32,
}

impl Position {
    /// A position from its line and character.
    pub const fn new(line: u32, character: u32) -> Self {
        Position { line, character }
    }
}

/// A start and end position; the end is exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PositionRange {
    /// First position in the range.
    pub start: Position,
    /// Position just after the range.
    pub end: Position,
}

impl PositionRange {
    /// A range from its two ends.
    pub const fn new(start: Position, end: Position) -> Self {
        PositionRange { start, end }
    }
}

/// How a position's `character` counts; the language server negotiates it through
/// `positionEncoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes), when the client offers `utf-8`.
    Utf8,
    /// UTF-16 code units, the protocol's default.
    Utf16,
}

/// The line/character position of byte `offset` in `rope` (clamped to the text).
pub fn position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let character = match encoding {
        Encoding::Utf8 => offset - line_start,
        Encoding::Utf16 => {
            let char_index = rope.byte_to_char(offset);
            rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(rope.line_to_char(line))
        }
    };
    Position {
        line: line as u32,
        character: character as u32,
    }
}

/// The position range of a byte range.
pub fn range(rope: &Rope, bytes: &std::ops::Range<usize>, encoding: Encoding) -> PositionRange {
    PositionRange {
        start: position(rope, bytes.start, encoding),
        end: position(rope, bytes.end, encoding),
    }
}

/// Converts many byte offsets to positions, as [`position`] does, in a fraction of the time when
/// they come mostly in increasing order, as a report's findings do: an offset a little after the
/// previous one on the same line is counted on from it rather than found by walks of the rope.
/// Publishing thousands of findings spent most of its time in those walks.
pub struct Positions<'a> {
    rope: &'a Rope,
    encoding: Encoding,
    /// The last offset converted (a character boundary), with its position; `None` at first.
    last: Option<(usize, Position)>,
    /// Where the last offset's line ends: the next line's first byte, or past the end.
    line_end: usize,
}

/// An offset further than this past the last one is found by walking the rope instead.
const LONGEST_COUNT_BYTES: usize = 4096;

impl<'a> Positions<'a> {
    /// A converter for `rope` in `encoding`.
    pub fn new(rope: &'a Rope, encoding: Encoding) -> Self {
        Positions {
            rope,
            encoding,
            last: None,
            line_end: 0,
        }
    }

    /// The position of byte `offset` (clamped to the text); equal to [`position`].
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.rope.len_bytes());
        if let Some((from, at)) = self.last {
            if from <= offset && offset < self.line_end && offset - from <= LONGEST_COUNT_BYTES {
                if let Some(units) = units_between(self.rope, from, offset, self.encoding) {
                    let found = Position::new(at.line, at.character + units as u32);
                    self.last = Some((offset, found));
                    return found;
                }
            }
        }
        let found = position(self.rope, offset, self.encoding);
        let line = found.line as usize;
        self.line_end = if line + 1 < self.rope.len_lines() {
            self.rope.line_to_byte(line + 1)
        } else {
            usize::MAX
        };
        self.last = is_char_boundary(self.rope, offset).then_some((offset, found));
        found
    }

    /// The position range of a byte range; equal to [`range`].
    pub fn range(&mut self, bytes: &std::ops::Range<usize>) -> PositionRange {
        PositionRange {
            start: self.position(bytes.start),
            end: self.position(bytes.end),
        }
    }
}

/// Whether byte `offset` of `rope` starts a character (or is the end of the text).
fn is_char_boundary(rope: &Rope, offset: usize) -> bool {
    offset >= rope.len_bytes() || rope.byte(offset) & 0xC0 != 0x80
}

/// The code units in bytes `from..to` of `rope`, where `from` is a character boundary; `None`
/// when `to` is inside a character, which [`position`] rounds down.
fn units_between(rope: &Rope, from: usize, to: usize, encoding: Encoding) -> Option<usize> {
    if encoding == Encoding::Utf8 {
        return Some(to - from);
    }
    if !is_char_boundary(rope, to) {
        return None;
    }
    let (chunks, chunk_start, _, _) = rope.chunks_at_byte(from);
    let mut units = 0;
    let mut start = chunk_start;
    for chunk in chunks {
        if start >= to {
            break;
        }
        let bytes = chunk.as_bytes();
        let wanted = &bytes[from.saturating_sub(start)..(to - start).min(bytes.len())];
        // One unit per character, two for those outside the Basic Multilingual Plane.
        units += wanted
            .iter()
            .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
            .sum::<usize>();
        start += bytes.len();
    }
    Some(units)
}

/// The byte offset of a position. Positions past the end of a line clamp to the line's
/// end and lines past the end of the text clamp to the end, as the specification asks; a
/// position inside a character (a UTF-16 surrogate half, a UTF-8 continuation byte) moves to
/// that character's start.
pub fn offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let line_slice = rope.line(line);
    let content_bytes = line_slice.len_bytes() - line_ending_len(&line_slice);
    let line_end = line_start + content_bytes;
    match encoding {
        Encoding::Utf8 => {
            let mut at = (line_start + position.character as usize).min(line_end);
            // Floor to a character boundary.
            at = rope.char_to_byte(rope.byte_to_char(at));
            at
        }
        Encoding::Utf16 => {
            let line_start_cu = rope.char_to_utf16_cu(rope.line_to_char(line));
            let line_end_cu = rope.char_to_utf16_cu(rope.byte_to_char(line_end));
            let target = (line_start_cu + position.character as usize).min(line_end_cu);
            rope.char_to_byte(rope.utf16_cu_to_char(target))
        }
    }
}

fn line_ending_len(line: &ropey::RopeSlice<'_>) -> usize {
    let len = line.len_bytes();
    if len == 0 {
        return 0;
    }
    let last = line.byte(len - 1);
    if last == b'\n' {
        if len >= 2 && line.byte(len - 2) == b'\r' {
            2
        } else {
            1
        }
    } else if last == b'\r' {
        1
    } else {
        0
    }
}

/// The byte range of a position range, or `None` when it ends before it starts.
pub fn byte_range(
    rope: &Rope,
    r: PositionRange,
    encoding: Encoding,
) -> Option<std::ops::Range<usize>> {
    let start = offset(rope, r.start, encoding);
    let end = offset(rope, r.end, encoding);
    (start <= end).then_some(start..end)
}

/// Applies one editor change (an LSP `didChange` content change) to `rope`: the whole text
/// when `range` is `None`, otherwise a splice at the range's byte offsets. A backwards range
/// cannot be applied and is skipped rather than guessed at. What changed is added to `edits`,
/// for the next lint. It lives in the engine, not in the handler, so the incremental-sync fuzz
/// target tests the server's own edit path without building the server.
pub fn apply_change(
    rope: &mut Rope,
    range: Option<PositionRange>,
    text: &str,
    encoding: Encoding,
    edits: &mut Edits,
) {
    let Some(range) = range else {
        *rope = Rope::from_str(text);
        edits.replaced_all();
        return;
    };
    let Some(bytes) = byte_range(rope, range, encoding) else {
        return;
    };
    let start = rope.byte_to_char(bytes.start);
    let end = rope.byte_to_char(bytes.end);
    rope.remove(start..end);
    rope.insert(start, text);
    edits.replaced(bytes, text.len());
}

/// The UTF-16 offset of each byte offset in `sorted_bytes` (ascending, on char boundaries),
/// in one pass over the text: what JavaScript string indices are (the workshop page, the
/// browser extension).
pub fn utf16_offsets(text: &str, sorted_bytes: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_bytes.len());
    let (mut byte, mut units) = (0, 0);
    let mut chars = text.chars();
    for &target in sorted_bytes {
        while byte < target {
            let Some(c) = chars.next() else { break };
            byte += c.len_utf8();
            units += c.len_utf16();
        }
        out.push(units);
    }
    out
}

/// Each byte range (ranges as the engine reports findings, on char boundaries) in UTF-16 code
/// units of `text`, converted in one pass over the text.
pub fn utf16_ranges<'r>(
    text: &str,
    ranges: impl Iterator<Item = &'r std::ops::Range<usize>> + Clone,
) -> Vec<std::ops::Range<usize>> {
    let mut boundaries: Vec<usize> = ranges.clone().flat_map(|r| [r.start, r.end]).collect();
    boundaries.sort_unstable();
    boundaries.dedup();
    let utf16 = utf16_offsets(text, &boundaries);
    let at = |byte: usize| utf16[boundaries.binary_search(&byte).unwrap_or(0)];
    ranges.map(|r| at(r.start)..at(r.end)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_ranges_count_surrogate_pairs() {
        let text = "a😀 bé c";
        let b = text.find('b').unwrap();
        let c = text.find('c').unwrap();
        let ranges = [b..b + 3, c..c + 1, 1..5];
        assert_eq!(utf16_ranges(text, ranges.iter()), [4..6, 7..8, 1..3]);
    }

    #[test]
    fn utf16_and_utf8_positions_round_trip() {
        let text = "a😀b\r\n客户 e\u{301}x\n";
        let rope = Rope::from_str(text);
        let b = text.find('b').unwrap();
        assert_eq!(position(&rope, b, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(position(&rope, b, Encoding::Utf8), Position::new(0, 5));
        let x = text.find('x').unwrap();
        assert_eq!(position(&rope, x, Encoding::Utf16), Position::new(1, 5));
        assert_eq!(position(&rope, x, Encoding::Utf8), Position::new(1, 10));
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            // Every offset LSP can name: not the one between `\r` and `\n`.
            for (i, _) in text
                .char_indices()
                .filter(|&(i, _)| !(text[..i].ends_with('\r') && text[i..].starts_with('\n')))
            {
                assert_eq!(
                    offset(&rope, position(&rope, i, enc), enc),
                    i,
                    "{i} {enc:?}"
                );
            }
        }
    }

    #[test]
    fn batch_conversion_equals_one_at_a_time() {
        let text = "a😀b\r\n客户 e\u{301}x\n\nthe client 😀😀 is resistant\r\n\r\nend";
        let rope = Rope::from_str(text);
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        // In order, in reverse, and in overlapping pairs, as findings' starts and ends come.
        let mut orders = vec![offsets.clone(), offsets.iter().rev().copied().collect()];
        orders.push(
            offsets
                .windows(7)
                .flat_map(|w| [w[0], w[6], w[3]])
                .collect(),
        );
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for order in &orders {
                let mut positions = Positions::new(&rope, enc);
                for &i in order {
                    assert_eq!(
                        positions.position(i),
                        position(&rope, i, enc),
                        "{i} {enc:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\r\ncd");
        assert_eq!(offset(&rope, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&rope, Position::new(9, 0), Encoding::Utf16), 6);
        // Inside a surrogate pair: the emoji's start.
        let rope = Rope::from_str("😀x");
        assert_eq!(offset(&rope, Position::new(0, 1), Encoding::Utf16), 0);
        assert_eq!(offset(&rope, Position::new(0, 2), Encoding::Utf8), 0);
    }

    #[test]
    fn backwards_ranges_are_rejected() {
        let rope = Rope::from_str("abc");
        let r = PositionRange::new(Position::new(0, 2), Position::new(0, 1));
        assert_eq!(byte_range(&rope, r, Encoding::Utf8), None);
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs_and_cjk() {
        let text = "a😀b漢é\u{301}c";
        let bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let expected: Vec<usize> = bytes
            .iter()
            .map(|&b| text[..b].encode_utf16().count())
            .collect();
        assert_eq!(utf16_offsets(text, &bytes), expected);
        assert_eq!(
            utf16_offsets(text, &[text.len()]),
            [text.encode_utf16().count()]
        );
    }
}
