"""Stage 3, extract: a libcst `Module` -> `ModuleFacts`; then all facts -> resolved calls.

`extract_module` runs inside parse's worker processes, once per file. `resolve_calls` runs
once over every module's facts, since re-exports, inheritance and `super()` cross modules.
"""

from __future__ import annotations

import libcst as cst

from decompose.extract.resolve import CallKind, ResolvedCall, SymbolTable, resolve_calls
from decompose.extract.visitor import FactVisitor
from decompose.model import ModuleFacts, SourceFile

__all__ = [
    "CallKind",
    "ResolvedCall",
    "SymbolTable",
    "extract_module",
    "resolve_calls",
]


def extract_module(tree: cst.Module, source: SourceFile) -> ModuleFacts:
    """All facts of one parsed module."""
    visitor = FactVisitor(source)
    tree.visit(visitor)
    return visitor.facts()
