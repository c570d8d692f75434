//! The tools' arguments and results. rmcp turns these types into each tool's `inputSchema` and
//! `outputSchema` (through schemars), so the doc comments here are what an assistant reads
//! about every field.

use crate::engine::{Finding, Notice};
use crate::lines::LineIndex;
use crate::prose::DocKind;
use crate::rule::{Category, FixSafety, Rule, Severity, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the text is read.
#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TextFormat {
    /// CommonMark: code, HTML and link targets are skipped, only prose is checked.
    #[default]
    Markdown,
    /// Plain text: everything is prose.
    Text,
}

impl TextFormat {
    /// The engine's name for the same choice.
    pub fn doc_kind(self) -> DocKind {
        match self {
            TextFormat::Markdown => DocKind::Markdown,
            TextFormat::Text => DocKind::PlainText,
        }
    }
}

/// Arguments of `check_text`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckTextArgs {
    /// The draft to check.
    pub text: String,
    /// `markdown` (default) or `text`.
    #[serde(default)]
    pub format: TextFormat,
    /// Return at most this many findings, in text order (default 500); `total` still counts
    /// them all.
    #[serde(default)]
    pub max_findings: Option<usize>,
}

/// Arguments of `reframe_text`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReframeTextArgs {
    /// The draft to reframe.
    pub text: String,
    /// `markdown` (default) or `text`.
    #[serde(default)]
    pub format: TextFormat,
    /// Also apply preferred reframes that are suggestions, which may change what the sentence
    /// says (default false: only reframes marked safe).
    #[serde(default, rename = "unsafe")]
    pub include_unsafe: bool,
    /// List at most this many changes, and this many findings that need judgement (default
    /// 500); every change is applied to `text` whatever the limit, and the totals count them all.
    #[serde(default)]
    pub max_findings: Option<usize>,
}

/// Arguments of `explain`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplainArgs {
    /// A rule id (like `resistant`) or a phrase (like "the client is resistant").
    pub rule_or_phrase: String,
}

/// Arguments of `list_rules`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRulesArgs {
    /// Only the rules of this category.
    #[serde(default)]
    pub category: Option<Category>,
}

/// Where a match sits in the text that was sent.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Position {
    /// 1-based line of the first character.
    pub line: usize,
    /// 1-based column of the first character, counted in Unicode characters (scalar values).
    pub column: usize,
    /// 1-based line just past the match.
    pub end_line: usize,
    /// 1-based column just past the match, in Unicode characters.
    pub end_column: usize,
    /// Byte offset of the match's start in the UTF-8 text.
    pub start: usize,
    /// Byte offset just past the match in the UTF-8 text.
    pub end: usize,
}

impl Position {
    /// The position of `range` in the text `index` was built on.
    pub fn of(index: &LineIndex<'_>, range: &std::ops::Range<usize>) -> Position {
        let (line, column) = index.position(range.start);
        let (end_line, end_column) = index.position(range.end);
        Position {
            line,
            column,
            end_line,
            end_column,
            start: range.start,
            end: range.end,
        }
    }
}

/// One flagged phrase.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingOut {
    /// The rule's id (see `explain`).
    pub rule: String,
    /// The rule's category.
    pub category: Category,
    /// Severity under the project's settings.
    pub severity: Severity,
    /// The text that matched.
    pub matched: String,
    /// Where it matched.
    pub position: Position,
    /// One line naming the issue.
    pub message: String,
    /// Why the wording can hurt.
    pub why: String,
    /// Replacements for `matched`, preferred first; may be empty.
    pub reframes: Vec<ReframeOut>,
    /// Whether the match sits inside quotation marks (someone's own words).
    pub quoted: bool,
}

/// One replacement for a match.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReframeOut {
    /// The replacement text, written out for this match.
    pub text: String,
    /// Whether it keeps the meaning (`reframe_text` applies it unasked); otherwise it is a
    /// suggestion for the writer to weigh.
    pub safe: bool,
}

impl FindingOut {
    /// The finding as the tools report it.
    pub fn new(text: &str, index: &LineIndex<'_>, finding: &Finding) -> FindingOut {
        FindingOut {
            rule: finding.rule.id.clone(),
            category: finding.rule.category,
            severity: finding.severity,
            matched: text[finding.range.clone()].to_string(),
            position: Position::of(index, &finding.range),
            message: finding.rule.message.clone(),
            why: finding.rule.why.trim().to_string(),
            reframes: finding
                .reframes
                .iter()
                .enumerate()
                .map(|(i, text)| ReframeOut {
                    text: text.clone(),
                    safe: finding.rule.reframe_safety(i) == FixSafety::Safe,
                })
                .collect(),
            quoted: finding.quoted,
        }
    }
}

/// A problem with a `reframe-disable` comment in the text.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NoticeOut {
    /// What is wrong.
    pub message: String,
    /// Where the comment is.
    pub position: Position,
}

