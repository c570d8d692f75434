//! Printing findings: human, JSON (a contract other tools read), SARIF 2.1.0 and GitHub
//! workflow annotations.

use crate::engine::{Finding, Notice, DOCS_URL};
use crate::lines::{LineIndex, RangeCursor};
use crate::rule::Severity;
use serde::Serialize;
use std::io::{self, Write};

/// One checked file's results, ready to print.
pub struct FileReport<'a> {
    /// The path as given on the command line or found under a folder.
    pub path: &'a str,
    /// The file's text.
    pub text: &'a str,
    /// What the engine found.
    pub findings: &'a [Finding],
    /// Problems with suppression comments.
    pub notices: &'a [Notice],
}

/// The JSON shape of one finding. Field names are a contract: other tools read them. It
/// borrows the rule's text and the match, so writing millions of findings copies none of it.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct JsonFinding<'a> {
    pub path: &'a str,
    pub rule: &'a str,
    pub category: &'static str,
    pub severity: &'static str,
    pub message: &'a str,
    pub matched: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub offset: JsonOffset,
    pub reframes: &'a [String],
    /// For each reframe, in order: `safe` (same meaning; `reframe fix` applies it) or
    /// `suggestion` (may change the meaning; the writer decides).
    pub reframe_safety: Vec<&'static str>,
}

/// 0-based UTF-8 byte offsets into the file's text (after decoding, for a file that was not
/// UTF-8).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct JsonOffset {
    pub start: usize,
    pub end: usize,
}

impl<'a> JsonFinding<'a> {
    /// Converts an engine finding; `cursor` converts the findings of `text` in order.
    pub fn new(
        path: &'a str,
        text: &'a str,
        cursor: &mut RangeCursor<'_, '_>,
        f: &'a Finding,
    ) -> JsonFinding<'a> {
        let ((line, column), (end_line, end_column)) = cursor.range(&f.range);
        JsonFinding {
            path,
            rule: &f.rule.id,
            category: f.rule.category.as_str(),
            severity: f.severity.as_str(),
            message: &f.rule.message,
            matched: &text[f.range.clone()],
            line,
            column,
            end_line,
            end_column,
            offset: JsonOffset {
                start: f.range.start,
                end: f.range.end,
            },
            reframes: &f.reframes,
            reframe_safety: (0..f.reframes.len())
                .map(|i| f.rule.reframe_safety(i).as_str())
                .collect(),
        }
    }
}

/// Rule messages already escaped as JSON strings, by the message's address: a rule's message is
/// the longest string of each of its findings, and the same for all of them.
#[derive(Default)]
struct EscapedMessages(std::collections::HashMap<*const u8, Vec<u8>>);

impl JsonFinding<'_> {
    /// Writes the finding as an element of the pretty-printed array: what `serde_json`'s pretty
    /// printer writes for it, indented one level. Written field by field, with the strings
    /// escaped by `serde_json`: the printer and the re-indenting were a sixth of a 10 MB
    /// `check --format json`.
    fn write_element(&self, out: &mut Vec<u8>, messages: &mut EscapedMessages) -> io::Result<()> {
        fn string(out: &mut Vec<u8>, text: &str) -> io::Result<()> {
            serde_json::to_writer(out, text).map_err(io::Error::other)
        }
        fn strings<S: AsRef<str>>(out: &mut Vec<u8>, items: &[S]) -> io::Result<()> {
            if items.is_empty() {
                out.extend_from_slice(b"[]");
                return Ok(());
            }
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n      " } else { b",\n      " });
                string(out, item.as_ref())?;
            }
            out.extend_from_slice(b"\n    ]");
            Ok(())
        }
        fn number(out: &mut Vec<u8>, key: &[u8], n: usize) -> io::Result<()> {
            out.extend_from_slice(key);
            serde_json::to_writer(out, &n).map_err(io::Error::other)
        }
        out.extend_from_slice(b"{\n    \"path\": ");
        string(out, self.path)?;
        out.extend_from_slice(b",\n    \"rule\": ");
        string(out, self.rule)?;
        out.extend_from_slice(b",\n    \"category\": ");
        string(out, self.category)?;
        out.extend_from_slice(b",\n    \"severity\": ");
        string(out, self.severity)?;
        out.extend_from_slice(b",\n    \"message\": ");
        match messages.0.entry(self.message.as_ptr()) {
            std::collections::hash_map::Entry::Occupied(escaped) => {
                out.extend_from_slice(escaped.get())
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                let mut escaped = Vec::new();
                string(&mut escaped, self.message)?;
                out.extend_from_slice(slot.insert(escaped));
            }
        }
        out.extend_from_slice(b",\n    \"matched\": ");
        string(out, self.matched)?;
        number(out, b",\n    \"line\": ", self.line)?;
        number(out, b",\n    \"column\": ", self.column)?;
        number(out, b",\n    \"end_line\": ", self.end_line)?;
        number(out, b",\n    \"end_column\": ", self.end_column)?;
        number(
            out,
            b",\n    \"offset\": {\n      \"start\": ",
            self.offset.start,
        )?;
        number(out, b",\n      \"end\": ", self.offset.end)?;
        out.extend_from_slice(b"\n    },\n    \"reframes\": ");
        strings(out, self.reframes)?;
        out.extend_from_slice(b",\n    \"reframe_safety\": ");
        strings(out, &self.reframe_safety)?;
        out.extend_from_slice(b"\n  }");
        Ok(())
    }
}

