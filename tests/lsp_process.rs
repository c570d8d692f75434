//! `reframe lsp` as editors run it: a child process on stdio. These tests look at what only a
//! real process shows: its log output, its open file descriptors, and surviving a panic.

mod common;

use common::{file_uri, Client, TEST_PACK};
use serde_json::{json, Value};
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

/// A string that appears in no rule, message or path, so finding it in a log means the
/// document's text leaked.
const MARKER: &str = "Qx7vMarkerWombat";

struct Server {
    child: Child,
    stderr: JoinHandle<String>,
    client: Client,
}

/// A child's pipe as an async stream for the [`Client`].
fn pipe(fd: impl Into<std::os::fd::OwnedFd>) -> tokio::fs::File {
    tokio::fs::File::from_std(std::fs::File::from(fd.into()))
}

fn spawn(dir: &Path, env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .arg("lsp")
        .current_dir(dir)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = pipe(child.stdin.take().unwrap());
    let stdout = pipe(child.stdout.take().unwrap());
    let mut stderr = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut log = String::new();
        stderr.read_to_string(&mut log).unwrap();
        log
    });
    let client = Client::over(Box::new(stdout), Box::new(stdin));
    Server {
        child,
        stderr,
        client,
    }
}

async fn start(dir: &Path, env: &[(&str, &str)]) -> Server {
    std::fs::write(dir.join("pack.toml"), TEST_PACK).unwrap();
    let mut server = spawn(dir, env);
    let pack = dir.join("pack.toml").display().to_string();
    server.client.settings = json!({"rules": [pack]});
    server
        .client
        .initialize(json!({}), json!({"rules": [pack]}), Some(dir))
        .await;
    server
}

/// Shuts the server down and returns everything it wrote to standard error.
async fn finish(mut server: Server) -> String {
    server.client.shutdown().await;
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            server.child.kill().unwrap();
            panic!("the server did not exit after `exit`");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(status.success(), "{status}");
    server.stderr.join().unwrap()
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_most_verbose_log_names_rules_and_never_quotes_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path(), &[("REFRAME_LOG", "trace")]).await;
    let doc = file_uri(&dir.path().join(format!("{MARKER}.md")));
    let text = format!("The client is resistant. {MARKER} zorblax {MARKER}.\n");
    server.client.open(&doc, "markdown", 1, &text).await;
    let published = server.client.diagnostics_for(&doc).await;
    assert!(codes(&published).contains(&"zorblax".to_string()));
    server
        .client
        .change(
            &doc,
            2,
            json!([{"text": format!("{MARKER} committed suicide\n")}]),
        )
        .await;
    server.client.diagnostics_for(&doc).await;
    let hover = server
        .client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": 20}}),
        )
        .await;
    assert!(hover.get("result").is_some(), "{hover}");

    // Nothing here may open a socket: every descriptor is a pipe, a file or an event queue.
    let pid = server.child.id();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap() {
        let target = std::fs::read_link(entry.unwrap().path()).unwrap();
        let target = target.display().to_string();
        assert!(!target.starts_with("socket:"), "open socket: {target}");
    }

    let log = finish(server).await;
    assert!(log.contains("reframe debug: doc 1 v1:"), "{log}");
    assert!(
        log.contains("zorblax at bytes"),
        "trace lines name rules: {log}"
    );
    assert!(!log.contains(MARKER), "the log quotes the document:\n{log}");
    assert!(
        !log.contains("resistant."),
        "the log quotes the document:\n{log}"
    );
}

#[test]
fn the_command_line_log_never_quotes_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.md");
    std::fs::write(&file, format!("The client is resistant. {MARKER}\n")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(["check", "--format", "json", "note.md"])
        .current_dir(dir.path())
        .env("REFRAME_LOG", "trace")
        .output()
        .unwrap();
    let log = String::from_utf8(out.stderr).unwrap();
    assert!(
        log.contains("note.md: ") && log.contains(" at bytes "),
        "{log}"
    );
    assert!(!log.contains(MARKER), "the log quotes the document:\n{log}");
}

#[tokio::test]
async fn a_panicking_rule_is_logged_by_id_and_the_document_keeps_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(
        dir.path(),
        &[("REFRAME_DEBUG_PANIC", "zorblax"), ("REFRAME_LOG", "warn")],
    )
    .await;
    let doc = file_uri(&dir.path().join("note.md"));
    server
        .client
        .open(&doc, "markdown", 1, "The client is resistant.\n")
        .await;
    let good = server.client.diagnostics_for(&doc).await;
    assert_eq!(good["version"], 1);
    assert!(!codes(&good).is_empty(), "{good}");

    // The test pack's rule panics when it matches: version 2 keeps version 1's findings.
    server
        .client
        .change(
            &doc,
            2,
            json!([{"text": "The client is resistant. zorblax\n"}]),
        )
        .await;
    let after_panic = server.client.diagnostics_for(&doc).await;
    assert_eq!(after_panic["version"], 2);
    assert_eq!(after_panic["diagnostics"], good["diagnostics"]);

    // The process lives on and lints the next version afresh.
    server
        .client
        .change(&doc, 3, json!([{"text": "Nothing here.\n"}]))
        .await;
    let fresh = server.client.diagnostics_for(&doc).await;
    assert_eq!(fresh, json!({"uri": doc, "version": 3, "diagnostics": []}));

    let log = finish(server).await;
    assert!(
        log.contains("doc 1: the lint panicked in rule zorblax"),
        "{log}"
    );
    assert!(!log.contains("The client is resistant"), "{log}");
}
