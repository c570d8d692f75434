//! Checking rules against their own examples, and the library against the labelled corpus.
//!
//! Each rule's examples run with only that rule loaded, so a `pass` example passes because of
//! the rule's guards, not because another rule's longer match hid it. Every reframe is also
//! put in place in each `flag` example (and a few more sentences) to check that it fits.

use crate::builder::EngineBuilder;
use crate::config::{QuoteMode, Settings};
use crate::engine::{Engine, Finding, Library};
use crate::error::{Error, LocatedError, Result};
use crate::fit::{self, Number};
use crate::load::LoadedRule;
use crate::prose::DocKind;
use crate::rule::{FixSafety, Severity};
use crate::template;
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
        let engine = EngineBuilder::new()
            .library(Library::None)
            .rules([loaded.clone()])
            .settings(Settings {
                quotes: Some(QuoteMode::Flag),
                mentions: Some(QuoteMode::Flag),
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
        let mut reframe_problems_seen = std::collections::BTreeSet::new();
        for sentence in &loaded.rule.examples.flag {
            let report = engine.lint(sentence, DocKind::PlainText).findings;
            if !report.iter().any(|f| &f.rule.id == id) {
                failures.push(fail(
                    locate(sentence),
                    format!("flag example not flagged: {sentence:?}"),
                ));
            }
            for finding in report.iter().filter(|f| &f.rule.id == id) {
                let problems = reframe_problems(&engine, sentence, finding)
                    .into_iter()
                    .chain(reframe_problems_elsewhere(&engine, sentence, finding));
                for problem in problems {
                    // Several examples can show the same problem; one report is enough.
                    if reframe_problems_seen.insert(problem.clone()) {
                        failures.push(fail(locate(sentence), problem));
                    }
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
        let at_start = template::at_sentence_start(&sentence[..range.start]);
        for problem in fit::capital_problems(&sentence[range.clone()], reframe, at_start) {
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

/// Reframes checked in the places writers put such words. Every reframe is tried after
/// "being" ("reports being non-compliant" must not become "reports being having difficulty").
/// A safe reframe lands unseen, so it is also tried after "is" and after the article the match
/// takes. A rule whose guards leave a place alone is not checked there, nor are places the match
/// cannot fill: a verb form after "being" or "is", an article before a plural or before a match
/// that starts with its own determiner.
fn reframe_problems_elsewhere(engine: &Engine, sentence: &str, finding: &Finding) -> Vec<String> {
    let safe = finding.rule.reframe_safety(0) == FixSafety::Safe;
    let matched = &sentence[finding.range.clone()];
    let first = matched
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let mut places: Vec<Place> = Vec::new();
    // A match that is itself a verb form ("neglected to", "binge watching") cannot follow "is".
    let last = matched.split_whitespace().last().unwrap_or_default();
    let verb_like = first.ends_with("ed")
        || first.ends_with("ing")
        || first.ends_with('s')
        || (last.ends_with("ing") && !last.contains('-'));
    if !verb_like {
        places.push(Place {
            text: format!("The client reports being {matched} lately."),
            after_be: true,
            only_safe: false,
        });
        if safe {
            places.push(Place {
                text: format!("The client is {matched} lately."),
                after_be: true,
                only_safe: true,
            });
        }
    }
    let determiner = DETERMINERS.contains(&first.as_str());
    let plural =
        looks_plural(matched) || match_number(engine, sentence, finding) == Some(Number::Plural);
    if safe && !determiner && !plural {
        let article = if fit::starts_with_vowel_sound(matched) {
            "an"
        } else {
            "a"
        };
        places.push(Place {
            text: format!("There was {article} {matched} here."),
            after_be: false,
            only_safe: true,
        });
    }
    let mut problems = Vec::new();
    for Place {
        text: place,
        after_be,
        only_safe,
    } in &places
    {
        let report = engine.lint(place, DocKind::PlainText);
        for found in &report.findings {
            if place[found.range.clone()] != *matched || found.rule.id != finding.rule.id {
                continue;
            }
            let tried = if *only_safe { 1 } else { found.reframes.len() };
            for (i, reframe) in found.reframes.iter().take(tried).enumerate() {
                // A reframe that is a finite verb phrase ("was pulled away") replaces one, which
                // no "being" or "is" comes before.
                if *after_be && fit::starts_with_finite_verb(reframe) {
                    continue;
                }
                let fixed = format!(
                    "{}{reframe}{}",
                    &place[..found.range.start],
                    &place[found.range.end..]
                );
                let replaced = found.range.start..found.range.start + reframe.len();
                let kind = match found.rule.reframe_safety(i) {
                    FixSafety::Safe => "safe reframe",
                    FixSafety::Suggestion => "reframe",
                };
                for problem in fit::seam_problems(&fixed, &replaced) {
                    problems.push(format!(
                        "{kind} “{reframe}” does not fit “{fixed}”: {problem}"
                    ));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// A sentence a match is tried in by [`reframe_problems_elsewhere`].
struct Place {
    text: String,
    /// The match follows a form of *to be*.
    after_be: bool,
    /// Only a safe reframe is tried here.
    only_safe: bool,
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
struct Case {
    /// The sentence.
    text: String,
    /// Exact substrings that must be flagged; empty for traps.
    #[serde(default)]
    flag: Vec<String>,
    /// Who writes like this (therapist, clinician, …): documents the case; the format stays
    /// strict, so a misspelt key is an error.
    #[serde(default)]
    #[allow(dead_code)]
    voice: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_rule_file;

    /// The failures `run_examples` reports for one rule with these fields and flag examples.
    fn failures(fields: &str, flag: &[&str]) -> Vec<String> {
        let flag: Vec<String> = flag.iter().map(|s| format!("{s:?}")).collect();
        let source = format!(
            "[[rule]]\nid = \"x-rule\"\ncategory = \"blame\"\nseverity = \"warning\"\n{fields}\n\
             message = \"m\"\nwhy = \"w\"\nsources = [{{ title = \"t\", url = \"https://example.org\" }}]\n\
             [rule.examples]\nflag = [{}]\npass = [\"nothing here\", \"nor here\"]\n",
            flag.join(", ")
        );
        let path = Path::new("x.toml");
        let rules = parse_rule_file(path, &source).unwrap();
        run_examples(&rules, &|_| Some(source.clone()))
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_reframe_offered_twice_is_reported() {
        let found = failures(
            "phrases = [\"un{happy,sad}\"]\nreframes = [\"{1:glad,calm}\", \"{1:content,calm}\"]",
            &["He was unsad today.", "She is unhappy."],
        );
        assert_eq!(found, ["reframe “calm” is offered twice"]);
    }

    #[test]
    fn a_verb_form_after_being_is_reported() {
        let found = failures(
            "phrases = [\"zonked\"]\nreframes = [\"having a rest\", \"resting\"]",
            &["She reports being zonked again.", "He was zonked."],
        );
        assert_eq!(
            found,
            [
                "reframe “having a rest” does not fit “She reports being having a rest again.”: “being having”: a verb form after “being”",
                "reframe “resting” does not fit “She reports being resting again.”: “being resting”: a verb form after “being”",
            ]
        );
    }

    #[test]
    fn an_article_that_no_longer_fits_is_reported() {
        let found = failures(
            "phrases = [\"zonky\"]\nreframes = [\"odd\", \"strange\"]",
            &["It was a zonky week.", "Zonky."],
        );
        assert_eq!(
            found,
            ["reframe “odd” does not fit “It was a odd week.”: “a odd”: “an” before a vowel sound"]
        );
    }

    #[test]
    fn a_singular_reframe_for_a_plural_match_is_reported() {
        let found = failures(
            "phrases = [\"zonker{,s}\"]\nreframes = [\"person who rests\"]",
            &["Zonkers were everywhere.", "Some zonker called."],
        );
        assert_eq!(
            found,
            ["reframe “Person who rests” is singular, but “Zonkers” is plural"]
        );
    }

    #[test]
    fn a_safe_reframe_must_fit_where_the_rule_flags_it_beyond_its_examples() {
        let fields = "phrases = [\"zonky\"]\nreframes = [\"intense\"]";
        // As a suggestion, only the examples are checked, and they read well.
        assert!(failures(fields, &["The week felt zonky.", "So zonky."]).is_empty());
        // Applied unseen, it must also fit after the article the match takes.
        let found = failures(
            &format!("{fields}\nfix = \"safe\""),
            &["The week felt zonky.", "So zonky."],
        );
        assert!(found.iter().any(|f| f.contains("“a intense”")), "{found:?}");
    }
}
