//! Splitting a document into independently lintable chunks, so an edit re-lints only the
//! chunk it touched.
//!
//! Chunks end at blank lines, except inside fenced code, HTML comments, the HTML blocks that
//! only a closing marker ends (`<pre>`, `<!DOCTYPE`, `<?…?>`, CDATA) and front matter, where a
//! blank line does not end the construct, and except before a line indented two columns or
//! more, which may continue a list item (alone it could read as code, a heading or a code span
//! that it is not). Phrases never
//! cross blank lines, so linting chunk by chunk finds exactly what linting the whole text would;
//! every front end uses the chunked path (see [`crate::engine::Engine::lint_cached`]), so they
//! all agree.
//!
//! A heading, or a line ending with `:`, stays in the chunk of the block after it, so a list
//! of words to avoid is read with the heading that introduces it (see [`crate::mention`]).
//! Only a chunk's first [`INTRO_MAX_BYTES`] may introduce: a run of headings cannot grow a
//! chunk without bound.

use std::ops::Range;

/// Byte ranges of the chunks of `text`, in order, covering it entirely (one empty chunk for an
/// empty text).
pub fn chunks(text: &str, markdown: bool) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Chunks::new(text, markdown, 0).collect();
    if ranges.is_empty() {
        ranges.push(0..0);
    }
    ranges
}

/// The chunks of a text from a given chunk boundary on. Every boundary is a point where no fence,
/// comment, HTML block or front matter is open, so chunking from a boundary finds what chunking
/// from the start would: the language server re-chunks only from around an edit. Whether a
/// blank line ends a chunk also depends on the next line that is not blank (see
/// [`next_content_line`]).
pub struct Chunks<'a> {
    text: &'a str,
    markdown: bool,
    /// Start of the chunk being scanned.
    start: usize,
    /// Start of the next line to scan.
    at: usize,
    fence: Option<OpenFence>,
    /// A fence opened in a list item: it lasts as long as the item does.
    list_fence: Option<ListFence>,
    in_comment: bool,
    html_block: Option<HtmlEnd>,
    /// In an HTML block that the next blank line ends (`<div>`, `<table>`, …): its lines are
    /// HTML, so a fence there opens nothing.
    html_to_blank: bool,
    /// A line of the current run (since the last blank line) starts with a tag, so the run may
    /// be an HTML block that only a blank line ends: pulldown-cmark starts one at a complete
    /// tag alone on its line, unless a paragraph is open.
    tag_in_run: bool,
    /// Two readings of the text disagree on which fence lines open and which close: a fence
    /// opened in such a run (code in one reading, HTML in the other), or a fence closed by a
    /// line indented less than its opener (see [`OpenFence`]). No chunk ends from there on;
    /// both are rare.
    fences_unsure: bool,
    /// The kinds of metadata block (front matter) that may be open, as bits: 1 for `---`, 2 for
    /// `+++` (see [`Chunks::track_metadata`]).
    metadata: u8,
    /// The delimiter of the front matter the document opens with, while it is open: its lines
    /// are not Markdown.
    front_matter: Option<u8>,
    /// Whether a line of this chunk ended with a lone `\r`: pulldown-cmark's reading of what
    /// follows one is not always a line break, so from there on no blank line ends a chunk.
    after_lone_cr: bool,
    /// The last [`next_content_line`] answer, reused for each blank line before that line.
    lookahead: NextLine,
    /// The chunk's last line with text introduces the block after it (see [`introduces`]), and
    /// ends within the chunk's first [`INTRO_MAX_BYTES`]: the blank lines after it end no chunk.
    intro: bool,
    /// The line before was a line with text, which a setext underline needs.
    after_text: bool,
}

/// How far into a chunk a line may end and still keep the block after it in the chunk.
const INTRO_MAX_BYTES: usize = 400;

