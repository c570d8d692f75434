//! The one place where LSP types meet engine types: positions in the negotiated encoding ⇄ byte
//! offsets, and findings → diagnostics, hovers and inlay hints. Engine code never sees
//! `ls_types`.

use crate::engine::{Finding, Notice, DOCS_URL};
use crate::rule::Severity;
use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, Hover, HoverContents, InlayHint,
    InlayHintLabel, InlayHintTooltip, MarkupContent, MarkupKind, NumberOrString, Position, Range,
    Uri,
};

/// How `Position.character` counts: negotiated through `positionEncoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes), when the client offers `utf-8`.
    Utf8,
    /// UTF-16 code units, the protocol's default.
    Utf16,
}

/// The LSP position of byte `offset` in `rope` (clamped to the text).
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
    Position::new(line as u32, character as u32)
}

/// The LSP range of a byte range.
pub fn range(rope: &Rope, bytes: &std::ops::Range<usize>, encoding: Encoding) -> Range {
    Range::new(
        position(rope, bytes.start, encoding),
        position(rope, bytes.end, encoding),
    )
}

/// The byte offset of an LSP position. Positions past the end of a line clamp to the line's
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

/// The byte range of an LSP range, or `None` when it ends before it starts.
pub fn byte_range(rope: &Rope, r: Range, encoding: Encoding) -> Option<std::ops::Range<usize>> {
    let start = offset(rope, r.start, encoding);
    let end = offset(rope, r.end, encoding);
    (start <= end).then_some(start..end)
}

/// Applies one `textDocument/didChange` content change to `rope`: the whole text when `range`
/// is `None`, otherwise a splice at the range's byte offsets. A backwards range cannot be
/// applied and is skipped rather than guessed at. It lives here, not in the handler, so the
/// incremental-sync fuzz target (`fuzz/fuzz_targets/incremental_sync.rs`) tests the server's own
/// edit path against a plain `String` model.
pub fn apply_change(rope: &mut Rope, range: Option<Range>, text: &str, encoding: Encoding) {
    let Some(range) = range else {
        *rope = Rope::from_str(text);
        return;
    };
    let Some(bytes) = byte_range(rope, range, encoding) else {
        return;
    };
    let start = rope.byte_to_char(bytes.start);
    let end = rope.byte_to_char(bytes.end);
    rope.remove(start..end);
    rope.insert(start, text);
}

fn lsp_severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => DiagnosticSeverity::HINT,
    }
}

/// The documentation link of a rule.
pub fn rule_docs_uri(rule_id: &str) -> Option<Uri> {
    format!("{DOCS_URL}#{rule_id}").parse().ok()
}

/// A finding as a diagnostic. `data` carries what code actions need without re-linting.
pub fn diagnostic(rope: &Rope, finding: &Finding, encoding: Encoding) -> Diagnostic {
    let rule = &finding.rule;
    Diagnostic {
        range: range(rope, &finding.range, encoding),
        severity: Some(lsp_severity(finding.severity)),
        code: Some(NumberOrString::String(rule.id.clone())),
        code_description: rule_docs_uri(&rule.id).map(|href| CodeDescription { href }),
        source: Some("reframe".into()),
        message: rule.message.clone(),
        related_information: None,
        tags: None,
        data: Some(json!({
            "rule": rule.id,
            "category": rule.category,
            "reframes": finding.reframes,
        })),
    }
}

/// A problem with a suppression comment as a diagnostic.
pub fn notice_diagnostic(rope: &Rope, notice: &Notice, encoding: Encoding) -> Diagnostic {
    Diagnostic {
        range: range(rope, &notice.range, encoding),
        severity: Some(DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String("unknown-rule-id".into())),
        source: Some("reframe".into()),
        message: notice.message.clone(),
        ..Diagnostic::default()
    }
}

/// Markdown shown on hover: why the wording can hurt, the reframes, and the sources.
pub fn hover(rope: &Rope, finding: &Finding, encoding: Encoding) -> Hover {
    let rule = &finding.rule;
    let mut text = format!("**{}**\n\n{}\n", rule.message, rule.why.trim());
    if !finding.reframes.is_empty() {
        text.push_str("\n**Reframes:**\n");
        for r in &finding.reframes {
            text.push_str(&format!("- “{r}”\n"));
        }
    }
    text.push_str("\n**Sources:**\n");
    for s in &rule.sources {
        text.push_str(&format!(
            "- [{}]({})\n",
            s.title.replace(['[', ']'], ""),
            s.url
        ));
    }
    text.push_str(&format!(
        "\n`{}` · {} · [about this rule]({DOCS_URL}#{})",
        rule.id, rule.category, rule.id
    ));
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range(rope, &finding.range, encoding)),
    }
}

/// The preferred reframe shown right after the phrase.
pub fn inlay_hint(rope: &Rope, finding: &Finding, encoding: Encoding) -> Option<InlayHint> {
    let preferred = finding.reframes.first()?;
    Some(InlayHint {
        position: position(rope, finding.range.end, encoding),
        label: InlayHintLabel::String(format!("→ {preferred}")),
        kind: None,
        text_edits: None,
        tooltip: Some(InlayHintTooltip::String(finding.rule.message.clone())),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let r = Range::new(Position::new(0, 2), Position::new(0, 1));
        assert_eq!(byte_range(&rope, r, Encoding::Utf8), None);
    }
}
