//! The language server, driven over in-memory pipes with real JSON-RPC framing.

use crate::common::{apply_lsp_edits, file_uri, Client, TEST_PACK};
use serde_json::{json, Value};
use std::path::Path;

/// A workspace folder with the test pack, and a client configured to load it.
async fn setup(capabilities: Value) -> (tempfile::TempDir, Client) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.toml"), TEST_PACK).unwrap();
    let mut client = Client::in_process();
    let pack = dir.path().join("pack.toml").display().to_string();
    client.settings = json!({"rules": [pack]});
    client
        .initialize(capabilities, json!({"rules": [pack]}), Some(dir.path()))
        .await;
    (dir, client)
}

fn uri(dir: &Path, name: &str) -> String {
    file_uri(&dir.join(name))
}

fn expected_diagnostic(range: Value, severity: u64) -> Value {
    json!({
        "range": range,
        "severity": severity,
        "code": "zorblax",
        "codeDescription": {"href": format!("{}#zorblax", reframe::DOCS_URL)},
        "source": "reframe",
        "message": "Zorblax is a test word.",
        "data": {"rule": "zorblax", "category": "blame", "reframes": ["quux", "frob"]}
    })
}

fn range(l1: u64, c1: u64, l2: u64, c2: u64) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

#[tokio::test]
async fn negotiates_utf8_when_offered_and_utf16_otherwise() {
    let mut client = Client::in_process();
    let response = client
        .initialize(
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
            Value::Null,
            None,
        )
        .await;
    let caps = &response["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-8");
    assert_eq!(
        caps["textDocumentSync"],
        json!({"openClose": true, "change": 2})
    );
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["inlayHintProvider"], true);
    assert_eq!(
        caps["diagnosticProvider"],
        json!({"identifier": "reframe", "interFileDependencies": false, "workspaceDiagnostics": true})
    );
    assert_eq!(
        caps["codeActionProvider"],
        json!({"codeActionKinds": ["quickfix", "source.fixAll", "source.fixAll.reframe"], "resolveProvider": false})
    );
    assert_eq!(response["result"]["serverInfo"]["name"], "reframe");
    client.shutdown().await;

    let mut client = Client::in_process();
    let response = client.initialize(json!({}), Value::Null, None).await;
    assert_eq!(
        response["result"]["capabilities"]["positionEncoding"],
        "utf-16"
    );
}

#[tokio::test]
async fn publishes_diagnostics_after_open_and_incremental_edits() {
    let (dir, mut client) = setup(json!({})).await;
    let doc = uri(dir.path(), "note.md");
    client
        .open(
            &doc,
            "markdown",
            1,
            "A zorblax here.\n\n`zorblax` in code\n",
        )
        .await;
    let published = client.diagnostics_for(&doc).await;
    assert_eq!(
        published,
        json!({"uri": doc, "version": 1, "diagnostics": [expected_diagnostic(range(0, 2, 0, 9), 2)]})
    );
    // Insert "Two zorblaxes. " at the start: the old finding shifts, a new one appears.
    client
        .change(
            &doc,
            2,
            json!([{"range": range(0, 0, 0, 0), "text": "Two zorblaxes. "}]),
        )
        .await;
    let published = client.diagnostics_for(&doc).await;
    let mut first = expected_diagnostic(range(0, 4, 0, 13), 2);
    first["data"]["reframes"] = json!(["quuxes", "frob"]);
    assert_eq!(
        published,
        json!({"uri": doc, "version": 2, "diagnostics": [first, expected_diagnostic(range(0, 17, 0, 24), 2)]})
    );
    // Delete the first sentence again.
    client
        .change(&doc, 3, json!([{"range": range(0, 0, 0, 15), "text": ""}]))
        .await;
    let published = client.diagnostics_for(&doc).await;
    assert_eq!(published["version"], 3);
    assert_eq!(
        published["diagnostics"],
        json!([expected_diagnostic(range(0, 2, 0, 9), 2)])
    );
}