/// Whether `line` introduces the block after it: an ATX heading, a setext underline (when
/// `may_underline`: right after a line of text, outside front matter), a line in bold alone
/// (`**Words to avoid**`), a line ending with `:`, or a short line that heads words to avoid
/// (`Not this`, `Words to avoid`, see [`crate::mention::avoid_heading`]). Plain text reads the
/// same marks.
fn introduces(line: &str, may_underline: bool) -> bool {
    let text = line.trim_matches([' ', '\t', '\r', '\n']);
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    let heading = (1..=6).contains(&hashes)
        && (text.len() == hashes || text[hashes..].starts_with([' ', '\t']));
    let underline = may_underline
        && text.len() >= 3
        && (text.bytes().all(|b| b == b'=') || text.bytes().all(|b| b == b'-'));
    let bold = text.len() > 4
        && ["**", "__"]
            .iter()
            .any(|mark| text.starts_with(mark) && text.ends_with(mark));
    text.ends_with(':') || heading || underline || bold || crate::mention::avoid_heading(text)
}

/// A fenced code block opened on a line without list markers (those are [`ListFence`]s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OpenFence {
    fence: u8,
    run: usize,
    /// The opening line's indentation, in bytes. Two or three, and the fence may be in a list
    /// item (whose content starts two columns in at least), where a closing line indented
    /// less ends the item instead (see [`Chunks::fences_unsure`]).
    indent: usize,
}

/// What ends an open HTML block that blank lines do not end: a line containing this marker
/// (`</pre>`, `?>`, `>` or `]]>`), matched as pulldown-cmark matches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HtmlEnd(&'static str);

impl HtmlEnd {
    /// The block `rest` (a line after its indentation) opens, with what
    /// follows the opener on the line; CommonMark's HTML block kinds 1, 3, 4 and 5.
    fn opened_by(rest: &str) -> Option<(HtmlEnd, &str)> {
        let tag = rest.strip_prefix('<')?;
        for (name, close) in [
            ("pre", "</pre>"),
            ("style", "</style>"),
            ("script", "</script>"),
            ("textarea", "</textarea>"),
        ] {
            let opens = tag
                .as_bytes()
                .get(..name.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(name.as_bytes()));
            let after = &tag.as_bytes()[name.len().min(tag.len())..];
            let ends_tag = after
                .first()
                .is_none_or(|&b| b == b'>' || b.is_ascii_whitespace() || b == 0x0b);
            if opens && ends_tag {
                return Some((HtmlEnd(close), &tag[name.len()..]));
            }
        }
        if let Some(after) = tag.strip_prefix("![CDATA[") {
            return Some((HtmlEnd("]]>"), after));
        }
        if let Some(after) = tag.strip_prefix('?') {
            return Some((HtmlEnd("?>"), after));
        }
        let after = tag.strip_prefix('!')?;
        after
            .starts_with(|c: char| c.is_ascii_alphabetic())
            .then_some((HtmlEnd(">"), after))
    }

    /// Whether `line` ends the block: pulldown-cmark looks for the marker as written, so
    /// `</PRE>` does not end a `<pre>` block.
    fn ends_in(self, line: &str) -> bool {
        memchr::memmem::find(line.as_bytes(), self.0.as_bytes()).is_some()
    }
}

/// The block-level tags that open an HTML block the next blank line ends (CommonMark's kind 6),
/// as pulldown-cmark lists them.
const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Whether a line whose text after `<` is `tag` opens an HTML block of kind 6: an optional `/`,
/// a block-level tag name, then a space, a tab, the line's end, `>` or `/>`.
fn opens_html_to_blank(tag: &str) -> bool {
    let tag = tag.strip_prefix('/').unwrap_or(tag);
    let name_len = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let (name, rest) = tag.split_at(name_len);
    BLOCK_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name))
        && (rest.is_empty()
            || rest.starts_with([' ', '\t', '\r', '\n', '>'])
            || rest.starts_with("/>"))
}

