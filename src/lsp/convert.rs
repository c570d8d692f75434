//! The one place where LSP types meet engine types: positions in the negotiated encoding ⇄ byte
//! offsets, and findings → diagnostics, hovers and inlay hints. Engine code never sees
//! `ls_types`.

use crate::edits::Edits;
use crate::engine::{Finding, Notice, DOCS_URL};
use crate::position as text;
pub use crate::position::{Encoding, Positions};
use crate::rule::Severity;
use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, Hover, HoverContents, InlayHint,
    InlayHintLabel, InlayHintTooltip, MarkupContent, MarkupKind, NumberOrString, Position, Range,
    Uri,
};

/// Field-for-field: the engine's position as the protocol's.
fn to_lsp_position(p: text::Position) -> Position {
    Position::new(p.line, p.character)
}

/// Field-for-field: the protocol's position as the engine's.
fn from_lsp_position(p: Position) -> text::Position {
    text::Position::new(p.line, p.character)
}

/// Field-for-field: the protocol's range as the engine's.
fn from_lsp_range(r: Range) -> text::PositionRange {
    text::PositionRange::new(from_lsp_position(r.start), from_lsp_position(r.end))
}

/// The LSP position of byte `offset` in `rope` (clamped to the text).
pub fn position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    to_lsp_position(text::position(rope, offset, encoding))
}

/// Field-for-field: the engine's range as the protocol's.
fn to_lsp_range(r: text::PositionRange) -> Range {
    Range::new(to_lsp_position(r.start), to_lsp_position(r.end))
}

/// The LSP range of a byte range.
pub fn range(rope: &Rope, bytes: &std::ops::Range<usize>, encoding: Encoding) -> Range {
    to_lsp_range(text::range(rope, bytes, encoding))
}

/// The byte offset of an LSP position (see [`text::offset`] for the clamping).
pub fn offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    text::offset(rope, from_lsp_position(position), encoding)
}

/// The byte range of an LSP range, or `None` when it ends before it starts.
pub fn byte_range(rope: &Rope, range: Range, encoding: Encoding) -> Option<std::ops::Range<usize>> {
    text::byte_range(rope, from_lsp_range(range), encoding)
}

/// Applies one `didChange` content change to `rope` (see [`text::apply_change`]).
pub fn apply_change(
    rope: &mut Rope,
    range: Option<Range>,
    new_text: &str,
    encoding: Encoding,
    edits: &mut Edits,
) {
    text::apply_change(rope, range.map(from_lsp_range), new_text, encoding, edits);
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

/// A finding as a diagnostic, its range found through `positions` (many findings share one).
/// `data` names the rule, its category and the reframes, for clients that want them.
pub fn diagnostic(positions: &mut Positions, finding: &Finding) -> Diagnostic {
    diagnostic_at(positions.range(&finding.range), finding)
}

/// The JSON of a zero range as a diagnostic's field: what [`diagnostic_json_tail`] cuts out.
const ZERO_RANGE_FIELD: &[u8] =
    br#""range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}}"#;

/// A finding's diagnostic as JSON without its range: the object's other fields and its closing
/// brace (`"severity":2,…}`). [`write_diagnostic_json`] puts a range before it, so a diagnostic
/// is serialised once and written again at another line for as long as its chunk is unchanged.
pub fn diagnostic_json_tail(finding: &Finding) -> Vec<u8> {
    let mut json = serde_json::to_vec(&diagnostic_at(text::PositionRange::default(), finding))
        .expect("a diagnostic always serialises");
    if let Some(at) = memchr::memmem::find(&json, ZERO_RANGE_FIELD) {
        let mut cut = at..at + ZERO_RANGE_FIELD.len();
        // The field's comma: after it when it comes first, as it does, otherwise before it.
        if json.get(cut.end) == Some(&b',') {
            cut.end += 1;
        } else if at > 0 && json[at - 1] == b',' {
            cut.start -= 1;
        }
        json.drain(cut);
    }
    json.remove(0);
    json
}

/// Writes a diagnostic: `range` in the client's encoding, then a tail from
/// [`diagnostic_json_tail`].
pub fn write_diagnostic_json(out: &mut Vec<u8>, range: text::PositionRange, tail: &[u8]) {
    use std::io::Write;
    let text::PositionRange { start, end } = range;
    let _ = write!(
        out,
        r#"{{"range":{{"start":{{"line":{},"character":{}}},"end":{{"line":{},"character":{}}}}}"#,
        start.line, start.character, end.line, end.character
    );
    if tail.first() != Some(&b'}') {
        out.push(b',');
    }
    out.extend_from_slice(tail);
}

/// A finding's diagnostic at `range`.
fn diagnostic_at(range: text::PositionRange, finding: &Finding) -> Diagnostic {
    let rule = &finding.rule;
    Diagnostic {
        range: to_lsp_range(range),
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
            "reframes": &finding.reframes[..],
        })),
    }
}

/// A problem with a suppression comment as a diagnostic.
pub fn notice_diagnostic(positions: &mut Positions, notice: &Notice) -> Diagnostic {
    Diagnostic {
        range: to_lsp_range(positions.range(&notice.range)),
        severity: Some(DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String("unknown-rule-id".into())),
        source: Some("reframe".into()),
        message: notice.message.clone(),
        ..Diagnostic::default()
    }
}

/// The notice, at the first line, that a document has more problems than `maxProblems` lets
/// the server show, and how to see them.
pub fn cap_notice(shown: usize, total: usize) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String("max-problems".into())),
        source: Some("reframe".into()),
        message: format!(
            "Reframe shows the first {shown} of {total} problems in this document; {} more are \
             not shown. Raise the `maxProblems` setting to see more.",
            total - shown
        ),
        ..Diagnostic::default()
    }
}

/// Markdown shown on hover: why the wording can hurt, the reframes, and the sources. Not the
/// diagnostic's message: editors show it beside the hover already.
pub fn hover(rope: &Rope, finding: &Finding, encoding: Encoding) -> Hover {
    let rule = &finding.rule;
    let mut text = format!("{}\n", rule.why.trim());
    if !finding.reframes.is_empty() {
        text.push_str("\n**Reframes:**\n");
        for r in finding.reframes.iter() {
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

/// The preferred reframe shown at the end of the phrase's line. Right after the phrase it split
/// the sentence ("resistant to → hesitant about completing…") and pushed the rest of the line
/// over, which made the text hard to read.
pub fn inlay_hint(rope: &Rope, finding: &Finding, encoding: Encoding) -> Option<InlayHint> {
    let preferred = finding.reframes.first()?;
    let line = rope.byte_to_line(finding.range.end.min(rope.len_bytes()));
    let text = rope.line(line);
    let mut end = text.len_chars();
    while end > 0 && matches!(text.char(end - 1), '\n' | '\r') {
        end -= 1;
    }
    let line_end = rope.line_to_byte(line) + text.char_to_byte(end);
    Some(InlayHint {
        position: position(rope, line_end, encoding),
        label: InlayHintLabel::String(format!("→ {preferred}")),
        kind: None,
        text_edits: None,
        tooltip: Some(InlayHintTooltip::String(finding.rule.message.clone())),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    })
}