#[tokio::test]
async fn positions_are_exact_with_emoji_cjk_combining_marks_and_crlf() {
    let text = "😀 客户 e\u{301} zorblax\r\nline two 👩‍👩‍👧 zorblax\r\n";
    for (utf8, expected) in [
        (false, [range(0, 9, 0, 16), range(1, 18, 1, 25)]),
        (true, [range(0, 16, 0, 23), range(1, 28, 1, 35)]),
    ] {
        let caps = if utf8 {
            json!({"general": {"positionEncodings": ["utf-8"]}})
        } else {
            json!({})
        };
        let (dir, mut client) = setup(caps).await;
        let doc = uri(dir.path(), "u.md");
        client.open(&doc, "markdown", 1, text).await;
        let published = client.diagnostics_for(&doc).await;
        let ranges: Vec<Value> = published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["range"].clone())
            .collect();
        assert_eq!(ranges, expected, "utf8={utf8}");
        // Incoming positions: hover at the second phrase's start, in the same encoding.
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": doc}, "position": expected[1]["start"]}),
            )
            .await;
        assert_eq!(hover["result"]["range"], expected[1], "utf8={utf8}");
        // An edit after the emoji, in the negotiated encoding, lands in the right place.
        let end = expected[0]["end"].clone();
        client
            .change(
                &doc,
                2,
                json!([{"range": {"start": end, "end": end}, "text": "es"}]),
            )
            .await;
        let published = client.diagnostics_for(&doc).await;
        let mut widened = expected[0].clone();
        widened["end"]["character"] = json!(expected[0]["end"]["character"].as_u64().unwrap() + 2);
        assert_eq!(published["diagnostics"][0]["range"], widened, "utf8={utf8}");
        assert_eq!(published["diagnostics"][0]["data"]["reframes"][0], "quuxes");
    }
}

#[tokio::test]
async fn hover_and_inlay_hints() {
    let (dir, mut client) = setup(json!({})).await;
    let doc = uri(dir.path(), "h.md");
    client.open(&doc, "markdown", 1, "A zorblax.\n").await;
    client.diagnostics_for(&doc).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": 4}}),
        )
        .await;
    let expected_markdown = format!(
        "**Zorblax is a test word.**\n\nBecause tests need a word no real rule flags.\n\n**Reframes:**\n- “quux”\n- “frob”\n\n**Sources:**\n- [Test source](https://example.org/test)\n\n`zorblax` · blame · [about this rule]({}#zorblax)",
        reframe::DOCS_URL
    );
    assert_eq!(
        hover["result"],
        json!({"contents": {"kind": "markdown", "value": expected_markdown}, "range": range(0, 2, 0, 9)})
    );
    let nothing = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(nothing["result"], Value::Null);
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": doc}, "range": range(0, 0, 1, 0)}),
        )
        .await;
    assert_eq!(
        hints["result"],
        json!([{"position": {"line": 0, "character": 9}, "label": "→ quux", "tooltip": "Zorblax is a test word.", "paddingLeft": true}])
    );
}

