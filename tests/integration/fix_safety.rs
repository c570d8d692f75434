//! `reframe fix` applies only safe reframes (same meaning, other words) unless asked, and the
//! safe reframes are reviewed in one generated file.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn reframe(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reframe"));
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// Sentences whose reframes would change the clinical meaning, beside ones whose reframes keep
/// it, checked with the built-in library.
const NOTE: &str = "Her brother committed suicide last year.

The referral calls him a schizophrenic.

She became manipulative on the ward.

He seemed crazy that night.

The patient refused the flu vaccine.

She reports being non-compliant with meds.

She was admitted after an unsuccessful suicide attempt.
";

#[test]
fn fix_changes_wording_but_never_meaning_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.md");
    std::fs::write(&path, NOTE).unwrap();
    let out = reframe(dir.path())
        .args(["fix", "note.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("suggestions not applied") && stderr.contains("--unsafe"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        NOTE.replace("committed suicide", "died by suicide")
            .replace("a schizophrenic", "a person with schizophrenia")
            .replace("an unsuccessful suicide attempt", "an attempted suicide")
    );

    std::fs::write(&path, NOTE).unwrap();
    let out = reframe(dir.path())
        .args(["fix", "--unsafe", "--min-severity", "hint", "note.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let fixed = std::fs::read_to_string(&path).unwrap();
    for changed in ["manipulative", "crazy", "refused", "non-compliant"] {
        assert!(!fixed.contains(changed), "{changed} kept in {fixed}");
    }
    assert!(
        !fixed.contains("being having") && !fixed.contains("being not taking"),
        "{fixed}"
    );
}

/// Copies `examples/` into a temporary folder.
fn examples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for entry in std::fs::read_dir(examples).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Each file of `examples/` after `reframe fix` is exactly the file with the preferred reframe
/// of every safe finding at `warning` or above spliced in, read from `check --format json`:
/// nothing a suggestion would change is touched.
#[test]
fn fix_on_the_examples_applies_exactly_the_safe_reframes() {
    let dir = examples_copy();
    let out = reframe(dir.path())
        .args(["check", "--format", "json", "--fail-on", "never", "."])
        .output()
        .unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut expected = std::collections::BTreeMap::new();
    let (mut safe, mut suggestions) = (0, 0);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let name = file.unwrap().file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for f in findings
            .iter()
            .filter(|f| f["path"].as_str().unwrap().trim_start_matches("./") == name)
        {
            let loud = matches!(f["severity"].as_str(), Some("warning" | "error"));
            if !loud || f["reframes"].as_array().unwrap().is_empty() {
                continue;
            }
            if f["reframe_safety"][0] != "safe" {
                suggestions += 1;
                continue;
            }
            let start = f["offset"]["start"].as_u64().unwrap() as usize;
            let end = f["offset"]["end"].as_u64().unwrap() as usize;
            if edits.last().is_some_and(|e| e.1 > start) {
                continue;
            }
            safe += 1;
            edits.push((start, end, f["reframes"][0].as_str().unwrap().to_string()));
        }
        let mut fixed = text.clone();
        for (start, end, reframe) in edits.iter().rev() {
            fixed.replace_range(start..end, reframe);
        }
        expected.insert(name, fixed);
    }
    assert!(
        safe >= 3 && suggestions >= 3,
        "the examples hold {safe} safe findings and {suggestions} suggestions"
    );
    let out = reframe(dir.path()).args(["fix", "."]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, want) in expected {
        let got = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        assert_eq!(got, want, "{name}");
    }
}

/// `docs/safe-fixes.md` lists every safe reframe of the built-in library and the example packs
/// with what it makes of its rule's examples, so a reviewer reads them in one place.
#[test]
fn the_safe_fixes_review_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rules = reframe::builtin_rules();
    rules.extend(reframe::read_rule_path(&root.join("rules/packs")).unwrap());
    let generated = reframe::safe_fixes_markdown(&rules);
    let committed = std::fs::read_to_string(root.join("docs/safe-fixes.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/safe-fixes.md is stale: run `cargo run -- rules safe-fixes rules/packs > docs/safe-fixes.md`"
    );
    let safe: Vec<&str> = rules
        .iter()
        .filter(|l| l.rule.fix == reframe::FixSafety::Safe)
        .map(|l| l.rule.id.as_str())
        .collect();
    assert!(safe.contains(&"committed-suicide"), "{safe:?}");
    for id in &safe {
        assert!(
            committed.contains(&format!("## `{id}`")),
            "{id} is safe but not listed"
        );
    }
    for suggestion in ["manipulative", "refuses", "crazy", "non-compliant-with"] {
        assert!(
            !safe.contains(&suggestion),
            "{suggestion} must stay a suggestion"
        );
    }
}

/// A condition of several words stays whole: the finding covers the framing, and every reframe
/// keeps the full condition in the sentence.
#[test]
fn multi_word_conditions_keep_the_whole_condition() {
    let cases = [
        (
            "She had a long battle with mental illness.",
            "mental illness",
        ),
        ("He suffers from breast cancer.", "breast cancer"),
        (
            "She is battling stage 4 lung cancer.",
            "stage 4 lung cancer",
        ),
        (
            "The charity supports breast cancer victims.",
            "breast cancer",
        ),
        ("A leaflet for lung cancer sufferers.", "lung cancer"),
        ("He works with victims of bowel cancer.", "bowel cancer"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (sentence, condition) in cases {
        let out = crate::common::output_with_stdin(
            reframe(dir.path()).args(["check", "--format", "json", "--fail-on", "never", "-"]),
            sentence,
        );
        let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(findings.len(), 1, "{sentence}: {findings:?}");
        let f = &findings[0];
        let start = f["offset"]["start"].as_u64().unwrap() as usize;
        let end = f["offset"]["end"].as_u64().unwrap() as usize;
        let reframes = f["reframes"].as_array().unwrap();
        assert!(!reframes.is_empty(), "{sentence}");
        for reframe in reframes {
            let fixed = format!(
                "{}{}{}",
                &sentence[..start],
                reframe.as_str().unwrap(),
                &sentence[end..]
            );
            assert!(
                fixed.contains(condition),
                "{sentence} → {fixed}: the condition “{condition}” is cut"
            );
        }
    }
}
