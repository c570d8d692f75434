"""Type stubs for the compiled module ``reframe_lint._reframe``."""

from os import PathLike
from typing import Any, Iterable, Optional, Sequence, Union

__version__: str

class ConfigError(ValueError):
    """A rule pack or setting that cannot be used: ``path:line:column: what is wrong``."""

    path: str
    line: int
    column: int
    reason: str

class Finding:
    """One flagged phrase in a checked text."""

    rule: str
    category: str
    severity: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    matched: str
    message: str
    reframes: list[str]
    sentence: str
    quoted: bool

class Linter:
    def __init__(
        self,
        rules: Optional[Sequence[Union[str, PathLike[str]]]] = None,
        config: Union[str, PathLike[str], dict[str, Any], None] = None,
    ) -> None: ...
    def check(self, text: str, *, markdown: bool = True) -> list[Finding]: ...
    def check_many(
        self,
        texts: Iterable[Optional[str]],
        *,
        threads: Optional[int] = None,
        markdown: bool = True,
    ) -> list[list[Finding]]: ...
    def rules(self) -> list[dict[str, Any]]: ...

def run_cli(args: Sequence[str]) -> int: ...
