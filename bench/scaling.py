#!/usr/bin/env python3
"""How every front end's time and memory grow with the input, whatever its shape.

Generates documents of 1, 2, 4 and 8 MB in shapes that have each broken a linear-time
assumption somewhere (one line, one paragraph, many paragraphs, deep block quotes, deep lists,
long tables, HTML blocks, a finding every few words, no findings), runs each front end on each,
and fits the growth exponent k in time ~ size^k per front end and shape (time less the front
end's cost on an empty input, which is start-up). Peak memory is each process's maximum
resident set (/usr/bin/time for commands, VmHWM for the servers).

Front ends: `check` in each format, `report`, `check --input jsonl` (the document as one
record), the language server's open and one edit, and the workshop API (`reframe serve`,
POST /api/check; its body limit is 1 MiB, so it runs at a tenth of each size).

Usage: bench/scaling.py REFRAME_BINARY [--sizes 1,2,4,8] [--shapes a,b] [--front-ends a,b]
       [--repeat N] [--record benchsuite/runs/YYYY-MM-DD-scaling.md]
Linux only. Build with `cargo build --release` first. Needs only python3.
"""
import argparse
import datetime
import http.client
import json
import math
import os
import subprocess
import tempfile
import time

from notes import prose, run, wrap


def shape(name, size):
    """A Markdown document of about `size` bytes in the named shape."""
    if name == "single-line":
        # 8 MB with 16,000 findings: one finding per 500 bytes.
        return " ".join(prose(size, 500))
    if name == "one-paragraph":
        return "\n".join(wrap(prose(size, 500)))
    # Paragraphs are numbered: the engine lints a repeated paragraph once, and the benchmark is
    # of linting, not of that cache.
    if name == "paragraphs":
        return "\n\n".join(f"Note {i}: " + "\n".join(wrap(prose(300, 250))) for i in range(size // 300))
    if name == "block-quotes":
        lines = wrap(prose(size, 500), 60)
        return "\n".join("> " * (1 + i % 40) + line for i, line in enumerate(lines))
    if name == "nested-lists":
        lines = wrap(prose(size, 500), 60)
        return "\n".join("  " * (i % 40) + "- " + line for i, line in enumerate(lines))
    if name == "tables":
        rows = ["| date | note | plan |", "|---|---|---|"]
        for i, s in enumerate(prose(size, 500)):
            rows.append(f"| day {i} | {s} | review |")
        return "\n".join(rows)
    if name == "html-blocks":
        blocks = []
        for i, s in enumerate(prose(size // 2, 500)):
            blocks.append(f"<div class=\"n{i}\">\n{s}\n</div>\n\n{s}")
        return "\n\n".join(blocks)
    if name == "dense":
        words = "the client is resistant and " * (size // 28 + 1)
        return "\n\n".join(f"Note {i}: " + "\n".join(wrap([words[i:i + 2000]]))
                             for i in range(0, size, 2000))
    if name == "no-findings":
        return "\n\n".join(f"Note {i}: " + "\n".join(wrap(prose(600, 0))) for i in range(size // 600))
    raise SystemExit(f"unknown shape {name}")


SHAPES = ["single-line", "one-paragraph", "paragraphs", "block-quotes", "nested-lists",
          "tables", "html-blocks", "dense", "no-findings"]


def hwm(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


class Lsp:
    def __init__(self, binary):
        self.proc = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, bufsize=0)
        # A bytearray grows in place; adding reads to bytes copied the whole message each time,
        # which on a publish of tens of megabytes timed the client, not the server.
        self.pending = bytearray()
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        while b'"id":1' not in self.body():
            pass
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def body(self):
        while True:
            end = self.pending.find(b"\r\n\r\n")
            if end >= 0:
                length = int(self.pending[:end].split(b":")[1])
                while len(self.pending) < end + 4 + length:
                    self.pending += os.read(self.proc.stdout.fileno(), 1 << 20)
                body = bytes(self.pending[end + 4:end + 4 + length])
                del self.pending[:end + 4 + length]
                return body
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                raise SystemExit("the language server closed its output")
            self.pending += chunk

    def published(self, version):
        while True:
            body = self.body()
            if b"publishDiagnostics" in body and b'"version":%d' % version in body:
                return

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def lsp_open_and_edit(binary, text):
    server = Lsp(binary)
    uri = "file:///bench/doc.md"
    started = time.perf_counter()
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    server.published(1)
    opened = time.perf_counter() - started
    # One character inserted at the start of the middle line (column 0 is the same in every
    # encoding).
    line = text.count("\n", 0, len(text) // 2)
    started = time.perf_counter()
    server.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{
            "range": {"start": {"line": line, "character": 0},
                      "end": {"line": line, "character": 0}}, "text": "x"}]}})
    server.published(2)
    edited = time.perf_counter() - started
    peak = hwm(server.proc.pid)
    server.close()
    return (opened, peak), (edited, peak)


def serve_check(binary, text):
    proc = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    port = None
    while port is None:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("reframe serve ended before listening")
        if "http://127.0.0.1:" in line:
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0].split()[0])
    body = json.dumps({"text": text, "kind": "markdown"})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("POST", "/api/check", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"serve: {response.status} {payload[:300]!r}")
    peak = hwm(proc.pid)
    proc.terminate()
    proc.wait()
    return elapsed, peak


FRONT_ENDS = ["check-human", "check-json", "check-sarif", "check-github", "report", "jsonl",
              "lsp-open", "lsp-edit", "serve"]


def measure(binary, front_end, text, workdir):
    """(seconds, peak bytes) of one front end on `text`."""
    doc = os.path.join(workdir, "doc.md")
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)
    if front_end.startswith("check-"):
        fmt = front_end.split("-", 1)[1]
        return run([binary, "check", "--format", fmt, doc])
    if front_end == "report":
        return run([binary, "report", doc])
    if front_end == "jsonl":
        records = os.path.join(workdir, "doc.jsonl")
        with open(records, "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": 1, "text": text}) + "\n")
        return run([binary, "check", "--input", "jsonl", records])
    if front_end in ("lsp-open", "lsp-edit"):
        opened, edited = lsp_open_and_edit(binary, text)
        return opened if front_end == "lsp-open" else edited
    if front_end == "serve":
        return serve_check(binary, text)
    raise SystemExit(f"unknown front end {front_end}")