impl NoticeOut {
    /// The notice as the tools report it.
    pub fn new(index: &LineIndex<'_>, notice: &Notice) -> NoticeOut {
        NoticeOut {
            message: notice.message.clone(),
            position: Position::of(index, &notice.range),
        }
    }
}

/// Result of `check_text`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CheckResult {
    /// Findings in text order (at most `max_findings`).
    pub findings: Vec<FindingOut>,
    /// How many findings the text has in all.
    pub total: usize,
    /// How many were left out by `max_findings`.
    pub omitted: usize,
    /// Problems with suppression comments.
    pub notices: Vec<NoticeOut>,
}

/// One reframe that `reframe_text` applied.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Change {
    /// The rule behind it.
    pub rule: String,
    /// The original wording.
    pub original: String,
    /// What replaced it.
    pub replacement: String,
    /// Where the original wording was in the text that was sent.
    pub position: Position,
}

/// Why `reframe_text` left a finding for the writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JudgementReason {
    /// The rule offers no replacement: the sentence needs rewriting by the writer.
    NoReframe,
    /// The preferred reframe is a suggestion that may change the meaning; pass `unsafe: true`
    /// to apply it.
    NotMarkedSafe,
    /// A hint or info finding: worth a look, not changed automatically.
    BelowWarning,
    /// It overlaps a change that was applied.
    OverlapsChange,
}

/// A finding left unchanged, with the reason.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Judgement {
    /// Why it was not changed.
    pub reason: JudgementReason,
    /// The finding, positioned in the text that was sent.
    #[serde(flatten)]
    pub finding: FindingOut,
}

/// Result of `reframe_text`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReframeResult {
    /// The text with the changes applied; everything else is byte for byte as sent.
    pub text: String,
    /// The changes, in text order (at most `max_findings`).
    pub changes: Vec<Change>,
    /// How many changes were applied in all.
    pub total_changes: usize,
    /// Findings that need the writer's judgement, in text order (at most `max_findings`).
    pub needs_judgement: Vec<Judgement>,
    /// How many findings need the writer's judgement in all.
    pub total_needs_judgement: usize,
}

/// A published source behind a rule.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SourceOut {
    /// Title of the guidance, paper or style guide.
    pub title: String,
    /// Where to read it.
    pub url: String,
}

impl From<&Source> for SourceOut {
    fn from(source: &Source) -> SourceOut {
        SourceOut {
            title: source.title.clone(),
            url: source.url.clone(),
        }
    }
}

/// One rule, explained.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RuleExplanation {
    /// The rule's id.
    pub id: String,
    /// The rule's category.
    pub category: Category,
    /// Severity under the project's settings.
    pub severity: Severity,
    /// One line naming the issue.
    pub message: String,
    /// Why the wording can hurt.
    pub why: String,
    /// Reframe templates as written in the rule (`$1` stands for a matched word).
    pub reframes: Vec<String>,
    /// `safe` when the preferred reframe keeps the meaning in every sentence the rule flags;
    /// otherwise every reframe is a `suggestion`.
    pub fix: FixSafety,
    /// Published guidance behind the rule.
    pub sources: Vec<SourceOut>,
    /// Sentences the rule flags.
    pub flags: Vec<String>,
    /// Sentences it leaves alone.
    pub leaves_alone: Vec<String>,
    /// When a phrase was asked about: the text of it that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// When a phrase was asked about: the reframes written out for that match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reframes_for_match: Option<Vec<String>>,
}

impl RuleExplanation {
    /// Everything about `rule`, at `severity`.
    pub fn new(rule: &Rule, severity: Severity) -> RuleExplanation {
        RuleExplanation {
            id: rule.id.clone(),
            category: rule.category,
            severity,
            message: rule.message.clone(),
            why: rule.why.trim().to_string(),
            reframes: rule.reframes.clone(),
            fix: rule.fix,
            sources: rule.sources.iter().map(SourceOut::from).collect(),
            flags: rule.examples.flag.clone(),
            leaves_alone: rule.examples.pass.clone(),
            matched: None,
            reframes_for_match: None,
        }
    }
}

/// Result of `explain`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExplainResult {
    /// `rule_id` when the argument named a rule, `phrase` when it was checked as text.
    pub matched_by: MatchedBy,
    /// The rules: one for a rule id, every rule the phrase triggers otherwise.
    pub rules: Vec<RuleExplanation>,
}

/// How `explain` read its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// A rule id.
    RuleId,
    /// A phrase, checked as plain text.
    Phrase,
}

/// One rule in `list_rules`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RuleSummary {
    /// The rule's id.
    pub id: String,
    /// The rule's category.
    pub category: Category,
    /// Severity under the project's settings (`off` rules are listed too).
    pub severity: Severity,
    /// One line naming the issue.
    pub message: String,
    /// Reframe templates, preferred first.
    pub reframes: Vec<String>,
    /// `safe` when the preferred reframe keeps the meaning; otherwise `suggestion`.
    pub fix: FixSafety,
}

/// Result of `list_rules`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListRulesResult {
    /// The rules, in library order.
    pub rules: Vec<RuleSummary>,
}