/// Whether `line` is blank as CommonMark counts it: spaces and tabs only (a form feed is text).
pub fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The delimiter of the metadata block (front matter) that `line`, starting at `at` in `text`,
/// could open: `---` or `+++` alone on an unindented line, followed by a line that is neither
/// blank nor a closing line.
/// pulldown-cmark opens one anywhere a block may start, not only at the top, if it is closed
/// somewhere later.
fn opens_metadata(text: &str, line: &str, at: usize) -> Option<u8> {
    let bytes = line.as_bytes();
    let delimiter = *bytes.first().filter(|&&b| b == b'-' || b == b'+')?;
    let rest = bytes.get(3..)?;
    if bytes[..3].iter().any(|&b| b != delimiter) || !rest.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let next = at + line.len();
    let next_line = &text[next..line_end(text, next)];
    // The block's first line may be neither blank nor its end. Blank here, unlike elsewhere in
    // pulldown-cmark, also allows vertical tabs and form feeds.
    let blank = next_line
        .trim_end_matches(['\r', '\n'])
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c));
    (!blank && !closes_metadata(next_line, delimiter)).then_some(delimiter)
}

/// Whether `line` closes a metadata block opened with `delimiter`: exactly three of it (or
/// `...` after `---`) and nothing after but spaces, as pulldown-cmark reads it.
fn closes_metadata(line: &str, delimiter: u8) -> bool {
    let bytes = line.trim_end_matches(['\r', '\n']).as_bytes();
    let closing = |c: u8| bytes.len() >= 3 && bytes[..3].iter().all(|&b| b == c);
    (closing(delimiter) || (delimiter == b'-' && closing(b'.')))
        && bytes[3..].iter().all(|&b| b == b' ')
}

/// Where the line starting at `at` ends, after its line break: `\n`, `\r\n` or a lone `\r`, as
/// CommonMark (and the rope) count them.
fn line_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    match memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
        None => text.len(),
        Some(i) if bytes[at + i] == b'\r' && bytes.get(at + i + 1) == Some(&b'\n') => at + i + 2,
        Some(i) => at + i + 1,
    }
}

/// The first line that is not blank, from a line start on: what decides whether the blank
/// lines before it may belong with what comes before them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct NextLine {
    /// Where it starts (the end of the text when every line is blank).
    at: usize,
    /// Its indentation in columns. Two or more: it may continue a list item (or a footnote)
    /// across the blank lines, and in one its indentation counts from the item's content
    /// column, which the chunk it would start would not know; a chunk of its own would read
    /// it at the top level (a code block, a setext heading, a code span) differently.
    columns: usize,
    /// A lone `\r` ends a blank line or this one, which pulldown-cmark does not always read as
    /// a line break.
    lone_cr: bool,
}

fn next_content_line(text: &str, mut at: usize) -> NextLine {
    let mut lone_cr = false;
    while at < text.len() {
        let end = line_end(text, at);
        let line = &text[at..end];
        lone_cr |= line.ends_with('\r');
        if !is_blank(line.as_bytes()) {
            return NextLine {
                at,
                columns: indent_columns(line.as_bytes()),
                lone_cr,
            };
        }
        at = end;
    }
    NextLine {
        at: text.len(),
        lone_cr,
        ..NextLine::default()
    }
}

/// The columns of a line's indentation, a tab reaching the next multiple of four.
fn indent_columns(line: &[u8]) -> usize {
    let mut columns = 0;
    for &b in line {
        match b {
            b' ' => columns += 1,
            b'\t' => columns = columns / 4 * 4 + 4,
            _ => break,
        }
    }
    columns
}

/// The fence a line's text (after its indentation) opens: three or more backticks or tildes,
/// and for backticks no backtick after them. Returns the fence character and the run's length.
fn opens_fence(text: &str) -> Option<(u8, usize)> {
    let fence = *text
        .as_bytes()
        .first()
        .filter(|&&b| b == b'`' || b == b'~')?;
    let run = text.bytes().take_while(|&b| b == fence).count();
    (run >= 3 && !(fence == b'`' && text[run..].contains('`'))).then_some((fence, run))
}

/// Whether a line's text (after its indentation) closes a fence of `run` × `fence`: at least
/// as long a run, then only spaces, as pulldown-cmark reads it ("```\t" is code).
fn closes_fence(text: &str, fence: u8, run: usize) -> bool {
    let found = text.bytes().take_while(|&b| b == fence).count();
    found >= run
        && text[found..]
            .trim_end_matches(['\r', '\n'])
            .bytes()
            .all(|b| b == b' ')
}

