"""Stage 3, extract: a libcst `Module` -> `ModuleFacts`; then all facts -> resolved calls.

`extract_module` runs inside parse's worker processes, once per file: `walk` drives the
`FactVisitor` (`visitor`: definitions, imports, names; `flow`: expressions to value flow;
`data`: ORM and data access) over the tree once. `resolve_calls` runs once over every
module's facts (`resolve`: the symbol table; `solve`: the value-flow fixpoint), since
re-exports, inheritance, `super()` and values passed between functions cross modules.
"""

from __future__ import annotations

import sys

import libcst as cst

from decompose.extract.resolve import CallKind, ResolvedCall, SymbolTable, resolve_calls
from decompose.extract.visitor import FactVisitor
from decompose.extract.walk import walk
from decompose.model import ModuleFacts, SourceFile

__all__ = [
    "CallKind",
    "ResolvedCall",
    "SymbolTable",
    "extract_module",
    "resolve_calls",
]


WALK_RECURSION_LIMIT = 6000


def extract_module(tree: cst.Module, source: SourceFile) -> ModuleFacts:
    """All facts of one parsed module."""
    visitor = FactVisitor(source)
    # the walk recurses once per level of nesting, fewer frames than libcst's own visit;
    # a little more room than the default lets anything libcst could parse through
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, WALK_RECURSION_LIMIT))
    try:
        walk(visitor, tree)
    finally:
        sys.setrecursionlimit(limit)
    return visitor.facts()