#[tokio::test]
async fn every_code_action_applies_cleanly() {
    let (dir, mut client) =
        setup(json!({"workspace": {"workspaceEdit": {"resourceOperations": ["create"]}}})).await;
    let doc = uri(dir.path(), "c.md");
    let text = "Intro line.\n  A zorblax and a zorblax.\n";
    client.open(&doc, "markdown", 1, text).await;
    client.diagnostics_for(&doc).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": doc}, "range": range(1, 5, 1, 5), "context": {"diagnostics": []}}),
        )
        .await;
    let actions = actions["result"].as_array().unwrap().clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Reframe as “quux”",
            "Reframe as “frob” (suggestion: check it keeps your meaning)",
            "Ignore here",
            "Allow “zorblax” in this workspace",
            "Turn off rule zorblax in this workspace"
        ]
    );
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(actions[1]["isPreferred"], false);
    assert_eq!(actions[0]["kind"], "quickfix");
    let edits = |a: &Value| a["edit"]["changes"][&doc].as_array().unwrap().clone();
    assert_eq!(
        apply_lsp_edits(text, &edits(&actions[0]), false),
        "Intro line.\n  A quux and a zorblax.\n"
    );
    assert_eq!(
        apply_lsp_edits(text, &edits(&actions[1]), false),
        "Intro line.\n  A frob and a zorblax.\n"
    );
    assert_eq!(
        apply_lsp_edits(text, &edits(&actions[2]), false),
        "Intro line.\n  <!-- reframe-disable-next-line zorblax -->\n  A zorblax and a zorblax.\n"
    );
    // No .reframe.toml yet: the allow action creates one.
    let config_uri = uri(dir.path(), ".reframe.toml");
    let ops = actions[3]["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(
        ops[0],
        json!({"kind": "create", "uri": config_uri, "options": {"overwrite": false, "ignoreIfExists": true}})
    );
    let created = apply_lsp_edits("", ops[1]["edits"].as_array().unwrap(), false);
    assert_eq!(created, "allow = [\"zorblax\"]\n");
    // With a commented config on disk, the disable action keeps comments and layout.
    std::fs::write(
        dir.path().join(".reframe.toml"),
        "# team settings\nallow = [] # none yet\n",
    )
    .unwrap();
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": doc}, "range": range(1, 5, 1, 5), "context": {"diagnostics": []}}),
        )
        .await;
    let disable = &actions["result"][4];
    let config_edits = disable["edit"]["changes"][&config_uri].as_array().unwrap();
    let on_disk = std::fs::read_to_string(dir.path().join(".reframe.toml")).unwrap();
    assert_eq!(
        apply_lsp_edits(&on_disk, config_edits, false),
        "# team settings\nallow = [] # none yet\ndisable = [\"zorblax\"]\n"
    );
    // Fix all, only when asked for.
    let fix_all = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": doc}, "range": range(0, 0, 0, 0), "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await;
    let fix_all = &fix_all["result"][0];
    assert_eq!(fix_all["kind"], "source.fixAll.reframe");
    assert_eq!(
        apply_lsp_edits(text, &edits(fix_all), false),
        "Intro line.\n  A quux and a quux.\n"
    );
}

/// A pack whose only reframe is a suggestion: it may change what the sentence says.
const SUGGESTION_PACK: &str = r#"
[[rule]]
id = "blorvex"
category = "blame"
severity = "warning"
phrases = ["blorvex"]
message = "Blorvex is a test word."
why = "Tests need a word no real rule flags."
reframes = ["snarf"]
sources = [{ title = "Test source", url = "https://example.org/test" }]
[rule.examples]
flag = ["a blorvex here", "the blorvex"]
pass = ["blorve", "blorvexy"]
"#;

/// Fix-all applies safe reframes only, unless the user turns on `unsafeFixes`; quick fixes
/// offer suggestions either way, marked as needing judgement.
#[tokio::test]
async fn fix_all_applies_suggestions_only_when_unsafe_fixes_is_on() {
    let text = "A zorblax and a blorvex.\n";
    let mut results = Vec::new();
    for unsafe_fixes in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pack.toml"), TEST_PACK).unwrap();
        std::fs::write(dir.path().join("suggest.toml"), SUGGESTION_PACK).unwrap();
        let packs = [
            dir.path().join("pack.toml").display().to_string(),
            dir.path().join("suggest.toml").display().to_string(),
        ];
        let settings = json!({"rules": packs, "unsafeFixes": unsafe_fixes});
        let mut client = Client::in_process();
        client.settings = settings.clone();
        client
            .initialize(json!({}), settings, Some(dir.path()))
            .await;
        let doc = uri(dir.path(), "d.md");
        client.open(&doc, "markdown", 1, text).await;
        client.diagnostics_for(&doc).await;
        let quick = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": doc}, "range": range(0, 17, 0, 17), "context": {"diagnostics": [], "only": ["quickfix"]}}),
            )
            .await;
        assert_eq!(
            quick["result"][0]["title"],
            "Reframe as “snarf” (suggestion: check it keeps your meaning)"
        );
        let fix_all = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": doc}, "range": range(0, 0, 0, 0), "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
            )
            .await;
        let edits = fix_all["result"][0]["edit"]["changes"][&doc]
            .as_array()
            .unwrap()
            .clone();
        let title = fix_all["result"][0]["title"].as_str().unwrap().to_string();
        results.push((title, apply_lsp_edits(text, &edits, false)));
    }
    assert_eq!(
        results,
        [
            (
                "Reframe all safe (1 change)".to_string(),
                "A quux and a blorvex.\n".to_string()
            ),
            (
                "Reframe all, suggestions too (2 changes)".to_string(),
                "A quux and a snarf.\n".to_string()
            )
        ]
    );
}