/// A fenced code block opened inside a list item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ListFence {
    /// The item's content column: lines indented less end the item, and the fence with it.
    indent: usize,
    fence: u8,
    run: usize,
}

impl ListFence {
    /// The fence `line` opens after its list markers (`- ```` or `1. ~~~`), if any.
    fn opened_by(line: &str) -> Option<ListFence> {
        let mut rest = line.trim_start_matches([' ', '\t']);
        let mut marked = false;
        loop {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let marker = match rest.as_bytes().get(digits) {
                Some(b'.' | b')') if digits > 0 => digits + 1,
                Some(b'-' | b'*' | b'+') if digits == 0 => 1,
                _ => break,
            };
            match rest.as_bytes().get(marker) {
                Some(b' ' | b'\t') => {
                    rest = rest[marker..].trim_start_matches([' ', '\t']);
                    marked = true;
                }
                _ => break,
            }
        }
        let (fence, run) = opens_fence(rest).filter(|_| marked)?;
        // The content column in bytes: a tab counted as one column only widens the item.
        Some(ListFence {
            indent: line.len() - rest.len(),
            fence,
            run,
        })
    }
}

impl<'a> Chunks<'a> {
    /// Whether the blank lines from line start `at` on may belong with what comes before them
    /// (see [`next_content_line`]), or with a fence in a list item that the next line with text
    /// still belongs to; one scan serves a whole run of blank lines.
    fn continues_after(&mut self, at: usize) -> bool {
        if at > self.lookahead.at {
            self.lookahead = next_content_line(self.text, at);
        }
        let next = self.lookahead;
        next.columns >= 2
            || next.lone_cr
            || self.list_fence.is_some_and(|f| next.columns >= f.indent)
    }

    /// Chunks of `text` from `start`, which must be 0 or the end of one of its chunks.
    pub fn new(text: &'a str, markdown: bool, start: usize) -> Self {
        Chunks {
            text,
            markdown,
            start,
            at: start,
            fence: None,
            list_fence: None,
            in_comment: false,
            html_block: None,
            html_to_blank: false,
            tag_in_run: false,
            fences_unsure: false,
            metadata: 0,
            front_matter: None,
            after_lone_cr: false,
            lookahead: NextLine::default(),
            intro: false,
            after_text: false,
        }
    }

    /// Updates which metadata blocks may be open. pulldown-cmark opens one only where a block
    /// starts, which a line alone does not tell (after a paragraph line, `---` underlines a
    /// heading), so every line that could open one does, for its kind; a kind closes only on a
    /// line that closes it and could not open another. Then, whenever no kind is open here,
    /// none is open in pulldown-cmark's reading either.
    fn track_metadata(&mut self, line: &str, at: usize) {
        let opens = opens_metadata(self.text, line, at);
        for (delimiter, bit) in [(b'-', 1), (b'+', 2)] {
            if opens == Some(delimiter) {
                self.metadata |= bit;
            } else if closes_metadata(line, delimiter) {
                self.metadata &= !bit;
            }
        }
    }

