#!/usr/bin/env python3
"""A 5 MB draft checked through `reframe mcp`, end to end, as an assistant's client sends it.

The draft is the bundled examples (a progress note, a blog post, a workshop exercise) repeated
to 5 MB. Each call is one `tools/call` line written to the server's standard input; the time
runs until the whole reply line (structured content plus its text copy) has been read back.
The client does not parse replies while timing, so what it times is the server and the pipe.

Usage: bench/mcp_check.py REFRAME_BINARY [RUNS]   (default 5 runs of each call)
Prints each call's reply size, and min and median wall time over the runs.
"""
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZE = 5_000_000


def draft():
    unit = "\n\n".join(p.read_text() for p in sorted((REPO / "examples").iterdir()))
    return (unit + "\n\n") * (SIZE // (len(unit) + 2) + 1)


def main():
    binary = str(Path(sys.argv[1]).resolve())
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    text = draft()
    server = subprocess.Popen(
        [binary, "mcp"], cwd=REPO / "examples", stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    ids = iter(range(1, 1_000_000))

    def request(method, params=None, notify=False):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            message["id"] = next(ids)
        server.stdin.write(json.dumps(message).encode() + b"\n")
        server.stdin.flush()
        return None if notify else server.stdout.readline()

    request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                           "clientInfo": {"name": "bench", "version": "0"}})
    request("notifications/initialized", notify=True)
    print(f"text: {len(text.encode())} bytes")
    calls = [
        ("check_text", {"text": text}),
        ("check_text, every finding", {"text": text, "max_findings": 10**9}),
        ("reframe_text", {"text": text}),
    ]
    for label, arguments in calls:
        name = label.split(",")[0]
        times, reply = [], b""
        for _ in range(runs):
            started = time.perf_counter()
            reply = request("tools/call", {"name": name, "arguments": arguments})
            times.append(time.perf_counter() - started)
        result = json.loads(reply)["result"]["structuredContent"]
        total = result.get("total", result.get("total_changes"))
        print(f"{label}: reply {len(reply)} bytes, {total} findings/changes; "
              f"min {min(times):.3f} s, median {statistics.median(times):.3f} s over {runs} runs")
    server.stdin.close()
    server.wait()


if __name__ == "__main__":
    main()
