"""Plain facts extracted from one module: definitions, imports, calls, vocabulary, value flow.

Nothing here refers to a syntax tree; every field is a string, a number or a tuple of them,
so facts pickle cheaply across processes and into the cache.

The value flow (`Flow`, `CallSite`, `Signature`) is what the whole-program call-graph solver
reads. It speaks of *nodes*, named by strings:

- `scope.name`: a variable (`main.f.x`), a parameter (`main.f.cb`), a class or module attribute
  (`main.C.table`, `main.handler`); `function.<return>` holds what a function returns;
- `scope:N`: a temporary holding the value of one expression computed in function `scope`
  (or module); every node of a function's code thus starts with `function.` or `function:`;
- `id[key]`: a slot of the container created by a `NEW` flow with that id: `[*]` every element,
  `[?]` elements stored under unknown keys, `[s:KEY]` a string key, `[i:N]` a tuple index,
  `[<keys>]` a dict's keys;
- `=KIND:NAME`: a constant: `=F:` a function or lambda, `=C:` a class, `=M:` a module as
  imported (analysed or external), `=B:` a builtin, `=I:str` a string instance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast

from decompose.model.data import DataFacts


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
    # classes: names bound in the body or assigned on `self` in its methods (sorted)
    attributes: tuple[str, ...] = ()

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


class FunctionKind(StrEnum):
    """How a function binds its first parameter when looked up on an instance or a class."""

    FUNCTION = "function"
    METHOD = "method"
    STATICMETHOD = "staticmethod"
    CLASSMETHOD = "classmethod"
    PROPERTY = "property"
    LAMBDA = "lambda"


@dataclass(frozen=True, slots=True, order=True)
class Signature:
    """A function, method or lambda with its parameters; parameter `p` is node `qualname.p`."""

    qualname: str
    kind: FunctionKind
    line: int
    params: tuple[str, ...] = ()  # positional parameters in order, positional-only first
    posonly: int = 0
    vararg: str = ""  # name of `*args`, its tuple is node `qualname.<*>`
    kwonly: tuple[str, ...] = ()
    kwarg: str = ""  # name of `**kwargs`, its dict is node `qualname.<**>`
    owner: str = ""  # the class a method is defined in


class FlowOp(StrEnum):
    """How a flow relates its target node to its source node."""

    COPY = "copy"  # target gets every value of source
    ATTR = "attr"  # target gets attribute `name` of each value of source
    IMPORT = "import"  # target gets `name` imported from source: a submodule, else an attribute
    STORE = "store"  # attribute `name` of each value of target gets source
    ITEM = "item"  # target gets item `name` (a slot key, "" if unknown) of each source value
    STORE_ITEM = "store_item"  # item `name` of each value of target gets source
    ITER = "iter"  # target gets what iterating over each value of source yields
    UNPACK = "unpack"  # target gets element `name` ("" for any) of unpacking source
    NEW = "new"  # target gets a new container of type `source` whose id is `name`
    INSTANCE = "instance"  # target gets an instance of each class in source
    ENTER = "enter"  # target gets what `with source as target` binds
    SUPER = "super"  # target gets super(C, v) for C in node `name` and v in source
    BUILTIN = "builtin"  # target gets builtin `name` unless a star import binds target
    HINT = "hint"  # target gets an instance of each class in source if nothing else reaches it


@dataclass(frozen=True, slots=True, order=True)
class Flow:
    """One flow-insensitive constraint between value nodes (see the module docstring)."""

    op: FlowOp
    target: str
    source: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True, order=True)
class CallSite:
    """A call with its argument nodes: what the solver binds to the callee's parameters."""

    caller: str  # the function, lambda or module whose code makes the call
    line: int
    callee: str  # the callee's text as in `Call.callee`
    func: str  # node holding what is called
    result: str = ""  # node receiving what the call returns ("" when unused)
    args: tuple[str, ...] = ()  # positional argument nodes: "" untracked, "*node" unpacked
    keywords: tuple[tuple[str, str], ...] = ()  # (parameter, node); "**" for an unpacked dict
    decorator: bool = False  # applying a decorator: unknown decorators return their argument


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
    # identifier words, string and docstring words inside the code (sorted), and the count of
    # each: two flat tuples rather than a pair per word; read them as `vocabulary`
    words: tuple[str, ...] = field(default=())
    word_counts: tuple[int, ...] = field(default=())
    # names bound in the module's and its classes' namespaces by imports and assignments:
    # qualified name -> qualified value ("X()" for what calling X returns)
    assignments: tuple[tuple[str, str], ...] = field(default=())
    # value flow for the whole-program call graph
    signatures: tuple[Signature, ...] = field(default=())
    # the flows, sorted and flat: op, target, source and name of one flow after another (a
    # third of the memory of an object per flow, and faster to load); read them as `flows`
    flow_table: tuple[str, ...] = field(default=())
    sites: tuple[CallSite, ...] = field(default=())
    names: tuple[str, ...] = field(default=())  # names bound at module level (sorted)
    exports: tuple[str, ...] | None = None  # `__all__` when the module defines it
    data: DataFacts = field(default_factory=DataFacts)  # ORM classes, data access, async edges

    @property
    def vocabulary(self) -> tuple[tuple[str, int], ...]:
        """(word, count) of every word of the code, sorted (made at each call)."""
        return tuple(zip(self.words, self.word_counts, strict=True))

    @property
    def flows(self) -> tuple[Flow, ...]:
        """The value flows of the module, sorted (made from `flow_table` at each call)."""
        t = self.flow_table
        return tuple(
            Flow(cast(FlowOp, t[i]), t[i + 1], t[i + 2], t[i + 3]) for i in range(0, len(t), 4)
        )


def flow_table(flows: Iterable[Flow | tuple[FlowOp, str, str, str]]) -> tuple[str, ...]:
    """Flows (or their rows) as `ModuleFacts.flow_table` holds them, in the order given."""
    table: list[str] = []
    for flow in flows:
        if isinstance(flow, Flow):
            table += (flow.op, flow.target, flow.source, flow.name)
        else:
            table += flow
    return tuple(table)
