#!/usr/bin/env python3
"""Resident memory of `reframe lsp` across open/close cycles of a 52 MB Markdown document.

Opens the document, waits for its diagnostics, closes it, and prints the server's resident
memory (VmRSS) after each step and its peak (VmHWM). What stays after closing should not grow
from one cycle to the next. Linux only (reads /proc).

Usage: bench/memory_cycles.py [REFRAME_BINARY] [CYCLES]   (default target/release/reframe, 3)
"""
import json
import os
import pathlib
import queue
import subprocess
import sys
import tempfile
import threading

repo = pathlib.Path(__file__).resolve().parent.parent
binary = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else str(repo / "target/release/reframe")
cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 3
workdir = tempfile.mkdtemp()
server = subprocess.Popen([binary, "lsp", "--stdio"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, cwd=workdir,
                          env={**os.environ, "REFRAME_LOG": "warn"})
messages = queue.Queue()


def read_messages():
    while True:
        headers = {}
        while True:
            line = server.stdout.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            name, value = line.split(b":", 1)
            headers[name.lower()] = value.strip()
        messages.put(json.loads(server.stdout.read(int(headers[b"content-length"]))))


threading.Thread(target=read_messages, daemon=True).start()


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def wait_for(matches):
    while True:
        message = messages.get(timeout=900)
        if matches(message):
            return message


def memory_mib():
    status = pathlib.Path(f"/proc/{server.pid}/status").read_text().splitlines()
    field = lambda name: int(next(l for l in status if l.startswith(name)).split()[1]) // 1024
    return field("VmRSS:"), field("VmHWM:")


send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"processId": None, "rootUri": None, "capabilities": {}}})
wait_for(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
paragraph = "We talked about the week ahead and her garden. 😀 客户 e\u0301.\r\n\r\n"
flagged = "The client is resistant to homework.\r\n\r\n"
count = (50 << 20) // len(paragraph.encode()) + 1
text = "".join(flagged if i % 5000 == 0 else paragraph for i in range(count))
uri = pathlib.Path(workdir, "manuscript.md").as_uri()
published = lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                       and m["params"]["uri"] == uri)
print(f"document: {len(text.encode()) / 1e6:.1f} MB; server at start: {memory_mib()[0]} MiB")
for cycle in range(1, cycles + 1):
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": cycle, "text": text}}})
    findings = len(wait_for(published)["params"]["diagnostics"])
    while_open = memory_mib()[0]
    send({"jsonrpc": "2.0", "method": "textDocument/didClose",
          "params": {"textDocument": {"uri": uri}}})
    wait_for(published)
    after_close, peak = memory_mib()
    print(f"cycle {cycle}: {findings} findings; open {while_open} MiB, "
          f"after closing {after_close} MiB, peak so far {peak} MiB", flush=True)
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
wait_for(lambda m: m.get("id") == 2)
send({"jsonrpc": "2.0", "method": "exit"})
server.wait(timeout=30)
