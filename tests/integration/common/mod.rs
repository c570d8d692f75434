//! A language-server client for tests: real JSON-RPC framing over in-memory pipes (or a child
//! process's stdio), answering the server's own requests the way editors do.

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// How long to wait for any one message before failing the test (a hang is a bug).
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    reader: BufReader<Box<dyn AsyncRead + Unpin + Send>>,
    next_id: i64,
    /// Notifications and server requests seen while waiting for something else.
    pub backlog: VecDeque<Value>,
    /// What `workspace/configuration` answers.
    pub settings: Value,
    /// Every server→client request seen, in order.
    pub server_requests: Vec<Value>,
    /// How long to wait for one message; [`TIMEOUT`] unless a test sends huge documents.
    pub timeout: Duration,
}

impl Client {
    /// Starts the real server in-process over duplex pipes.
    pub fn in_process() -> Client {
        let (client_side, server_side) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_side);
        tokio::spawn(reframe::serve_lsp(server_read, server_write));
        let (read, write) = tokio::io::split(client_side);
        Client::over(Box::new(read), Box::new(write))
    }

    pub fn over(
        read: Box<dyn AsyncRead + Unpin + Send>,
        write: Box<dyn AsyncWrite + Unpin + Send>,
    ) -> Client {
        Client {
            writer: write,
            reader: BufReader::new(read),
            next_id: 1,
            backlog: VecDeque::new(),
            settings: json!({}),
            server_requests: Vec::new(),
            timeout: TIMEOUT,
        }
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    pub async fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.send_raw(&framed).await;
    }

    /// Reads one framed message.
    pub async fn read(&mut self) -> Value {
        tokio::time::timeout(self.timeout, self.read_inner())
            .await
            .expect("timed out waiting for a message from the server")
    }

    async fn read_inner(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).await.unwrap();
            assert!(n > 0, "server closed the connection");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = Some(v.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("Content-Length header")];
        self.reader.read_exact(&mut body).await.unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Answers a server→client request like an editor would.
    async fn answer(&mut self, request: &Value) {
        self.server_requests.push(request.clone());
        let result = match request["method"].as_str().unwrap_or_default() {
            "workspace/configuration" => json!([self.settings.clone()]),
            _ => Value::Null,
        };
        let reply = json!({"jsonrpc": "2.0", "id": request["id"].clone(), "result": result});
        self.send(&reply).await;
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.response(id).await
    }

    /// Waits for the response with this id, answering server requests on the way.
    pub async fn response(&mut self, id: i64) -> Value {
        loop {
            let message = self.read().await;
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer(&message).await;
            } else if message.get("method").is_some() {
                self.backlog.push_back(message);
            } else if message["id"] == json!(id) {
                return message;
            }
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// The next notification with this method (earlier ones of other methods stay queued).
    pub async fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.backlog.iter().position(|m| m["method"] == method) {
            return self.backlog.remove(i).unwrap();
        }
        loop {
            let message = self.read().await;
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer(&message).await;
            } else if message["method"] == method {
                return message;
            } else {
                self.backlog.push_back(message);
            }
        }
    }

    /// The next `publishDiagnostics` params for `uri`.
    pub async fn diagnostics_for(&mut self, uri: &str) -> Value {
        loop {
            let n = self.notification("textDocument/publishDiagnostics").await;
            if n["params"]["uri"] == uri {
                return n["params"].clone();
            }
        }
    }

    /// `initialize` + `initialized` with the given client capabilities and options.
    pub async fn initialize(
        &mut self,
        capabilities: Value,
        options: Value,
        root: Option<&std::path::Path>,
    ) -> Value {
        let root_uri = root.map(file_uri);
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{"uri": u, "name": "ws"}]))
            .unwrap_or(Value::Null);
        let response = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": root_uri,
                    "workspaceFolders": folders,
                    "capabilities": capabilities,
                    "initializationOptions": options,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        response
    }

    pub async fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        )
        .await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    pub async fn shutdown(&mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null).await;
    }
}

pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// A rule pack with a made-up word, so assertions do not depend on the built-in library.
pub const TEST_PACK: &str = r#"
[[rule]]
id = "zorblax"
category = "blame"
severity = "warning"
phrases = ["zorblax{,es}"]
message = "Zorblax is a test word."
why = "Because tests need a word no real rule flags."
fix = "safe"
reframes = ["{1:quux,quuxes}", "frob"]
sources = [{ title = "Test source", url = "https://example.org/test" }]
[rule.examples]
flag = ["a zorblax here", "two zorblaxes"]
pass = ["zorbla", "zorblaxy"]
"#;

/// Applies LSP text edits (UTF-16 positions unless `utf8`) to `text`.
pub fn apply_lsp_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let start = offset_of(text, &e["range"]["start"], utf8);
            let end = offset_of(text, &e["range"]["end"], utf8);
            (start, end, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

/// Byte offset of an LSP position in `text`, computed independently of the server's code.
pub fn offset_of(text: &str, position: &Value, utf8: bool) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let mut line_start = 0;
    for _ in 0..line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[line_start..];
    let line_text = &line_text[..line_text.find(['\r', '\n']).unwrap_or(line_text.len())];
    let mut units = 0;
    for (i, c) in line_text.char_indices() {
        if units >= character {
            return line_start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    line_start + line_text.len()
}

/// Runs `cmd` with `input` on its standard input.
pub fn output_with_stdin(cmd: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
