//! The properties the fuzz targets check, shared with `tests/integration/fuzz_regressions.rs`, which runs
//! every seed and saved crash through them on each `cargo test`. Each entry point takes the raw
//! fuzz bytes and panics when a property fails, so an input fails the same way in both places.
//! Structured input is decoded by hand ([`Input`]): the main crate's tests have no `arbitrary`.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use reframe::builder::EngineBuilder;
use reframe::config::{ProjectConfig, QuoteMode, Settings};
use reframe::edits::Edits;
use reframe::engine::{compile_user_rules, Engine, Finding, Library, LintCache, Report};
use reframe::error::LocatedError;
use reframe::fix::{apply_edits, preferred_edits};
use reframe::load::parse_rule_file;
use reframe::position::{apply_change, Encoding, Position, Range as EditRange};
use reframe::prose::DocKind;
use reframe::rule::Severity;
use ropey::Rope;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

/// Separates texts in structured input: 0xFF never occurs in UTF-8, so the pieces around it
/// stay whatever text the fuzzer made.
const TEXT_END: u8 = 0xFF;

/// A note with phrases the built-in rules flag, linted under each fuzzed `.reframe.toml`.
const SAMPLE_NOTE: &str = "The client is resistant and non-compliant with meds.\n\n\
    He committed suicide; the patient is an addict. `resistant` code.\n";

/// The built-in engine, built once per process: it compiles about 460 rules.
pub fn builtin() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::builtin)
}

/// Reads fuzz bytes as structured input. Past the end it yields zeros and empty text, so
/// every byte string is a valid input.
struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    fn new(data: &'a [u8]) -> Self {
        Input { rest: data }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn byte(&mut self) -> u8 {
        let Some((&first, rest)) = self.rest.split_first() else {
            return 0;
        };
        self.rest = rest;
        first
    }

    fn u64(&mut self) -> u64 {
        (0..8).fold(0, |acc, _| (acc << 8) | u64::from(self.byte()))
    }

    /// Text up to the next [`TEXT_END`] (consumed) or the end, invalid UTF-8 replaced.
    fn text(&mut self) -> String {
        let end = self
            .rest
            .iter()
            .position(|&b| b == TEXT_END)
            .unwrap_or(self.rest.len());
        let text = String::from_utf8_lossy(&self.rest[..end]).into_owned();
        self.rest = self.rest.get(end + 1..).unwrap_or_default();
        text
    }

    /// Everything left, invalid UTF-8 replaced.
    fn rest_text(&mut self) -> String {
        let text = String::from_utf8_lossy(self.rest).into_owned();
        self.rest = &[];
        text
    }
}

// ---------------------------------------------------------------------------------------------
// Rule files and `.reframe.toml`

/// Rule files and `.reframe.toml`: any bytes give a located error or a usable result, never a
/// panic. A rule file that loads is compiled and linted against its own examples; a config that
/// parses builds an engine over the built-in rules and lints a sample note.
pub fn rule_file(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    check_rule_file(&source);
    check_project_config(&source);
}

fn check_rule_file(source: &str) {
    let loaded = match parse_rule_file(Path::new("fuzz.toml"), source) {
        Ok(loaded) => loaded,
        Err(e) => return assert_located(&e, source),
    };
    for rule in &loaded {
        assert_eq!(rule.rule.validate(), Ok(()), "a loaded rule must be valid");
        assert_line_in(rule.origin.line, source);
    }
    let examples: Vec<String> = loaded
        .iter()
        .flat_map(|l| l.rule.examples.flag.iter().chain(&l.rule.examples.pass))
        .cloned()
        .collect();
    if let Err(e) = compile_user_rules(loaded.clone()) {
        return assert_located(&e, source);
    }
    let isolated = EngineBuilder::new()
        .library(Library::None)
        .settings(Settings {
            quotes: Some(QuoteMode::Flag),
            ..Settings::default()
        })
        .rules(loaded);
    // Duplicate ids are an error message, which is all this asks of them.
    let Ok(engine) = isolated.build() else {
        return;
    };
    for example in &examples {
        for kind in [DocKind::Markdown, DocKind::PlainText] {
            check_findings_in_bounds(example, &engine.lint(example, kind).findings);
        }
    }
}

