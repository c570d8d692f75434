//! Reading rule files: TOML text in, validated [`Rule`]s with their file and line out.
//!
//! Built-in files are embedded by `build.rs`; user files and rule packs are read from disk. Both
//! go through [`parse_rule_file`], so a facilitator's pack is held to the library's standard.

use crate::error::LocatedError;
use crate::rule::Rule;
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

/// The `[[rule]]` line of the array-of-tables entry whose span starts at `offset`: at the
/// header itself, or at its first key.
fn header_start(source: &str, offset: usize) -> usize {
    const HEADER: &str = "[[rule]]";
    let mut end = (offset + HEADER.len()).min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    source[..end].rfind(HEADER).unwrap_or(offset)
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

/// The built-in library, each rule passed through `prepare` as soon as it is parsed. The files
/// are cut into pieces of about 64 KB at `[[rule]]` headers, and each piece is parsed,
/// and its rules prepared, on a thread of its own: that is nearly all of the library's start-up,
/// and pieces of equal size keep both cores busy to the end (the largest file is a third of the
/// library).
pub fn builtin_rules_with<T: Send>(prepare: impl Fn(LoadedRule) -> T + Sync) -> Vec<T> {
    let prepare = &prepare;
    std::thread::scope(|scope| {
        let parsers: Vec<_> = BUILTIN_RULE_FILES
            .iter()
            .flat_map(|&(path, source)| rule_file_pieces(source).map(move |piece| (path, piece)))
            .map(|(path, (piece, lines_before))| {
                scope.spawn(move || {
                    parse_rule_file(Path::new(path), piece).map(|rules| {
                        rules
                            .into_iter()
                            .map(|mut loaded| {
                                loaded.origin.line += lines_before;
                                prepare(loaded)
                            })
                            .collect::<Vec<T>>()
                    })
                })
            })
            .collect();
        parsers
            .into_iter()
            .flat_map(|parser| {
                parser
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    .unwrap_or_else(|e| panic!("built-in rule file is invalid: {e}"))
            })
            .collect()
    })
}

/// The size [`builtin_rules_with`] cuts rule files to.
const PIECE_BYTES: usize = 64 * 1024;

/// `source` cut before `[[rule]]` header lines into pieces of about [`PIECE_BYTES`], each with
/// the number of lines before it. A rule file holds nothing but `[[rule]]` tables (and
/// comments), so each piece is a rule file of its own.
fn rule_file_pieces(source: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut rest = source;
    let mut lines_before = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = rest
            .as_bytes()
            .get(PIECE_BYTES..)
            .and_then(|after| memchr::memmem::find(after, b"\n[[rule]]"))
            .map_or(rest.len(), |i| PIECE_BYTES + i + 1);
        let (piece, after) = rest.split_at(cut);
        let piece_start_line = lines_before;
        lines_before += piece.bytes().filter(|&b| b == b'\n').count();
        rest = after;
        Some((piece, piece_start_line))
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

    #[test]
    fn built_in_files_cut_into_pieces_keep_every_rule_and_its_line() {
        let mut from_pieces = builtin_rules().into_iter();
        for &(path, source) in BUILTIN_RULE_FILES {
            let pieces: Vec<_> = rule_file_pieces(source).collect();
            assert_eq!(pieces.iter().map(|p| p.0).collect::<String>(), source);
            assert!(pieces[1..].iter().all(|p| p.0.starts_with("[[rule]]")));
            for whole in parse_rule_file(Path::new(path), source).unwrap() {
                let piece = from_pieces.next().unwrap();
                assert_eq!(
                    (&piece.rule.id, &piece.origin),
                    (&whole.rule.id, &whole.origin)
                );
            }
        }
        assert!(from_pieces.next().is_none());
        assert!(BUILTIN_RULE_FILES
            .iter()
            .any(|(_, source)| rule_file_pieces(source).count() > 2));
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
