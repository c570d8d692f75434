//! Runs every fuzz seed (`fuzz/seeds/<target>/`) and every saved crash
//! (`fuzz/regressions/<target>/`) through the property its fuzz target checks, so a crash found
//! once stays fixed. The properties live in `fuzz/properties.rs`, shared with the fuzz targets;
//! `fuzz/run.sh` runs the fuzzers themselves.

#[path = "../../fuzz/properties.rs"]
mod properties;

use properties::Change;
use reframe::{apply_edits, preferred_edits, DocKind, Encoding, FixScope, Severity};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Runs `property` on each seed and saved crash of `target`; lists every input that fails.
fn run_inputs(target: &str, property: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let seeds = files_in(&fuzz.join("seeds").join(target));
    assert!(!seeds.is_empty(), "no seeds for {target}");
    let regressions = files_in(&fuzz.join("regressions").join(target));
    let failed: Vec<String> = seeds
        .iter()
        .chain(&regressions)
        .filter(|path| {
            let data = std::fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| property(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target} fails on: {failed:#?}");
}

/// The files in `dir`, sorted; none when it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn rule_file_inputs() {
    run_inputs("rule_file", properties::rule_file);
}

#[test]
fn markdown_lint_inputs() {
    run_inputs("markdown_lint", properties::markdown_lint);
}

#[test]
fn incremental_sync_inputs() {
    run_inputs("incremental_sync", properties::incremental_sync);
}

#[test]
fn fix_apply_inputs() {
    run_inputs("fix_apply", properties::fix_apply);
}

fn edit(start: (u32, u32), end: (u32, u32), text: &str) -> Change {
    Change {
        range: Some((start, end)),
        text: text.into(),
    }
}

#[test]
fn model_positions_follow_the_specification() {
    use properties::model_offset;
    // A surrogate half moves to the emoji's start; UTF-8 counts its four bytes.
    assert_eq!(model_offset("😀x", 0, 1, Encoding::Utf16), 0);
    assert_eq!(model_offset("😀x", 0, 2, Encoding::Utf16), 4);
    assert_eq!(model_offset("😀x", 0, 3, Encoding::Utf8), 0);
    assert_eq!(model_offset("😀x", 0, 4, Encoding::Utf8), 4);
    // Past the line end: before its CRLF. Past the last line: the end.
    assert_eq!(model_offset("ab\r\ncd", 0, 9, Encoding::Utf16), 2);
    assert_eq!(model_offset("ab\r\ncd", 1, 0, Encoding::Utf16), 4);
    assert_eq!(model_offset("ab\r\ncd", 5, 0, Encoding::Utf16), 6);
    // A lone CR ends a line too.
    assert_eq!(model_offset("a\rb\nc", 1, 0, Encoding::Utf8), 2);
    assert_eq!(model_offset("a\rb\nc", 2, 0, Encoding::Utf8), 4);
}

#[test]
fn sync_handles_surrogate_pairs_and_line_breaks() {
    let utf16 = properties::check_sync(
        Encoding::Utf16,
        "a😀b",
        &[edit((0, 2), (0, 2), "X"), edit((0, 1), (0, 4), "")],
    );
    assert_eq!(utf16, "ab");
    // Inserting `\n` after a lone `\r` makes one CRLF break; a backwards range is skipped.
    let joined = properties::check_sync(
        Encoding::Utf8,
        "a\rb",
        &[edit((1, 0), (1, 0), "\n"), edit((1, 1), (1, 0), "no")],
    );
    assert_eq!(joined, "a\r\nb");
}

#[test]
#[should_panic(expected = "overlaps inline code")]
fn a_finding_inside_code_is_caught() {
    let text = "Use `resistant` here.";
    let mut finding = properties::builtin()
        .lint("The client is resistant.", DocKind::Markdown)
        .findings
        .remove(0);
    finding.range = 5..14;
    properties::check_findings_outside_code(text, &[finding]);
}

#[test]
#[should_panic(expected = "differs from the independent splice")]
fn a_wrong_fix_is_caught() {
    let text = "The client is resistant.  \r\n";
    let report = properties::builtin().lint(text, DocKind::PlainText);
    let right = apply_edits(
        text,
        &preferred_edits(&report.findings, Severity::Hint, FixScope::WithSuggestions),
    );
    assert_ne!(right, text, "the sentence has a reframe");
    properties::check_fix(text, &report.findings, Severity::Hint, &right);
    // Right edits, but untouched trailing whitespace trimmed.
    let wrong = right.replace("  \r\n", "\r\n");
    properties::check_fix(text, &report.findings, Severity::Hint, &wrong);
}