def exponent(sizes, times):
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-4)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--sizes", default="1,2,4,8", help="megabytes")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--front-ends", default=",".join(FRONT_ENDS))
    parser.add_argument("--repeat", type=int, default=1, help="runs per point; the fastest counts")
    parser.add_argument("--record", help="write a Markdown record here")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")
    front_ends = args.front_ends.split(",")
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for front_end in front_ends:
            scale = 0.1 if front_end == "serve" else 1.0
            base, _ = min(measure(args.binary, front_end, "", workdir) for _ in range(3))
            for name in shapes:
                points = []
                for mb in sizes:
                    text = shape(name, int(mb * scale * 1_000_000))
                    if front_end == "serve" and len(json.dumps({"text": text})) > 1 << 20:
                        continue  # over the page's body limit (some shapes overshoot their size)
                    best = min(measure(args.binary, front_end, text, workdir)
                               for _ in range(args.repeat))
                    points.append((len(text.encode()), best[0], best[1]))
                    print(f"{front_end:12} {name:14} {points[-1][0] / 1e6:6.2f} MB "
                          f"{best[0] * 1000:9.1f} ms {best[1] / 2**20:8.1f} MiB", flush=True)
                if len(points) < 2:
                    continue
                k = exponent([p[0] for p in points], [max(p[1] - base, 1e-4) for p in points])
                rows.append((front_end, name, base, points, k))
                print(f"{front_end:12} {name:14} exponent {k:.2f}", flush=True)
    worst = max(rows, key=lambda r: r[4])
    print(f"highest exponent: {worst[4]:.2f} ({worst[0]}, {worst[1]})")
    if args.record:
        write_record(args, rows)


def write_record(args, rows):
    version = subprocess.run([args.binary, "--version"], capture_output=True, text=True).stdout
    lines = [
        f"# Scaling, {datetime.date.today().isoformat()}",
        "",
        f"`bench/scaling.py <release binary> --sizes {args.sizes} --repeat {args.repeat}`, "
        f"{version.strip()}, {os.cpu_count()} cores (shared with other work while it ran, "
        "so single times are noisy). Time is wall time of the whole process (commands) or of the "
        "request (servers); the exponent k fits time less start-up (the front end on an empty "
        "input) ~ size^k over the sizes; k raw fits the whole time. With start-up near the "
        "smallest size's time, k is noisy; k raw is then the steadier guide. Peak is the "
        "process's maximum resident set.",
        "",
        "| front end | shape | start-up ms | " + " | ".join(
            f"size {i + 1}: MB, ms, MiB" for i in range(len(rows[0][3]))) + " | k | k raw |",
        "|---|---|---|" + "---|" * len(rows[0][3]) + "---|---|",
    ]
    for front_end, name, base, points, k in rows:
        cells = " | ".join(f"{b / 1e6:.2f}, {t * 1000:.0f}, {m / 2**20:.0f}" for b, t, m in points)
        cells += " |" * (len(rows[0][3]) - len(points))
        raw = exponent([p[0] for p in points], [p[1] for p in points])
        lines.append(f"| {front_end} | {name} | {base * 1000:.0f} | {cells} | {k:.2f} | {raw:.2f} |")
    worst = max(rows, key=lambda r: r[4])
    lines += ["", f"Highest exponent: {worst[4]:.2f} ({worst[0]}, {worst[1]}).", ""]
    os.makedirs(os.path.dirname(args.record) or ".", exist_ok=True)
    with open(args.record, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {args.record}")


if __name__ == "__main__":
    main()
