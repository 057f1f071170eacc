"""Files of the analysed code base and the failures met while reading them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class SourceFile:
    """One Python file of the target, with its dotted module name."""

    path: str  # POSIX path relative to the analysed folder
    module: str
    sha256: str
    lines: int  # non-empty lines
    is_package: bool = False


@dataclass(frozen=True, slots=True, order=True)
class Failure:
    """A file the analysis could not read, or read only in part: where, and why."""

    path: str
    line: int
    reason: str
    stage: str = "parse"
