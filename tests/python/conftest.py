"""Shared fixtures: the `reframe` command the wheel installed beside this Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def reframe_command() -> Path:
    """The console script pip installed with the wheel (not a cargo build)."""
    path = Path(sys.executable).parent / ("reframe.exe" if os.name == "nt" else "reframe")
    assert path.is_file(), f"the wheel did not install a `reframe` command at {path}"
    return path


@pytest.fixture
def run_reframe(reframe_command: Path, tmp_path: Path):
    """Runs the installed `reframe` in `tmp_path` (no `.reframe.toml` above it is found)."""

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(reframe_command), *args],
            cwd=tmp_path,
            input=input,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
