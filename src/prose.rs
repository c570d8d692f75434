//! Prose extraction: which bytes of a document are prose a person wrote.
//!
//! The result is a *masked view*: a string exactly as long as the document, where prose bytes are
//! copied and everything else is replaced. Inline markup inside a paragraph (`**`, link
//! brackets and destinations) becomes spaces, so "**committed** suicide" still reads as a phrase;
//! code, HTML, front matter and the gaps between blocks become [`BLOCK_BREAK`], which no phrase
//! can cross. Because lengths are equal, every offset in the view is an offset in the file.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// Stands in for text that is not prose and separates blocks. U+001E (record separator) is not
/// whitespace and not a word character, so phrases and guards stop at it.
pub const BLOCK_BREAK: char = '\u{1e}';

/// Finding block breaks with SIMD search: every anchor hit and guard looks for the block
/// around it, and `str::find` with a `char` took a tenth of a note's check. The break is one
/// ASCII byte, so a byte search finds exactly the characters.
pub trait BlockBreaks {
    /// Byte offset of the first [`BLOCK_BREAK`].
    fn first_break(&self) -> Option<usize>;
    /// Byte offset of the last [`BLOCK_BREAK`].
    fn last_break(&self) -> Option<usize>;
}

impl BlockBreaks for str {
    fn first_break(&self) -> Option<usize> {
        memchr::memchr(BLOCK_BREAK as u8, self.as_bytes())
    }

    fn last_break(&self) -> Option<usize> {
        memchr::memrchr(BLOCK_BREAK as u8, self.as_bytes())
    }
}

/// How a document's text is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// CommonMark with GitHub extensions and front matter.
    Markdown,
    /// Everything is prose; blank lines separate paragraphs.
    PlainText,
}

impl DocKind {
    /// Markdown for `.md`/`.markdown` (and similar) file names, plain text otherwise.
    pub fn from_path(path: &str) -> DocKind {
        let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
        if MARKDOWN_EXTENSIONS
            .iter()
            .any(|ext| extension.eq_ignore_ascii_case(ext))
        {
            DocKind::Markdown
        } else {
            DocKind::PlainText
        }
    }

    /// Markdown for the `markdown` language id, plain text for the rest.
    pub fn from_language_id(language_id: &str) -> DocKind {
        if language_id.eq_ignore_ascii_case("markdown") {
            DocKind::Markdown
        } else {
            DocKind::PlainText
        }
    }
}

/// File extensions read as Markdown; every other file is plain text.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mdx"];

/// File extensions of prose files: what `reframe check` picks up when it walks a folder.
/// A file named directly is checked whatever its extension.
pub const PROSE_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mdx", "txt", "text"];

/// Returns the masked prose view of `text` (same byte length).
pub fn mask(text: &str, kind: DocKind) -> String {
    let masked = match kind {
        DocKind::Markdown => mask_markdown(text),
        DocKind::PlainText => mask_plain(text),
    };
    join_note_abbreviations(masked)
}

/// A note's “pt.” or “pts.” before a lowercase word (“Pt. is manipulative”, “pt. refuses to
/// eat”) abbreviates *patient* and ends no sentence: its full stop becomes a space in the view,
/// so the person and what is said of them stay one sentence. Before a capital (“seen by pt.
/// She agreed”) the stop may end a sentence and is kept.
fn join_note_abbreviations(masked: String) -> String {
    let bytes = masked.as_bytes();
    let mut stops = Vec::new();
    for i in memchr::memchr_iter(b'.', bytes) {
        let word_start = bytes[..i]
            .iter()
            .rposition(|b| !b.is_ascii_alphabetic())
            .map_or(0, |p| p + 1);
        let word = &bytes[word_start..i];
        if !(word.eq_ignore_ascii_case(b"pt") || word.eq_ignore_ascii_case(b"pts")) {
            continue;
        }
        if word_start > 0
            && (bytes[word_start - 1].is_ascii_alphanumeric() || bytes[word_start - 1] == b'.')
        {
            continue;
        }
        let rest = &bytes[i + 1..];
        let gap = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        if gap > 0 && rest.get(gap).is_some_and(u8::is_ascii_lowercase) {
            stops.push(i);
        }
    }
    if stops.is_empty() {
        return masked;
    }
    let mut bytes = masked.into_bytes();
    for i in stops {
        bytes[i] = b' ';
    }
    // Only an ASCII full stop became an ASCII space: still UTF-8.
    String::from_utf8(bytes).expect("an ASCII byte replaced by an ASCII byte")
}

