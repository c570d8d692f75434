"""The ``reframe`` command, as installed by pip: the Rust command line, run in this process."""

from __future__ import annotations

import signal
import sys

from ._reframe import run_cli


def main() -> int:
    """Runs ``reframe`` with this process's arguments and returns its exit code."""
    # The Rust command expects the default signal handling: Ctrl-C ends it. (Python's handler
    # would only set a flag that no Python code checks while the command runs.)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    return run_cli(["reframe", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