#[tokio::test]
async fn pull_clients_get_reports_and_no_pushes() {
    let (dir, mut client) = setup(json!({"textDocument": {"diagnostic": {}}})).await;
    std::fs::write(dir.path().join("closed.md"), "Closed zorblax.\n").unwrap();
    std::fs::write(dir.path().join("code.rs"), "// zorblax\n").unwrap();
    let doc = uri(dir.path(), "open.md");
    client.open(&doc, "markdown", 4, "Open zorblax.\n").await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": doc}}),
        )
        .await;
    assert_eq!(report["result"]["kind"], "full");
    assert_eq!(
        report["result"]["items"],
        json!([expected_diagnostic(range(0, 5, 0, 12), 2)])
    );
    let result_id = report["result"]["resultId"].clone();
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": doc}, "previousResultId": result_id}),
        )
        .await;
    assert_eq!(
        again["result"],
        json!({"kind": "unchanged", "resultId": result_id})
    );
    let workspace = client
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let mut items: Vec<(String, Value, Value)> = workspace["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["uri"].as_str().unwrap().to_string(),
                i["version"].clone(),
                i["items"].clone(),
            )
        })
        .filter(|(u, _, _)| !u.ends_with("pack.toml"))
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        items,
        vec![
            (
                uri(dir.path(), "closed.md"),
                Value::Null,
                json!([expected_diagnostic(range(0, 7, 0, 14), 2)])
            ),
            (
                doc.clone(),
                json!(4),
                json!([expected_diagnostic(range(0, 5, 0, 12), 2)])
            ),
        ]
    );
    // Nothing was pushed for the open document.
    assert!(!client
        .backlog
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == doc));
}

#[tokio::test]
async fn config_changes_apply_without_restart_and_broken_config_keeps_the_last_good() {
    let (dir, mut client) = setup(json!({})).await;
    let doc = uri(dir.path(), "n.md");
    client.open(&doc, "markdown", 1, "A zorblax.\n").await;
    assert_eq!(
        client.diagnostics_for(&doc).await["diagnostics"][0]["severity"],
        2
    );
    std::fs::write(
        dir.path().join(".reframe.toml"),
        "[severity]\nzorblax = \"error\"\n",
    )
    .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(dir.path(), ".reframe.toml"), "type": 1}]}),
        )
        .await;
    assert_eq!(
        client.diagnostics_for(&doc).await["diagnostics"][0]["severity"],
        1
    );
    // Break it: a typo'd key on line 2.
    std::fs::write(
        dir.path().join(".reframe.toml"),
        "[severity]\nzorblax = \"loud\"\n",
    )
    .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(dir.path(), ".reframe.toml"), "type": 2}]}),
        )
        .await;
    assert_eq!(
        client.diagnostics_for(&doc).await["diagnostics"][0]["severity"],
        1,
        "last good config stays"
    );
    let message = client.notification("window/showMessage").await;
    assert_eq!(message["params"]["type"], 1);
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains(".reframe.toml:2:"),
        "{message}"
    );
    let config_diagnostics = client
        .diagnostics_for(&uri(dir.path(), ".reframe.toml"))
        .await;
    assert_eq!(
        config_diagnostics["diagnostics"][0]["range"]["start"]["line"],
        1
    );
    // Editor settings layer over the project file.
    client
        .notify("workspace/didChangeConfiguration", json!({"settings": {"reframe": {"rules": [dir.path().join("pack.toml")], "disable": ["zorblax"]}}}))
        .await;
    std::fs::remove_file(dir.path().join(".reframe.toml")).unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(dir.path(), ".reframe.toml"), "type": 3}]}),
        )
        .await;
    loop {
        let published = client.diagnostics_for(&doc).await;
        if published["diagnostics"] == json!([]) {
            break;
        }
    }
}