/// The JSON array of findings, written file by file as each is checked, so memory does not
/// grow with the number of files. Call [`JsonArray::finish`] once at the end.
#[derive(Default)]
pub struct JsonArray {
    written: usize,
}

/// How many findings one thread formats at a time. A large file's findings are formatted on
/// every core, a window of pieces at a time, and written in order: formatting them one by one
/// was a sixth of a whole `check --format json` of a 10 MB file.
const JSON_PIECE: usize = 256;
const JSON_WINDOW: usize = 64;

impl JsonArray {
    /// Writes one file's findings as further elements of the array.
    pub fn write(&mut self, out: &mut dyn Write, report: &FileReport<'_>) -> io::Result<()> {
        use rayon::prelude::*;
        let index = LineIndex::new(report.text);
        for window in report.findings.chunks(JSON_PIECE * JSON_WINDOW) {
            let pieces: Vec<io::Result<Vec<u8>>> = window
                .par_chunks(JSON_PIECE)
                .map(|piece| {
                    let mut cursor = index.ranges();
                    let mut json = Vec::new();
                    let mut messages = EscapedMessages::default();
                    for finding in piece {
                        let finding =
                            JsonFinding::new(report.path, report.text, &mut cursor, finding);
                        json.extend_from_slice(b",\n  ");
                        finding.write_element(&mut json, &mut messages)?;
                    }
                    Ok(json)
                })
                .collect();
            for (piece, findings) in pieces.into_iter().zip(window.chunks(JSON_PIECE)) {
                let piece = piece?;
                // The array's first element opens it in place of a separator.
                if self.written == 0 {
                    out.write_all(b"[")?;
                    out.write_all(&piece[1..])?;
                } else {
                    out.write_all(&piece)?;
                }
                self.written += findings.len();
            }
        }
        Ok(())
    }

    /// Closes the array (`[]` when nothing was found).
    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.written == 0 {
            writeln!(out, "[]")
        } else {
            writeln!(out, "\n]")
        }
    }
}

/// Findings counted by severity, for the line that ends human output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
}

impl Counts {
    /// Counts these findings too.
    pub fn add(&mut self, findings: &[Finding]) {
        for finding in findings {
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
                Severity::Hint => self.hints += 1,
                Severity::Off => {}
            }
        }
    }

    /// "37 findings (1 error, 22 warnings, 14 hints) in 3 files", or "No findings in 12 files";
    /// "; 1 file not checked" follows when files could not be read (their errors came first).
    pub fn summary(&self, files: usize, not_checked: usize) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut files = plural(files, "file");
        if not_checked > 0 {
            files.push_str(&format!("; {} not checked", plural(not_checked, "file")));
        }
        let total = self.errors + self.warnings + self.infos + self.hints;
        if total == 0 {
            return format!("No findings in {files}");
        }
        let parts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "info"),
            (self.hints, "hint"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
        format!(
            "{} ({}) in {files}",
            plural(total, "finding"),
            parts.join(", ")
        )
    }
}

