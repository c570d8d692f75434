//! Suppression comments: the writer's way to say "I mean this here".
//!
//! Markdown uses HTML comments (`<!-- reframe-disable-next-line -->`); plain text uses the same
//! words on a line of their own. `reframe-disable [ids]` … `reframe-enable [ids]` covers a region;
//! without ids it covers every rule.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

use crate::prose::DocKind;

/// What a directive does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `reframe-disable-next-line`
    DisableNextLine,
    /// `reframe-disable`
    Disable,
    /// `reframe-enable`
    Enable,
}

/// One suppression comment as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// What it does.
    pub kind: DirectiveKind,
    /// Byte range of the whole comment.
    pub range: Range<usize>,
    /// Rule ids it names, with their byte ranges (empty: every rule).
    pub ids: Vec<(String, Range<usize>)>,
}

static MARKDOWN_DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*reframe-(disable-next-line|disable|enable)\b((?s:.*?))-->").unwrap()
});
static PLAIN_DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*reframe-(disable-next-line|disable|enable)\b([^\r\n]*)$").unwrap()
});
static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z0-9_-]+").unwrap());

/// Finds every directive in `text`.
pub fn parse(text: &str, kind: DocKind) -> Vec<Directive> {
    // Fast path: most documents have none.
    if memchr::memmem::find(text.as_bytes(), b"reframe-").is_none() {
        return Vec::new();
    }
    let pattern = match kind {
        DocKind::Markdown => &*MARKDOWN_DIRECTIVE,
        DocKind::PlainText => &*PLAIN_DIRECTIVE,
    };
    pattern
        .captures_iter(text)
        .map(|c| {
            let kind = match &c[1] {
                "disable-next-line" => DirectiveKind::DisableNextLine,
                "disable" => DirectiveKind::Disable,
                _ => DirectiveKind::Enable,
            };
            let args = c.get(2).unwrap();
            let ids = ID
                .find_iter(args.as_str())
                .map(|m| {
                    (
                        m.as_str().to_string(),
                        args.start() + m.start()..args.start() + m.end(),
                    )
                })
                .collect();
            Directive {
                kind,
                range: c.get(0).unwrap().range(),
                ids,
            }
        })
        .collect()
}

/// Which rules a region switches off.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    All,
    Only(Vec<String>),
    AllBut(Vec<String>),
}

impl Scope {
    fn covers(&self, rule_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(ids) => ids.iter().any(|id| id == rule_id),
            Scope::AllBut(ids) => !ids.iter().any(|id| id == rule_id),
        }
    }

    /// The scope left after `reframe-enable ids`; `None` when nothing stays off.
    fn without(self, enabled: &[String]) -> Option<Scope> {
        match self {
            Scope::All => Some(Scope::AllBut(enabled.to_vec())),
            Scope::AllBut(mut ids) => {
                ids.extend(enabled.iter().cloned());
                Some(Scope::AllBut(ids))
            }
            Scope::Only(mut ids) => {
                ids.retain(|id| !enabled.contains(id));
                (!ids.is_empty()).then_some(Scope::Only(ids))
            }
        }
    }
}

/// The regions a document's directives switch off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppressions {
    regions: Vec<(Range<usize>, Scope)>,
}

impl Suppressions {
    /// Turns directives into regions of `text`.
    pub fn new(text: &str, directives: &[Directive]) -> Suppressions {
        let mut regions = Vec::new();
        let mut open: Vec<(usize, Scope)> = Vec::new();
        for d in directives {
            let ids: Vec<String> = d.ids.iter().map(|(id, _)| id.clone()).collect();
            let scope = if ids.is_empty() {
                Scope::All
            } else {
                Scope::Only(ids.clone())
            };
            match d.kind {
                DirectiveKind::DisableNextLine => {
                    let this_line_end = line_end(text, d.range.end);
                    regions.push((d.range.start..line_end(text, this_line_end), scope));
                }
                DirectiveKind::Disable => open.push((d.range.end, scope)),
                DirectiveKind::Enable => {
                    for (start, scope) in std::mem::take(&mut open) {
                        regions.push((start..d.range.start, scope.clone()));
                        if ids.is_empty() {
                            continue;
                        }
                        if let Some(rest) = scope.without(&ids) {
                            open.push((d.range.end, rest));
                        }
                    }
                }
            }
        }
        regions.extend(
            open.into_iter()
                .map(|(start, scope)| (start..text.len() + 1, scope)),
        );
        Suppressions { regions }
    }

    /// True when `rule_id` is switched off at byte `offset`.
    pub fn suppresses(&self, rule_id: &str, offset: usize) -> bool {
        self.regions
            .iter()
            .any(|(range, scope)| range.contains(&offset) && scope.covers(rule_id))
    }
}

/// The offset just past the line that contains `offset` (or the end of the text).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sup(text: &str, kind: DocKind) -> Suppressions {
        Suppressions::new(text, &parse(text, kind))
    }

    #[test]
    fn next_line_covers_only_the_next_line() {
        let text = "<!-- reframe-disable-next-line -->\nresistant here\nresistant there\n";
        let s = sup(text, DocKind::Markdown);
        assert!(s.suppresses("any", text.find("resistant here").unwrap()));
        assert!(!s.suppresses("any", text.find("resistant there").unwrap()));
    }

    #[test]
    fn region_with_ids() {
        let text = "<!-- reframe-disable a, b -->\nx\n<!-- reframe-enable -->\ny";
        let s = sup(text, DocKind::Markdown);
        let x = text.find("x\n").unwrap();
        assert!(s.suppresses("a", x));
        assert!(s.suppresses("b", x));
        assert!(!s.suppresses("c", x));
        assert!(!s.suppresses("a", text.rfind('y').unwrap()));
    }

    #[test]
    fn disable_everything_until_the_end() {
        let text = "a\nreframe-disable\nb\n";
        let s = sup(text, DocKind::PlainText);
        assert!(!s.suppresses("r", 0));
        assert!(s.suppresses("r", text.find("b\n").unwrap()));
    }

    #[test]
    fn enable_one_rule_inside_disable_all() {
        let text = "<!-- reframe-disable -->\nx\n<!-- reframe-enable a -->\ny\n";
        let s = sup(text, DocKind::Markdown);
        let y = text.find("y\n").unwrap();
        assert!(!s.suppresses("a", y));
        assert!(s.suppresses("b", y));
    }

    #[test]
    fn ids_are_parsed_with_ranges() {
        let text = "<!-- reframe-disable-next-line foo-bar, baz -->";
        let d = parse(text, DocKind::Markdown);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].ids[0].0, "foo-bar");
        assert_eq!(&text[d[0].ids[1].1.clone()], "baz");
    }
}
