#!/usr/bin/env python3
"""`reframe lsp` under load: a flood of edits, a client that stops reading, a dense document.

1. Flood: a 50 MB note-like Markdown document with about 40,000 findings; 1000 one-character
   edits written at once. Reports the time from the last edit written to the newest version's
   diagnostics (goal <= 2 s), the number of publishes from the first edit on (goal <= 10) and
   the server's peak resident memory (goal <= 200 MiB).
2. Slow reader: the same document with `maxProblems` raised to a million (so every publish is
   large); the client types an edit every 20 ms for 10 s without reading. Reports the server's
   resident memory each second and at the end.
3. Dense: a document with a million findings. Reports how many diagnostics its publish carries
   (goal: the cap plus the notice) and the notice.

Usage: bench/lsp_flood.py REFRAME_BINARY [flood|slow|dense ...]   (default: all three)
Linux only (reads /proc for memory).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

binary = sys.argv[1]
parts = sys.argv[2:] or ["flood", "slow", "dense"]
FLAGGED = ("The client arrived on time and we reviewed the sleep log together. She described "
           "feeling hesitant about the new medication because of side effects, and we agreed to "
           "revisit the plan next week. Her brother committed suicide two years ago; she was "
           "resistant to talking about it today, which makes sense.\n\n")
CLEAN = ("We reviewed the week's sleep log together and talked through what helped on the harder "
         "evenings. She wants to keep the walking routine and try the breathing exercise before "
         "bed; we agreed to look at the plan again next week.\n\n")


def note(size, flagged_every):
    """Numbered paragraphs (no two alike), one flagged among every `flagged_every`."""
    text, length, visit = [], 0, 0
    while length < size:
        visit += 1
        paragraph = f"Visit {visit}. " + (FLAGGED if visit % flagged_every == 1 else CLEAN)
        text.append(paragraph)
        length += len(paragraph)
    return "".join(text)


class Server:
    def __init__(self, settings):
        self.process = subprocess.Popen([binary, "lsp", "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, bufsize=0)
        self.pending = b""
        self.workspace = tempfile.mkdtemp()
        self.uri = f"file://{self.workspace}/notes.md"
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": f"file://{self.workspace}", "capabilities": {},
            "initializationOptions": settings}})
        self.read_until(lambda body: b'"id":1' in body)
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    @staticmethod
    def frame(message):
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def send(self, message):
        self.process.stdin.write(self.frame(message))

    def change(self, version):
        return self.frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": self.uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                          "end": {"line": 0, "character": 0}}, "text": "x"}]}})

    def read_body(self):
        while True:
            end = self.pending.find(b"\r\n\r\n")
            if end >= 0:
                length = int(self.pending[:end].split(b":")[1])
                while len(self.pending) < end + 4 + length:
                    self.pending += os.read(self.process.stdout.fileno(), 1 << 20)
                body = self.pending[end + 4:end + 4 + length]
                self.pending = self.pending[end + 4 + length:]
                return body
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                sys.exit("the server closed its output")
            self.pending += chunk

    def read_until(self, wanted):
        while True:
            body = self.read_body()
            if b'"method":"workspace/configuration"' in body:
                request = json.loads(body)
                self.send({"jsonrpc": "2.0", "id": request["id"], "result": [None]})
            elif b'"id":' in body and b'"method":' in body:
                request = json.loads(body)
                self.send({"jsonrpc": "2.0", "id": request["id"], "result": None})
            if wanted(body):
                return body

    def publish(self):
        """The next publishDiagnostics: (version, body)."""
        body = self.read_until(lambda b: b"publishDiagnostics" in b)
        version = re.search(rb'"version":(\d+)', body)
        return int(version.group(1)) if version else None, body

    def memory_mib(self):
        status = open(f"/proc/{self.process.pid}/status").read()
        field = lambda name: int(re.search(name + r":\s+(\d+)", status).group(1)) / 1024
        return field("VmRSS"), field("VmHWM")

    def stop(self):
        self.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": None})
        self.read_until(lambda body: b'"id":99' in body)
        self.send({"jsonrpc": "2.0", "method": "exit", "params": None})
        self.process.wait(timeout=30)


def problems(body):
    """How many problems the document has: the notice's total, or the diagnostics carried."""
    notice = re.search(rb"shows the first (\d+) of (\d+) problems", body)
    if notice:
        return int(notice.group(2))
    return len(json.loads(body)["params"]["diagnostics"])


def flood():
    text = note(50 << 20, 10)
    server = Server({})
    started = time.monotonic()
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": server.uri, "languageId": "markdown", "version": 1, "text": text}}})
    _, body = server.publish()
    print(f"flood: {len(text) / 1e6:.1f} MB, {problems(body)} findings, first publish "
          f"{time.monotonic() - started:.2f} s, {len(body) / 1e6:.2f} MB per publish")
    edits = 1000
    burst = b"".join(server.change(version) for version in range(2, 2 + edits))
    written = {}

    def write():
        server.process.stdin.write(burst)
        written["at"] = time.monotonic()

    writer = threading.Thread(target=write)
    writer.start()
    publishes = 0
    while True:
        version, _ = server.publish()
        publishes += 1
        if version == 1 + edits:
            break
    arrived = time.monotonic()
    writer.join()
    rss, peak = server.memory_mib()
    print(f"flood: {edits} edits written at once; newest diagnostics "
          f"{(arrived - written['at']) * 1e3:.0f} ms after the last edit; {publishes} publishes; "
          f"peak RSS {peak:.0f} MiB (now {rss:.0f} MiB)")
    server.stop()


def slow():
    text = note(50 << 20, 10)
    server = Server({"maxProblems": 1_000_000})
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": server.uri, "languageId": "markdown", "version": 1, "text": text}}})
    _, body = server.publish()
    rss, _ = server.memory_mib()
    print(f"slow reader: {len(body) / 1e6:.1f} MB per publish; RSS {rss:.0f} MiB before")
    version, samples, started = 1, [], time.monotonic()
    while time.monotonic() - started < 10:
        version += 1
        server.process.stdin.write(server.change(version))
        time.sleep(0.02)
        if len(samples) < int(time.monotonic() - started):
            samples.append(server.memory_mib()[0])
    print("slow reader: RSS each second while not reading: "
          + ", ".join(f"{s:.0f}" for s in samples) + " MiB")
    while server.publish()[0] != version:
        pass
    rss, peak = server.memory_mib()
    print(f"slow reader: {version - 1} edits; after reading: RSS {rss:.0f} MiB, "
          f"peak {peak:.0f} MiB")
    server.stop()


def dense():
    paragraph = "He committed suicide. " * 10 + "\n\n"
    text = paragraph * 100_000
    server = Server({})
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": server.uri, "languageId": "markdown", "version": 1, "text": text}}})
    _, body = server.publish()
    diagnostics = json.loads(body)["params"]["diagnostics"]
    rss, peak = server.memory_mib()
    print(f"dense: {len(text) / 1e6:.0f} MB, {problems(body)} findings; the publish carries "
          f"{len(diagnostics)} diagnostics ({len(body) / 1e3:.0f} kB); last: "
          f"{diagnostics[-1]['message']!r}; peak RSS {peak:.0f} MiB")
    server.stop()


for part in parts:
    {"flood": flood, "slow": slow, "dense": dense}[part]()
