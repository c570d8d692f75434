//! A list of words to avoid is usually set off from its heading by a blank line. The list's
//! items are mentions (hints), whether the heading is a Markdown heading or a line ending with
//! `:`, in Markdown and in plain text; the same items under an ordinary heading are warnings.

use reframe::{DocKind, Edits, Engine, LintCache, Severity};
use serde_json::Value;
use std::process::Command;

/// (rule, severity, matched text, line) of every finding `reframe check` reports for `text`
/// saved as `name`, in the order the binary prints them.
fn check(name: &str, text: &str) -> Vec<(String, String, String, u64)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--fail-on", "never", name])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let field = |name: &str| f[name].as_str().unwrap().to_string();
            (
                field("rule"),
                field("severity"),
                field("matched"),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The three labels on the lines from `first` on, each at `severity`.
fn labels_at(first: u64, severity: &str) -> Vec<(String, String, String, u64)> {
    [
        ("addict", "addict"),
        ("junkie", "junkie"),
        ("committed-suicide", "committed suicide"),
    ]
    .iter()
    .zip(first..)
    .map(|(&(rule, matched), line)| (rule.into(), severity.into(), matched.into(), line))
    .collect()
}

const HEADINGS: &str = "\
# Notes for new volunteers

## Language to avoid

- addict
- junkie
- committed suicide

## Plan

- addict
- junkie
- committed suicide
";

const INTRODUCING_LINES: &str = "\
Some words close a conversation before it starts. Avoid these terms:

addict
junkie
committed suicide

What the on-call volunteer wrote in the log:

addict
junkie
committed suicide
";

#[test]
fn items_under_a_blank_line_separated_avoid_heading_are_hints_and_under_a_plan_warnings() {
    let mut expected = labels_at(5, "hint");
    expected.extend(labels_at(11, "warning"));
    for name in ["notes.md", "notes.txt"] {
        assert_eq!(check(name, HEADINGS), expected, "{name}");
    }
    let mut expected = labels_at(3, "hint");
    expected.extend(labels_at(9, "warning"));
    for name in ["log.md", "log.txt"] {
        assert_eq!(check(name, INTRODUCING_LINES), expected, "{name}");
    }
    // Two blank lines and Windows line breaks, a setext heading, a bold line.
    let text = "Words to avoid\r\n==============\r\n\r\n\r\n* junkie\r\n";
    let junkie = |line| vec![("junkie".into(), "hint".into(), "junkie".into(), line)];
    assert_eq!(check("a.md", text), junkie(5));
    let text = "**Stigmatizing terms**\n\n1. junkie\n";
    assert_eq!(check("b.md", text), junkie(3));
}

/// Renaming a heading in an open document re-lints its list: the chunk cache, told where the
/// edit was, gives what a fresh lint gives.
#[test]
fn renaming_the_heading_relints_the_list_below_it() {
    let engine = Engine::builtin();
    let plan = "Intro.\n\n## Plan\n\n- addict\n- junkie\n\nEnd.\n";
    let heading = plan.find("Plan").unwrap();
    let avoid = plan.replacen("Plan", "Words to avoid", 1);
    for kind in [DocKind::Markdown, DocKind::PlainText] {
        let severities = |report: &reframe::Report| -> Vec<Severity> {
            report.findings.iter().map(|f| f.severity).collect()
        };
        let mut cache = LintCache::default();
        let before = engine.lint_cached(plan, kind, &mut cache, Edits::Unknown);
        assert_eq!(severities(&before), [Severity::Warning; 2], "{kind:?}");
        let mut edits = Edits::None;
        edits.replaced(heading..heading + 4, "Words to avoid".len());
        let after = engine.lint_cached(&avoid, kind, &mut cache, edits);
        assert_eq!(after, engine.lint(&avoid, kind), "{kind:?}");
        assert_eq!(severities(&after), [Severity::Hint; 2], "{kind:?}");
    }
}

/// Edits that make or unmake an introducing line, or move it past the start of its chunk: the
/// cache, told where each edit was, always gives what a fresh lint gives.
#[test]
fn edits_that_change_what_introduces_a_block_relint_as_a_fresh_lint_does() {
    let engine = Engine::builtin();
    let text = "# Guide\n\nAvoid these terms\n\n- addict\n\nThe client is an addict.\n\n\
                ## Plan\n\n- junkie\n\nEnd.\n";
    let at = |needle: &str| text.find(needle).unwrap();
    let long = "word ".repeat(90);
    let edits: Vec<(std::ops::Range<usize>, &str)> = vec![
        // A colon makes the line introduce the list; a heading mark, the paragraph after it.
        (at("terms") + 5..at("terms") + 5, ":"),
        (at("The client")..at("The client"), "## "),
        // The blank line after a heading removed, or a second one added.
        (at("## Plan") + 7..at("## Plan") + 8, ""),
        (at("## Plan") + 7..at("## Plan") + 7, "\n"),
        // The heading renamed, or pushed past the start of its chunk by a long line.
        (at("Plan")..at("Plan") + 4, "Words to avoid"),
        (at("## Plan")..at("## Plan"), &long),
        (0..at("Avoid"), ""),
    ];
    for kind in [DocKind::Markdown, DocKind::PlainText] {
        for (range, replacement) in &edits {
            let mut cache = LintCache::default();
            engine.lint_cached(text, kind, &mut cache, Edits::Unknown);
            let mut edited = text.to_string();
            edited.replace_range(range.clone(), replacement);
            let mut recorded = Edits::None;
            recorded.replaced(range.clone(), replacement.len());
            let incremental = engine.lint_cached(&edited, kind, &mut cache, recorded);
            assert_eq!(
                incremental,
                engine.lint(&edited, kind),
                "{kind:?}: {edited:?}"
            );
        }
    }
}
