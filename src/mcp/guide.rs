//! Style guidance for assistants, generated from the rule library under the project's settings:
//! per category, every rule reported at warning or above, with its message and an example swap
//! (the rule's first flagged example, linted, and its preferred reframe written out for that
//! match). Nothing here is hand-written but the headings, so the guide follows the rules.

use crate::engine::Engine;
use crate::prose::DocKind;
use crate::rule::{Category, Rule, Severity};

/// The URI of the whole guide; one category's part is `GUIDE_URI/<category>`.
pub const GUIDE_URI: &str = "reframe://style-guide";

/// What the guide opens with.
const INTRO: &str = "# Writing about people with respect\n\n\
    Wording that can stigmatise, pathologise or blame the people a clinical or personal text is \
    about, from Reframe's rule library. Each line: the wording to avoid → a respectful \
    alternative, then why. Quoting someone's own words is fine. When a swap would change the \
    meaning, describe what happened instead. Use the `check_text` tool on a draft and `explain` \
    for the sources behind a rule.\n";

/// The guide, built once per server: each category's section in Markdown.
pub struct StyleGuide {
    sections: Vec<(Category, String)>,
}

impl StyleGuide {
    /// Builds every category's section from `engine`'s rules and settings.
    pub fn new(engine: &Engine) -> StyleGuide {
        let sections = Category::ALL
            .into_iter()
            .filter_map(|category| Some((category, section(engine, category)?)))
            .collect();
        StyleGuide { sections }
    }

    /// The guide in Markdown: every category, or only `only`.
    pub fn render(&self, only: Option<Category>) -> String {
        let mut out = String::from(INTRO);
        for (category, section) in &self.sections {
            if only.is_none_or(|c| c == *category) {
                out.push_str(section);
            }
        }
        out
    }

    /// The categories that have a section.
    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        self.sections.iter().map(|(c, _)| *c)
    }
}

/// One category's heading and lines, or `None` when it has no rule at warning or above.
fn section(engine: &Engine, category: Category) -> Option<String> {
    let rules: Vec<&Rule> = engine
        .rules()
        .filter(|r| r.category == category)
        .filter(|r| {
            engine
                .severity_of(&r.id)
                .is_some_and(|s| s >= Severity::Warning)
        })
        .map(|r| r.as_ref())
        .collect();
    if rules.is_empty() {
        return None;
    }
    let mut lines: Vec<String> = Vec::new();
    for rule in rules {
        let line = match example_swap(engine, rule) {
            Some((avoid, prefer)) => format!("- “{avoid}” → “{prefer}”: {}\n", rule.message),
            None => format!("- {}\n", rule.message),
        };
        // Sibling rules (one per grammatical form) can say the same thing about the same words.
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    Some(format!("\n## {}\n\n{}", category.label(), lines.concat()))
}

/// The matched words of `rule`'s first flagged example that it catches, and the preferred
/// reframe written out for them.
fn example_swap(engine: &Engine, rule: &Rule) -> Option<(String, String)> {
    rule.examples.flag.iter().find_map(|example| {
        let report = engine.lint(example, DocKind::PlainText);
        let finding = report.findings.iter().find(|f| f.rule.id == rule.id)?;
        let prefer = finding.reframes.first()?;
        Some((example[finding.range.clone()].to_string(), prefer.clone()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_warning_rule_once_under_its_category() {
        let engine = Engine::builtin();
        let guide = StyleGuide::new(&engine).render(None);
        let warning_rules: Vec<_> = engine
            .rules()
            .filter(|r| engine.severity_of(&r.id) >= Some(Severity::Warning))
            .collect();
        assert!(!warning_rules.is_empty());
        let lines = guide.lines().filter(|l| l.starts_with("- ")).count();
        // One line per rule, less exact repeats among sibling rules.
        assert!(lines <= warning_rules.len());
        for rule in warning_rules {
            assert!(guide.contains(&rule.message), "{} is missing", rule.id);
        }
        // Hints stay out: the guide is about what to avoid, not every suggestion.
        let hint = engine
            .rules()
            .find(|r| {
                engine.severity_of(&r.id) == Some(Severity::Hint)
                    && !engine
                        .rules()
                        .any(|w| w.message == r.message && w.id != r.id)
            })
            .unwrap();
        assert!(!guide.contains(&hint.message));
    }

    #[test]
    fn one_category_has_only_its_own_heading() {
        let engine = Engine::builtin();
        let guide = StyleGuide::new(&engine).render(Some(Category::Suicide));
        assert!(guide.contains(&format!("## {}", Category::Suicide.label())));
        assert_eq!(guide.matches("\n## ").count(), 1);
        // The swap is the engine's own reframe of the rule's first flagged example.
        assert!(guide.contains("- “committed suicide” → “died by suicide”: "));
    }
}
