"""The abstract values of the call-graph solver, and what builtin and external code look like.

Values are triples of strings `(kind, name, extra)`:
    f function (extra: the clone it belongs to) · c class · i instance · m analysed module
    x external name (OPAQUE when the code does not name it) · b builtin
    k container or builtin instance (name = id, extra = type) · bm bound method (its
    receiver is bound into the first parameter at lookup) · bc builtin method of a
    container (extra = "type.method") · s super (name = class, extra = "i:CLS" or "c:CLS")
"""

from __future__ import annotations

import builtins
import types
from collections.abc import Callable, Sequence

from decompose.model import ModuleFacts
from decompose.model.facts import FunctionKind

Value = tuple[str, str, str]

BUILTIN_NAMES = frozenset(dir(builtins))
# builtins that build a container from the elements of their first argument
COLLECTORS = {
    "list": "list",
    "tuple": "tuple",
    "set": "set",
    "frozenset": "set",
    "sorted": "list",
    "reversed": "list",
    "iter": "list",
}
IDENTITY_BUILTINS = frozenset(
    {"staticmethod", "classmethod", "property"}
    | {f"property.{name}" for name in ("setter", "getter", "deleter")}
)
ANALYSED = frozenset({"f", "c", "i", "m", "bm"})  # values from the analysed code
# bases whose class attributes are instances of the class (enum members, Django choices)
ENUM_BASES = frozenset(
    {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "TextChoices", "IntegerChoices", "Choices"}
)
BINDING_KINDS = frozenset({FunctionKind.METHOD, FunctionKind.CLASSMETHOD, FunctionKind.PROPERTY})
SLOTTED = frozenset({"list", "dict", "set", "tuple", "gen"})  # values with element slots
CONTAINER_TYPES = {
    "list": "list",
    "dict": "dict",
    "set": "set",
    "frozenset": "set",
    "tuple": "tuple",
}
# builtin types whose instances the solver tracks as shared, slot-less values
SCALAR_TYPES = frozenset(
    name
    for name in BUILTIN_NAMES
    if isinstance(getattr(builtins, name), type) and name not in CONTAINER_TYPES
)
STR_FUNCTIONS = frozenset({"repr", "format", "chr", "ascii", "hex", "oct", "bin", "input"})
# what the methods of builtin values return, by "type.method" (str methods: mostly str)
STR_TO_LIST = frozenset({"split", "rsplit", "splitlines", "partition", "rpartition"})
STR_TO_OTHER = frozenset(
    {"count", "find", "rfind", "index", "rindex", "encode"}
    | {m for m in dir(str) if m.startswith("is") or m.endswith("with")}
)
TYPING_BUILTINS = {
    "typing.List": "list",
    "typing.Sequence": "list",
    "typing.MutableSequence": "list",
    "typing.Iterable": "list",
    "typing.Iterator": "list",
    "typing.Collection": "list",
    "typing.AbstractSet": "set",
    "typing.MutableSet": "set",
    "typing.Mapping": "dict",
    "typing.MutableMapping": "dict",
    "collections.abc.Sequence": "list",
    "collections.abc.MutableSequence": "list",
    "collections.abc.Iterable": "list",
    "collections.abc.Iterator": "list",
    "collections.abc.Collection": "list",
    "collections.abc.Set": "set",
    "collections.abc.MutableSet": "set",
    "collections.abc.Mapping": "dict",
    "collections.abc.MutableMapping": "dict",
    "typing.Dict": "dict",
    "typing.DefaultDict": "dict",
    "typing.OrderedDict": "dict",
    "typing.Set": "set",
    "typing.FrozenSet": "frozenset",
    "typing.Tuple": "tuple",
    "typing.Text": "str",
    "collections.OrderedDict": "dict",
    "collections.defaultdict": "dict",
}
STR: Value = ("k", "str", "str")
# Everything external the code does not name statically: results of external calls, their
# attributes, values passed around. One value, so external chains cannot multiply.
OPAQUE: Value = ("x", "", "")
BUILTIN_TYPES: dict[str, object] = {
    **{name: getattr(builtins, name) for name in BUILTIN_NAMES},
    "gen": types.GeneratorType,
}


def named_externals(facts: Sequence[ModuleFacts]) -> frozenset[str]:
    """Dotted names the code writes for things outside it, with their prefixes.

    Import targets, callees qualified through imports (`os.path.join` after `import os`) and
    module-level assignments (`codec = json`).
    """
    names: set[str] = set()
    for mod in facts:
        texts = [i.target for i in mod.imports]
        texts += [site.callee for site in mod.sites]
        texts += [value for _, value in mod.assignments]
        for text in texts:
            if text.startswith(("?", "<")) or "(" in text:
                continue
            parts = text.split(".")
            for end in range(1, len(parts) + 1):
                names.add(".".join(parts[:end]))
    return frozenset(names)


def builtin_has(dotted: str, name: str) -> bool:
    """Whether the builtin `dotted` (`str`, `dict.get`...) has attribute `name`."""
    head, _, rest = dotted.partition(".")
    obj = BUILTIN_TYPES.get(head)
    for part in rest.split(".") if rest else ():
        obj = getattr(obj, part, None)
    return obj is not None and hasattr(obj, name)


def external(base: str, name: str) -> Value:
    """Attribute `name` inherited from a base outside the analysed code."""
    if base.startswith("<builtin>."):
        return ("b", f"{base[len('<builtin>.') :]}.{name}", "")
    return ("x", f"{base}.{name}", "")


def instance(value: Value, node: str) -> list[Value]:
    """An instance of the class `value` names, as a hint or an `except` clause gives it."""
    kind, name = value[0], value[1]
    if kind == "c":
        return [("i", name, "")]
    if kind == "x":
        if name in TYPING_BUILTINS:
            kind, name = "b", TYPING_BUILTINS[name]
        elif name.startswith(("typing.", "collections.abc.", "typing_extensions.")):
            return []
        else:
            return [OPAQUE]
    if kind == "b":
        if name in CONTAINER_TYPES:
            return [("k", f"{node}:{name}", CONTAINER_TYPES[name])]
        if name in SCALAR_TYPES:
            return [("k", name, name)]
    return []


def constant(node: str, analysed: Callable[[str], bool]) -> list[Value]:
    """The value a constant node (`=KIND:NAME`) holds; other nodes start empty.

    `analysed(name)` tells whether a module name is (a package of) the analysed code.
    """
    if not node.startswith("="):
        return []
    kind, name = node[1], node[3:]
    if kind == "F":
        function, _, root = name.partition("|")  # "|root": the function in a clone
        return [("f", function, root)]
    if kind == "C":
        return [("c", name, "")]
    if kind == "B":
        return [("b", name, "")]
    if kind == "I":
        return [("k", name, name)]
    if kind == "M":
        if analysed(name):
            return [("m", name, "")]
        return [("x", name, "")]
    return []
