//! Property test of incremental sync: random edits in UTF-16 or UTF-8 positions over text
//! with emoji, CJK, combining marks and CRLF. The oracle is the server itself: a document
//! edited step by step must get exactly the diagnostics of a fresh document opened with the
//! same text, as computed by an independent `String` model of the edits.

use crate::common::{file_uri, Client, TEST_PACK};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Pieces the edits insert: words the test pack and the built-in rules flag, and the
/// characters that break position arithmetic.
const FRAGMENTS: &[&str] = &[
    "zorblax",
    " ",
    "\r\n",
    "\n",
    "😀",
    "漢字",
    "e\u{301}",
    "resistant",
    "the client is ",
    "ab",
    "`",
    "\n\n",
];

/// Moves `at` off positions LSP cannot name: inside a character, or between `\r` and `\n`.
fn nameable(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at)
        || (at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n'))
    {
        at -= 1;
    }
    at
}

fn position(text: &str, at: usize, utf8: bool) -> Value {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count();
    let units: usize = before[line_start..]
        .chars()
        .map(|c| if utf8 { c.len_utf8() } else { c.len_utf16() })
        .sum();
    json!({"line": line, "character": units})
}

/// One edit: where it starts and how much it removes (as fractions of the text), and what it
/// inserts (indexes into [`FRAGMENTS`]).
type Edit = (f64, f64, Vec<usize>);

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        (
            0.0..=1.0f64,
            prop_oneof![Just(0.0), 0.0..0.2f64],
            prop::collection::vec(0..FRAGMENTS.len(), 0..4),
        ),
        1..16,
    )
}

async fn run_case(utf8: bool, initial: String, edits: Vec<Edit>, batched: bool) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.toml"), TEST_PACK).unwrap();
    let pack = dir.path().join("pack.toml").display().to_string();
    let mut client = Client::in_process();
    client.settings = json!({"rules": [pack]});
    let encodings = if utf8 {
        json!(["utf-8", "utf-16"])
    } else {
        json!(["utf-16"])
    };
    client
        .initialize(
            json!({"general": {"positionEncodings": encodings}}),
            json!({"rules": [pack]}),
            Some(dir.path()),
        )
        .await;
    let edited = file_uri(&dir.path().join("edited.md"));
    let fresh = file_uri(&dir.path().join("fresh.md"));
    client.open(&edited, "markdown", 1, &initial).await;
    client.diagnostics_for(&edited).await;

    let mut model = initial;
    let mut changes = Vec::new();
    for (start, length, inserted) in edits {
        let from = nameable(&model, (start * model.len() as f64) as usize);
        let to = nameable(
            &model,
            (from + (length * model.len() as f64) as usize).min(model.len()),
        );
        let to = to.max(from);
        let text: String = inserted.iter().map(|&i| FRAGMENTS[i]).collect();
        changes.push(json!({
            "range": {"start": position(&model, from, utf8), "end": position(&model, to, utf8)},
            "text": text,
        }));
        model.replace_range(from..to, &text);
        // Edits never split a CRLF, so the model's `\n`-only line counting stays right.
        assert_no_lone_cr(&model);
    }
    let last_version = if batched {
        client.change(&edited, 2, Value::Array(changes)).await;
        2
    } else {
        let n = changes.len() as i64;
        for (i, change) in changes.into_iter().enumerate() {
            client.change(&edited, 2 + i as i64, json!([change])).await;
        }
        1 + n
    };
    let incremental = loop {
        let published = client.diagnostics_for(&edited).await;
        if published["version"] == last_version {
            break published;
        }
    };
    client.open(&fresh, "markdown", 1, &model).await;
    let expected = client.diagnostics_for(&fresh).await;
    assert_eq!(
        incremental["diagnostics"], expected["diagnostics"],
        "utf8={utf8} text={model:?}"
    );
    client.shutdown().await;
}

fn assert_no_lone_cr(text: &str) {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' {
            assert_eq!(bytes.get(i + 1), Some(&b'\n'), "lone CR in {text:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn incremental_edits_match_a_fresh_open(
        utf8 in any::<bool>(),
        batched in any::<bool>(),
        initial in prop::collection::vec(0..FRAGMENTS.len(), 0..24),
        edits in edits(),
    ) {
        let initial: String = initial.iter().map(|&i| FRAGMENTS[i]).collect();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run_case(utf8, initial, edits, batched));
    }
}
