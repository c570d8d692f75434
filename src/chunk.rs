//! Splitting a document into independently lintable chunks, so an edit re-lints only the
//! chunk it touched.
//!
//! Chunks end at blank lines, except inside fenced code, HTML comments and front matter, where a
//! blank line does not end the construct. Phrases never cross blank lines, so linting chunk by
//! chunk finds exactly what linting the whole text would; every front end uses the chunked path
//! (see [`crate::engine::Engine::lint_cached`]), so they all agree.

use std::ops::Range;

/// Byte ranges of the chunks of `text`, in order, covering it entirely.
pub fn chunks(text: &str, markdown: bool) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut at = 0;
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    let mut in_front_matter = false;
    let bytes = text.as_bytes();
    while at < text.len() {
        let end = memchr_newline(bytes, at).map_or(text.len(), |i| i + 1);
        let line = &text[at..end];
        let trimmed = line.trim_start_matches([' ', '\t']);
        if markdown {
            if at == 0 && matches!(line.trim_end(), "---" | "+++") {
                in_front_matter = true;
            } else if in_front_matter {
                if matches!(line.trim_end(), "---" | "..." | "+++") {
                    in_front_matter = false;
                }
            } else if let Some((c, n)) = fence {
                let indent = line.len() - trimmed.len();
                let run = trimmed.bytes().take_while(|&b| b == c).count();
                if indent < 4 && run >= n && trimmed[run..].trim().is_empty() {
                    fence = None;
                }
            } else if in_comment {
                if line.contains("-->") {
                    in_comment = false;
                }
            } else {
                let indent = line.len() - trimmed.len();
                let first = trimmed.bytes().next();
                if indent < 4 && matches!(first, Some(b'`' | b'~')) {
                    let c = first.unwrap();
                    let run = trimmed.bytes().take_while(|&b| b == c).count();
                    if run >= 3 && !(c == b'`' && trimmed[run..].contains('`')) {
                        fence = Some((c, run));
                    }
                }
                if let Some(open) = line.rfind("<!--") {
                    if !line[open..].contains("-->") {
                        in_comment = true;
                    }
                }
            }
        }
        let blank = line.trim().is_empty();
        if blank && fence.is_none() && !in_comment && !in_front_matter {
            ranges.push(start..end);
            start = end;
        }
        at = end;
    }
    if start < text.len() || ranges.is_empty() {
        ranges.push(start..text.len());
    }
    ranges
}

fn memchr_newline(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| from + i)
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
    fn front_matter_stays_whole() {
        let text = "---\ntitle: x\n\nauthor: y\n---\n\nbody";
        let p = pieces(text);
        assert_eq!(p[0], "---\ntitle: x\n\nauthor: y\n---\n\n");
    }

    #[test]
    fn empty_text_is_one_empty_chunk() {
        assert_eq!(chunks("", true), vec![0..0]);
    }
}
