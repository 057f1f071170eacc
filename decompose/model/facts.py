"""Plain facts extracted from one module: definitions, imports, calls, vocabulary.

Nothing here refers to a syntax tree; every field is a string, a number or a tuple of them,
so facts pickle cheaply across processes and into the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DefinitionKind(StrEnum):
    """What a definition is."""

    CLASS = "class"
    FUNCTION = "function"
    METHOD = "method"


@dataclass(frozen=True, slots=True, order=True)
class Definition:
    """A class, function or method, with its fully qualified name and line span."""

    qualname: str  # e.g. "shop.services.checkout.Checkout.place_order"
    kind: DefinitionKind
    line: int
    end_line: int
    bases: tuple[str, ...] = ()  # classes: base expressions, qualified where the module knows them

    @property
    def size(self) -> int:
        """Number of source lines the definition spans."""
        return self.end_line - self.line + 1


@dataclass(frozen=True, slots=True, order=True)
class Import:
    """One imported name as the importing module binds it.

    `target` is absolute: `import a.b as c` gives target "a.b"; `from .x import y` inside
    package "p" gives target "p.x.y" (a module or a name in module "p.x", which link decides).
    """

    target: str
    line: int
    alias: str  # the local name bound ("*" for a star import)
    scope: str  # qualified name of the scope holding the import (the module for top level)


@dataclass(frozen=True, slots=True, order=True)
class Call:
    """A call site: the calling scope and the callee as far as the module alone can name it.

    `callee` is a dotted name qualified through the module's imports and definitions
    (e.g. "shop.services.stock.reserve"), "<builtin>.len" for builtins, or the raw expression
    prefixed with "?" when the module alone cannot tell what it is.
    """

    caller: str
    callee: str
    line: int


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """Everything extracted from one module."""

    module: str
    path: str
    lines: int
    is_package: bool
    docstring: str
    definitions: tuple[Definition, ...]
    imports: tuple[Import, ...]
    calls: tuple[Call, ...]
    # identifier words, string and docstring words inside the code, with counts (sorted)
    vocabulary: tuple[tuple[str, int], ...] = field(default=())
    # names bound in the module's and its classes' namespaces by imports and assignments:
    # qualified name -> qualified value ("X()" for what calling X returns)
    assignments: tuple[tuple[str, str], ...] = field(default=())