#[tokio::test]
async fn hostile_input_gets_errors_and_the_server_keeps_serving() {
    let (dir, mut client) = setup(json!({})).await;
    let doc = uri(dir.path(), "x.md");
    // Edits to an unknown document are ignored; requests about one are errors.
    client
        .change(
            &uri(dir.path(), "ghost.md"),
            2,
            json!([{"text": "zorblax"}]),
        )
        .await;
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": uri(dir.path(), "ghost.md")}, "position": {"line": 0, "character": 0}}))
        .await;
    assert_eq!(hover["error"]["code"], -32602, "{hover}");
    // Unknown method, malformed params.
    let unknown = client.request("reframe/nonsense", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32601);
    let malformed = client
        .request("textDocument/hover", json!({"nope": 1}))
        .await;
    assert_eq!(malformed["error"]["code"], -32602);
    // Malformed JSON body: the server reports a parse error and carries on.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json").await;
    // Open, then out-of-range and backwards edits.
    client.open(&doc, "markdown", 1, "ab\n").await;
    client.diagnostics_for(&doc).await;
    client
        .change(&doc, 2, json!([{"range": range(0, 2, 0, 1), "text": "X"}]))
        .await;
    client.diagnostics_for(&doc).await;
    client
        .change(
            &doc,
            3,
            json!([{"range": range(9, 9, 99, 99), "text": " zorblax"}]),
        )
        .await;
    let published = client.diagnostics_for(&doc).await;
    assert_eq!(published["version"], 3);
    assert_eq!(
        published["diagnostics"],
        json!([expected_diagnostic(range(1, 1, 1, 8), 2)])
    );
    // Re-opening an open document replaces it.
    client.open(&doc, "markdown", 7, "zorblax\n").await;
    let published = client.diagnostics_for(&doc).await;
    assert_eq!(published["version"], 7);
    assert_eq!(
        published["diagnostics"],
        json!([expected_diagnostic(range(0, 0, 0, 7), 2)])
    );
    let backwards = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": doc}, "range": range(0, 5, 0, 1)}),
        )
        .await;
    assert_eq!(backwards["error"]["code"], -32602);
    client.shutdown().await;
}

/// After each abuse the server must still answer a normal request correctly.
/// `character` is inside a zorblax on the first line.
async fn still_serving(client: &mut Client, doc: &str, character: u64) {
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": character}}),
        )
        .await;
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(text.contains("Zorblax is a test word."), "{hover}");
}

