//! Reading rule files: TOML text in, validated [`Rule`]s with their file and line out.
//!
//! Built-in files are embedded by `build.rs`; user files and rule packs are read from disk. Both
//! go through [`parse_rule_file`], so a facilitator's pack is held to the library's standard.

use crate::error::LocatedError;
use crate::rule::Rule;
use crate::rule_header::header_start;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Where a rule was defined, so `rules test` and error messages can point at it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The rule file (for built-in rules, its path inside the repository).
    pub path: PathBuf,
    /// 1-based line of the rule's `[[rule]]` table.
    pub line: usize,
}

/// A rule together with where it came from.
#[derive(Clone, Debug)]
pub struct LoadedRule {
    /// The rule as written.
    pub rule: Arc<Rule>,
    /// Its file and line.
    pub origin: Origin,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<Rule>>,
}

/// Parses and validates one rule file. `path` is used only for messages.
pub fn parse_rule_file(path: &Path, source: &str) -> Result<Vec<LoadedRule>, LocatedError> {
    let file: RuleFile =
        toml::from_str(source).map_err(|e| LocatedError::from_toml(path, source, &e))?;
    let mut rules = Vec::with_capacity(file.rule.len());
    // Rules come in file order, so count newlines from the previous rule on (linear, not
    // quadratic: the built-in library is parsed at every start).
    let (mut counted_to, mut line) = (0, 1);
    for spanned in file.rule {
        let start = header_start(source, spanned.span().start);
        let rule = spanned.into_inner();
        rule.validate()
            .map_err(|message| LocatedError::at_offset(path, source, start, message))?;
        if start < counted_to {
            (counted_to, line) = (0, 1);
        }
        line += source.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = start;
        rules.push(LoadedRule {
            rule: Arc::new(rule),
            origin: Origin {
                path: path.to_path_buf(),
                line,
            },
        });
    }
    Ok(rules)
}

/// Reads a rule file, or every `.toml` file in a folder (sorted), from disk.
pub fn read_rule_path(path: &Path) -> Result<Vec<LoadedRule>, LocatedError> {
    let metadata = std::fs::metadata(path).map_err(|e| {
        LocatedError::whole_file(
            path,
            format!("cannot read rule file {}: {e}", path.display()),
        )
    })?;
    if metadata.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| LocatedError::whole_file(path, format!("cannot read folder: {e}")))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
            .collect();
        files.sort();
        let mut rules = Vec::new();
        for file in files {
            rules.extend(read_rule_file(&file)?);
        }
        return Ok(rules);
    }
    read_rule_file(path)
}

/// Largest rule file read from disk; anything bigger is a mistake (`/dev/zero`, a log file).
const MAX_RULE_FILE_BYTES: u64 = 16 * 1024 * 1024;

fn read_rule_file(path: &Path) -> Result<Vec<LoadedRule>, LocatedError> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| LocatedError::whole_file(path, format!("cannot read rule file: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LocatedError::whole_file(path, format!("cannot read rule file: {e}")))?;
    if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
        return Err(LocatedError::whole_file(
            path,
            "rule file is larger than 16 MiB; is this the right file?",
        ));
    }
    let source = String::from_utf8(bytes)
        .map_err(|_| LocatedError::whole_file(path, "rule file is not valid UTF-8"))?;
    if crate::lexicon::is_lexicon(path) {
        return crate::lexicon::parse(path, &source);
    }
    parse_rule_file(path, &source)
}

/// The built-in library, parsed. The embedded files are checked by the test suite, so a failure
/// here is a build defect and reported as such.
pub fn builtin_rules() -> Vec<LoadedRule> {
    builtin_rules_with(|loaded| loaded)
}

