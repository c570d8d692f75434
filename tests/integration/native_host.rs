//! `reframe native-host` driven as a browser drives it: length-prefixed JSON over the child's
//! standard input and output, and `reframe native-host install` with HOME in a temporary folder.

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

const SECRET: &str = "Ms Quill-Ravensworth is non-compliant with her meds";

struct Host {
    child: Child,
    input: ChildStdin,
    output: ChildStdout,
}

impl Host {
    fn start(program: &Path, args: &[&str], home: &Path) -> Host {
        let mut child = Command::new(program)
            .args(args)
            .env("HOME", home)
            .env("REFRAME_LOG", "trace")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start reframe native-host");
        let input = child.stdin.take().unwrap();
        let output = child.stdout.take().unwrap();
        Host {
            child,
            input,
            output,
        }
    }

    fn send_raw(&mut self, body: &[u8]) {
        self.input
            .write_all(&(body.len() as u32).to_ne_bytes())
            .unwrap();
        self.input.write_all(body).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut len = [0u8; 4];
        self.output.read_exact(&mut len).expect("a reply frame");
        let len = u32::from_ne_bytes(len) as usize;
        assert!(
            len <= 1 << 20,
            "a {len}-byte reply is over Chromium's limit"
        );
        let mut body = vec![0u8; len];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).expect("the reply is JSON")
    }

    fn ask(&mut self, request: Value) -> Value {
        self.send_raw(request.to_string().as_bytes());
        self.receive()
    }

    /// Closes standard input, as the browser does, and returns the exit status and stderr.
    fn finish(self) -> (std::process::ExitStatus, String) {
        let Host {
            child,
            input,
            output,
            ..
        } = self;
        drop(input);
        drop(output);
        let out = child.wait_with_output().unwrap();
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

#[test]
fn answers_framed_requests_survives_bad_ones_and_logs_no_text() {
    let home = tempfile::tempdir().unwrap();
    let mut host = Host::start(
        Path::new(env!("CARGO_BIN_EXE_reframe")),
        &[
            "native-host",
            "chrome-extension://mdbjjifakngoblaamcffjngjbkimoefj/",
            "--parent-window=0",
        ],
        home.path(),
    );
    let hello = host.ask(json!({"type": "hello", "id": 1}));
    assert_eq!(
        (hello["type"].as_str(), hello["id"].as_i64()),
        (Some("hello"), Some(1)),
        "{hello}"
    );
    assert!(hello["rules"].as_u64().unwrap() > 100);

    let check = host.ask(json!({"type": "check", "id": 2, "field": "f1", "version": 5, "text": format!("é😀 {SECRET}.")}));
    assert_eq!(
        (check["field"].as_str(), check["version"].as_u64()),
        (Some("f1"), Some(5)),
        "{check}"
    );
    let finding = &check["findings"][0];
    assert_eq!(finding["matched"], "non-compliant with");
    // "é😀 " is 4 UTF-16 code units (6 bytes); "Ms Quill-Ravensworth is " 24 more.
    assert_eq!(
        (finding["start"].as_u64(), finding["end"].as_u64()),
        (Some(28), Some(46))
    );

    host.send_raw(b"{\"type\":\"check\",\"text\":");
    let broken = host.receive();
    assert_eq!(broken["type"], "error", "{broken}");
    host.send_raw(&[0xff, 0x00, 0x12]);
    assert_eq!(host.receive()["type"], "error");

    // 9 MiB: read past and refused, and the next request is answered.
    let huge = json!({"type": "check", "field": "f2", "version": 1, "text": "a".repeat(9 << 20)});
    let refused = host.ask(huge);
    assert_eq!(refused["type"], "error");
    assert!(
        refused["error"].as_str().unwrap().contains("8 MiB"),
        "{refused}"
    );

    let explain = host.ask(json!({"type": "explain", "rule": "non-compliant", "id": "x"}));
    assert_eq!(
        (explain["rule"]["id"].as_str(), explain["id"].as_str()),
        (Some("non-compliant"), Some("x"))
    );
    let settings = host.ask(json!({"type": "settings", "threshold": "error"}));
    assert_eq!(settings["threshold"], "error");
    let quiet = host.ask(json!({"type": "check", "field": "f1", "version": 6, "text": SECRET}));
    assert_eq!(
        quiet["total"], 0,
        "a warning is under the error threshold: {quiet}"
    );

    let (status, stderr) = host.finish();
    assert!(status.success(), "exit {status}; stderr: {stderr}");
    assert!(
        stderr.contains("check reply"),
        "trace logging was on: {stderr}"
    );
    for secret in ["Quill", "Ravensworth", "non-compliant with", "aaaa"] {
        assert!(
            !stderr.contains(secret),
            "stderr holds “{secret}”: {stderr}"
        );
    }
}

#[test]
fn install_writes_a_working_launcher_in_the_users_chromium_folder() {
    let home = tempfile::tempdir().unwrap();
    let reframe = env!("CARGO_BIN_EXE_reframe");
    let run = |args: &[&str]| {
        let out = Command::new(reframe)
            .args(args)
            .env("HOME", home.path())
            .env_remove("XDG_CONFIG_HOME")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let dir = home.path().join(".config/chromium/NativeMessagingHosts");
    let manifest_path = dir.join("io.github.reframe_tool.reframe.json");

    let printed = run(&["native-host", "install", "--browser", "chromium", "--print"]);
    assert!(
        printed.contains("chrome-extension://mdbjjifakngoblaamcffjngjbkimoefj/"),
        "{printed}"
    );
    assert!(!dir.exists(), "--print wrote something");

    run(&[
        "native-host",
        "install",
        "--browser",
        "chromium",
        "--browser",
        "firefox",
    ]);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    assert_eq!(
        manifest["allowed_origins"],
        json!(["chrome-extension://mdbjjifakngoblaamcffjngjbkimoefj/"])
    );
    let firefox: Value = serde_json::from_str(
        &std::fs::read_to_string(
            home.path()
                .join(".mozilla/native-messaging-hosts/io.github.reframe_tool.reframe.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        firefox["allowed_extensions"],
        json!(["reframe@reframe-tool.github.io"])
    );

    // The browser starts the manifest's `path` with the extension's origin: it must answer.
    let launcher = manifest["path"].as_str().unwrap();
    let mut host = Host::start(
        Path::new(launcher),
        &["chrome-extension://mdbjjifakngoblaamcffjngjbkimoefj/"],
        home.path(),
    );
    assert_eq!(host.ask(json!({"type": "rules"}))["type"], "rules");
    assert!(host.finish().0.success());

    run(&[
        "native-host",
        "install",
        "--browser",
        "chromium",
        "--uninstall",
    ]);
    assert!(!manifest_path.exists() && !Path::new(launcher).exists());
}