#[tokio::test]
async fn broken_framing_floods_and_cancellation_leave_the_server_serving() {
    let (dir, mut client) = setup(json!({})).await;
    let doc = uri(dir.path(), "x.md");
    client.open(&doc, "markdown", 1, "a zorblax\n").await;
    client.diagnostics_for(&doc).await;

    // A Content-Length shorter than the body: the server gets a broken message, then junk
    // before the next header, and must find its footing again.
    let body = br#"{"jsonrpc":"2.0","id":900,"method":"shutdown"}"#;
    let mut framed = b"Content-Length: 10\r\n\r\n".to_vec();
    framed.extend_from_slice(body);
    client.send_raw(&framed).await;
    still_serving(&mut client, &doc, 3).await;

    // A header that is not a number, and a body that is not JSON-RPC.
    client.send_raw(b"Content-Length: lots\r\n\r\n").await;
    client.send(&json!({"hello": "world"})).await;
    still_serving(&mut client, &doc, 3).await;

    // 10,000 edits without waiting: each appends one character; the last publish must
    // describe the final text exactly.
    for version in 2..10_002 {
        let at = 9 + (version - 2) as u64;
        client
            .change(
                &doc,
                version,
                json!([{"range": range(0, at, 0, at), "text": "z"}]),
            )
            .await;
    }
    client
        .change(
            &doc,
            10_002,
            json!([{"range": range(0, 10_009, 0, 10_009), "text": " zorblax"}]),
        )
        .await;
    let last = loop {
        let published = client.diagnostics_for(&doc).await;
        if published["version"] == 10_002 {
            break published;
        }
    };
    assert_eq!(
        last["diagnostics"],
        json!([expected_diagnostic(range(0, 10_010, 0, 10_017), 2),]),
        "`a zorblax` became `a zorblaxzzz…`, which no longer matches; the appended word does"
    );
    still_serving(&mut client, &doc, 10_012).await;

    // Requests cancelled part-way: each gets a result or a RequestCancelled error, never
    // silence, and the server goes on.
    for id in [7001, 7002, 7003] {
        client
            .send(
                &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/codeAction", "params": {
                    "textDocument": {"uri": doc},
                    "range": range(0, 10_010, 0, 10_017),
                    "context": {"diagnostics": []}
                }}),
            )
            .await;
        client.notify("$/cancelRequest", json!({"id": id})).await;
        let response = client.response(id).await;
        assert!(
            response.get("result").is_some() || response["error"]["code"] == -32800,
            "{response}"
        );
    }
    still_serving(&mut client, &doc, 10_012).await;
    client.shutdown().await;
}

#[tokio::test]
async fn broken_rule_settings_are_reported_and_do_not_stop_the_server() {
    let (dir, mut client) = setup(json!({})).await;
    let doc = uri(dir.path(), "x.md");
    client.open(&doc, "markdown", 1, "a zorblax\n").await;
    client.diagnostics_for(&doc).await;
    let config = dir.path().join(".reframe.toml");
    std::fs::write(
        dir.path().join("huge.toml"),
        "[[rule]]\nid = \"huge\"\ncategory = \"blame\"\nseverity = \"warning\"\n\
         regex = \"\\\\w{1000}{1000}zorblax\"\nanchors = [\"zorblax\"]\nmessage = \"m\"\n\
         why = \"w\"\nsources = [{ title = \"t\", url = \"https://example.org\" }]\n\
         [rule.examples]\nflag = [\"zorblax\"]\npass = [\"frob\"]\n",
    )
    .unwrap();
    let cases = [
        ("rules = [\"no-such-folder\"]\n", "no-such-folder"),
        ("rules = [\".reframe.toml\"]\n", ".reframe.toml"),
        ("rules = [\"/dev/zero\"]\n", "16 MiB"),
        ("rules = [\"huge.toml\"]\n", "too large once compiled"),
    ];
    for (version, (content, expected)) in (2..).zip(cases) {
        std::fs::write(&config, content).unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
            )
            .await;
        let shown = client.notification("window/showMessage").await;
        let message = shown["params"]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{content:?}: {message}");
        // The last good rules (the test pack from the settings) keep working.
        client
            .change(&doc, version, json!([{"text": "a zorblax\n"}]))
            .await;
        let published = loop {
            let published = client.diagnostics_for(&doc).await;
            if published["version"] == version {
                break published;
            }
        };
        assert_eq!(
            published["diagnostics"][0]["code"], "zorblax",
            "{content:?}: {published}"
        );
        still_serving(&mut client, &doc, 3).await;
    }
    client.shutdown().await;
}
