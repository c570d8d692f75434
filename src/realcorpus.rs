//! Scoring the real-text corpus (`tests/corpus/real/`): passages nobody on the project wrote,
//! labelled by hand, in a `tune` half rule writers may read and a `holdout` half they may not.
//!
//! Each half is scored by kind of writing (one file per kind) and by category: recall at any
//! severity, recall at warning or above, and false alarms as a share of all findings, strict
//! and counting figurative uses. The format and the scoring rules are described in
//! `tests/corpus/real/README.md`.

use crate::engine::{Engine, Finding};
use crate::error::DataError;
use crate::prose::DocKind;
use crate::rule::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The halves of the corpus, in the order they are reported.
pub const HALVES: [&str; 2] = ["tune", "holdout"];

/// A labelled phrase: either the bare phrase or `{ phrase, category }`.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
enum Label {
    Bare(String),
    Full {
        phrase: String,
        #[serde(default)]
        category: Option<String>,
    },
}

impl Label {
    fn phrase(&self) -> &str {
        match self {
            Label::Bare(phrase) | Label::Full { phrase, .. } => phrase,
        }
    }

    fn category(&self) -> Option<&str> {
        match self {
            Label::Bare(_) => None,
            Label::Full { category, .. } => category.as_deref(),
        }
    }
}

#[derive(Deserialize, Debug)]
struct Case {
    text: String,
    #[serde(default)]
    flag: Vec<Label>,
    #[serde(default)]
    hint: Vec<Label>,
    #[serde(default)]
    mention: Vec<Label>,
    #[serde(default)]
    figurative: Vec<Label>,
}

#[derive(Deserialize)]
struct KindFile {
    #[serde(default)]
    case: Vec<Case>,
}

/// Counts for one row of a table (a kind, a category, or a total).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Labelled `flag` and `hint` phrases.
    pub labelled: usize,
    /// Of those, overlapped by a finding of any severity.
    pub caught_any: usize,
    /// Labelled `flag` phrases.
    pub flags: usize,
    /// Of those, overlapped by a finding at warning or above.
    pub caught_warning: usize,
    /// Findings of any severity.
    pub findings: usize,
    /// Findings that overlap no labelled phrase, or that warn on a mention.
    pub false_alarms: usize,
    /// Findings on a phrase labelled figurative.
    pub figurative: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.labelled += other.labelled;
        self.caught_any += other.caught_any;
        self.flags += other.flags;
        self.caught_warning += other.caught_warning;
        self.findings += other.findings;
        self.false_alarms += other.false_alarms;
        self.figurative += other.figurative;
    }
}

/// One half of the corpus, scored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HalfScore {
    /// By kind of writing (file stem).
    pub by_kind: BTreeMap<String, Tally>,
    /// By category: label category for recall, the finding's rule category for false alarms.
    pub by_category: BTreeMap<String, Tally>,
    /// Misses and false alarms, one line each, for the writer tuning rules.
    pub problems: Vec<String>,
}

impl HalfScore {
    /// The sum over kinds.
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for tally in self.by_kind.values() {
            total.add(tally);
        }
        total
    }
}

