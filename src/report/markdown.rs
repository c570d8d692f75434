//! The report as Markdown: tables a facilitator can paste into shared notes.

use super::{plural, Summary};
use crate::rule::Category;
use std::fmt::Write;

/// Renders the summary as Markdown.
pub fn markdown(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Reframe report\n");
    let _ = writeln!(
        out,
        "{} finding{} in {} file{}.\n",
        summary.findings,
        plural(summary.findings),
        summary.files,
        plural(summary.files)
    );
    out.push_str("## By category\n\n| Category | Findings |\n|---|---:|\n");
    for category in Category::ALL {
        let _ = writeln!(
            out,
            "| {} | {} |",
            category.label(),
            summary.by_category[category.as_str()]
        );
    }
    if !summary.by_rule.is_empty() {
        out.push_str(
            "\n## By rule\n\n| Rule | Category | Findings | Message |\n|---|---|---:|---|\n",
        );
        for r in &summary.by_rule {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                r.rule,
                r.category,
                r.count,
                escape(&r.message)
            );
        }
    }
    if !summary.recurring_phrases.is_empty() {
        out.push_str("\n## Phrases that recur\n\n| Phrase | Times |\n|---|---:|\n");
        for p in &summary.recurring_phrases {
            let _ = writeln!(out, "| {} | {} |", escape(&p.phrase), p.count);
        }
    }
    out.push_str("\n## Files\n");
    for file in &summary.per_file {
        let _ = writeln!(
            out,
            "\n### {}\n\n{} finding{} in {} words.\n",
            escape(&file.path),
            file.findings,
            plural(file.findings),
            file.words
        );
        for sentence in &file.sentences {
            let mut shown = String::new();
            let mut cursor = 0;
            for f in &sentence.findings {
                shown.push_str(&escape(&sentence.text[cursor..f.range.start]));
                let _ = write!(shown, "**{}**", escape(&f.matched));
                cursor = f.range.end;
            }
            shown.push_str(&escape(&sentence.text[cursor..]));
            let _ = writeln!(out, "- Line {}: {}", sentence.line, shown);
            for f in &sentence.findings {
                let _ = write!(out, "  - `{}` {}", f.rule, escape(&f.message));
                if !f.reframes.is_empty() {
                    let options: Vec<String> = f
                        .reframes
                        .iter()
                        .map(|r| format!("“{}”", escape(r)))
                        .collect();
                    let _ = write!(out, " Try: {}.", options.join(", "));
                }
                out.push('\n');
            }
        }
        if file.sentences_not_shown > 0 {
            let _ = writeln!(out, "{}", not_shown(file.sentences_not_shown));
        }
    }
    out
}

/// The line that stands for the flagged sentences a file's section leaves out.
pub(super) fn not_shown(count: usize) -> String {
    format!(
        "{count} more flagged sentence{} not shown: each rule shows its first {} in the report.",
        super::plural(count),
        super::SENTENCES_PER_RULE
    )
}

/// Escapes what Markdown would otherwise read as emphasis, code, links, HTML or table cells.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
