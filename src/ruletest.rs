//! Checking rules against their own examples, and the library against the labelled corpus.
//!
//! Each rule's examples run with only that rule loaded, so a `pass` example passes because of
//! the rule's guards, not because another rule's longer match hid it.

use crate::builder::EngineBuilder;
use crate::config::{QuoteMode, Settings};
use crate::engine::{Engine, Library};
use crate::error::{Error, LocatedError, Result};
use crate::load::LoadedRule;
use crate::prose::DocKind;
use crate::rule::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// An example that did not behave as its rule says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// Rule file.
    pub path: PathBuf,
    /// Line of the example (or of the rule when the example cannot be found in the text).
    pub line: usize,
    /// Rule id.
    pub rule: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: [{}] {}",
            self.path.display(),
            self.line,
            self.rule,
            self.message
        )
    }
}

/// Runs every example of `rules`. `source_of` gives a rule file's text, to locate examples.
pub fn run_examples(
    rules: &[LoadedRule],
    source_of: &dyn Fn(&Path) -> Option<String>,
) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    let mut sources: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    for loaded in rules {
        let source = sources
            .entry(loaded.origin.path.clone())
            .or_insert_with(|| source_of(&loaded.origin.path));
        let locate = |sentence: &str| -> usize {
            source
                .as_deref()
                .and_then(|s| {
                    let rule_start = nth_line_offset(s, loaded.origin.line);
                    // The sentence as a TOML string first: bare, it may be part of another.
                    let rest = &s[rule_start..];
                    [format!("\"{sentence}\""), format!("'{sentence}'")]
                        .iter()
                        .find_map(|quoted| rest.find(quoted.as_str()))
                        .or_else(|| rest.find(sentence))
                        .map(|i| crate::error::line_column(s, rule_start + i).0)
                })
                .unwrap_or(loaded.origin.line)
        };
        let fail = |line: usize, message: String| ExampleFailure {
            path: loaded.origin.path.clone(),
            line,
            rule: loaded.rule.id.clone(),
            message,
        };
        let engine = EngineBuilder::new()
            .library(Library::None)
            .rules([loaded.clone()])
            .settings(Settings {
                quotes: Some(QuoteMode::Flag),
                ..Settings::default()
            })
            .build();
        let engine = match engine {
            Ok(engine) => engine,
            Err(error) => {
                failures.push(fail(error.line, error.message));
                continue;
            }
        };
        let id = &loaded.rule.id;
        for sentence in &loaded.rule.examples.flag {
            let report = engine.lint(sentence, DocKind::PlainText).findings;
            if !report.iter().any(|f| &f.rule.id == id) {
                failures.push(fail(
                    locate(sentence),
                    format!("flag example not flagged: {sentence:?}"),
                ));
            }
        }
        for sentence in &loaded.rule.examples.pass {
            let report = engine.lint(sentence, DocKind::PlainText).findings;
            if let Some(f) = report.iter().find(|f| &f.rule.id == id) {
                failures.push(fail(
                    locate(sentence),
                    format!(
                        "pass example flagged at {:?}: {sentence:?}",
                        &sentence[f.range.clone()]
                    ),
                ));
            }
        }
    }
    failures
}

fn nth_line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// One labelled sentence of the accuracy corpus.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The sentence.
    pub text: String,
    /// Exact substrings that must be flagged; empty for traps.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Who writes like this.
    #[serde(default)]
    pub voice: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusFile {
    #[serde(default)]
    case: Vec<Case>,
}

/// Accuracy for one category file of the corpus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CategoryScore {
    /// Labelled phrases.
    pub phrases: usize,
    /// Labelled phrases a finding overlapped.
    pub caught: usize,
    /// Trap sentences.
    pub traps: usize,
    /// Trap sentences with any finding.
    pub false_alarms: usize,
    /// Human-readable misses and false alarms.
    pub problems: Vec<String>,
}

/// Scores `engine` on every `*.toml` corpus file in `dir`, keyed by file stem (the category).
pub fn evaluate(engine: &Engine, dir: &Path) -> Result<BTreeMap<String, CategoryScore>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut scores = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
        let corpus: CorpusFile =
            toml::from_str(&source).map_err(|e| LocatedError::from_toml(&file, &source, &e))?;
        let mut score = CategoryScore::default();
        for case in &corpus.case {
            let report = engine.lint(&case.text, DocKind::PlainText);
            let findings: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.severity > Severity::Off)
                .collect();
            if case.flag.is_empty() {
                score.traps += 1;
                if let Some(f) = findings.first() {
                    score.false_alarms += 1;
                    score.problems.push(format!(
                        "false alarm [{}] {:?} in: {}",
                        f.rule.id,
                        &case.text[f.range.clone()],
                        case.text
                    ));
                }
            }
            for phrase in &case.flag {
                score.phrases += 1;
                let Some(at) = case.text.find(phrase.as_str()) else {
                    let offset = source.find(phrase.as_str()).unwrap_or(0);
                    return Err(LocatedError::at_offset(
                        &file,
                        &source,
                        offset,
                        format!("{phrase:?} is not in the case's text"),
                    )
                    .into());
                };
                let span = at..at + phrase.len();
                if findings
                    .iter()
                    .any(|f| f.range.start < span.end && span.start < f.range.end)
                {
                    score.caught += 1;
                } else {
                    score
                        .problems
                        .push(format!("missed {phrase:?} in: {}", case.text));
                }
            }
        }
        let name = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        scores.insert(name, score);
    }
    Ok(scores)
}
