"""The linked graph of modules and symbols: what `link` hands to `cluster` and `derive`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EdgeKind(StrEnum):
    """The signal an edge comes from (its name is the signal's name in the weights)."""

    CALL = "call"
    IMPORT = "import"
    INHERITANCE = "inheritance"
    SEMANTIC = "semantic"
    COCHANGE = "cochange"
    AUTHORS = "authors"
    PATH = "path"
    DATA = "data"  # a module reading or writing an entity -> the entity's module
    FK = "fk"  # an entity -> the entities it is part of or that are part of it (composition)
    TRANSACTION = "transaction"  # entities written in one transaction, pairwise
    ASYNC = "async"  # a signal sent or a task enqueued -> the receiving module


# Edges that are dependencies in the code, counted (the others are similarities in [0, 1]).
STRUCTURAL = frozenset({EdgeKind.CALL, EdgeKind.IMPORT, EdgeKind.INHERITANCE})
# Edges whose weight is a count (scaled 1 + ln(count)); the rest are similarities.
COUNTED = STRUCTURAL | {EdgeKind.DATA, EdgeKind.FK, EdgeKind.TRANSACTION, EdgeKind.ASYNC}


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """A directed, typed edge between two modules (or two symbols).

    `weight` is the raw strength of the signal: the number of call sites, imports or
    inheritance pairs behind it, or a similarity in [0, 1] for the other kinds.
    """

    source: str
    target: str
    kind: EdgeKind
    weight: float


class SymbolKind(StrEnum):
    """What a symbol is: a top-level class or function, or a module's own top-level code."""

    CLASS = "class"
    FUNCTION = "function"
    MODULE = "module"


@dataclass(frozen=True, slots=True, order=True)
class Symbol:
    """A unit a module can be split into: a top-level class (with its methods) or function.

    A module's own top-level code (imports, constants, module-level statements) is the symbol
    named like the module, of kind MODULE.
    """

    qualname: str
    module: str
    kind: SymbolKind
    lines: int


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
    """Modules (sorted) and the typed edges between them (sorted), frozen.

    `symbols` and `symbol_edges` are the same code one level down (calls and inheritance
    between top-level symbols), for splitting a module whose parts belong to different domains.
    `notes` say which signals were skipped, and why.
    """

    modules: tuple[str, ...]
    lines: tuple[tuple[str, int], ...]  # module -> non-empty lines
    edges: tuple[Edge, ...]
    calls: CallStats
    codeless: tuple[str, ...] = ()  # modules with no code at all (empty package markers)
    symbols: tuple[Symbol, ...] = ()  # sorted
    symbol_edges: tuple[Edge, ...] = ()  # sorted; between symbol qualnames
    notes: tuple[str, ...] = ()
    # per transaction scope that writes entities: the module of its code and the modules
    # defining the entities it writes (sorted, deduplicated); sorted
    transactions: tuple[tuple[str, ...], ...] = ()

    def lines_of(self) -> dict[str, int]:
        """Module -> lines, as a dict."""
        return dict(self.lines)
