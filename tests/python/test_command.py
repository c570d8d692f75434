"""The `reframe` command installed by the wheel behaves as the Rust binary: version, check,
exit codes, errors and the language server over stdio."""

from __future__ import annotations

import json
import subprocess
from importlib.metadata import version
from pathlib import Path

from reframe_lint import Linter

NOTE = "Café follow-up 🙂: the patient remains non-compliant and was readmitted.\n"


def test_version_is_the_wheel_version(run_reframe):
    done = run_reframe("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"reframe {version('reframe-lint')}"


def test_check_reports_findings_as_json_and_exits_1(run_reframe, tmp_path: Path):
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    done = run_reframe("check", "note.md", "--format", "json")
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert [f["rule"] for f in findings] == ["non-compliant"]
    # The command and the API are the same engine: same rules at the same byte offsets.
    api = Linter().check(NOTE)
    assert [(f["rule"], f["offset"]["start"], f["offset"]["end"]) for f in findings] == [
        (f.rule, f.byte_start, f.byte_end) for f in api
    ]


def test_check_of_clean_text_exits_0(run_reframe, tmp_path: Path):
    (tmp_path / "clean.md").write_text("The patient declined the medication.\n")
    done = run_reframe("check", "clean.md")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "No findings in 1 file\n"


def test_a_bad_rule_pack_is_located(run_reframe, tmp_path: Path):
    (tmp_path / "clean.md").write_text("Nothing to see.\n")
    (tmp_path / "pack.toml").write_text('[[rule]]\nid = "x"\nphrases = ["unclosed\n')
    done = run_reframe("check", "--rules", "pack.toml", "clean.md")
    assert done.returncode == 2
    assert "pack.toml:3:" in done.stderr


def _message(body: dict) -> bytes:
    data = json.dumps(body).encode()
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def _read_message(stream) -> dict:
    length = None
    while True:
        line = stream.readline()
        assert line, "the server closed its output"
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    assert length is not None
    return json.loads(stream.read(length))


def test_language_server_over_stdio(reframe_command: Path, tmp_path: Path):
    server = subprocess.Popen(
        [str(reframe_command), "lsp"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        send = lambda body: (server.stdin.write(_message(body)), server.stdin.flush())
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        response = _read_message(server.stdout)
        while "id" not in response:
            response = _read_message(server.stdout)
        assert response["id"] == 1
        assert "textDocumentSync" in response["result"]["capabilities"]
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = (tmp_path / "note.md").as_uri()
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": NOTE}}})
        while True:
            message = _read_message(server.stdout)
            if message.get("method") == "textDocument/publishDiagnostics":
                break
        assert message["params"]["uri"] == uri
        assert [d["code"] for d in message["params"]["diagnostics"]] == ["non-compliant"]
        send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        while _read_message(server.stdout).get("id") != 2:
            pass
        send({"jsonrpc": "2.0", "method": "exit"})
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
