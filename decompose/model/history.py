"""The version history of the analysed code: what `history` hands to `link`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Commit:
    """One commit: who made it, how many files it touched, and the Python files among them."""

    id: str
    author: str  # e-mail address as recorded by git, lower-cased
    size: int  # files touched, all kinds (the changeset size code-maat filters on)
    files: tuple[str, ...]  # .py paths relative to the analysed folder, sorted


@dataclass(frozen=True, slots=True)
class History:
    """The commits that touched the analysed folder, newest first; `note` says what was read."""

    commits: tuple[Commit, ...]
    available: bool  # False outside a git work tree: the git signals are skipped
    note: str