fn check_project_config(source: &str) {
    let path = Path::new(".reframe.toml");
    let config = match ProjectConfig::parse(path, source.to_owned()) {
        Ok(config) => config,
        Err(e) => return assert_located(&e, source),
    };
    // Rule paths would be read from disk; the file's own keys are what is fuzzed here.
    let mut config = config;
    config.settings.rules = None;
    match EngineBuilder::new().project(config).build() {
        Ok(engine) => check_findings_in_bounds(
            SAMPLE_NOTE,
            &engine.lint(SAMPLE_NOTE, DocKind::Markdown).findings,
        ),
        Err(e) => assert_located(&e, source),
    }
}

/// An error points at a line of the file and a column of at least 1, and prints.
fn assert_located(error: &LocatedError, source: &str) {
    assert_line_in(error.line, source);
    assert!(error.column >= 1, "column {} is not 1-based", error.column);
    assert!(!error.to_string().is_empty());
}

fn assert_line_in(line: usize, source: &str) {
    let lines = source.matches('\n').count() + 1;
    assert!(
        (1..=lines).contains(&line),
        "line {line} is outside the file's {lines} lines"
    );
}

// ---------------------------------------------------------------------------------------------
// Markdown linting

/// Markdown prose extraction plus linting: findings lie inside the document, on character
/// boundaries, in order, and never in code, HTML, front matter or link destinations.
/// Also: linting again after an edit, told where the edit was, finds what a fresh lint finds.
pub fn markdown_lint(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let report = builtin().lint(&text, DocKind::Markdown);
    check_findings_in_bounds(&text, &report.findings);
    check_findings_outside_code(&text, &report.findings);
    check_incremental_lint(&text, &report);
}

/// Cuts the middle third out of `text` and puts it back, linting after each edit with the chunk
/// memo and the edit's span, and compares with fresh lints: whatever the cut opens or closes
/// (a fence, a comment, front matter), the memo must not keep a stale chunk.
pub fn check_incremental_lint(text: &str, fresh: &Report) {
    let floor = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let cut = floor(text.len() / 3)..floor(text.len() * 2 / 3);
    let mut shorter = text.to_owned();
    shorter.replace_range(cut.clone(), "");
    let engine = builtin();
    let mut cache = LintCache::default();
    engine.lint_cached(text, DocKind::Markdown, &mut cache, Edits::Unknown);
    let mut edits = Edits::None;
    edits.replaced(cut.clone(), 0);
    let after_cut = engine.lint_cached(&shorter, DocKind::Markdown, &mut cache, edits);
    assert_eq!(
        after_cut,
        engine.lint(&shorter, DocKind::Markdown),
        "after the cut"
    );
    let mut edits = Edits::None;
    edits.replaced(cut.start..cut.start, cut.len());
    let restored = engine.lint_cached(text, DocKind::Markdown, &mut cache, edits);
    assert_eq!(&restored, fresh, "after putting the cut back");
}

/// Every finding is a non-empty range of `text` on character boundaries, sorted by start.
pub fn check_findings_in_bounds(text: &str, findings: &[Finding]) {
    for f in findings {
        let Range { start, end } = f.range;
        let id = &f.rule.id;
        assert!(start < end, "{id}: empty or backwards range {start}..{end}");
        assert!(end <= text.len(), "{id}: {start}..{end} past the end");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{id}: {start}..{end} splits a character"
        );
    }
    assert!(
        findings.is_sorted_by_key(|f| f.range.start),
        "findings are not sorted by start"
    );
}

/// No finding overlaps what `reframe::prose` masks as not prose: inline code, code blocks,
/// HTML, front matter and autolinks. Link and image destinations are masked as spaces so a
/// phrase reads across `[committed](url) suicide`; so a finding may span a whole destination,
/// but neither end may fall inside one (its words never come from a URL).
pub fn check_findings_outside_code(text: &str, findings: &[Finding]) {
    let regions = markdown_regions(text);
    for f in findings {
        let Range { start, end } = f.range;
        let id = &f.rule.id;
        for (region, what) in &regions.opaque {
            assert!(
                end <= region.start || region.end <= start,
                "{id}: {start}..{end} overlaps {what} at {region:?}"
            );
        }
        for d in &regions.destinations {
            assert!(
                !(d.contains(&start) || (d.start < end && end <= d.end)),
                "{id}: {start}..{end} ends inside the link destination at {d:?}"
            );
        }
    }
}

