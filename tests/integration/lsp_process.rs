//! `reframe lsp` as editors run it: a child process on stdio. These tests look at what only a
//! real process shows: its log output, its open file descriptors, and surviving a panic.

use crate::common::{file_uri, Client, TEST_PACK};
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
    let deadline = std::time::Instant::now() + crate::common::TIMEOUT;
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

/// Resident and peak resident memory of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        let line = status.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Closes a document and waits for the server to clear its diagnostics.
async fn close(client: &mut Client, uri: &str) {
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    client.diagnostics_for(uri).await;
}

#[tokio::test]
async fn a_50_mb_document_is_linted_and_closing_it_hands_the_memory_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path(), &[("REFRAME_LOG", "warn")]).await;
    // A hang still fails the test; the unoptimised test build just needs longer per message.
    server.client.timeout = std::time::Duration::from_secs(600);
    let pid = server.child.id();
    let paragraph = "We talked about the week ahead and her garden. 😀 客户 e\u{301}.\r\n\r\n";
    let flagged = "The client is resistant to homework.\r\n\r\n";
    let document = |paragraphs: usize| -> (String, Vec<u64>) {
        let mut text = String::with_capacity(paragraphs * paragraph.len());
        let mut flagged_lines = Vec::new();
        for i in 0..paragraphs {
            if i % 5000 == 0 {
                flagged_lines.push(2 * i as u64);
                text.push_str(flagged);
            } else {
                text.push_str(paragraph);
            }
        }
        (text, flagged_lines)
    };
    let lines_of = |published: &Value| -> Vec<u64> {
        let diagnostics = published["diagnostics"].as_array().unwrap();
        diagnostics
            .iter()
            .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
            .collect()
    };

    // The same paragraphs in a small document first, so the matcher's lazily built state
    // is already there when memory is measured.
    let warm = file_uri(&dir.path().join("warm.md"));
    let (small, _) = document(20_000);
    server.client.open(&warm, "markdown", 1, &small).await;
    server.client.diagnostics_for(&warm).await;
    close(&mut server.client, &warm).await;
    let (before, _) = memory_kib(pid);

    let doc = file_uri(&dir.path().join("manuscript.md"));
    let (text, flagged_lines) = document((50usize << 20).div_ceil(paragraph.len()));
    assert!(text.len() >= 50_000_000, "{} bytes", text.len());
    server.client.open(&doc, "markdown", 1, &text).await;
    let published = server.client.diagnostics_for(&doc).await;
    assert_eq!(published["version"], 1);
    assert_eq!(lines_of(&published), flagged_lines);

    // An edit at the very end is applied and linted.
    let last_line = text.matches('\n').count() as u64;
    server
        .client
        .change(
            &doc,
            2,
            json!([{"range": {"start": {"line": last_line, "character": 0}, "end": {"line": last_line, "character": 0}}, "text": "She is non-compliant."}]),
        )
        .await;
    let published = server.client.diagnostics_for(&doc).await;
    assert_eq!(published["version"], 2);
    let mut expected = flagged_lines.clone();
    expected.push(last_line);
    assert_eq!(lines_of(&published), expected);
    let hover = server
        .client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": last_line, "character": 10}}),
        )
        .await;
    let hover_text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        hover_text.to_lowercase().contains("non-compliant"),
        "{hover}"
    );

    let (_, peak) = memory_kib(pid);
    close(&mut server.client, &doc).await;
    let (after, _) = memory_kib(pid);
    eprintln!("resident KiB: {before} before, {peak} peak, {after} after closing");
    let document_kib = text.len() as u64 / 1024;
    assert!(
        peak > before + document_kib,
        "the document was held: {before} -> {peak}"
    );
    assert!(
        peak - after >= document_kib,
        "closing returned less than the document's size: {peak} peak, {after} after"
    );
    // Nothing the size of the document stays behind (tower-lsp-server's own reader kept a
    // 64 MiB buffer after the first 50 MB message and 128 MiB after the second), and a second
    // open and close of the same document does not grow what stays.
    assert!(
        after < before + document_kib / 4,
        "closing kept a document-sized buffer: {before} before, {after} after"
    );
    server.client.open(&doc, "markdown", 3, &text).await;
    assert_eq!(server.client.diagnostics_for(&doc).await["version"], 3);
    close(&mut server.client, &doc).await;
    let (after_second, _) = memory_kib(pid);
    eprintln!("resident KiB after a second open and close: {after_second}");
    assert!(
        after_second < before + document_kib / 4,
        "a second open and close kept memory: {before} before, {after_second} after"
    );
    finish(server).await;
}

