//! `reframe report`: what a group's drafts show. [`Summary`] counts findings by category, by
//! rule and by recurring phrase, and gathers flagged sentences with their reframes (a sample of
//! [`SENTENCES_PER_RULE`] per rule, so a large corpus costs counts, not its text); it is
//! rendered as JSON, Markdown or a self-contained HTML page ([`html`]) with SVG charts. It is
//! built file by file ([`SummaryBuilder`]), so no file's text is kept once it is counted.

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

use crate::lines::{Cursor, LineIndex};
use crate::output::FileReport;
use crate::rule::Category;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// How many recurring phrases the report lists.
const TOP_PHRASES: usize = 15;

/// A flagged sentence is kept while one of its findings' rules has fewer than this many kept
/// sentences in the report; the rest are counted per file. Enough to show how a rule reads in
/// context, and it bounds the report's memory and length whatever the corpus.
pub const SENTENCES_PER_RULE: usize = 50;

/// Everything a report shows, computed once and rendered in each format.
#[derive(Serialize)]
pub struct Summary {
    /// Files read, with or without findings.
    pub files: usize,
    /// All findings.
    pub findings: usize,
    /// Findings per category, every category listed (in [`Category::ALL`] order).
    pub by_category: BTreeMap<&'static str, usize>,
    /// Findings per rule, most frequent first.
    pub by_rule: Vec<RuleCount>,
    /// Matched phrases (lowercased) that occur more than once, most frequent first.
    pub recurring_phrases: Vec<PhraseCount>,
    /// One entry per file, in the order given.
    pub per_file: Vec<FileSummary>,
}

/// One rule's total.
#[derive(Serialize)]
pub struct RuleCount {
    /// The rule id.
    pub rule: String,
    /// Its category.
    pub category: &'static str,
    /// Its message, so the table explains itself.
    pub message: String,
    /// How many findings.
    pub count: usize,
}

/// One recurring phrase.
#[derive(Serialize)]
pub struct PhraseCount {
    /// The matched text, lowercased, whitespace collapsed.
    pub phrase: String,
    /// How often it was flagged.
    pub count: usize,
}

/// One file's part of the report.
#[derive(Serialize)]
pub struct FileSummary {
    /// The path as given or found.
    pub path: String,
    /// Words in the file, so counts can be read against length.
    pub words: usize,
    /// Findings in the file.
    pub findings: usize,
    /// Findings per category in this file.
    pub by_category: BTreeMap<&'static str, usize>,
    /// Sentences with a finding, in order: each one whose rules still had room in their
    /// sample of [`SENTENCES_PER_RULE`].
    pub sentences: Vec<FlaggedSentence>,
    /// Flagged sentences left out because every rule in them had its sample full.
    pub sentences_not_shown: usize,
}

/// A sentence and the findings in it.
#[derive(Serialize)]
pub struct FlaggedSentence {
    /// 1-based line where the sentence starts.
    pub line: usize,
    /// The sentence, whitespace collapsed to single spaces.
    pub text: String,
    /// The findings, with ranges into `text`.
    pub findings: Vec<SentenceFinding>,
}

/// One finding inside a [`FlaggedSentence`].
#[derive(Serialize)]
pub struct SentenceFinding {
    /// The rule id.
    pub rule: String,
    /// Its category.
    pub category: &'static str,
    /// Effective severity.
    pub severity: &'static str,
    /// The rule's message.
    pub message: String,
    /// The flagged words.
    pub matched: String,
    /// Byte range of the flagged words in the sentence's `text`.
    pub range: Range<usize>,
    /// Suggested rewordings, preferred first.
    pub reframes: Vec<String>,
}

#[cfg(test)]
impl Summary {
    /// Summarises checked files.
    pub fn new(reports: &[FileReport<'_>]) -> Summary {
        let mut builder = SummaryBuilder::default();
        reports.iter().for_each(|r| builder.add(r));
        builder.finish()
    }
}

/// A [`Summary`] built one file at a time.
#[derive(Default)]
pub struct SummaryBuilder {
    by_rule: HashMap<String, RuleCount>,
    phrases: HashMap<String, usize>,
    /// Sentences kept so far per rule id.
    sampled: HashMap<String, usize>,
    per_file: Vec<FileSummary>,
}

impl SummaryBuilder {
    /// Counts one checked file and keeps its sentences that fit in the samples.
    pub fn add(&mut self, report: &FileReport<'_>) {
        for f in report.findings {
            if let Some(count) = self.by_rule.get_mut(f.rule.id.as_str()) {
                count.count += 1;
            } else {
                self.by_rule.insert(
                    f.rule.id.clone(),
                    RuleCount {
                        rule: f.rule.id.clone(),
                        category: f.rule.category.as_str(),
                        message: f.rule.message.clone(),
                        count: 1,
                    },
                );
            }
            *self
                .phrases
                .entry(collapse_whitespace(&report.text[f.range.clone()]).to_lowercase())
                .or_default() += 1;
        }
        let file = FileSummary::new(report, &mut self.sampled);
        self.per_file.push(file);
    }

