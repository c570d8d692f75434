#!/usr/bin/env python3
"""Server-side cost of one-character edits in `reframe lsp`, seen by a lean client.

The shared probe (lsp_latency.py) parses every publishDiagnostics into Python objects, and on a
1 MB document with hundreds of findings its own parsing and garbage collection show up in the
figures. This client only reads the framing and looks for the edit's version in the body, so
what it times is the server. It also reports the server's CPU time per edit, and, as a
baseline, how long the same machine takes for a fixed 0.4 ms CPU loop: on a virtual machine
with stolen time the loop's tail shows what part of a tail is the machine's, not the server's.

Usage: bench/lsp_edits.py REFRAME_BINARY DOCUMENT [EDITS]   (default 200 edits)
Each insert of "x" at the end of a line is followed by its deletion, at lines spread through
the document. Linux only (reads /proc for CPU time).
"""
import json
import os
import subprocess
import sys
import time

binary, document = sys.argv[1], sys.argv[2]
edits = int(sys.argv[3]) if len(sys.argv) > 3 else 200
server = subprocess.Popen([binary, "lsp", "--stdio"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, bufsize=0)
pending = b""


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def read_body():
    global pending
    while True:
        end = pending.find(b"\r\n\r\n")
        if end >= 0:
            length = int(pending[:end].split(b":")[1])
            while len(pending) < end + 4 + length:
                pending += os.read(server.stdout.fileno(), 1 << 20)
            body, pending = pending[end + 4:end + 4 + length], pending[end + 4 + length:]
            return body
        chunk = os.read(server.stdout.fileno(), 1 << 20)
        if not chunk:
            sys.exit("the server closed its output")
        pending += chunk


def published(version):
    """Size of the publishDiagnostics carrying `version`, waited for."""
    while True:
        body = read_body()
        if b"publishDiagnostics" in body and b'"version":%d' % version in body:
            return len(body)


def cpu_seconds():
    fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentiles(values):
    values = sorted(values)
    at = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return "p50 %.2f  p90 %.2f  p95 %.2f  max %.2f ms" % (at(.5), at(.9), at(.95), values[-1])


send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"processId": None, "rootUri": None, "capabilities": {}}})
while b'"id":1' not in read_body():
    pass
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
text = open(document, encoding="utf-8").read()
uri = "file:///bench/" + os.path.basename(document)
started = time.perf_counter()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
size = published(1)
print(f"{os.path.basename(document)}: {len(text.encode())} bytes, open {1000 * (time.perf_counter() - started):.1f} ms, "
      f"{size} bytes per publish")

# Lines ending in ASCII, so the end of the line is the same column in UTF-16 and UTF-8.
lines = text.split("\n")
editable = [i for i, line in enumerate(lines) if len(line) > 10 and line.isascii()]
latencies = []
cpu_before = cpu_seconds()
for k in range(edits):
    line = editable[(k // 2) * 7919 % len(editable)]
    column = len(lines[line])
    if k % 2 == 0:
        change = {"range": {"start": {"line": line, "character": column},
                            "end": {"line": line, "character": column}}, "text": "x"}
        lines[line] += "x"
    else:
        change = {"range": {"start": {"line": line, "character": column - 1},
                            "end": {"line": line, "character": column}}, "text": ""}
        lines[line] = lines[line][:-1]
    started = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": k + 2}, "contentChanges": [change]}})
    published(k + 2)
    latencies.append(1000 * (time.perf_counter() - started))
cpu_per_edit = 1000 * (cpu_seconds() - cpu_before) / edits
print(f"  {edits} edits: {percentiles(latencies)}; server CPU {cpu_per_edit:.1f} ms per edit")
server.stdin.close()
server.wait()

loop = []
for _ in range(2000):
    started = time.perf_counter()
    sum(range(30000))
    loop.append(1000 * (time.perf_counter() - started))
print(f"  machine baseline, a fixed CPU loop timed 2000 times: {percentiles(loop)}")