#[tokio::test]
async fn a_client_that_stops_reading_leaves_the_server_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.toml"), TEST_PACK).unwrap();
    let mut server = spawn(dir.path(), &[]);
    let pack = dir.path().join("pack.toml").display().to_string();
    // No cap, so each publish is large (20,000 diagnostics, about 7 MB).
    let settings = json!({"rules": [pack], "maxProblems": 1_000_000});
    server.client.settings = settings.clone();
    server
        .client
        .initialize(json!({}), settings, Some(dir.path()))
        .await;
    let pid = server.child.id();
    let doc = file_uri(&dir.path().join("dense.md"));
    let text: String = (0..20_000)
        .map(|i| format!("Paragraph {i} has a zorblax in it.\n\n"))
        .collect();
    server.client.open(&doc, "markdown", 1, &text).await;
    let first = server.client.diagnostics_for(&doc).await;
    assert_eq!(first["diagnostics"].as_array().unwrap().len(), 20_000);
    let (before, _) = memory_kib(pid);

    // The client stops reading for 10 s and keeps typing, an edit every 20 ms: each edit's
    // publish finds the last one still waiting.
    let edits = 500;
    for version in 2..2 + edits {
        server
            .client
            .change(
                &doc,
                version,
                json!([{"range": {"start": {"line": 0, "character": 0},
                                  "end": {"line": 0, "character": 0}}, "text": "x"}]),
            )
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (_, peak_unread) = memory_kib(pid);
    let newest = 1 + edits;
    let last = loop {
        let published = server.client.diagnostics_for(&doc).await;
        if published["version"] == newest {
            break published;
        }
    };
    assert_eq!(last["diagnostics"].as_array().unwrap().len(), 20_000);
    let (_, peak) = memory_kib(pid);
    eprintln!("resident KiB: {before} before, peak {peak_unread} unread, {peak} after reading");
    // Unbounded, the waiting publishes alone would take 500 × 7 MB.
    assert!(
        peak < before + 300 * 1024,
        "memory grew while the client did not read: {before} KiB before, {peak} KiB peak"
    );
    finish(server).await;
}

/// An editor that is stopping may leave the server's own requests unanswered (Neovim does, for
/// a `workspace/diagnostic/refresh` sent as it shuts down). The handler that waits for the answer
/// must not keep the process alive after `exit`.
#[tokio::test]
async fn the_server_exits_after_exit_while_its_own_request_is_unanswered() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = spawn(dir.path(), &[]);
    let capabilities = json!({
        "textDocument": {"diagnostic": {}},
        "workspace": {"diagnostics": {"refreshSupport": true}},
    });
    server
        .client
        .initialize(capabilities, json!({}), Some(dir.path()))
        .await;
    let uri = file_uri(&dir.path().join("a.md"));
    server
        .client
        .open(&uri, "markdown", 1, "The client is non-compliant.")
        .await;
    server
        .client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"reframe": {"disable": ["resistant-to"]}}}),
        )
        .await;
    // Read up to the refresh request and leave it unanswered, as a stopping editor does.
    loop {
        let message = server.client.read().await;
        if message["method"] == "workspace/diagnostic/refresh" {
            break;
        }
        if message.get("method").is_some() && message.get("id").is_some() {
            let reply = json!({"jsonrpc": "2.0", "id": message["id"].clone(), "result": null});
            server.client.send(&reply).await;
        }
    }
    let log = finish(server).await;
    assert!(!log.contains("panicked"), "{log}");
}
