//! `reframe serve`, driven over real HTTP/1.1 on loopback the way the page and curl use it.

use crate::common::output_with_stdin;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, Command, Stdio};

/// A running `reframe serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    banner: Vec<String>,
    /// Kept open so the server's later output never meets a closed pipe.
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(args: &[&str], log: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("REFRAME_LOG", log)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let url = first
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        let port = url.trim_end_matches('/').rsplit(':').next().unwrap();
        let port = port.parse().unwrap();
        let mut banner = vec![first.clone()];
        banner.extend(lines.next().map(Result::unwrap));
        Server {
            child,
            port,
            banner,
            _stdout: lines,
        }
    }

    fn request(&self, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(t) = content_type {
            head.push_str(&format!("Content-Type: {t}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // A server may answer (413) before reading a large body and close; that is fine.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Reply::parse(&raw)
    }

    fn check(&self, text: &str) -> Value {
        let body = serde_json::json!({ "text": text }).to_string();
        let reply = self.request(
            "POST",
            "/api/check",
            Some("application/json"),
            body.as_bytes(),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    fn stop_and_read_log(mut self) -> String {
        let _ = self.child.kill();
        let mut log = String::new();
        let stderr: &mut ChildStderr = self.child.stderr.as_mut().unwrap();
        stderr.read_to_string(&mut log).unwrap();
        log
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8(raw.to_vec()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (k, v) = l.split_once(':').unwrap();
                (k.to_ascii_lowercase(), v.trim().to_string())
            })
            .collect();
        assert!(
            !headers
                .iter()
                .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")),
            "this client reads Content-Length bodies only"
        );
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn error(&self) -> String {
        let value: Value = serde_json::from_str(&self.body).unwrap();
        value["error"].as_str().unwrap().to_string()
    }
}

/// What `reframe check --format json` reports for `text` read as Markdown.
fn cli_findings(text: &str) -> Vec<Value> {
    let out = output_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_reframe"))
            .args([
                "check",
                "-",
                "--stdin-filename",
                "draft.md",
                "--format",
                "json",
            ])
            .current_dir(std::env::temp_dir()),
        text,
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

fn utf16_index(text: &str, byte: usize) -> u64 {
    text[..byte].encode_utf16().count() as u64
}

#[test]
fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    let server = Server::start(&[], "warn");
    assert!(
        server.banner[1].contains("Only this machine"),
        "{:?}",
        server.banner
    );
    for (path, kind) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
    ] {
        let reply = server.request("GET", path, None, b"");
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.header("content-type").unwrap().starts_with(kind),
            "{path}"
        );
        let policy = reply.header("content-security-policy").unwrap();
        assert!(policy.contains("default-src 'self'") && policy.contains("connect-src 'self'"));
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert!(reply.body.len() > 100, "{path} is empty");
    }
    let page = server.request("GET", "/", None, b"").body;
    assert!(page.contains("app.js") && page.contains("app.css"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page loads nothing from the network"
    );

    let info: Value =
        serde_json::from_str(&server.request("GET", "/api/info", None, b"").body).unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(info["rules"].as_u64().unwrap() >= 250);
    let ids: Vec<&str> = info["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, crate::report::CATEGORIES);
}

#[test]
fn check_agrees_with_the_cli_and_counts_in_utf16() {
    let server = Server::start(&[], "warn");
    let text = "# Note 😀\n\n客户 said the client is non-compliant with meds 👍🏽 and é\u{301} committed suicide? No: `non-compliant` in code.\r\n";
    let reply = server.check(text);
    let findings = reply["findings"].as_array().unwrap();
    let from_cli = cli_findings(text);
    let ids = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(findings), ids(&from_cli));
    assert!(findings.len() >= 2, "{findings:?}");
    let units: Vec<u16> = text.encode_utf16().collect();
    for (page, cli) in findings.iter().zip(&from_cli) {
        let start = cli["offset"]["start"].as_u64().unwrap() as usize;
        let end = cli["offset"]["end"].as_u64().unwrap() as usize;
        assert_eq!(page["start"].as_u64().unwrap(), utf16_index(text, start));
        assert_eq!(page["end"].as_u64().unwrap(), utf16_index(text, end));
        let (s, e) = (
            page["start"].as_u64().unwrap() as usize,
            page["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            String::from_utf16(&units[s..e]).unwrap(),
            page["matched"].as_str().unwrap()
        );
        assert!(!page["why"].as_str().unwrap().is_empty());
        assert!(!page["sources"].as_array().unwrap().is_empty());
    }
    let mut total = 0;
    for (category, count) in reply["counts"].as_object().unwrap() {
        let expected = from_cli
            .iter()
            .filter(|f| f["category"] == *category)
            .count();
        assert_eq!(count.as_u64().unwrap() as usize, expected, "{category}");
        total += expected;
    }
    assert_eq!(reply["total"].as_u64().unwrap() as usize, total);
    assert_eq!(total, from_cli.len());
}

#[test]
fn bad_requests_get_a_4xx_with_a_clear_message_and_the_server_lives_on() {
    let server = Server::start(&[], "warn");
    let json = Some("application/json");
    let cases: Vec<(u16, Reply)> = vec![
        (
            415,
            server.request("POST", "/api/check", None, b"{\"text\":\"a\"}"),
        ),
        (
            415,
            server.request(
                "POST",
                "/api/check",
                Some("text/plain"),
                b"{\"text\":\"a\"}",
            ),
        ),
        (
            400,
            server.request("POST", "/api/check", json, b"{\"text\":"),
        ),
        (
            400,
            server.request("POST", "/api/check", json, b"{\"txt\":\"a\"}"),
        ),
        (
            400,
            server.request(
                "POST",
                "/api/check",
                json,
                b"{\"text\":\"a\",\"kind\":\"latex\"}",
            ),
        ),
        (400, server.request("POST", "/api/check", json, b"\xff\xfe")),
        (
            413,
            server.request("POST", "/api/check", json, &vec![b' '; 2 << 20]),
        ),
        (404, server.request("GET", "/nothing-here", None, b"")),
        (405, server.request("GET", "/api/check", None, b"")),
        (405, server.request("DELETE", "/", None, b"")),
    ];
    for (expected, reply) in &cases {
        assert_eq!(reply.status, *expected, "{}", reply.body);
        let message = reply.error();
        assert!(message.len() > 15, "{expected}: {message:?}");
    }
    assert!(cases[6].1.error().contains("1 MiB"));
    let after = server.check("She is non-compliant.");
    assert_eq!(after["total"], 1);
}

#[test]
fn no_text_reaches_the_log_even_at_trace() {
    let server = Server::start(&[], "trace");
    let marker = "Zqxv-private-marker";
    let reply = server.check(&format!("{marker} is non-compliant and {marker}."));
    assert_eq!(reply["total"], 1);
    let path = format!("/{marker}?q={marker}");
    assert_eq!(server.request("GET", &path, None, b"").status, 404);
    let log = server.stop_and_read_log();
    assert!(log.contains("POST /api/check 200"), "{log}");
    assert!(!log.contains(marker), "{log}");
    assert!(!log.contains("non-compliant"), "{log}");
}

#[test]
fn rule_packs_and_room_sharing() {
    let server = Server::start(
        &[
            "--host",
            "0.0.0.0",
            "--rules",
            "rules/packs/peer-support.toml",
        ],
        "warn",
    );
    assert!(
        server.banner[1].contains("room's network"),
        "{:?}",
        server.banner
    );
    let reply = server.check("What is your presenting problem?");
    let rules: Vec<&str> = reply["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.is_empty(),
        "the peer-support pack flags clinical jargon"
    );
    assert!(reply["findings"][0]["matched"]
        .as_str()
        .unwrap()
        .contains("presenting problem"));
}