/// Scores one half (a folder of `<kind>.toml` files). A missing folder scores empty.
pub fn evaluate_half(engine: &Engine, dir: &Path) -> crate::error::Result<HalfScore> {
    let mut score = HalfScore::default();
    if !dir.is_dir() {
        return Ok(score);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| crate::error::Error::io(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in files {
        let source =
            std::fs::read_to_string(&file).map_err(|e| crate::error::Error::io(&file, e))?;
        let parsed: KindFile = toml::from_str(&source)
            .map_err(|e| crate::error::LocatedError::from_toml(&file, &source, &e))?;
        let kind = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut tally = Tally::default();
        for case in &parsed.case {
            let findings: Vec<Finding> = engine
                .lint(&case.text, DocKind::PlainText)
                .findings
                .into_iter()
                .filter(|f| f.severity > Severity::Off)
                .collect();
            score_case(case, &findings, &mut tally, &mut score).map_err(|message| {
                // At the case's text in the file, found by its first words.
                let start: String = case.text.chars().take(30).collect();
                let offset = source.find(&start).unwrap_or(0);
                crate::error::LocatedError::at_offset(&file, &source, offset, message)
            })?;
        }
        score.by_kind.insert(kind, tally);
    }
    Ok(score)
}

/// Where a label sits in its case: its first occurrence.
fn locate(case: &Case, label: &Label) -> Result<Range<usize>, DataError> {
    let phrase = label.phrase();
    case.text
        .find(phrase)
        .filter(|_| !phrase.is_empty())
        .map(|at| at..at + phrase.len())
        .ok_or_else(|| DataError(format!("{phrase:?} is not in {:?}", case.text)))
}

/// Every occurrence of a label's phrase in its case. The label says how those words read in this
/// passage, so a finding on a repeat ("IDUs … mothers who were IDUs") is as right as one on the
/// first; recall still counts each label once, at its first occurrence.
fn occurrences(case: &Case, label: &Label) -> Vec<Range<usize>> {
    let phrase = label.phrase();
    if phrase.is_empty() {
        return Vec::new();
    }
    case.text
        .match_indices(phrase)
        .map(|(at, _)| at..at + phrase.len())
        .collect()
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn score_case(
    case: &Case,
    findings: &[Finding],
    tally: &mut Tally,
    score: &mut HalfScore,
) -> Result<(), DataError> {
    let spans = |labels: &[Label]| -> Result<Vec<Range<usize>>, DataError> {
        labels.iter().map(|l| locate(case, l)).collect()
    };
    let (flags, hints) = (spans(&case.flag)?, spans(&case.hint)?);
    let every = |labels: &[Label]| -> Vec<Range<usize>> {
        labels.iter().flat_map(|l| occurrences(case, l)).collect()
    };
    for labels in [&case.mention, &case.figurative] {
        spans(labels)?;
    }
    let (labelled_anywhere, mentions, figurative) = (
        [every(&case.flag), every(&case.hint)].concat(),
        every(&case.mention),
        every(&case.figurative),
    );
    let uncategorised = "uncategorised";
    for (labels, ranges, is_flag) in [(&case.flag, &flags, true), (&case.hint, &hints, false)] {
        for (label, span) in labels.iter().zip(ranges) {
            let category = label.category().unwrap_or(uncategorised).to_string();
            let row = score.by_category.entry(category).or_default();
            let any = findings.iter().any(|f| overlaps(&f.range, span));
            let warned = findings
                .iter()
                .any(|f| f.severity >= Severity::Warning && overlaps(&f.range, span));
            for t in [&mut *tally, row] {
                t.labelled += 1;
                t.caught_any += usize::from(any);
                if is_flag {
                    t.flags += 1;
                    t.caught_warning += usize::from(warned);
                }
            }
            if !any {
                score.problems.push(format!(
                    "missed {} {:?} in: {}",
                    if is_flag { "flag" } else { "hint" },
                    label.phrase(),
                    case.text
                ));
            } else if is_flag && !warned {
                score.problems.push(format!(
                    "below warning {:?} in: {}",
                    label.phrase(),
                    case.text
                ));
            }
        }
    }
    for finding in findings {
        let row = score
            .by_category
            .entry(finding.rule.category.as_str().to_string())
            .or_default();
        let on = |spans: &[Range<usize>]| spans.iter().any(|s| overlaps(&finding.range, s));
        let labelled = on(&labelled_anywhere);
        let on_mention = on(&mentions);
        let on_figurative = on(&figurative);
        // A hint on a mention is fine; a warning on one is the writer labelled by mistake.
        let mention_ok = on_mention && finding.severity < Severity::Warning;
        let false_alarm = !labelled && !mention_ok && !on_figurative;
        let figurative_alarm = !labelled && on_figurative;
        for t in [&mut *tally, row] {
            t.findings += 1;
            t.false_alarms += usize::from(false_alarm);
            t.figurative += usize::from(figurative_alarm);
        }
        if false_alarm || figurative_alarm {
            score.problems.push(format!(
                "{} [{}] {} {:?} in: {}",
                if figurative_alarm {
                    "figurative"
                } else if on_mention {
                    "mention warned"
                } else {
                    "false alarm"
                },
                finding.rule.id,
                finding.severity,
                &case.text[finding.range.clone()],
                case.text
            ));
        }
    }
    Ok(())
}

/// Percent, with `100` for an empty denominator (nothing to miss).
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// Percent with `0` for an empty denominator (no findings, so no false alarms).
fn alarm_percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// The header of [`table_row`]'s table.
pub fn table_header(first: &str) -> String {
    format!(
        "{first:<14} {:>7} {:>8} {:>6} {:>8} {:>8} {:>9} {:>9}",
        "labels", "recall", "flags", "warn+", "findings", "alarms", "alarms+fig"
    )
}

/// One row: recall at any severity, recall at warning+, false alarms strict and with
/// figurative uses, as percentages.
pub fn table_row(name: &str, t: &Tally) -> String {
    format!(
        "{name:<14} {:>7} {:>7.1}% {:>6} {:>7.1}% {:>8} {:>8.1}% {:>9.1}%",
        t.labelled,
        percent(t.caught_any, t.labelled),
        t.flags,
        percent(t.caught_warning, t.flags),
        t.findings,
        alarm_percent(t.false_alarms, t.findings),
        alarm_percent(t.false_alarms + t.figurative, t.findings),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(toml_text: &str) -> Case {
        let file: KindFile = toml::from_str(toml_text).unwrap();
        file.case.into_iter().next().unwrap()
    }

    fn score(text: &str) -> (Tally, HalfScore) {
        let engine = Engine::builtin();
        let c = case(text);
        let findings = engine.lint(&c.text, DocKind::PlainText).findings;
        let mut tally = Tally::default();
        let mut half = HalfScore::default();
        score_case(&c, &findings, &mut tally, &mut half).unwrap();
        (tally, half)
    }

    #[test]
    fn a_flag_caught_at_warning_counts_for_both_recalls() {
        let (t, half) = score(
            r#"[[case]]
text = "He committed suicide in 2019."
flag = [{ phrase = "committed suicide", category = "suicide" }]"#,
        );
        assert_eq!(
            (t.labelled, t.caught_any, t.flags, t.caught_warning),
            (1, 1, 1, 1)
        );
        assert_eq!((t.findings, t.false_alarms), (1, 0));
        assert_eq!(half.by_category["suicide"].caught_warning, 1);
    }

    #[test]
    fn quoted_mentions_at_hint_are_not_false_alarms_but_unlabelled_findings_are() {
        let (t, _) = score(
            r#"[[case]]
text = "Avoid the phrase \"committed suicide\"."
mention = ["committed suicide"]"#,
        );
        assert_eq!((t.findings, t.false_alarms), (1, 0));
        let (t, half) = score(
            r#"[[case]]
text = "He committed suicide in 2019."
"#,
        );
        assert_eq!((t.findings, t.false_alarms), (1, 1));
        assert!(
            half.problems[0].starts_with("false alarm"),
            "{:?}",
            half.problems
        );
    }

    #[test]
    fn a_finding_on_a_repeat_of_a_labelled_phrase_is_not_a_false_alarm() {
        let (t, _) = score(
            r#"[[case]]
text = "He committed suicide in 2019; his brother committed suicide in 2021."
flag = [{ phrase = "committed suicide", category = "suicide" }]"#,
        );
        assert_eq!((t.labelled, t.caught_warning), (1, 1));
        assert_eq!((t.findings, t.false_alarms), (2, 0));
    }

    #[test]
    fn figurative_findings_are_counted_apart() {
        let (t, _) = score(
            r#"[[case]]
text = "He committed suicide in 2019."
figurative = ["committed suicide"]"#,
        );
        assert_eq!((t.findings, t.false_alarms, t.figurative), (1, 0, 1));
    }

    #[test]
    fn a_label_that_is_not_in_the_text_is_an_error() {
        let c = case("[[case]]\ntext = \"abc\"\nflag = [\"xyz\"]");
        let mut half = HalfScore::default();
        let err = score_case(&c, &[], &mut Tally::default(), &mut half).unwrap_err();
        assert!(err.0.contains("xyz"), "{err}");
    }
}
