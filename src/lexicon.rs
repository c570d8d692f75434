//! Published word lists as rules: a team's own lexicon runs beside the built-in library.
//!
//! Two forms, chosen by extension:
//! - `.csv`: `term,category[,reframe]` per row, with an optional `term,category,reframe`
//!   header; fields may be double-quoted (`"x, y"`, `""` for a quote).
//! - `.txt`: one term per line; `#` starts a comment line. Every term gets the category named
//!   by a `# category: NAME` line before it, or `blame` when none is given, since most
//!   published lists are of words that put a problem inside a person.
//!
//! Each term becomes a rule: id `<file stem>-<term>` in kebab-case, severity `warning`, the term
//! as its one phrase (so it matches as a whole word, in any case), a message and why that name
//! the file as the source (it has no `sources` of its own), and the term itself as its example. A bad row is an error at its `file:line:column`.

use crate::error::DataError;
use crate::error::LocatedError;
use crate::load::{LoadedRule, Origin};
use crate::rule::{is_kebab_case, Category, Examples, Rule, Severity};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Whether `path` is a word list this module reads, rather than a TOML rule file.
pub fn is_lexicon(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"))
}

/// The rules of a `.csv` or `.txt` word list whose text is `source`.
pub fn parse(path: &Path, source: &str) -> Result<Vec<LoadedRule>, LocatedError> {
    let csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut builder = Builder::new(path);
    let mut category = Category::Blame;
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        let at = |column: usize, message: String| LocatedError {
            path: path.to_path_buf(),
            line: number,
            column,
            message,
        };
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if csv {
            let fields = split_csv(line).map_err(|column| at(column, "unclosed quote".into()))?;
            if index == 0 && fields[0].1.trim().eq_ignore_ascii_case("term") {
                continue;
            }
            let [(_, term), (category_column, category), rest @ ..] = fields.as_slice() else {
                return Err(at(
                    line.len() + 1,
                    "expected `term,category[,reframe]`".into(),
                ));
            };
            let category =
                parse_category(category.trim()).map_err(|m| at(*category_column, m.into()))?;
            let reframe = match rest {
                [] => None,
                [(_, reframe)] => Some(reframe.trim()).filter(|r| !r.is_empty()),
                [_, (column, _), ..] => {
                    return Err(at(*column, "more than three fields".into()));
                }
            };
            builder
                .add(term.trim(), category, reframe, number)
                .map_err(|m| at(1, m.into()))?;
        } else if let Some(comment) = line.trim_start().strip_prefix('#') {
            if let Some(name) = comment.trim().strip_prefix("category:") {
                let column = line.find(name.trim()).map_or(1, |i| i + 1);
                category = parse_category(name.trim()).map_err(|m| at(column, m.into()))?;
            }
        } else {
            builder
                .add(line.trim(), category, None, number)
                .map_err(|m| at(1, m.into()))?;
        }
    }
    Ok(builder.rules)
}

fn parse_category(name: &str) -> Result<Category, DataError> {
    name.parse::<Category>().map_err(|_| {
        let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        DataError(format!(
            "unknown category `{name}`; use one of {}",
            known.join(", ")
        ))
    })
}

/// The rules made so far from one list.
struct Builder<'p> {
    path: &'p Path,
    /// The id prefix: the file's stem in kebab-case.
    prefix: String,
    /// Line of each id already made, for duplicate terms.
    seen: HashMap<String, usize>,
    rules: Vec<LoadedRule>,
}

impl<'p> Builder<'p> {
    fn new(path: &'p Path) -> Self {
        let stem = path
            .file_stem()
            .map_or("list".into(), |s| s.to_string_lossy());
        Builder {
            path,
            prefix: kebab(&stem),
            seen: HashMap::new(),
            rules: Vec::new(),
        }
    }

    fn add(
        &mut self,
        term: &str,
        category: Category,
        reframe: Option<&str>,
        line: usize,
    ) -> Result<(), DataError> {
        if term.is_empty() {
            return Err("empty term".into());
        }
        // The phrase language gives these characters meanings; a list's terms are words.
        if let Some(c) = term.chars().find(|c| "{}[]@*$".contains(*c)) {
            return Err(format!("`{c}` cannot be part of a term in a word list").into());
        }
        let id = [self.prefix.as_str(), &kebab(term)]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("-");
        if !is_kebab_case(&id) || id == self.prefix {
            return Err(format!("`{term}` has no letters or digits to name a rule by").into());
        }
        if let Some(first) = self.seen.insert(id.clone(), line) {
            return Err(format!("`{term}` is already listed on line {first}").into());
        }
        let list = self
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let rule = Rule {
            fix: crate::rule::FixSafety::default(),
            id,
            category,
            severity: Severity::Warning,
            phrases: vec![term.to_string()],
            regex: None,
            anchors: Vec::new(),
            case_sensitive: false,
            also_a_name: false,
            not_before: Vec::new(),
            not_after: Vec::new(),
            requires_before: Vec::new(),
            requires_after: Vec::new(),
            requires_nearby: Vec::new(),
            unless_nearby: Vec::new(),
            message: format!("“{term}” is on the word list {list}."),
            why: format!(
                "Your team's word list {list} names this term ({category}). The list gives no \
                 reason of its own; see where it was published."
            ),
            reframes: reframe.map(str::to_string).into_iter().collect(),
            sources: Vec::new(),
            examples: Examples {
                flag: vec![term.to_string()],
                pass: Vec::new(),
            },
        };
        self.rules.push(LoadedRule {
            rule: Arc::new(rule),
            origin: Origin {
                path: self.path.to_path_buf(),
                line,
            },
        });
        Ok(())
    }
}

