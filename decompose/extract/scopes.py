"""What the fact visitor works with: scopes, name references, pending call sites, helpers.

Nothing here outlives the visit of one module; `visitor` and `flow` turn it into facts.
"""

from __future__ import annotations

import builtins
from collections import Counter
from dataclasses import dataclass, field
from sys import intern

import libcst as cst

from decompose.model.facts import FunctionKind

BUILTIN_NAMES = frozenset(dir(builtins))
# Markers in a qualified callee: "X()" is "the value X returns" (an instance when X is a class).
UNKNOWN = "?"
STAR = "?*"
STR = "=I:str"
NO_VALUE = frozenset({"True", "False", "None", "__debug__", "NotImplemented", "Ellipsis"})
FUNCTION_LIKE = frozenset({"module", "function", "lambda"})
MAPPINGS = frozenset(
    {"dict", "Dict", "Mapping", "MutableMapping", "DefaultDict", "defaultdict", "OrderedDict"}
)
# methods Python calls with the class as first argument without a decorator saying so
IMPLICIT_CLASSMETHODS = frozenset({"__init_subclass__", "__class_getitem__"})
DECORATOR_KINDS = {
    "staticmethod": FunctionKind.STATICMETHOD,
    "classmethod": FunctionKind.CLASSMETHOD,
    "property": FunctionKind.PROPERTY,
    "cached_property": FunctionKind.PROPERTY,
}


@dataclass(slots=True, eq=False)
class Scope:
    """A module, class, function, lambda or comprehension scope, as the visitor sees it."""

    qualname: str
    kind: str  # "module", "class", "function", "lambda", "comp"
    parent: Scope | None = None
    # legacy text qualification: name -> qualified value ("X()" for what X returns)
    bindings: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # names bound in this scope
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)  # classes: attributes set on `self`
    class_qualname: str | None = None  # for methods: the class whose `self`/`cls` this is
    first_param: str | None = None
    generator: bool = False
    counters: Counter[str] = field(default_factory=Counter)  # lambdas and comprehensions

    def __post_init__(self) -> None:
        # one string however many facts name the scope (pickled once, loaded once)
        self.qualname = intern(self.qualname)

    @property
    def caller(self) -> Scope:
        """The function-like scope whose code this scope's code is (class bodies are not)."""
        scope = self
        while scope.kind not in FUNCTION_LIKE and scope.parent is not None:
            scope = scope.parent
        return scope

    @property
    def naming(self) -> Scope:
        """The scope that names lambdas defined here (comprehensions are not scopes for that)."""
        scope = self
        while scope.kind == "comp" and scope.parent is not None:
            scope = scope.parent
        return scope


@dataclass(slots=True, frozen=True)
class NameRef:
    """A name read or written in a scope, turned into a node once the module is complete."""

    scope: Scope
    name: str


Operand = str | NameRef | None


@dataclass(slots=True, frozen=True)
class Starred:
    """A `*value` positional argument."""

    value: Operand


@dataclass(slots=True, eq=False)
class PendingSite:
    """A call site under construction: its operands become nodes at the end of the module."""

    scope: Scope
    line: int
    func: Operand
    args: list[Operand | Starred]
    keywords: list[tuple[str, Operand]]
    text: str
    decorator: bool = False
    result: str = ""


@dataclass(slots=True, eq=False)
class PendingFunction:
    """A function or class being visited: its scope, first line and parameter defaults."""

    scope: Scope
    signature_line: int
    defaults: list[tuple[str, cst.BaseExpression]]


def base_parts(expr: cst.BaseExpression) -> list[tuple[str, ...]]:
    """Dotted names of the classes a base expression derives from.

    `Base`, `Base[T]` (a generic) and, for a base made by a call such as Django's
    `Manager.from_queryset(QuerySet)`, the classes passed to the call.
    """
    if isinstance(expr, cst.Subscript):
        expr = expr.value
    if isinstance(expr, cst.Call):
        return [p for arg in expr.args if not arg.keyword for p in base_parts(arg.value)]
    parts = dotted(expr)
    return [parts] if parts else []


def is_union(node: cst.BaseExpression) -> bool:
    """`a if c else b`, `a or b`, `a and b`, `a + b`, `a | b`: the value is one of the sides."""
    if isinstance(node, cst.IfExp | cst.BooleanOperation):
        return True
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add | cst.BitOr)


def union_leaves(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The operands of a chain of unions, left to right, without recursion (`a + b + ...`
    with hundreds of terms is common in generated code)."""
    leaves: list[cst.BaseExpression] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.IfExp):
            stack += [current.orelse, current.body]
        elif is_union(current):
            assert isinstance(current, cst.BinaryOperation | cst.BooleanOperation)
            stack += [current.right, current.left]
        else:
            leaves.append(current)
    return leaves


def string_value(node: cst.SimpleString) -> str | bytes:
    """`node.evaluated_value`, without its `ast.literal_eval` when nothing needs evaluating
    (no escape, not bytes), as for most string literals: a tenth of the extraction's time."""
    value = node.value
    start = value.find(value[-1])  # the opening quote, after any prefix letters
    prefix, body = value[:start].lower(), value[start:]
    size = 3 if len(body) >= 6 and body[:3] == body[0] * 3 == body[-3:] else 1
    text = body[size:-size]
    if "b" in prefix or "\r" in text or ("\\" in text and "r" not in prefix):
        return node.evaluated_value
    return text


def slot_key(node: cst.Subscript) -> str:
    """The container slot a subscript reads or writes: "s:KEY", "i:N", ":" (slice) or ""."""
    if len(node.slice) != 1:
        return ""
    element = node.slice[0].slice
    if isinstance(element, cst.Slice):
        return ":"
    if not isinstance(element, cst.Index):
        return ""
    value = element.value
    if isinstance(value, cst.SimpleString):
        text = string_value(value)
        return f"s:{text}" if isinstance(text, str) else ""
    if isinstance(value, cst.Integer):
        return f"i:{value.value}"
    return ""


def decorator_kind(node: cst.FunctionDef) -> FunctionKind | None:
    """Static method, class method or property, as its builtin decorator says."""
    for deco in node.decorators:
        expr = deco.decorator
        name = expr.value if isinstance(expr, cst.Name) else None
        if isinstance(expr, cst.Attribute):
            attr = expr.attr.value  # `@functools.cached_property`, `@total.setter`
            name = "property" if attr in ("setter", "getter", "deleter") else attr
        if name in DECORATOR_KINDS:
            return DECORATOR_KINDS[name]
    if node.name.value in IMPLICIT_CLASSMETHODS:
        return FunctionKind.CLASSMETHOD
    return None


def dotted_name(node: cst.BaseExpression) -> str:
    """`a.b.c` -> "a.b.c"; anything else -> ""."""
    parts = dotted(node)
    return ".".join(parts) if parts else ""


def dotted(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """`a.b.c` -> ("a", "b", "c"); `f().x` -> ("f()", "x"); anything else -> None."""
    names: list[str] = []
    while isinstance(node, cst.Attribute):
        names.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        names.append(node.value)
    elif isinstance(node, cst.Call):
        inner = dotted(node.func)
        if inner is None or len(inner) != 1:
            return None
        names.append(inner[0] + "()")
    else:
        return None
    return tuple(reversed(names))