/// Human output: `path:line:col severity [rule] message`, the line with the match underlined,
/// and the reframes. Colour only when `color` (a terminal).
pub fn human(out: &mut dyn Write, reports: &[FileReport<'_>], color: bool) -> io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    for r in reports {
        let index = LineIndex::new(r.text);
        let mut cursor = index.cursor();
        for n in r.notices {
            let (line, col) = cursor.position(n.range.start);
            writeln!(
                out,
                "{}:{line}:{col} {} {}",
                r.path,
                paint("33", "warning"),
                n.message
            )?;
        }
        let mut cursor = index.cursor();
        for f in r.findings {
            let (line, col) = cursor.position(f.range.start);
            let severity = f.severity.as_str();
            let code = match severity {
                "error" => "31;1",
                "warning" => "33;1",
                "info" => "34;1",
                _ => "36",
            };
            writeln!(
                out,
                "{}:{line}:{col} {} [{}] {}",
                r.path,
                paint(code, severity),
                f.rule.id,
                f.rule.message
            )?;
            if r.text[f.range.clone()].contains('\n') {
                // A match across line breaks (rare): every line it covers, each underlined from
                // where the match starts on it to where it ends on it.
                let (end_line, end_col) = index.position(f.range.end);
                for number in line..=end_line {
                    let source_line = index.line_text(number);
                    let from = if number == line { col } else { 1 };
                    let to = if number == end_line {
                        end_col
                    } else {
                        source_line.chars().count() + 1
                    };
                    writeln!(out, "    {source_line}")?;
                    writeln!(
                        out,
                        "    {}{}",
                        " ".repeat(from - 1),
                        paint(code, &"^".repeat(to.saturating_sub(from).max(1)))
                    )?;
                }
            } else {
                // The line around the match, cut to a window on a long line (a whole note
                // exported as one line), so output stays linear in the findings.
                let excerpt = index.excerpt(line, &f.range, EXCERPT_CONTEXT_BYTES);
                writeln!(
                    out,
                    "    {}{}{}",
                    excerpt.before, excerpt.text, excerpt.after
                )?;
                writeln!(
                    out,
                    "    {}{}",
                    " ".repeat(excerpt.caret),
                    paint(code, &"^".repeat(excerpt.width))
                )?;
            }
            if !f.reframes.is_empty() {
                let list: Vec<String> = f.reframes.iter().map(|s| format!("“{s}”")).collect();
                writeln!(out, "    reframe: {}", list.join(", "))?;
            }
        }
    }
    Ok(())
}

/// How much of a long line human output shows either side of a match.
const EXCERPT_CONTEXT_BYTES: usize = 120;

/// GitHub workflow commands: one annotation line per finding.
pub fn github(out: &mut dyn Write, reports: &[FileReport<'_>]) -> io::Result<()> {
    fn escape_data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn escape_property(s: &str) -> String {
        escape_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    for r in reports {
        let index = LineIndex::new(r.text);
        let mut cursor = index.ranges();
        for f in r.findings {
            let ((line, col), (end_line, end_col)) = cursor.range(&f.range);
            let level = match f.severity.as_str() {
                "error" => "error",
                "warning" => "warning",
                _ => "notice",
            };
            let mut message = f.rule.message.clone();
            if let Some(first) = f.reframes.first() {
                message.push_str(&format!(" Consider: “{first}”."));
            }
            writeln!(
                out,
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_property(r.path),
                escape_property(&format!("reframe: {}", f.rule.id)),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// SARIF 2.1.0, as GitHub code scanning accepts it. Serialise it with serde_json: the results
/// are made one at a time as they are written, so a file with a million findings never holds a
/// million JSON trees.
pub fn sarif<'r, 'a: 'r>(
    reports: &'r [FileReport<'a>],
    rules: &[std::sync::Arc<crate::rule::Rule>],
) -> impl Serialize + 'r {
    use serde_json::json;
    let mut used: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.rule.id.as_str()))
        .collect();
    used.sort();
    used.dedup();
    let descriptors: Vec<_> = used
        .iter()
        .filter_map(|id| rules.iter().find(|r| r.id == *id))
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.message},
                "fullDescription": {"text": r.why.trim()},
                "helpUri": format!("{DOCS_URL}#{}", r.id),
                "help": {"text": r.why.trim(), "markdown": r.why.trim()},
                "properties": {"category": r.category.as_str(), "tags": [r.category.as_str()]},
                "defaultConfiguration": {"level": sarif_level(r.severity.as_str())}
            })
        })
        .collect();
    // Fields in the order serde_json's sorted maps gave them when the log was one `Value`.
    #[derive(Serialize)]
    struct Log<'r, 'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        runs: [Run<'r, 'a>; 1],
        version: &'static str,
    }
    #[derive(Serialize)]
    struct Run<'r, 'a> {
        #[serde(rename = "columnKind")]
        column_kind: &'static str,
        results: SarifResults<'r, 'a>,
        tool: serde_json::Value,
    }
    let tool = json!({"driver": {
        "name": "reframe",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": DOCS_URL,
        "rules": descriptors
    }});
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            results: SarifResults {
                reports,
                rule_ids: used,
            },
            tool,
        }],
        version: "2.1.0",
    }
}