/// What `reframe::prose` promises never to read as prose, found by a parse of its own.
#[derive(Default)]
struct Regions {
    /// Ranges no finding may touch, with what they are (for the panic message).
    opaque: Vec<(Range<usize>, &'static str)>,
    /// `](url "title")` of inline links and images.
    destinations: Vec<Range<usize>>,
}

/// The extensions `reframe::prose` enables; the regions depend on them.
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

fn markdown_regions(text: &str) -> Regions {
    let mut regions = Regions::default();
    // Open links and images: their range, the end of what is inside them so far, their type.
    let mut links: Vec<(Range<usize>, usize, LinkType)> = Vec::new();
    for (event, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        let opaque = match &event {
            Event::Code(_) => Some("inline code"),
            Event::InlineHtml(_) | Event::Html(_) | Event::Start(Tag::HtmlBlock) => Some("HTML"),
            Event::Start(Tag::CodeBlock(_)) => Some("a code block"),
            Event::Start(Tag::MetadataBlock(_)) => Some("front matter"),
            _ => None,
        };
        if let Some(what) = opaque {
            regions.opaque.push((range.clone(), what));
        }
        match event {
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                links.push((range.clone(), range.start + 1, link_type));
                continue;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((link, inner_end, link_type)) = links.pop() {
                    match link_type {
                        LinkType::Autolink | LinkType::Email => {
                            regions.opaque.push((link, "an autolink"))
                        }
                        LinkType::Inline => regions.destinations.push(inner_end..link.end),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        if let Some((_, inner_end, _)) = links.last_mut() {
            *inner_end = (*inner_end).max(range.end);
        }
    }
    regions
}

// ---------------------------------------------------------------------------------------------
// Incremental sync

/// One `didChange` content change: a range as (line, character) pairs, or the whole text.
#[derive(Clone, Debug)]
pub struct Change {
    /// Start and end, or `None` to replace everything.
    pub range: Option<((u32, u32), (u32, u32))>,
    /// The new text.
    pub text: String,
}

impl Change {
    /// Five header bytes (kind, start line, start character, end line, end character), then
    /// the text up to [`TEXT_END`]. One kind in sixteen replaces the whole document.
    fn read(input: &mut Input<'_>) -> Option<Change> {
        if input.is_empty() {
            return None;
        }
        let whole = input.byte() & 0x0F == 0x0F;
        let start = (u32::from(input.byte()), u32::from(input.byte()));
        let end = (u32::from(input.byte()), u32::from(input.byte()));
        Some(Change {
            range: (!whole).then_some((start, end)),
            text: input.text(),
        })
    }
}

/// Incremental sync: edits in UTF-16 or UTF-8 positions applied to the server's rope equal the
/// same edits applied to a plain `String` by [`model_offset`]. Input: a flags byte (bit 0:
/// UTF-8), the initial text up to [`TEXT_END`], then changes as [`Change::read`] reads them.
pub fn incremental_sync(data: &[u8]) {
    let mut input = Input::new(data);
    let encoding = if input.byte() & 1 == 1 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let initial = input.text();
    let changes: Vec<Change> = std::iter::from_fn(|| Change::read(&mut input)).collect();
    check_sync(encoding, &initial, &changes);
}

/// Applies `changes` to a rope with the server's [`apply_change`] and to a `String` model,
/// checking after each that text and line count agree, and that the changed region recorded
/// for the next lint explains every difference from the text before the changes. Returns the
/// final text.
pub fn check_sync(encoding: Encoding, initial: &str, changes: &[Change]) -> String {
    let mut rope = Rope::from_str(initial);
    let mut model = initial.to_owned();
    let mut edits = Edits::None;
    for (i, change) in changes.iter().enumerate() {
        let range = change
            .range
            .map(|(s, e)| EditRange::new(Position::new(s.0, s.1), Position::new(e.0, e.1)));
        apply_change(&mut rope, range, &change.text, encoding, &mut edits);
        apply_to_model(&mut model, change, encoding);
        assert_eq!(rope.to_string(), model, "change {i} ({encoding:?})");
        assert_eq!(
            rope.len_lines(),
            model_lines(&model).len(),
            "line count after change {i}"
        );
        match edits {
            Edits::None => assert_eq!(model, initial, "no edit recorded after change {i}"),
            Edits::Span {
                start,
                old_end,
                new_end,
            } => {
                let (before, after) = (initial.as_bytes(), model.as_bytes());
                assert_eq!(before[..start], after[..start], "prefix after change {i}");
                assert_eq!(
                    before[old_end..],
                    after[new_end..],
                    "suffix after change {i}"
                );
            }
            Edits::Unknown => assert!(
                changes[..=i].iter().any(|c| c.range.is_none()),
                "unknown edits without a whole-text change"
            ),
        }
    }
    model
}

fn apply_to_model(model: &mut String, change: &Change, encoding: Encoding) {
    let Some((start, end)) = change.range else {
        model.clone_from(&change.text);
        return;
    };
    let start = model_offset(model, start.0, start.1, encoding);
    let end = model_offset(model, end.0, end.1, encoding);
    // A backwards range is skipped, as the server documents.
    if start <= end {
        model.replace_range(start..end, &change.text);
    }
}

/// Each line of `text` as (start, end of content) byte offsets. Lines end at `\n`, `\r\n` or
/// `\r`, as the LSP specification says; the text after the last break is a line too.
fn model_lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        let break_len = match (bytes[at], bytes.get(at + 1)) {
            (b'\r', Some(b'\n')) => 2,
            (b'\r' | b'\n', _) => 1,
            _ => 0,
        };
        if break_len == 0 {
            at += 1;
        } else {
            lines.push((start, at));
            at += break_len;
            start = at;
        }
    }
    lines.push((start, bytes.len()));
    lines
}

/// The byte offset of LSP position (`line`, `character`) in `text`, counting characters in
/// UTF-8 or UTF-16 code units. A character past the line's end clamps to the end of its
/// content, a line past the end to the end of the text, and a position inside a character
/// (a surrogate half, a continuation byte) to that character's start.
pub fn model_offset(text: &str, line: u32, character: u32, encoding: Encoding) -> usize {
    let Some(&(start, end)) = model_lines(text).get(line as usize) else {
        return text.len();
    };
    let character = character as usize;
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
        if units > character {
            return start + i;
        }
    }
    end
}

// ---------------------------------------------------------------------------------------------
// Applying reframes

/// Fix-all: the crate's edits for any subset of a document's findings, spliced by the crate,
/// equal an independent splice, and every byte outside the edits is kept in order. Input: a
/// flags byte (bits 0-1: least severity, hint to error; bit 2: plain text), eight bytes whose
/// set bits leave findings out (finding `i` uses bit `i % 64`), then the document.
pub fn fix_apply(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let min = [
        Severity::Hint,
        Severity::Info,
        Severity::Warning,
        Severity::Error,
    ][usize::from(flags & 3)];
    let kind = if flags & 4 == 0 {
        DocKind::Markdown
    } else {
        DocKind::PlainText
    };
    let left_out = input.u64();
    let text = input.rest_text();
    let report = builtin().lint(&text, kind);
    let chosen: Vec<Finding> = report
        .findings
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (left_out >> (i % 64)) & 1 == 0)
        .map(|(_, f)| f)
        .collect();
    let fixed = apply_edits(&text, &preferred_edits(&chosen, min));
    check_fix(&text, &chosen, min, &fixed);
}