/// Plain text: blank lines become block breaks, so a phrase never spans two paragraphs.
fn mask_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let next_blank = lines.peek().is_some_and(|l| l.trim().is_empty());
        if line.trim().is_empty() {
            // One break per byte, so the view keeps the text's length (a no-break space is two).
            for c in line.chars() {
                if c.is_whitespace() {
                    out.extend(std::iter::repeat_n(BLOCK_BREAK, c.len_utf8()));
                } else {
                    out.push(c);
                }
            }
        } else if next_blank && line.ends_with('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            out.push_str(body);
            out.extend(std::iter::repeat_n(BLOCK_BREAK, line.len() - body.len()));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn mask_markdown(text: &str) -> String {
    mask_plain_paragraphs(text).unwrap_or_else(|| mask_parsed(text))
}

/// The Markdown view as pulldown-cmark reads the text.
fn mask_parsed(text: &str) -> String {
    let mut out = vec![BLOCK_BREAK as u8; text.len()];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    // Depth of constructs whose text is not prose: code blocks and front matter.
    let mut skip_depth = 0usize;
    // Autolinks (`<https://…>`) have their URL as text; it is not prose.
    let mut in_autolink = false;
    // End of the previous prose piece, while it is in the same block and nothing opaque
    // (inline code, inline HTML) came after it; the gap up to the next piece becomes spaces.
    let mut bridge_from: Option<usize> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => {
                skip_depth += 1;
                bridge_from = None;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::MetadataBlock(_)) => {
                skip_depth = skip_depth.saturating_sub(1);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                in_autolink = true;
                bridge_from = None;
            }
            Event::End(TagEnd::Link) if in_autolink => in_autolink = false,
            Event::Text(_) | Event::SoftBreak | Event::HardBreak
                if skip_depth == 0 && !in_autolink =>
            {
                if let Some(from) = bridge_from.filter(|&f| f <= range.start) {
                    out[from..range.start].fill(b' ');
                }
                if matches!(event, Event::Text(_)) {
                    out[range.clone()].copy_from_slice(&text.as_bytes()[range.clone()]);
                } else {
                    // A line break inside a paragraph stays a line break, so the lines of a
                    // list the parser reads as one paragraph ("• Addict – …") stay lines.
                    for (o, &b) in out[range.clone()]
                        .iter_mut()
                        .zip(&text.as_bytes()[range.clone()])
                    {
                        *o = if b == b'\n' { b'\n' } else { b' ' };
                    }
                }
                bridge_from = Some(range.end);
            }
            Event::Start(tag) if is_inline(&tag) => {}
            Event::End(tag) if is_inline_end(&tag) => {}
            _ => bridge_from = None,
        }
    }
    // Only ASCII bytes replaced whole characters' ranges, and prose ranges were copied whole,
    // so the view is valid UTF-8. Check rather than assume.
    String::from_utf8(out).unwrap_or_else(|e| {
        let bytes = e.into_bytes();
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The Markdown view of a text that holds only paragraphs of plain words, found without the
/// parser: most chunks of notes are such, and parsing them costs more than the rest of a
/// chunk's check. `None` when any byte or line start could be Markdown syntax; what is
/// returned equals the parser's view (a test compares the two).
///
/// Each paragraph is copied from its first character to its last, line breaks included; the
/// rest, blank lines and the spaces around paragraphs, is [`BLOCK_BREAK`].
fn mask_plain_paragraphs(text: &str) -> Option<String> {
    if text.bytes().any(|b| MAY_BE_SYNTAX[b as usize]) {
        return None;
    }
    let mut out = vec![BLOCK_BREAK as u8; text.len()];
    // Where the current paragraph's last non-space byte ends, if a paragraph is open.
    let mut open: Option<usize> = None;
    let mut at = 0;
    // Line by line, each with its line break; memchr's vector search finds the breaks, as
    // this runs over every byte of most notes.
    while at < text.len() {
        let line_end =
            memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i + 1);
        let line = &text[at..line_end];
        let body = line.trim_end_matches('\n');
        let content = body.trim_start_matches(' ');
        if content.trim_end_matches(' ').is_empty() {
            open = None;
        } else {
            if opens_block(content) || (open.is_none() && content.len() != body.len()) {
                return None;
            }
            // A continuation line is copied from the end of the line before: the spaces and
            // the line break between stay as they are, as the parser's view keeps them.
            let from = open.unwrap_or(at + body.len() - content.len());
            let end = at + body.trim_end_matches(' ').len();
            out[from..end].copy_from_slice(&text.as_bytes()[from..end]);
            open = Some(end);
        }
        at += line.len();
    }
    String::from_utf8(out).ok()
}

/// Bytes that open inline syntax anywhere in a line, and tabs, carriage returns and other
/// control characters, which change how lines are read; a table, as this test runs on every
/// byte of a note.
static MAY_BE_SYNTAX: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let bytes = b"\\`*_[]<>&~|\t\r\x0b\x0c\0";
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether a line that starts with `content` (after its indent) could start a block other
/// than a paragraph line: a list item, heading, quote, rule, table, fence, HTML block,
/// front matter or a setext underline.
fn opens_block(content: &str) -> bool {
    let bytes = content.as_bytes();
    if matches!(bytes[0], b'-' | b'+' | b'=' | b'#' | b':' | b'!' | b'^') {
        return true;
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && matches!(bytes.get(digits), Some(b'.' | b')'))
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_notes_pt_abbreviation_ends_no_sentence() {
        let text = "Pt. is manipulative. Seen by pt. She agreed. Spt. ok. pts. refuse";
        let masked = mask(text, DocKind::PlainText);
        assert_eq!(masked.len(), text.len());
        assert!(masked.starts_with("Pt  is manipulative."), "{masked}");
        // Before a capital the stop may end a sentence; inside a longer word it is no
        // abbreviation.
        assert!(masked.contains("by pt. She"), "{masked}");
        assert!(masked.contains("Spt. ok"), "{masked}");
        assert!(masked.ends_with("pts  refuse"), "{masked}");
    }
    use super::*;

    fn prose(text: &str) -> String {
        let masked = mask(text, DocKind::Markdown);
        assert_eq!(masked.len(), text.len());
        masked
            .replace(BLOCK_BREAK, "|")
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn code_html_and_front_matter_are_not_prose() {
        let text = "---\ntitle: resistant\n---\n\nThe `resistant` flag <b>x</b> is set.\n\n```\nresistant\n```\n\n    indented resistant\n";
        assert_eq!(prose(text), "The|flag|x|is set.");
    }

    #[test]
    fn link_text_and_alt_text_are_prose_but_destinations_are_not() {
        let text = "See [the addict story](https://x.org/addict) and ![an addict](img/addict.png) <https://addict.org>.";
        let p = prose(text);
        assert!(p.contains("the addict story"), "{p}");
        assert!(p.contains("an addict"), "{p}");
        assert!(!p.contains("x.org"), "{p}");
        assert!(!p.contains("addict.png"), "{p}");
        assert!(!p.contains("addict.org"), "{p}");
    }

    #[test]
    fn inline_markup_is_bridged_with_spaces() {
        let masked = mask("He **committed** suicide.", DocKind::Markdown);
        assert_eq!(masked, "He   committed   suicide.");
    }

    #[test]
    fn soft_breaks_keep_phrases_together_but_paragraphs_do_not() {
        // The line break stays (list lines the parser joins into one paragraph stay lines),
        // and it is whitespace, which phrases cross.
        let masked = mask("committed\nsuicide\n\nnext para", DocKind::Markdown);
        assert!(masked.starts_with("committed\nsuicide"), "{masked:?}");
        assert!(masked.contains(BLOCK_BREAK));
        let masked = mask("a **committed**\n  suicide", DocKind::Markdown);
        assert_eq!(masked, "a   committed  \n  suicide");
    }

    #[test]
    fn plain_text_paragraphs_are_separated() {
        let masked = mask("a b\r\n\r\nc d\n", DocKind::PlainText);
        assert_eq!(masked.len(), "a b\r\n\r\nc d\n".len());
        assert!(masked.starts_with("a b\u{1e}"), "{masked:?}");
        assert!(masked.ends_with("c d\n"));
        // A line of no-break spaces is blank, and its breaks take as many bytes.
        let text = "a\n\u{a0}\u{2028}\nb";
        assert_eq!(mask(text, DocKind::PlainText).len(), text.len());
    }

    /// The view found without the parser, wherever it is found, is the parser's view: checked
    /// on texts put together from words, spaces, line breaks and the characters that start
    /// blocks, at random (a fixed seed, so a failure repeats).
    #[test]
    fn plain_paragraphs_read_as_the_parser_reads_them() {
        const PIECES: &[&str] = &[
            "word",
            "Client",
            " ",
            "  ",
            "   ",
            "    ",
            "\n",
            "\n\n",
            "\n  \n",
            "1.",
            "12)",
            "3 ",
            "-",
            "- ",
            "+",
            "#",
            "=",
            "==",
            ":",
            "!",
            "^",
            ".",
            ",",
            "'",
            "\"",
            "(",
            ")",
            "%",
            "/",
            "?",
            "\u{a0}",
            "é",
            "’",
            "😀",
            "https://x.org",
            "a@b.org",
            "www.x.org",
            "---",
        ];
        let mut seed: u64 = 0x5eed;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % below
        };
        let mut found = 0;
        for _ in 0..20_000 {
            let text: String = (0..1 + next(24))
                .map(|_| PIECES[next(PIECES.len())])
                .collect();
            if let Some(fast) = mask_plain_paragraphs(&text) {
                assert_eq!(fast, mask_parsed(&text), "{text:?}");
                found += 1;
            }
        }
        // The comparison means something only if the fast path was taken often.
        assert!(found > 2_000, "the fast path was taken {found} times");
    }

    #[test]
    fn markup_is_left_to_the_parser() {
        for text in [
            "a *b* c",
            "- item",
            "1. item",
            "text\n===",
            "    code",
            "a <b> c",
            "a\tb",
        ] {
            assert_eq!(mask_plain_paragraphs(text), None, "{text:?}");
        }
        assert!(mask_plain_paragraphs("Plain words.\n\nMore words.").is_some());
    }

    #[test]
    fn multibyte_text_keeps_offsets() {
        let text = "😀 客户 **résistant** ✓\n\n`code 😀`";
        let masked = mask(text, DocKind::Markdown);
        assert_eq!(masked.len(), text.len());
        let at = text.find("résistant").unwrap();
        assert_eq!(&masked[at..at + "résistant".len()], "résistant");
    }
}
