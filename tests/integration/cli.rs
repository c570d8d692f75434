//! The `reframe` binary, run the way users run it.

use crate::common::output_with_stdin;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

const PACK: &str = r#"
[[rule]]
id = "zorblax"
category = "blame"
severity = "warning"
phrases = ["zorblax{,es}"]
message = "Zorblax is a test word."
why = "Tests need a word no real rule flags."
reframes = ["{1:quux,quuxes}"]
fix = "safe"
sources = [{ title = "Test source", url = "https://example.org/test" }]
[rule.examples]
flag = ["a zorblax here", "two zorblaxes"]
pass = ["zorbla", "zorblaxy"]
"#;

fn reframe(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reframe"));
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.toml"), PACK).unwrap();
    std::fs::write(
        dir.path().join(".reframe.toml"),
        "rules = [\"pack.toml\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn json_output_is_the_documented_contract() {
    let dir = workspace();
    let text = "---\ntitle: zorblax\n---\n\n😀 客户 zorblax\r\n\n```\nzorblax\n```\n`zorblax` [zorblax](https://zorblax.org)\n";
    std::fs::write(dir.path().join("a.md"), text).unwrap();
    let out = reframe(dir.path())
        .args(["check", "--format", "json", "a.md"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = text.find("zorblax\r").unwrap();
    let link = text.find("[zorblax]").unwrap() + 1;
    assert_eq!(
        findings,
        json!([
            {"path": "a.md", "rule": "zorblax", "category": "blame", "severity": "warning",
             "message": "Zorblax is a test word.", "matched": "zorblax", "line": 5, "column": 6,
             "end_line": 5, "end_column": 13, "offset": {"start": first, "end": first + 7}, "reframes": ["quux"],
             "reframe_safety": ["safe"]},
            {"path": "a.md", "rule": "zorblax", "category": "blame", "severity": "warning",
             "message": "Zorblax is a test word.", "matched": "zorblax", "line": 10, "column": 12,
             "end_line": 10, "end_column": 19, "offset": {"start": link, "end": link + 7}, "reframes": ["quux"],
             "reframe_safety": ["safe"]}
        ])
    );
}

#[test]
fn clean_input_prints_an_empty_array_and_exits_zero() {
    let dir = workspace();
    let out = output_with_stdin(
        reframe(dir.path()).args(["check", "--format", "json", "-", "--stdin-filename", "s.md"]),
        "Nothing to see.",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");
}

#[test]
fn human_output_underlines_and_offers_reframes() {
    let dir = workspace();
    std::fs::write(dir.path().join("b.txt"), "Two zorblaxes here.\n").unwrap();
    let out = reframe(dir.path())
        .args(["check", "b.txt"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "b.txt:1:5 warning [zorblax] Zorblax is a test word.\n    Two zorblaxes here.\n        ^^^^^^^^^\n    reframe: “quuxes”\n1 finding (1 warning) in 1 file\n"
    );
}

#[test]
fn fail_on_controls_the_exit_code() {
    let dir = workspace();
    std::fs::write(dir.path().join("c.md"), "a zorblax\n").unwrap();
    let code = |level: &str| {
        reframe(dir.path())
            .args(["check", "--fail-on", level, "c.md"])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code("warning"), Some(1));
    assert_eq!(code("error"), Some(0));
    assert_eq!(code("never"), Some(0));
}

#[test]
fn broken_config_is_located_and_exits_two() {
    let dir = workspace();
    std::fs::write(
        dir.path().join(".reframe.toml"),
        "rules = [\"pack.toml\"]\nquotes = \"sometimes\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("d.md"), "text\n").unwrap();
    let out = reframe(dir.path())
        .args(["check", "d.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(".reframe.toml:2:"), "{stderr}");
}

#[test]
fn fix_keeps_crlf_bom_permissions_and_trailing_whitespace() {
    let dir = workspace();
    let path = dir.path().join("e.md");
    std::fs::write(&path, "\u{feff}A zorblax.  \r\nTwo zorblaxes\r\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let dry = reframe(dir.path())
        .args(["fix", "--dry-run", "e.md"])
        .output()
        .unwrap();
    let diff = String::from_utf8(dry.stdout).unwrap();
    assert!(diff.contains("+\u{feff}A quux.  \r\n"), "{diff:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "\u{feff}A zorblax.  \r\nTwo zorblaxes\r\n"
    );
    let out = reframe(dir.path()).args(["fix", "e.md"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "\u{feff}A quux.  \r\nTwo quuxes\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn rules_test_reports_failures_at_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = PACK.replace(
        "pass = [\"zorbla\", \"zorblaxy\"]",
        "pass = [\"zorbla\", \"a zorblax\"]",
    );
    std::fs::write(dir.path().join("bad.toml"), &bad).unwrap();
    let out = reframe(dir.path())
        .args(["rules", "test", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("bad.toml:14: [zorblax] pass example flagged"),
        "{stdout}"
    );
    assert!(stdout.contains("1 failed"), "{stdout}");
}

#[test]
fn suppression_comments_and_unknown_ids() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("f.md"),
        "<!-- reframe-disable-next-line zorblax -->\na zorblax\n\n<!-- reframe-disable no-such-rule -->\nzorblax\n",
    )
    .unwrap();
    let out = reframe(dir.path())
        .args(["check", "--format", "json", "f.md"])
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 1);
    assert_eq!(findings[0]["line"], 5);
    let human = reframe(dir.path())
        .args(["check", "f.md"])
        .output()
        .unwrap();
    assert!(String::from_utf8(human.stdout)
        .unwrap()
        .contains("unknown rule id `no-such-rule`"));
}

#[test]
fn sarif_is_version_2_1_0() {
    let dir = workspace();
    std::fs::write(dir.path().join("g.md"), "a zorblax\n").unwrap();
    let out = reframe(dir.path())
        .args(["check", "--format", "sarif", "g.md"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "zorblax");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"],
        "zorblax"
    );
}

#[test]
fn a_fix_killed_at_any_moment_leaves_the_old_file_or_the_new_one() {
    let dir = workspace();
    let original = "The client is resistant to homework; a zorblax.\r\n".repeat(4_000);
    let file = dir.path().join("big.md");
    std::fs::write(&file, &original).unwrap();
    let started = std::time::Instant::now();
    let status = reframe(dir.path())
        .args(["fix", "big.md"])
        .status()
        .unwrap();
    let full_run = started.elapsed();
    assert!(status.success(), "{status}");
    let fixed = std::fs::read(&file).unwrap();
    assert_ne!(fixed, original.as_bytes());
    // Kills spread across the whole run, so some land while the new text is being written.
    let mut outcomes = [0, 0];
    for step in 0..8u32 {
        std::fs::write(&file, &original).unwrap();
        let mut child = reframe(dir.path()).args(["fix", "big.md"]).spawn().unwrap();
        std::thread::sleep(full_run * step / 7);
        let _ = child.kill();
        child.wait().unwrap();
        let now = std::fs::read(&file).unwrap();
        if now == original.as_bytes() {
            outcomes[0] += 1;
        } else {
            assert!(
                now == fixed,
                "kill {step}: the file is neither the old nor the new text"
            );
            outcomes[1] += 1;
        }
    }
    assert!(
        outcomes[0] > 0,
        "no kill landed before the rename: {outcomes:?}"
    );
}

#[test]
fn lsp_accepts_the_stdio_flag_that_vscode_adds() {
    let dir = tempfile::tempdir().unwrap();
    // No input at all: the server sees the end of its input and exits cleanly.
    let out = output_with_stdin(reframe(dir.path()).args(["lsp", "--stdio"]), "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `args` with standard output read for a few bytes and then closed, as `| head -c 10`
/// does, and returns the exit code and standard error.
fn closed_early(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = reframe(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = workspace();
    // Enough findings that the output outgrows the pipe's buffer.
    let note = "The client is non-compliant and resistant. He committed suicide.\n\n".repeat(4000);
    std::fs::write(dir.path().join("note.md"), note).unwrap();
    for args in [
        &["check", "note.md"][..],
        &["check", "--format", "json", "note.md"],
        &["fix", "--dry-run", "note.md"],
        &["rules", "list"],
        &["rules", "docs"],
        &["explain", "non-compliant"],
    ] {
        let (code, stderr) = closed_early(dir.path(), args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn a_bad_file_is_reported_in_place_and_the_rest_are_checked() {
    let dir = workspace();
    std::fs::write(dir.path().join("a.md"), "A zorblax here.\n").unwrap();
    // Windows-1252: "naïve" and curly quotes, then a flagged word.
    std::fs::write(
        dir.path().join("b.txt"),
        b"First line.\nna\xefve \x93zorblax\x94 and a zorblax.\n",
    )
    .unwrap();
    let out = reframe(dir.path())
        .args(["check", "--format", "json", "a.md", "missing.md", "b.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("reframe: missing.md: "), "{stderr}");
    assert_eq!(
        lines[1],
        "reframe: b.txt:2:3: not valid UTF-8 here; read as Windows-1252 (Latin-1), and `fix` leaves it unchanged"
    );
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["matched"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("a.md", "zorblax", 1),
            ("b.txt", "zorblax", 2),
            ("b.txt", "zorblax", 2)
        ]
    );
    // `fix` never rewrites a file it had to decode.
    let before = std::fs::read(dir.path().join("b.txt")).unwrap();
    let out = reframe(dir.path()).args(["fix", "b.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(dir.path().join("b.txt")).unwrap(), before);
}

#[test]
fn utf16_with_a_byte_order_mark_is_checked() {
    let dir = workspace();
    let mut raw = vec![0xFF, 0xFE];
    raw.extend(
        "Notes\r\nA zorblax.\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    std::fs::write(dir.path().join("n.txt"), raw).unwrap();
    let out = reframe(dir.path())
        .args(["check", "n.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("n.txt:2:3 warning [zorblax]"));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "reframe: n.txt:1:1: read as UTF-16LE (byte-order mark); `fix` leaves it unchanged\n"
    );
}

#[test]
fn human_output_ends_with_a_summary() {
    let dir = workspace();
    std::fs::write(dir.path().join("clean.md"), "Nothing to see.\n").unwrap();
    std::fs::write(dir.path().join("also.txt"), "Still nothing.\n").unwrap();
    let out = reframe(dir.path()).args(["check"]).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "No findings in 2 files\n"
    );
    std::fs::write(
        dir.path().join("c.md"),
        "A zorblax. The client committed suicide.\n",
    )
    .unwrap();
    let out = reframe(dir.path()).args(["check"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.ends_with("\n2 findings (2 warnings) in 3 files\n"),
        "{stdout}"
    );
}

#[test]
fn a_match_across_a_line_break_is_underlined_on_both_lines() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("w.md"),
        "Her brother committed\nsuicide in 2019.\n",
    )
    .unwrap();
    let out = reframe(dir.path())
        .args(["check", "w.md"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(
            "    Her brother committed\n                ^^^^^^^^^\n    suicide in 2019.\n    ^^^^^^^\n"
        ),
        "{stdout}"
    );
}

#[test]
fn folders_honour_ignore_files_outside_git_and_pick_up_every_prose_kind() {
    let dir = workspace();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join(".gitignore"), "drafts/\n").unwrap();
    std::fs::write(docs.join(".ignore"), "scratch.md\n").unwrap();
    std::fs::create_dir(docs.join("drafts")).unwrap();
    for name in [
        "drafts/a.md",
        "scratch.md",
        "page.mdx",
        "notes.markdown",
        "code.rs",
    ] {
        std::fs::write(docs.join(name), "A zorblax.\n").unwrap();
    }
    let out = reframe(dir.path())
        .args(["check", "--format", "json", "docs"])
        .output()
        .unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths: Vec<String> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    paths.sort();
    assert_eq!(paths, ["docs/notes.markdown", "docs/page.mdx"]);
}

#[test]
fn explain_takes_a_rule_id_or_a_phrase_and_suggests_near_ids() {
    let dir = workspace();
    let by_phrase = reframe(dir.path())
        .args(["explain", "committed suicide"])
        .output()
        .unwrap();
    assert_eq!(by_phrase.status.code(), Some(0));
    let text = String::from_utf8(by_phrase.stdout).unwrap();
    let first_line = text.lines().next().unwrap();
    assert!(
        first_line.starts_with("committed-suicide (suicide, default "),
        "{text}"
    );
    let typo = reframe(dir.path())
        .args(["explain", "non-complient"])
        .output()
        .unwrap();
    assert_eq!(typo.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(typo.stderr).unwrap(),
        "reframe: unknown rule id `non-complient`: did you mean `non-compliant`, `non-compliance` or `non-compliance-with`?\n"
    );
}

#[test]
fn a_pack_reusing_a_builtin_id_fails_rules_test_at_its_line() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("clash.toml"),
        PACK.replace("zorblax\"", "non-compliant\""),
    )
    .unwrap();
    let out = reframe(dir.path())
        .args(["rules", "test", "clash.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(
            "clash.toml:2:1: rule id `non-compliant` is already taken by the rule at rules/"
        ),
        "{stdout}"
    );
}

/// Words mentioned rather than used (an avoid list, a single-quoted label, a self-description)
/// are hints by default, and `mentions` / `quotes` in `.reframe.toml` change that.
#[test]
fn mentions_are_hints_unless_the_project_says_otherwise() {
    let dir = workspace();
    let text = "Avoid: zorblax; other words.\n\nCalling someone 'a zorblax' hurts.\n\nI'm a zorblax and proud.\n\nThe client is a zorblax.\n";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let severities = |dir: &Path| -> Vec<String> {
        let out = reframe(dir)
            .args(["check", "--format", "json", "a.txt"])
            .output()
            .unwrap();
        let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
        findings
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(severities(dir.path()), ["hint", "hint", "hint", "warning"]);
    std::fs::write(
        dir.path().join(".reframe.toml"),
        "rules = [\"pack.toml\"]\nmentions = \"flag\"\n",
    )
    .unwrap();
    assert_eq!(
        severities(dir.path()),
        ["warning", "hint", "warning", "warning"]
    );
    std::fs::write(
        dir.path().join(".reframe.toml"),
        "rules = [\"pack.toml\"]\nmentions = \"ignore\"\nquotes = \"flag\"\n",
    )
    .unwrap();
    assert_eq!(severities(dir.path()), ["warning", "warning"]);
}

#[test]
fn jsonl_records_in_findings_out_in_order_with_bad_lines_on_stderr() {
    let dir = workspace();
    let mut input = String::new();
    for i in 0..5000 {
        let text = match i % 4 {
            0 => "The zorblax is here.\nAnd a zorblax.",
            1 => "Nothing to see.",
            _ => "Two zorblaxes.",
        };
        input.push_str(
            &json!({"note": i, "body": text, "other": [1, {"x": "zorblax"}]}).to_string(),
        );
        input.push('\n');
        if i == 2500 {
            input.push_str("{\"note\": \"broken\", \"body\": \n");
        }
    }
    for jobs in ["1", "2"] {
        let out = output_with_stdin(
            reframe(dir.path()).args([
                "check",
                "--input",
                "jsonl",
                "--id-field",
                "note",
                "--text-field",
                "body",
                "--jobs",
                jobs,
            ]),
            &input,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr.trim(),
            "reframe: <stdin>:2502:27: not a JSON record: EOF while parsing a value"
        );
        let lines: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let expected: Vec<u64> = (0..5000u64)
            .flat_map(|i| match i % 4 {
                0 => vec![i, i],
                1 => vec![],
                _ => vec![i],
            })
            .collect();
        let ids: Vec<u64> = lines.iter().map(|l| l["id"].as_u64().unwrap()).collect();
        assert_eq!(ids, expected, "--jobs {jobs}");
        let second = &lines[1];
        assert_eq!(second["rule"], "zorblax");
        assert_eq!(second["matched"], "zorblax");
        assert_eq!(
            (second["line"].clone(), second["column"].clone()),
            (json!(2), json!(7))
        );
        assert_eq!(second["start"], json!("The zorblax is here.\nAnd a ".len()));
        assert_eq!(second["reframes"], json!(["quux"]));
    }
}

#[test]
fn jsonl_output_closed_early_ends_quietly() {
    let dir = workspace();
    let input = "{\"id\": 1, \"text\": \"a zorblax\"}\n".repeat(200_000);
    let mut child = reframe(dir.path())
        .args(["check", "--input", "jsonl", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    use std::io::Read;
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_folder_checked_on_all_cores_prints_in_path_order() {
    let dir = workspace();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    for i in 0..150 {
        // Files of different sizes, so they finish out of order.
        let body = "a zorblax here.\n\n".repeat(1 + (i * 37) % 200);
        std::fs::write(notes.join(format!("{i:03}.md")), body).unwrap();
    }
    let run = |jobs: &str| {
        reframe(dir.path())
            .args(["check", "--format", "json", "--jobs", jobs, "notes"])
            .output()
            .unwrap()
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(two.stdout, one.stdout);
    let findings: Vec<Value> = serde_json::from_slice(&one.stdout).unwrap();
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(
        findings.len(),
        (0..150).map(|i| 1 + (i * 37) % 200).sum::<usize>()
    );
}

#[test]
fn word_lists_run_beside_the_library_and_bad_rows_are_located() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("ward terms.csv"),
        "term,category,reframe\nglorbish case,identity,person we see often\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("list.txt"),
        "# category: substance\nsnorfle\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "The glorbish case came back. A snorfle, and a zorblax.\n",
    )
    .unwrap();
    let out = reframe(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--rules",
            "ward terms.csv",
            "--rules",
            "list.txt",
            "a.md",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["category"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("ward-terms-glorbish-case", "identity"),
            ("list-snorfle", "substance"),
            ("zorblax", "blame")
        ]
    );
    assert_eq!(findings[0]["reframes"], json!(["person we see often"]));

    std::fs::write(dir.path().join("bad.csv"), "glorbish,identity\nsnorfle\n").unwrap();
    let out = reframe(dir.path())
        .args(["check", "--rules", "bad.csv", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "reframe: bad.csv:2:8: expected `term,category[,reframe]`"
    );
}