/// Lowercase ASCII letters and digits, everything else one hyphen between them.
fn kebab(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The fields of one CSV row with the 1-based column each starts at; `Err(column)` for a quote
/// left open.
fn split_csv(line: &str) -> Result<Vec<(usize, String)>, usize> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut start = 1;
    let mut chars = line.char_indices().peekable();
    let mut quoted_from = None;
    while let Some((i, c)) = chars.next() {
        match (quoted_from, c) {
            (Some(_), '"') if chars.peek().is_some_and(|&(_, n)| n == '"') => {
                field.push('"');
                chars.next();
            }
            (Some(_), '"') => quoted_from = None,
            (Some(_), c) => field.push(c),
            (None, '"') if field.trim().is_empty() => {
                field.clear();
                quoted_from = Some(i + 1);
            }
            (None, ',') => {
                fields.push((start, std::mem::take(&mut field)));
                start = line[..i + 1].chars().count() + 1;
            }
            (None, c) => field.push(c),
        }
    }
    if let Some(column) = quoted_from {
        return Err(column);
    }
    fields.push((start, field));
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::EngineBuilder;
    use crate::prose::DocKind;

    fn ids(rules: &[LoadedRule]) -> Vec<(&str, Category, usize)> {
        rules
            .iter()
            .map(|r| (r.rule.id.as_str(), r.rule.category, r.origin.line))
            .collect()
    }

    #[test]
    fn csv_rows_become_rules() {
        let source = "term,category,reframe\nlunatic,identity,person with a mental illness\n\n\
                      \"frequent flyer\",blame\n\"crazy, like\",casual,\"\"\"odd\"\"\"\n";
        let rules = parse(Path::new("team terms.csv"), source).unwrap();
        assert_eq!(
            ids(&rules),
            [
                ("team-terms-lunatic", Category::Identity, 2),
                ("team-terms-frequent-flyer", Category::Blame, 4),
                ("team-terms-crazy-like", Category::Casual, 5),
            ]
        );
        assert_eq!(rules[0].rule.reframes, ["person with a mental illness"]);
        assert_eq!(rules[2].rule.phrases, ["crazy, like"]);
        assert_eq!(rules[2].rule.reframes, ["\"odd\""]);
        assert!(rules[1].rule.message.contains("team terms.csv"));
    }

    #[test]
    fn word_lists_take_their_category_from_a_comment() {
        let source = "# from the style guide\nfrequent flyer\n# category: substance\njunkie\n";
        let rules = parse(Path::new("list.txt"), source).unwrap();
        assert_eq!(
            ids(&rules),
            [
                ("list-frequent-flyer", Category::Blame, 2),
                ("list-junkie", Category::Substance, 4)
            ]
        );
    }

    #[test]
    fn bad_rows_are_located() {
        let error =
            |name: &str, source: &str| parse(Path::new(name), source).unwrap_err().to_string();
        let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        let known = known.join(", ");
        assert_eq!(
            error("t.csv", "lunatic,identity\nfrequent flyer,blaming\n"),
            format!("t.csv:2:16: unknown category `blaming`; use one of {known}")
        );
        assert_eq!(
            error("t.csv", "a,blame\nlonely\n"),
            "t.csv:2:7: expected `term,category[,reframe]`"
        );
        assert_eq!(
            error("t.csv", "a,blame\n\"b,blame\n"),
            "t.csv:2:1: unclosed quote"
        );
        assert_eq!(
            error("t.csv", "a,blame,x,y\n"),
            "t.csv:1:11: more than three fields"
        );
        assert_eq!(
            error("t.txt", "junkie\n\nJunkie\n"),
            "t.txt:3:1: `Junkie` is already listed on line 1"
        );
        assert_eq!(
            error("t.txt", "@person\n"),
            "t.txt:1:1: `@` cannot be part of a term in a word list"
        );
        assert_eq!(
            error("t.txt", "# category: nope\n"),
            format!("t.txt:1:13: unknown category `nope`; use one of {known}")
        );
    }

    #[test]
    fn a_list_runs_beside_the_built_in_library() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("ward.csv");
        std::fs::write(&list, "zorblax case,blame,person who often visits\n").unwrap();
        let engine = EngineBuilder::new().rule_paths([&list]).build().unwrap();
        let report = engine.lint(
            "The Zorblax  Case is back; the client is resistant.",
            DocKind::PlainText,
        );
        let found: Vec<(&str, &[String])> = report
            .findings
            .iter()
            .map(|f| (f.rule.id.as_str(), &f.reframes[..]))
            .collect();
        assert_eq!(found[0].0, "ward-zorblax-case");
        assert_eq!(found[0].1, ["Person who often visits"]);
        assert!(
            found.iter().any(|(id, _)| *id == "resistant-person"),
            "{found:?}"
        );
    }
}
