"""The linked module graph: what `link` hands to `cluster` and `derive`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EdgeKind(StrEnum):
    """The signal an edge comes from."""

    CALL = "call"
    IMPORT = "import"
    INHERITANCE = "inheritance"
    SEMANTIC = "semantic"
    PATH = "path"


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """A directed, typed edge between two modules.

    `weight` is the raw strength of the signal: the number of call sites, imports or
    inheritance pairs behind it, or a similarity in [0, 1] for semantic and path edges.
    """

    source: str
    target: str
    kind: EdgeKind
    weight: float


@dataclass(frozen=True, slots=True)
class CallStats:
    """How many call sites the analysis resolved, and to what."""

    internal: int  # resolved to a definition of the analysed code
    builtin: int
    external: int  # resolved to a package outside the analysed code
    unresolved: int

    @property
    def total(self) -> int:
        """All call sites."""
        return self.internal + self.builtin + self.external + self.unresolved

    @property
    def resolution_rate(self) -> float:
        """Share of call sites resolved to something named."""
        return 1.0 if self.total == 0 else 1.0 - self.unresolved / self.total


@dataclass(frozen=True, slots=True)
class ModuleGraph:
    """Modules (sorted) and the typed edges between them (sorted), frozen."""

    modules: tuple[str, ...]
    lines: tuple[tuple[str, int], ...]  # module -> non-empty lines
    edges: tuple[Edge, ...]
    calls: CallStats
    codeless: tuple[str, ...] = ()  # modules with no code at all (empty package markers)

    def lines_of(self) -> dict[str, int]:
        """Module -> lines, as a dict."""
        return dict(self.lines)
