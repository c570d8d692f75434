//! `textDocument/publishDiagnostics` as bytes, made chunk by chunk. A chunk's diagnostics are
//! converted and serialised once, with lines counted from the chunk's first line, and written
//! again at the chunk's current line for as long as the chunk is unchanged. A keystroke changes
//! one chunk; on a manuscript with hundreds of findings, converting and serialising every
//! diagnostic again was most of the time between the keystroke and its diagnostics.

use super::convert::{self, Encoding, Positions};
use crate::engine::{ChunkFindings, Report};
use crate::position::{Position, PositionRange};
use ropey::Rope;
use std::collections::HashMap;
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
use tower_lsp_server::ls_types::Uri;

/// The serialised diagnostics of one document's last publish, by chunk.
#[derive(Default)]
pub struct PublishMemo {
    chunks: HashMap<usize, SerialisedChunk>,
}

/// One chunk's diagnostics, serialised.
struct SerialisedChunk {
    /// What they were made from; it also keeps the chunk's result, the memo's key, alive.
    chunk: ChunkFindings,
    /// Each diagnostic's range, with lines counted from the chunk's first line, and where its
    /// tail ends in `tails`.
    diagnostics: Vec<(PositionRange, usize)>,
    /// The diagnostics' JSON after their ranges, one after another.
    tails: Vec<u8>,
}

impl SerialisedChunk {
    fn new(chunk: &ChunkFindings, report: &Report, line: u32, positions: &mut Positions) -> Self {
        let mut diagnostics = Vec::with_capacity(chunk.findings.len());
        let mut tails = Vec::new();
        for finding in &report.findings[chunk.findings.clone()] {
            let PositionRange { start, end } = positions.range(&finding.range);
            let relative = |p: Position| Position::new(p.line.saturating_sub(line), p.character);
            tails.extend_from_slice(&convert::diagnostic_json_tail(finding));
            diagnostics.push((
                PositionRange::new(relative(start), relative(end)),
                tails.len(),
            ));
        }
        SerialisedChunk {
            chunk: chunk.clone(),
            diagnostics,
            tails,
        }
    }

    /// Writes the diagnostics for the chunk starting at `line`, each followed by a comma.
    fn write(&self, line: u32, out: &mut Vec<u8>) {
        let absolute = |p: Position| Position::new(p.line + line, p.character);
        let mut tail_start = 0;
        for &(range, tail_end) in &self.diagnostics {
            let range = PositionRange::new(absolute(range.start), absolute(range.end));
            convert::write_diagnostic_json(out, range, &self.tails[tail_start..tail_end]);
            out.push(b',');
            tail_start = tail_end;
        }
    }
}

impl PublishMemo {
    /// The whole notification publishing `report`, linted from `rope`, for `version` of the
    /// document `uri`. Keeps what it serialised for the next call.
    pub fn notification(
        &mut self,
        uri: &Uri,
        version: i32,
        rope: &Rope,
        report: &Report,
        encoding: Encoding,
    ) -> Vec<u8> {
        let mut previous = std::mem::take(&mut self.chunks);
        let mut body =
            Vec::with_capacity(previous.values().map(|c| c.tails.len()).sum::<usize>() + 1024);
        body.extend_from_slice(br#"{"jsonrpc":"2.0","method":""#);
        body.extend_from_slice(PublishDiagnostics::METHOD.as_bytes());
        body.extend_from_slice(br#"","params":{"uri":"#);
        serde_json::to_writer(&mut body, uri).expect("a URI always serialises");
        body.extend_from_slice(format!(r#","version":{version},"diagnostics":["#).as_bytes());
        let mut positions = Positions::new(rope, encoding);
        for chunk in &report.chunks {
            let line = rope.byte_to_line(chunk.range.start.min(rope.len_bytes())) as u32;
            // Chunks with the same text share their result, and so their serialisation.
            if let Some(done) = self.chunks.get(&chunk.key()) {
                if done.chunk.same_findings(chunk) {
                    done.write(line, &mut body);
                    continue;
                }
            }
            let serialised = match previous.remove(&chunk.key()) {
                Some(kept) if kept.chunk.same_findings(chunk) => kept,
                _ => SerialisedChunk::new(chunk, report, line, &mut positions),
            };
            serialised.write(line, &mut body);
            if serialised.chunk.same_findings(chunk) {
                self.chunks.insert(chunk.key(), serialised);
            }
        }
        for notice in &report.notices {
            serde_json::to_writer(
                &mut body,
                &convert::notice_diagnostic(&mut positions, notice),
            )
            .expect("a diagnostic always serialises");
            body.push(b',');
        }
        if body.last() == Some(&b',') {
            body.pop();
        }
        body.extend_from_slice(b"]}}");
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Edits, Engine, LintCache};
    use crate::prose::DocKind;
    use serde_json::Value;

    /// What a notification must carry: each finding's diagnostic, then each notice's, as
    /// `convert` makes them one at a time.
    fn converted(rope: &Rope, report: &Report, encoding: Encoding) -> Value {
        let mut positions = Positions::new(rope, encoding);
        let mut diagnostics: Vec<Value> = report
            .findings
            .iter()
            .map(|f| serde_json::to_value(convert::diagnostic(&mut positions, f)).unwrap())
            .collect();
        diagnostics.extend(
            report.notices.iter().map(|n| {
                serde_json::to_value(convert::notice_diagnostic(&mut positions, n)).unwrap()
            }),
        );
        Value::Array(diagnostics)
    }

    #[test]
    fn reused_chunks_serialise_as_a_fresh_conversion_would() {
        let engine = Engine::builtin();
        let uri: Uri = "file:///notes/a%20b.md".parse().unwrap();
        // Kept chunks move down (a new first paragraph), repeat (two paragraphs alike share a
        // result), lose a finding to a suppression comment, and sit after emoji and CRLF lines.
        let texts = [
            "The client is resistant 😀.\n\nHe committed suicide.\n\nThe client is resistant 😀.\n",
            "A new first line.\r\n\r\nThe client is resistant 😀.\n\nHe committed suicide.\n\n\
             The client is resistant 😀.\n",
            "A new first line.\r\n\r\n<!-- reframe-disable-next-line -->\nThe client is resistant \
             😀.\n\nHe committed suicide.\n\n<!-- reframe-disable no-such-rule -->\n",
            "",
        ];
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let mut memo = PublishMemo::default();
            let mut cache = LintCache::default();
            for (version, text) in (1..).zip(texts) {
                let report =
                    engine.lint_cached(text, DocKind::Markdown, &mut cache, Edits::Unknown);
                assert_eq!(report.findings.is_empty(), text.is_empty(), "{text:?}");
                let rope = Rope::from_str(text);
                let message = memo.notification(&uri, version, &rope, &report, encoding);
                let message: Value = serde_json::from_slice(&message).unwrap();
                assert_eq!(message["jsonrpc"], "2.0");
                assert_eq!(message["method"], "textDocument/publishDiagnostics");
                assert_eq!(message["params"]["uri"], "file:///notes/a%20b.md");
                assert_eq!(message["params"]["version"], version);
                assert_eq!(
                    message["params"]["diagnostics"],
                    converted(&rope, &report, encoding),
                    "{encoding:?}, text {version}"
                );
            }
        }
    }
}
