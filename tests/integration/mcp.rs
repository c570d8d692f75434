//! `reframe mcp` over its real stdio with raw JSON-RPC lines: the handshake, the tool list and
//! one call, checked field by field. The full client tests (the official Python SDK) are in
//! tests/mcp/.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Sends `requests` one line each, then returns the replies by id once every request with an
/// id has one; the server must exit cleanly when its input closes.
fn exchange(requests: &[Value]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .arg("mcp")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    for request in requests {
        writeln!(stdin, "{request}").unwrap();
    }
    stdin.flush().unwrap();
    let expected = requests.iter().filter(|r| r.get("id").is_some()).count();
    let mut replies: Vec<Value> = (0..expected)
        .map(|_| {
            let line = received.recv_timeout(Duration::from_secs(30)).unwrap();
            serde_json::from_str(&line).unwrap()
        })
        .collect();
    drop(stdin);
    assert!(child.wait().unwrap().success());
    replies.sort_by_key(|r| r["id"].as_i64());
    replies
}

#[test]
fn mcp_handshake_tool_list_and_a_check() {
    let text = "The client is non-compliant.\n\nShe committed suicide.\n";
    let replies = exchange(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "integration", "version": "0"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "check_text", "arguments": {"text": text, "format": "text"}}}),
        json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {
            "name": "no_such_tool", "arguments": {}}}),
    ]);
    let [init, list, call, unknown] = &replies[..] else {
        panic!("expected four replies: {replies:?}");
    };

    let init = &init["result"];
    assert_eq!(init["protocolVersion"], "2025-06-18");
    assert_eq!(init["serverInfo"]["name"], "reframe");
    for capability in ["tools", "prompts", "resources"] {
        assert!(init["capabilities"][capability].is_object(), "{init}");
    }

    let tools = list["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["check_text", "explain", "list_rules", "reframe_text"]
    );
    let check = &tools[0];
    assert_eq!(check["inputSchema"]["required"], json!(["text"]));
    assert_eq!(
        check["inputSchema"]["properties"]["format"]["$ref"],
        "#/$defs/TextFormat"
    );
    assert_eq!(check["outputSchema"]["type"], "object");

    let result = &call["result"];
    assert_eq!(result["isError"], false);
    let structured = &result["structuredContent"];
    let shown: Value =
        serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(&shown, structured);
    assert_eq!(structured["total"], 2);
    assert_eq!(structured["omitted"], 0);
    let findings = structured["findings"].as_array().unwrap();
    let first = &findings[0];
    assert_eq!(first["rule"], "non-compliant");
    assert_eq!(first["category"], "blame");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["matched"], "non-compliant");
    let start = text.find("non-compliant").unwrap();
    assert_eq!(
        first["position"],
        json!({"line": 1, "column": start + 1, "end_line": 1,
               "end_column": start + 1 + "non-compliant".len(),
               "start": start, "end": start + "non-compliant".len()})
    );
    assert!(!first["why"].as_str().unwrap().is_empty());
    let second = &findings[1];
    assert_eq!(second["rule"], "committed-suicide");
    assert_eq!(second["position"]["line"], 3);
    assert_eq!(second["position"]["column"], 5);
    assert_eq!(
        second["reframes"][0],
        json!({"text": "died by suicide", "safe": true})
    );

    assert_eq!(unknown["error"]["code"], -32602);
}