    /// The summary of every file added, in the order added.
    pub fn finish(self) -> Summary {
        let mut by_rule: Vec<RuleCount> = self.by_rule.into_values().collect();
        by_rule.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
        let mut recurring_phrases: Vec<PhraseCount> = self
            .phrases
            .into_iter()
            .filter(|&(_, count)| count > 1)
            .map(|(phrase, count)| PhraseCount { phrase, count })
            .collect();
        recurring_phrases
            .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.phrase.cmp(&b.phrase)));
        recurring_phrases.truncate(TOP_PHRASES);
        let mut by_category: BTreeMap<&'static str, usize> =
            Category::ALL.iter().map(|c| (c.as_str(), 0)).collect();
        for file in &self.per_file {
            for (category, count) in &file.by_category {
                *by_category.entry(category).or_default() += count;
            }
        }
        Summary {
            files: self.per_file.len(),
            findings: self.per_file.iter().map(|f| f.findings).sum(),
            by_category,
            by_rule,
            recurring_phrases,
            per_file: self.per_file,
        }
    }
}

impl FileSummary {
    /// One file's counts and the flagged sentences whose rules still have room in `sampled`.
    fn new(report: &FileReport<'_>, sampled: &mut HashMap<String, usize>) -> FileSummary {
        let index = LineIndex::new(report.text);
        let mut cursor = index.cursor();
        let mut grouped: Vec<(Range<usize>, Vec<&crate::engine::Finding>)> = Vec::new();
        for f in report.findings {
            let bounds = sentence_around(report.text, &f.range);
            match grouped.last_mut() {
                Some((last, members)) if last.end > f.range.start => {
                    last.end = last.end.max(bounds.end);
                    members.push(f);
                }
                _ => grouped.push((bounds, vec![f])),
            }
        }
        let mut sentences = Vec::new();
        let mut sentences_not_shown = 0;
        for (bounds, members) in grouped {
            let has_room = |f: &&crate::engine::Finding| {
                sampled.get(f.rule.id.as_str()).copied().unwrap_or(0) < SENTENCES_PER_RULE
            };
            if !members.iter().any(has_room) {
                sentences_not_shown += 1;
                continue;
            }
            for f in &members {
                *sampled.entry(f.rule.id.clone()).or_default() += 1;
            }
            sentences.push(flagged_sentence(report.text, &mut cursor, bounds, &members));
        }
        FileSummary {
            path: report.path.to_string(),
            words: report.text.split_whitespace().count(),
            findings: report.findings.len(),
            by_category: category_counts(report.findings.iter()),
            sentences,
            sentences_not_shown,
        }
    }
}

fn flagged_sentence(
    text: &str,
    lines: &mut Cursor<'_, '_>,
    bounds: Range<usize>,
    members: &[&crate::engine::Finding],
) -> FlaggedSentence {
    // Rebuild the sentence with collapsed whitespace, tracking where each finding lands.
    let mut out = String::new();
    let mut findings = Vec::new();
    let mut cursor = bounds.start;
    for f in members {
        out.push_str(&collapse_whitespace(&text[cursor..f.range.start]));
        let matched = collapse_whitespace(&text[f.range.clone()]);
        let start = out.len();
        out.push_str(&matched);
        findings.push(SentenceFinding {
            rule: f.rule.id.clone(),
            category: f.rule.category.as_str(),
            severity: f.severity.as_str(),
            message: f.rule.message.clone(),
            matched,
            range: start..out.len(),
            reframes: f.reframes.to_vec(),
        });
        cursor = f.range.end;
    }
    out.push_str(&collapse_whitespace(&text[cursor..bounds.end]));
    let leading = out.len() - out.trim_start().len();
    for f in &mut findings {
        f.range = f.range.start - leading..f.range.end - leading;
    }
    // The line of the sentence's first letter, as `check` counts lines: not the blank line or
    // line break the bounds may start on.
    let first_letter = bounds.start + (bounds.len() - text[bounds.clone()].trim_start().len());
    FlaggedSentence {
        line: lines.position(first_letter).0,
        text: out.trim().to_string(),
        findings,
    }
}