/// The `results` of a SARIF run, each made as it is written.
struct SarifResults<'r, 'a> {
    reports: &'r [FileReport<'a>],
    /// The ids of the rules with findings, sorted: a result's `ruleIndex` is its place here.
    rule_ids: Vec<&'r str>,
}

impl Serialize for SarifResults<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        use serde_json::json;
        let mut seq = serializer.serialize_seq(None)?;
        for r in self.reports {
            let index = LineIndex::new(r.text);
            let mut cursor = index.ranges();
            for f in r.findings {
                let ((line, col), (end_line, end_col)) = cursor.range(&f.range);
                let mut text = f.rule.message.clone();
                if let Some(first) = f.reframes.first() {
                    text.push_str(&format!(" Consider: “{first}”."));
                }
                seq.serialize_element(&json!({
                    "ruleId": f.rule.id,
                    "ruleIndex": self.rule_ids.binary_search(&f.rule.id.as_str()).unwrap_or(0),
                    "level": sarif_level(f.severity.as_str()),
                    "message": {"text": text},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": r.path.replace('\\', "/")},
                            "region": {
                                "startLine": line, "startColumn": col,
                                "endLine": end_line, "endColumn": end_col
                            }
                        }
                    }]
                }))?;
            }
        }
        seq.end()
    }
}

fn sarif_level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `serde_json`'s pretty printer writes for `finding`, indented as an array element.
    fn printed(finding: &JsonFinding<'_>) -> Vec<u8> {
        let element = serde_json::to_vec_pretty(finding).unwrap();
        let mut indented = Vec::new();
        for (i, line) in element.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                indented.extend_from_slice(b"\n  ");
            }
            indented.extend_from_slice(line);
        }
        indented
    }

    #[test]
    fn elements_are_written_as_the_pretty_printer_writes_them() {
        let reframes = [
            "hesitant \"about\"".to_string(),
            "tab\there, back\\slash, “curly”".to_string(),
        ];
        let mut messages = EscapedMessages::default();
        for (reframes, safety) in [
            (&reframes[..], vec!["safe", "suggestion"]),
            (&reframes[..1], vec!["suggestion"]),
            (&[][..], vec![]),
        ] {
            let finding = JsonFinding {
                path: "notes/a \"b\".md",
                rule: "resistant-to",
                category: "blame",
                severity: "warning",
                message: "“Resistant to …” frames\nhesitation; control \u{1}",
                matched: "resistant to",
                line: 12,
                column: 1,
                end_line: 13,
                end_column: 2048,
                offset: JsonOffset {
                    start: 0,
                    end: 1_000_000,
                },
                reframes,
                reframe_safety: safety,
            };
            // Twice: the second time the message comes from the memo.
            for _ in 0..2 {
                let mut written = Vec::new();
                finding.write_element(&mut written, &mut messages).unwrap();
                assert_eq!(
                    String::from_utf8(written).unwrap(),
                    String::from_utf8(printed(&finding)).unwrap()
                );
            }
        }
    }
}
