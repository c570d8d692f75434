//! `reframe report`: its counts must agree with `reframe check` on the same drafts, and its
//! HTML must be well-formed, chart-bearing and script-free.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Every category, in the documented order.
pub const CATEGORIES: [&str; 8] = [
    "blame",
    "doubt",
    "identity",
    "substance",
    "suicide",
    "pity",
    "casual",
    "hope",
];

fn reframe(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.code() != Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Drafts with findings in several categories, one clean file and one with awkward text.
fn drafts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("2026-01-week1.md", "# Week 1\n\nThe client is non-compliant with meds and resistant to homework.\n\nHer brother committed suicide.\n"),
        ("2026-01-week2.md", "A schizophrenic man, non-compliant again. He is an addict <b>&amp;</b> \"non-compliant\".\r\n"),
        ("2026-01-week3.txt", "Nothing here needs a second look.\n"),
        ("2026-01-week4.md", "😀 客户 is non-compliant; `non-compliant` in code stays.\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn check_json(path: &Path) -> Vec<Value> {
    let out = reframe(&[
        "check",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn counts_by(findings: &[Value], field: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for f in findings {
        *counts
            .entry(f[field].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    counts
}

#[test]
fn json_summary_counts_match_check() {
    let dir = drafts();
    let expected = check_json(dir.path());
    assert!(expected.len() >= 6, "{expected:?}");
    let out = reframe(&["report", dir.path().to_str().unwrap(), "--format", "json"]);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["files"], 4);
    assert_eq!(
        summary["findings"].as_u64().unwrap() as usize,
        expected.len()
    );
    let by_category = counts_by(&expected, "category");
    for category in CATEGORIES {
        assert_eq!(
            summary["by_category"][category].as_u64().unwrap() as usize,
            by_category.get(category).copied().unwrap_or(0),
            "{category}"
        );
    }
    let by_rule: BTreeMap<String, usize> = summary["by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(by_rule, counts_by(&expected, "rule"));
    let top = &summary["recurring_phrases"][0];
    assert_eq!(top["phrase"], "non-compliant");
    assert_eq!(
        top["count"].as_u64().unwrap() as usize,
        expected
            .iter()
            .filter(|f| f["matched"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case("non-compliant"))
            .count()
    );
    for file in summary["per_file"].as_array().unwrap() {
        for sentence in file["sentences"].as_array().unwrap() {
            let text = sentence["text"].as_str().unwrap();
            for f in sentence["findings"].as_array().unwrap() {
                let range = &f["range"];
                let (s, e) = (
                    range["start"].as_u64().unwrap() as usize,
                    range["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(&text[s..e], f["matched"].as_str().unwrap());
            }
        }
    }
}

#[test]
fn html_is_well_formed_with_charts_marks_and_the_right_counts() {
    let dir = drafts();
    let expected = check_json(dir.path());
    let page_path = dir.path().join("out").join("report.html");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = reframe(&[
        "report",
        dir.path().to_str().unwrap(),
        "--html",
        page_path.to_str().unwrap(),
    ]);
    assert!(out.stdout.is_empty(), "only --html was asked for");
    let page = std::fs::read_to_string(&page_path).unwrap();
    // `<!DOCTYPE html>` is the only DTD; roxmltree refuses DTDs unless asked.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&page, options)
        .unwrap_or_else(|e| panic!("not well-formed: {e}"));
    let elements = |name: &str| -> Vec<roxmltree::Node<'_, '_>> {
        doc.descendants().filter(|n| n.has_tag_name(name)).collect()
    };
    assert!(elements("script").is_empty(), "no script");
    let lede = doc
        .descendants()
        .find(|n| n.attribute("data-total").is_some())
        .unwrap();
    assert_eq!(
        lede.attribute("data-total").unwrap(),
        expected.len().to_string()
    );
    assert_eq!(lede.attribute("data-files").unwrap(), "4");

    let by_category = counts_by(&expected, "category");
    for category in CATEGORIES {
        let cell = doc
            .descendants()
            .find(|n| n.attribute("data-category") == Some(category))
            .unwrap();
        assert_eq!(
            cell.text().unwrap(),
            by_category.get(category).copied().unwrap_or(0).to_string(),
            "{category}"
        );
    }
    let rule_cells: BTreeMap<String, usize> = doc
        .descendants()
        .filter(|n| n.has_tag_name("td") && n.attribute("data-rule").is_some())
        .map(|n| {
            (
                n.attribute("data-rule").unwrap().to_string(),
                n.text().unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(rule_cells, counts_by(&expected, "rule"));

    // Every finding is highlighted once, in the order check reports them.
    let marks: Vec<(String, String)> = elements("mark")
        .iter()
        .map(|m| {
            (
                m.attribute("data-rule").unwrap().to_string(),
                m.text().unwrap().to_string(),
            )
        })
        .collect();
    let wanted: Vec<(String, String)> = expected
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["matched"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(marks, wanted);
    assert!(
        page.contains("&lt;b&gt;&amp;amp;&lt;/b&gt;"),
        "markup in drafts is shown, not run"
    );

    let charts: Vec<_> = elements("svg");
    assert!(charts.len() >= 3, "categories, drafts and rules charts");
    for chart in charts {
        assert_eq!(chart.attribute("role"), Some("img"));
        let labelled_by = chart.attribute("aria-labelledby").unwrap();
        for id in labelled_by.split(' ') {
            assert!(
                doc.descendants().any(|n| n.attribute("id") == Some(id)),
                "{id}"
            );
        }
    }
}

#[test]
fn markdown_is_the_default_and_an_empty_folder_reports_nothing() {
    let dir = drafts();
    let expected = check_json(dir.path());
    let out = reframe(&["report", dir.path().to_str().unwrap()]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Reframe report\n"));
    assert!(
        md.contains(&format!("{} findings in 4 files.", expected.len())),
        "{md}"
    );
    let blame = expected.iter().filter(|f| f["category"] == "blame").count();
    assert!(
        md.contains(&format!("| Blame and compliance | {blame} |")),
        "{md}"
    );
    assert!(md.contains("**non-compliant**"));

    let empty = tempfile::tempdir().unwrap();
    let out = reframe(&["report", empty.path().to_str().unwrap(), "--format", "json"]);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["findings"], 0);
    assert_eq!(summary["files"], 0);
}

#[test]
fn sentence_lines_are_the_lines_check_reports() {
    let dir = drafts();
    let findings = check_json(dir.path());
    let out = reframe(&["report", dir.path().to_str().unwrap(), "--format", "json"]);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    for file in summary["per_file"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let mut reported: Vec<u64> = file["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["line"].as_u64().unwrap())
            .collect();
        reported.dedup();
        // Every sentence of these drafts sits on one line, so its line is its findings' line.
        let mut checked: Vec<u64> = findings
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        checked.dedup();
        assert_eq!(reported, checked, "{path}");
    }
}