/// The sentence around `range`: the engine's sentence bounds, cut at blank lines so a
/// heading or the paragraph before is not glued on. The Python API's context column uses it too.
pub fn sentence_around(text: &str, range: &Range<usize>) -> Range<usize> {
    let bounds = crate::matcher::sentence_bounds(text, range);
    let before = &text[bounds.start..range.start];
    let start = [before.rfind("\n\n"), before.rfind("\n\r\n")]
        .into_iter()
        .flatten()
        .max()
        .map_or(bounds.start, |i| bounds.start + i + 1);
    let after = &text[range.end..bounds.end];
    let end = [after.find("\n\n"), after.find("\r\n\r\n")]
        .into_iter()
        .flatten()
        .min()
        .map_or(bounds.end, |i| range.end + i);
    start..end
}

fn category_counts<'a>(
    findings: impl Iterator<Item = &'a crate::engine::Finding>,
) -> BTreeMap<&'static str, usize> {
    let mut counts: BTreeMap<&'static str, usize> =
        Category::ALL.iter().map(|c| (c.as_str(), 0)).collect();
    for f in findings {
        *counts.entry(f.rule.category.as_str()).or_default() += 1;
    }
    counts
}

/// "s" unless there is exactly one.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_space = true;
            continue;
        }
        if in_space && (!out.is_empty() || text.starts_with(char::is_whitespace)) {
            out.push(' ');
        }
        in_space = false;
        out.push(c);
    }
    if in_space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::prose::DocKind;

    fn summary_of(files: &[(&str, &str)]) -> Summary {
        let engine = Engine::builtin();
        let reports: Vec<_> = files
            .iter()
            .map(|(path, text)| (path, text, engine.lint(text, DocKind::Markdown)))
            .collect();
        let file_reports: Vec<FileReport<'_>> = reports
            .iter()
            .map(|(path, text, report)| FileReport {
                path,
                text,
                findings: &report.findings,
                notices: &report.notices,
            })
            .collect();
        Summary::new(&file_reports)
    }

    #[test]
    fn sentences_keep_their_flagged_words_at_the_recorded_ranges() {
        let summary = summary_of(&[(
            "a.md",
            "# Note\n\nHe is  non-compliant with\nmeds. She committed suicide in 2019.\n",
        )]);
        let file = &summary.per_file[0];
        assert!(file.findings >= 2);
        for sentence in &file.sentences {
            for f in &sentence.findings {
                assert_eq!(&sentence.text[f.range.clone()], f.matched);
            }
            assert!(!sentence.text.contains('\n'), "{:?}", sentence.text);
            assert!(!sentence.text.contains("# Note"), "{:?}", sentence.text);
        }
    }

    #[test]
    fn counts_agree_across_categories_rules_and_files() {
        let summary = summary_of(&[
            ("a.md", "The client is non-compliant. A schizophrenic man."),
            ("b.md", "She is non-compliant again."),
            ("c.md", "Nothing to see."),
        ]);
        assert_eq!(summary.files, 3);
        assert_eq!(
            summary.by_category.values().sum::<usize>(),
            summary.findings
        );
        assert_eq!(
            summary.by_rule.iter().map(|r| r.count).sum::<usize>(),
            summary.findings
        );
        assert_eq!(
            summary.per_file.iter().map(|f| f.findings).sum::<usize>(),
            summary.findings
        );
        assert_eq!(summary.recurring_phrases[0].phrase, "non-compliant");
        assert_eq!(summary.recurring_phrases[0].count, 2);
        assert_eq!(summary.per_file[2].findings, 0);
    }

    #[test]
    fn sentences_are_sampled_per_rule_and_the_rest_counted() {
        let many = "The client is non-compliant. ".repeat(SENTENCES_PER_RULE + 7);
        let summary = summary_of(&[
            ("a.md", &many),
            ("b.md", "She is non-compliant. He committed suicide."),
        ]);
        let (a, b) = (&summary.per_file[0], &summary.per_file[1]);
        assert_eq!(a.findings, SENTENCES_PER_RULE + 7);
        assert_eq!(a.sentences.len(), SENTENCES_PER_RULE);
        assert_eq!(a.sentences_not_shown, 7);
        // The full sample leaves out the next file's non-compliant sentence, not its other one.
        assert_eq!(b.sentences.len(), 1, "{:?}", b.sentences[0].text);
        assert_eq!(b.sentences[0].findings[0].matched, "committed suicide");
        assert_eq!(b.sentences_not_shown, 1);
        assert_eq!(summary.findings, SENTENCES_PER_RULE + 9);
    }

    #[test]
    fn whitespace_collapses_to_single_spaces() {
        assert_eq!(collapse_whitespace("a \n\t b"), "a b");
        assert_eq!(collapse_whitespace(" a "), " a ");
    }
}