/// Checks `fixed`, the crate's fix-all of `chosen` findings of `text`, against a splice of its
/// own: findings in start order, each at or above `min` with a reframe, skipping any that
/// overlap an edit already taken (as `preferred_edits` documents), applied from the end.
pub fn check_fix(text: &str, chosen: &[Finding], min: Severity, fixed: &str) {
    let edits = model_edits(chosen, min);
    let mut expected = text.to_owned();
    for (range, replacement) in edits.iter().rev() {
        expected.replace_range(range.clone(), replacement);
    }
    assert_eq!(
        fixed, expected,
        "fix-all differs from the independent splice"
    );
    let mut out = 0;
    let mut kept = 0;
    for (range, replacement) in &edits {
        let untouched = &text.as_bytes()[kept..range.start];
        assert_eq!(
            &fixed.as_bytes()[out..out + untouched.len()],
            untouched,
            "bytes {kept}..{} changed",
            range.start
        );
        out += untouched.len() + replacement.len();
        kept = range.end;
    }
    assert_eq!(
        &fixed.as_bytes()[out..],
        &text.as_bytes()[kept..],
        "tail changed"
    );
}

fn model_edits(chosen: &[Finding], min: Severity) -> Vec<(Range<usize>, &str)> {
    let mut sorted: Vec<&Finding> = chosen.iter().collect();
    sorted.sort_by_key(|f| f.range.start);
    let mut edits: Vec<(Range<usize>, &str)> = Vec::new();
    for f in sorted {
        let wanted = f.severity >= min && f.severity != Severity::Off;
        let taken_until = edits.last().map_or(0, |(r, _)| r.end);
        match f.reframes.first() {
            Some(reframe) if wanted && f.range.start >= taken_until => {
                edits.push((f.range.clone(), reframe))
            }
            _ => {}
        }
    }
    edits
}
