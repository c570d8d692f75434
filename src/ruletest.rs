//! Checking rules against their own examples, and the library against the labelled corpus.
//!
//! Each rule's examples run with only that rule loaded, so a `pass` example passes because of
//! the rule's guards, not because another rule's longer match hid it.

use crate::config::{QuoteMode, Settings};
use crate::engine::{compile_user_rules, Engine, Finding};
use crate::fit::{self, Number};
use crate::load::LoadedRule;
use crate::prose::DocKind;
use crate::rule::{Category, FixSafety, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
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
        let engine = match compile_user_rules(vec![loaded.clone()])
            .map_err(|e| e.message)
            .and_then(|compiled| Engine::isolated(compiled, QuoteMode::Flag))
        {
            Ok(engine) => engine,
            Err(message) => {
                failures.push(fail(loaded.origin.line, message));
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
            for finding in report.iter().filter(|f| &f.rule.id == id) {
                for problem in reframe_problems(&engine, sentence, finding) {
                    failures.push(fail(locate(sentence), problem));
                }
                for problem in safe_reframe_problems_elsewhere(&engine, sentence, finding) {
                    failures.push(fail(locate(sentence), problem));
                }
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

/// What is wrong with the reframes of one finding in a flag example: a reframe offered twice,
/// or one that does not fit the sentence once it replaces the match (see [`crate::fit`]).
fn reframe_problems(engine: &Engine, sentence: &str, finding: &Finding) -> Vec<String> {
    let mut problems = Vec::new();
    let range = finding.range.clone();
    let number = match_number(engine, sentence, finding);
    for (i, reframe) in finding.reframes.iter().enumerate() {
        if finding.reframes[..i]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(reframe))
        {
            problems.push(format!("reframe “{reframe}” is offered twice"));
            continue;
        }
        let fixed = format!(
            "{}{reframe}{}",
            &sentence[..range.start],
            &sentence[range.end..]
        );
        let replaced = range.start..range.start + reframe.len();
        for problem in fit::seam_problems(&fixed, &replaced) {
            problems.push(format!(
                "reframe “{reframe}” does not fit “{fixed}”: {problem}"
            ));
        }
        match (number, fit::marked_number(reframe)) {
            (Some(Number::Plural), Some(Number::Singular)) => problems.push(format!(
                "reframe “{reframe}” is singular, but “{}” is plural",
                &sentence[range.clone()]
            )),
            (Some(Number::Singular), Some(Number::Plural))
                if !fit::names_a_group(&sentence[range.clone()]) =>
            {
                problems.push(format!(
                    "reframe “{reframe}” is plural, but “{}” is singular",
                    &sentence[range.clone()]
                ))
            }
            _ => {}
        }
    }
    problems
}

/// A safe reframe checked in the places writers put such words: after "being" and "is", and
/// after the article the match takes. `reframe fix` applies a safe reframe unseen, so it has to
/// fit wherever the rule flags the phrase; a suggestion is read before it is used. A rule whose
/// guards leave a place alone is not checked there, nor are places the match cannot fill: a verb
/// form after "is", an article before a plural or before a match that starts with its own
/// determiner.
fn safe_reframe_problems_elsewhere(
    engine: &Engine,
    sentence: &str,
    finding: &Finding,
) -> Vec<String> {
    if finding.rule.reframe_safety(0) != FixSafety::Safe {
        return Vec::new();
    }
    let matched = &sentence[finding.range.clone()];
    let first = matched
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let mut places = Vec::new();
    let verb_like = first.ends_with("ed") || first.ends_with("ing") || first.ends_with('s');
    if !verb_like {
        places.push(format!("The client reports being {matched} lately."));
        places.push(format!("The client is {matched} lately."));
    }
    let determiner = DETERMINERS.contains(&first.as_str());
    let plural =
        looks_plural(matched) || match_number(engine, sentence, finding) == Some(Number::Plural);
    if !determiner && !plural {
        let article = if fit::starts_with_vowel_sound(matched) {
            "an"
        } else {
            "a"
        };
        places.push(format!("There was {article} {matched} here."));
    }
    let mut problems = Vec::new();
    for place in &places {
        let report = engine.lint(place, DocKind::PlainText);
        for found in &report.findings {
            if place[found.range.clone()] != *matched || found.rule.id != finding.rule.id {
                continue;
            }
            if let Some(reframe) = found.reframes.first() {
                let fixed = format!(
                    "{}{reframe}{}",
                    &place[..found.range.start],
                    &place[found.range.end..]
                );
                let replaced = found.range.start..found.range.start + reframe.len();
                for problem in fit::seam_problems(&fixed, &replaced) {
                    problems.push(format!(
                        "safe reframe “{reframe}” does not fit “{fixed}”: {problem}"
                    ));
                }
            }
        }
    }
    problems
}

/// Whether `text` ends in a plural-looking "s" ("adults", but not "process" or "crisis").
fn looks_plural(text: &str) -> bool {
    text.ends_with('s') && !(text.ends_with("ss") || text.ends_with("us") || text.ends_with("is"))
}

/// Words that open a noun phrase themselves, so no article goes before them.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "another", "every", "any", "his", "her",
    "their", "my", "our", "your", "its", "some",
];

/// Whether the match names one person or several, read from the rule itself: a match ending in
/// "s" whose form without the "s" the rule also flags is plural ("addicts"), and one the rule
/// also flags with an "s" added is singular ("addict").
fn match_number(engine: &Engine, sentence: &str, finding: &Finding) -> Option<Number> {
    let range = &finding.range;
    let matched = &sentence[range.clone()];
    let flags = |text: &str, span: Range<usize>| {
        engine
            .lint(text, DocKind::PlainText)
            .findings
            .iter()
            .any(|f| f.rule.id == finding.rule.id && f.range == span)
    };
    if looks_plural(matched) {
        let singular = format!("{}{}", &sentence[..range.end - 1], &sentence[range.end..]);
        if flags(&singular, range.start..range.end - 1) {
            return Some(Number::Plural);
        }
    }
    if matched.ends_with(|c: char| c.is_ascii_alphabetic()) {
        let plural = format!("{}s{}", &sentence[..range.end], &sentence[range.end..]);
        if flags(&plural, range.start..range.end + 1) {
            return Some(Number::Singular);
        }
    }
    None
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
pub fn evaluate(engine: &Engine, dir: &Path) -> Result<BTreeMap<String, CategoryScore>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut scores = BTreeMap::new();
    for file in files {
        let source =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let corpus: CorpusFile = toml::from_str(&source)
            .map_err(|e| crate::error::LocatedError::from_toml(&file, &source, &e).to_string())?;
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
                    return Err(format!(
                        "{}: {phrase:?} is not in {:?}",
                        file.display(),
                        case.text
                    ));
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

/// The engine the corpus is scored with: the built-in library at default settings.
pub fn default_engine() -> Engine {
    Engine::new(Vec::new(), &Settings::default(), &|_, m| {
        crate::error::LocatedError::whole_file(Path::new("settings"), m)
    })
    .expect("default settings are valid")
}

/// Counts built-in rules per category, for documentation and the eval table.
pub fn rules_per_category(engine: &Engine) -> BTreeMap<Category, usize> {
    let mut counts = BTreeMap::new();
    for rule in engine.rules() {
        *counts.entry(rule.category).or_insert(0) += 1;
    }
    counts
}