    /// Updates the open constructs for one line; `at` is where the line starts.
    fn track_markdown(&mut self, line: &str, at: usize) {
        if let Some(delimiter) = self.front_matter {
            if closes_metadata(line, delimiter) {
                self.front_matter = None;
            }
            return;
        }
        if at == 0 {
            // Front matter proper: if it is never closed, no chunk ends, so nothing is lost.
            self.front_matter = opens_metadata(self.text, line, at);
            if self.front_matter.is_some() {
                return;
            }
        }
        self.track_metadata(line, at);
        if is_blank(line.as_bytes()) {
            self.tag_in_run = false;
        }
        let trimmed = line.trim_start_matches([' ', '\t']);
        // Indentation in columns, a tab reaching the next multiple of four, as the parser
        // counts it: "\t```" is indented code or a paragraph's lazy line, never a fence.
        let indent = indent_columns(line.as_bytes());
        if let Some(open) = self.list_fence {
            if is_blank(line.as_bytes()) {
                return;
            }
            if indent >= open.indent {
                if indent < open.indent + 4 && closes_fence(trimmed, open.fence, open.run) {
                    self.list_fence = None;
                }
                return;
            }
            // Indented less: the item, and its fence, ended; the line is read afresh.
            self.list_fence = None;
        }
        if let Some(open) = self.fence {
            if indent < 4 && closes_fence(trimmed, open.fence, open.run) {
                // An opener indented two or three columns may be in a list item, where a line
                // indented less ends the item and opens a fence of its own; at the top level
                // it closes the fence. The two readings then disagree on every fence after.
                self.fences_unsure |= indent < open.indent && open.indent >= 2;
                self.fence = None;
            }
        } else if self.in_comment {
            if memchr::memmem::find(line.as_bytes(), b"-->").is_some() {
                self.in_comment = false;
            }
        } else if let Some(end) = self.html_block {
            if end.ends_in(line) {
                self.html_block = None;
            }
        } else if self.html_to_blank {
            self.html_to_blank = !is_blank(line.as_bytes());
        } else {
            // Fences and HTML blocks at the top level are followed, and fences in list items:
            // what opens inside a quote ends with it, at a blank line at the latest.
            if indent < 4 {
                self.list_fence = ListFence::opened_by(line);
                self.fence =
                    opens_fence(trimmed).map(|(fence, run)| OpenFence { fence, run, indent });
                let opened = self.list_fence.is_some() || self.fence.is_some();
                self.fences_unsure |= opened && self.tag_in_run;
                let after_lt = trimmed.as_bytes().get(1);
                self.tag_in_run |= trimmed.starts_with('<')
                    && after_lt.is_some_and(|&b| b == b'/' || b.is_ascii_alphabetic());
            }
            if !trimmed.starts_with('<') {
                return;
            }
            if trimmed.starts_with("<!--") {
                // `<!-->` closes itself, as pulldown-cmark reads it.
                self.in_comment = !trimmed.contains("-->");
            } else if let Some((end, after)) = HtmlEnd::opened_by(trimmed) {
                if !end.ends_in(after) {
                    self.html_block = Some(end);
                }
            } else {
                self.html_to_blank = indent < 4 && opens_html_to_blank(&trimmed[1..]);
            }
        }
    }
}