/// The built-in library, each rule passed through `prepare` as soon as it is parsed. `build.rs`
/// parsed the files and embedded their rules as JSON in pieces of about 64 KB of rule file;
/// each piece is read, and its rules prepared, on a thread of its own: that is nearly all of
/// the library's start-up, and pieces of equal size keep both cores busy to the end.
pub fn builtin_rules_with<T: Send>(prepare: impl Fn(LoadedRule) -> T + Sync) -> Vec<T> {
    let prepare = &prepare;
    std::thread::scope(|scope| {
        let readers: Vec<_> = BUILTIN_RULE_PIECES
            .iter()
            .map(|&(path, json)| {
                scope.spawn(move || {
                    let rules: Vec<(usize, Rule)> = serde_json::from_str(json)
                        .unwrap_or_else(|e| panic!("built-in rules of {path} are invalid: {e}"));
                    rules
                        .into_iter()
                        .map(|(line, rule)| {
                            rule.validate()
                                .unwrap_or_else(|e| panic!("{path}:{line}: built-in rule: {e}"));
                            prepare(LoadedRule {
                                rule: Arc::new(rule),
                                origin: Origin {
                                    path: PathBuf::from(path),
                                    line,
                                },
                            })
                        })
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        readers
            .into_iter()
            .flat_map(|reader| {
                reader
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[rule]]
id = "x-rule"
category = "blame"
severity = "warning"
phrases = ["resistant"]
message = "m"
why = "w"
reframes = ["hesitant"]
sources = [{ title = "t", url = "https://example.org" }]
[rule.examples]
flag = ["The client is resistant."]
pass = ["Water-resistant."]
"#;

    /// The rules `build.rs` embedded are the rules of the files as written, each at its line,
    /// and the largest file is read in several pieces.
    #[test]
    fn embedded_rules_are_the_files_rules_at_their_lines() {
        let mut embedded = builtin_rules().into_iter();
        for &(path, source) in BUILTIN_RULE_FILES {
            for written in parse_rule_file(Path::new(path), source).unwrap() {
                let piece = embedded.next().expect("every written rule is embedded");
                assert_eq!(
                    (&piece.rule, &piece.origin),
                    (&written.rule, &written.origin)
                );
            }
        }
        assert!(embedded.next().is_none());
        assert!(BUILTIN_RULE_PIECES.len() > BUILTIN_RULE_FILES.len());
    }

    #[test]
    fn parses_and_records_line() {
        let rules = parse_rule_file(Path::new("a.toml"), GOOD).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].rule.id, "x-rule");
        assert_eq!(rules[0].origin.line, 2);
        // Every rule of a file points at its own header, not the one before it.
        let three = format!(
            "{GOOD}{}{}",
            GOOD.replace("x-rule", "y-rule"),
            GOOD.replace("x-rule", "z-rule")
        );
        let rules = parse_rule_file(Path::new("a.toml"), &three).unwrap();
        let lines: Vec<&str> = three.lines().collect();
        for loaded in &rules {
            assert_eq!(lines[loaded.origin.line - 1], "[[rule]]");
            assert_eq!(
                lines[loaded.origin.line],
                format!("id = \"{}\"", loaded.rule.id)
            );
        }
        assert_eq!(rules.len(), 3);
    }

    #[test]
    fn unknown_field_is_located() {
        let bad = GOOD.replace("message = \"m\"", "mesage = \"m\"");
        let err = parse_rule_file(Path::new("a.toml"), &bad).unwrap_err();
        assert_eq!(err.path, Path::new("a.toml"));
        assert!(err.message.contains("mesage"), "{err}");
        assert!(err.line >= 2, "{err}");
    }

    #[test]
    fn bad_category_is_located_at_its_line() {
        let bad = GOOD.replace("\"blame\"", "\"rude\"");
        let err = parse_rule_file(Path::new("a.toml"), &bad).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("rude"), "{err}");
    }

    #[test]
    fn validation_error_points_at_rule() {
        let bad = GOOD.replace("id = \"x-rule\"", "id = \"X_rule\"");
        let err = parse_rule_file(Path::new("a.toml"), &bad).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("kebab-case"), "{err}");
    }
}