impl Iterator for Chunks<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        while self.at < text.len() {
            let line_start = self.at;
            let end = line_end(text, line_start);
            let line = &text[line_start..end];
            let in_metadata = self.metadata != 0 || self.front_matter.is_some();
            if self.markdown {
                self.track_markdown(line, line_start);
            }
            self.at = end;
            let blank = is_blank(line.as_bytes());
            if !blank {
                let may_underline = self.after_text && !in_metadata;
                self.intro = end - self.start <= INTRO_MAX_BYTES && introduces(line, may_underline);
            }
            self.after_text = !blank;
            let open = self.fence.is_some()
                || self.in_comment
                || self.html_block.is_some()
                || self.metadata != 0
                || self.front_matter.is_some()
                || self.fences_unsure;
            self.after_lone_cr |= line.ends_with('\r');
            if blank
                && !open
                && !self.intro
                && !(self.markdown && (self.after_lone_cr || self.continues_after(end)))
            {
                // The next line with text is indented less than any list item's fence.
                self.list_fence = None;
                let chunk = self.start..end;
                self.start = end;
                return Some(chunk);
            }
        }
        if self.start < text.len() {
            let chunk = self.start..text.len();
            self.start = text.len();
            return Some(chunk);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        chunks(text, true).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_at_blank_lines_and_covers_everything() {
        let text = "a\nb\n\nc\n\n\nd";
        let p = pieces(text);
        assert_eq!(p.concat(), text);
        assert_eq!(p, ["a\nb\n\n", "c\n\n", "\n", "d"]);
    }

    #[test]
    fn fenced_code_and_comments_stay_whole() {
        let text = "x\n\n```\ncode\n\nmore\n```\n\n<!-- a\n\nb -->\n\ny";
        let p = pieces(text);
        assert_eq!(p.concat(), text);
        assert!(p.contains(&"```\ncode\n\nmore\n```\n\n"), "{p:?}");
        assert!(p.contains(&"<!-- a\n\nb -->\n\n"), "{p:?}");
    }

    #[test]
    fn html_blocks_that_blank_lines_do_not_end_stay_whole() {
        for (open, close) in [
            ("<!DOCTYPE x", ">"),
            ("<pre class=\"a\">", "</pre>"),
            ("<script>", "</script>"),
            ("<?php", "?>"),
            ("<![CDATA[", "]]>"),
        ] {
            let text = format!("a\n\n{open}\n\nb\n\n{close}\n\nc");
            let p = pieces(&text);
            assert_eq!(p.concat(), text);
            assert_eq!(p[1], format!("{open}\n\nb\n\n{close}\n\n"), "{p:?}");
            assert_eq!(p[2], "c");
        }
        // Only its own closing tag, as written, ends a `<style>` block.
        assert_eq!(
            pieces("<style>\n\n</pre></STYLE>\n\nb\n\n</style>\n\nc").len(),
            2
        );
        // Closed on its own line, or not an HTML block of those kinds: chunks as usual.
        assert_eq!(pieces("<!DOCTYPE html>\n\nb"), ["<!DOCTYPE html>\n\n", "b"]);
        assert_eq!(pieces("<div>\n\nb"), ["<div>\n\n", "b"]);
        // Any `>` ends `<!x`, even one in a comment's closing.
        assert_eq!(
            pieces("<!x\n\n<!-- y -->\n\nb\n\nc"),
            ["<!x\n\n<!-- y -->\n\n", "b\n\n", "c"]
        );
    }

    #[test]
    fn an_indented_line_after_blank_lines_stays_with_what_it_continues() {
        let text = "- item\n\n\n    more of the item\n\n\tand more\n\nnext";
        assert_eq!(
            pieces(text),
            ["- item\n\n\n    more of the item\n\n\tand more\n\n", "next"]
        );
        assert_eq!(pieces("a\n\n   b").len(), 1);
        assert_eq!(pieces("a\n\n b"), ["a\n\n", " b"]);
        // In the item, the tab-indented `>` is a quote holding a code span; alone, the two
        // lines would be one paragraph whose code span ends at that `>`.
        assert_eq!(pieces("- |\n\n  `\n\t>`noncompliant`").len(), 1);
        // In the item, `t` is a paragraph and the `---` after it front matter, not a heading.
        assert_eq!(pieces("- `\n\n  t\n---\naddict\n---").len(), 1);
        // Plain text has no indented code, so no such rule.
        assert_eq!(chunks("a\n\n    b", false).len(), 2);
    }

    #[test]
    fn a_fence_that_may_be_in_a_list_item_keeps_its_context() {
        // In the item, the unindented ``` ends the item and opens a fence that holds `addict`;
        // at the top level it would close the first. The readings disagree from there on.
        assert_eq!(pieces("- `\n\n  ```\n```\naddict").len(), 1);
        assert_eq!(
            pieces("- x\n\n  ```\n```\n\naddict\n\n```\n\nafter").len(),
            1
        );
        assert_eq!(pieces("  ```\n```\n```\n\naddict\n\nb").len(), 1);
        // Indented one column, a fence cannot be in a list item: its closer just closes it.
        assert_eq!(
            pieces(" ```\n```\n```\n\naddict\n```\n\nb"),
            [" ```\n```\n```\n\naddict\n```\n\n", "b"]
        );
        // A closing fence indented as much as its opener just closes it.
        assert_eq!(
            pieces("  ```\ncode\n  ```\n\nafter"),
            ["  ```\ncode\n  ```\n\n", "after"]
        );
    }

    #[test]
    fn front_matter_does_not_open_before_a_line_of_form_feeds() {
        // pulldown-cmark reads `---` then a form feed as a rule and a paragraph, so the fence
        // after them is open to the end.
        assert_eq!(pieces("---\n\x0c\n```\n---\n\nnoncompliant").len(), 1);
    }

    #[test]
    fn a_fence_right_after_a_tag_line_ends_chunking() {
        // `<v>` may open an HTML block that holds the first ```, or be paragraph text, and
        // then the fence is real: the two readings disagree on every fence from there on.
        assert_eq!(pieces("<v>\n.\n```\n\n```\n\naddict\n\nmore").len(), 1);
        // With a blank line between, the tag line's block is over before the fence.
        assert_eq!(pieces("<v>\n\n```\nx\n```\n\nmore").len(), 3);
    }

    #[test]
    fn front_matter_may_open_anywhere_a_block_may() {
        let text = "a\n\n---\nkey: x\n\nmore: y\n...\n\nb\n\n---\n\nc";
        assert_eq!(
            pieces(text),
            [
                "a\n\n",
                "---\nkey: x\n\nmore: y\n...\n\n",
                "b\n\n",
                "---\n\n",
                "c"
            ]
        );
        // `+++` is closed only by `+++`, and `----` opens nothing.
        assert_eq!(pieces("+++\nx\n\n---\n\n+++\n\nb").len(), 2);
        assert_eq!(pieces("----\nx\n\ny").len(), 2);
        // `---` right after `---` is not front matter's first line but may open a block itself.
        assert_eq!(
            pieces("---\n---\nx\n\ny\n---\n\nz"),
            ["---\n---\nx\n\ny\n---\n\n", "z"]
        );
    }

    #[test]
    fn a_fence_in_a_list_item_lasts_as_long_as_the_item() {
        let text = "- ```\n\n   code\n\n  more\n  ```\n\nafter\n\n1. ~~~\n\nout\n\nend";
        assert_eq!(
            pieces(text),
            [
                "- ```\n\n   code\n\n  more\n  ```\n\n",
                "after\n\n",
                "1. ~~~\n\n",
                "out\n\n",
                "end"
            ]
        );
    }

    #[test]
    fn a_fence_inside_a_div_block_opens_nothing() {
        // The first ``` is HTML; the second opens a fence that runs to the end.
        let text = "<div>\n```\n\n```\nx\n\ny";
        assert_eq!(pieces(text), ["<div>\n```\n\n", "```\nx\n\ny"]);
    }

    #[test]
    fn a_comment_opens_where_a_block_may_start() {
        // A comment opens where a block may start, not inside a paragraph's line.
        assert_eq!(pieces("text <!-- a\n\nb -->\n\nc").len(), 3);
        assert_eq!(pieces("<!-- a\n\nb -->\n\nc").len(), 2);
    }

    #[test]
    fn a_fence_line_in_front_matter_opens_nothing() {
        let text = "---\ntitle: x\n```\n---\n\na\n\n```\ncode\n\nmore\n```\n\nb";
        assert_eq!(
            pieces(text),
            [
                "---\ntitle: x\n```\n---\n\n",
                "a\n\n",
                "```\ncode\n\nmore\n```\n\n",
                "b"
            ]
        );
    }

    #[test]
    fn a_tab_indented_fence_line_opens_nothing() {
        // "\t```" continues the paragraph; the "```" after it opens a fence that never closes.
        let text = "a\n\t```\nb\n```\n\nc\n\nd";
        assert_eq!(pieces(text), [text]);
    }

    #[test]
    fn only_spaces_may_follow_a_closing_fence() {
        // pulldown-cmark reads "```\t" as code, not as the fence's end.
        assert_eq!(pieces("```\na\n```\t\n\nb\n```\n\nc").len(), 2);
    }

    #[test]
    fn a_line_of_a_form_feed_is_not_blank() {
        assert_eq!(pieces("a\n\x0c\nb\n\nc"), ["a\n\x0c\nb\n\n", "c"]);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_but_never_a_chunk() {
        // The fence after a lone `\r` is seen, and no blank line after one ends a chunk.
        assert_eq!(pieces("<div>\nx\r\r\ny\n\nz"), ["<div>\nx\r\r\ny\n\nz"]);
        let text = "a\n\nb\r\n\r\nc\n\n\rd\n\ne\n\nf";
        assert_eq!(pieces(text), ["a\n\n", "b\r\n\r\n", "c\n\n\rd\n\ne\n\nf"]);
    }

    #[test]
    fn front_matter_stays_whole() {
        let text = "---\ntitle: x\n\nauthor: y\n---\n\nbody";
        let p = pieces(text);
        assert_eq!(p[0], "---\ntitle: x\n\nauthor: y\n---\n\n");
    }

    /// Chunking from each boundary finds the chunks that chunking from the start does.
    fn same_from_every_boundary(text: &str, markdown: bool) {
        let all = chunks(text, markdown);
        for (i, range) in all.iter().enumerate() {
            let from: Vec<_> = Chunks::new(text, markdown, range.start).collect();
            assert_eq!(from, all[i..], "from {}: {text:?}", range.start);
        }
    }

    #[test]
    fn a_heading_or_introducing_line_stays_with_the_block_after_it() {
        let text = "## Words to avoid\n\n- addict\n- junkie\n\nNext paragraph.\n\nend";
        for markdown in [true, false] {
            let p: Vec<_> = chunks(text, markdown)
                .into_iter()
                .map(|r| &text[r])
                .collect();
            assert_eq!(
                p,
                [
                    "## Words to avoid\n\n- addict\n- junkie\n\n",
                    "Next paragraph.\n\n",
                    "end"
                ]
            );
            same_from_every_boundary(text, markdown);
        }
        assert_eq!(
            pieces("Avoid these terms:\r\n\r\n\r\naddict\r\n\r\nb"),
            ["Avoid these terms:\r\n\r\n\r\naddict\r\n\r\n", "b"]
        );
        assert_eq!(
            pieces("Words to avoid\n==============\n\n* addict\n\nb"),
            ["Words to avoid\n==============\n\n* addict\n\n", "b"]
        );
        assert_eq!(
            pieces("**Language to avoid**\n\n1. addict\n\nb"),
            ["**Language to avoid**\n\n1. addict\n\n", "b"]
        );
        // A heading followed by a heading keeps both with the block after them.
        assert_eq!(
            pieces("# Guide\n\n## Avoid\n\n- addict\n\nb"),
            ["# Guide\n\n## Avoid\n\n- addict\n\n", "b"]
        );
        // A short plain line that heads words to avoid, as plain copies of guides set it.
        assert_eq!(
            pieces("Not This\n\n- addict\n- junkie\n\nb"),
            ["Not This\n\n- addict\n- junkie\n\n", "b"]
        );
        assert_eq!(
            pieces("Don't forget the milk\n\nb"),
            ["Don't forget the milk\n\n", "b"]
        );
        // Neither a hashtag, a sentence, nor a rule after a blank line introduces anything.
        assert_eq!(pieces("#tag\n\nb"), ["#tag\n\n", "b"]);
        assert_eq!(pieces("Done.\n\nb"), ["Done.\n\n", "b"]);
        assert_eq!(pieces("a\n\n---\n\nb"), ["a\n\n", "---\n\n", "b"]);
    }

    #[test]
    fn only_the_start_of_a_chunk_may_introduce_what_follows() {
        // A line ending with `:` after a long paragraph ends its chunk as usual.
        let long = format!("{}\nThese:\n\nb", "word ".repeat(100));
        assert_eq!(chunks(&long, true).len(), 2);
        // A document of headings alone is cut into chunks of a few hundred bytes.
        let headings = "## Heading\n\n".repeat(1_000);
        let all = chunks(&headings, true);
        assert!(all.len() >= 25, "{}", all.len());
        assert!(
            all.iter().all(|r| r.len() <= INTRO_MAX_BYTES + 13),
            "{all:?}"
        );
        same_from_every_boundary(&headings, true);
        same_from_every_boundary(&headings, false);
    }

    #[test]
    fn front_matter_closing_is_no_heading_underline() {
        let text = "---\ntitle: x\n---\n\nbody\n\nend";
        assert_eq!(pieces(text), ["---\ntitle: x\n---\n\n", "body\n\n", "end"]);
        let text = "a\n\n---\nkey: x\n---\n\nb";
        assert_eq!(pieces(text), ["a\n\n", "---\nkey: x\n---\n\n", "b"]);
    }

    #[test]
    fn empty_text_is_one_empty_chunk() {
        assert_eq!(chunks("", true), vec![0..0]);
    }
}
