"""Resolve every module's call expressions against the whole code base's symbols.

Runs after every file has been extracted: re-exports, inheritance (C3 MRO) and `super()` all
cross module boundaries. Pure Python over `ModuleFacts`; no syntax tree is involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from decompose.model import DefinitionKind, ModuleFacts

_MAX_DEPTH = 12


class CallKind(StrEnum):
    """What a call site was resolved to."""

    INTERNAL = "internal"
    BUILTIN = "builtin"
    EXTERNAL = "external"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True, order=True)
class ResolvedCall:
    """A call site with its callee's fully qualified name (or the raw text if unresolved)."""

    caller: str
    callee: str
    kind: CallKind
    line: int
    caller_module: str
    callee_module: str  # "" unless internal


@dataclass(frozen=True, slots=True)
class _Value:
    kind: str  # "module", "class", "instance", "function", "external", "builtin", "unknown"
    name: str


_UNKNOWN = _Value("unknown", "")


class SymbolTable:
    """Modules, definitions and bindings of the analysed code, queried by qualified name."""

    def __init__(self, facts: Iterable[ModuleFacts]) -> None:
        self.modules: dict[str, ModuleFacts] = {}
        self.kinds: dict[str, DefinitionKind] = {}
        self.owner: dict[str, str] = {}  # definition -> module
        self.bindings: dict[str, str] = {}
        self.bases: dict[str, tuple[str, ...]] = {}
        self.stars: dict[str, tuple[str, ...]] = {}
        for mod in facts:
            self.modules[mod.module] = mod
            for d in mod.definitions:
                self.kinds[d.qualname] = d.kind
                self.owner[d.qualname] = mod.module
                if d.kind is DefinitionKind.CLASS:
                    self.bases[d.qualname] = d.bases
            self.bindings.update(mod.assignments)
            self.stars[mod.module] = tuple(
                i.target for i in mod.imports if i.alias == "*" and i.scope == mod.module
            )
        self.top_packages = frozenset(m.split(".")[0] for m in self.modules)
        self._mro: dict[str, tuple[str, ...]] = {}

    # -- classes -------------------------------------------------------------------------
    def mro(self, cls: str) -> tuple[str, ...]:
        """C3 linearisation over the analysed classes (external bases left out)."""
        if cls not in self._mro:
            self._mro[cls] = (cls,)  # guards against inheritance cycles while computing
            bases = []
            for base in self.bases.get(cls, ()):
                value = self.evaluate(base)
                if value.kind == "class" and value.name != cls:
                    bases.append(value.name)
            self._mro[cls] = (cls, *_c3([list(self.mro(b)) for b in bases] + [bases]))
        return self._mro[cls]

    def lookup_attribute(self, cls: str, attr: str, skip_self: bool = False) -> _Value:
        """`attr` on class `cls`, found through the MRO."""
        for klass in self.mro(cls)[1 if skip_self else 0 :]:
            value = self._member(f"{klass}.{attr}", 0)
            if value is not None:
                return value
        return _UNKNOWN

    # -- values --------------------------------------------------------------------------
    def evaluate(self, dotted: str, depth: int = 0, module: str = "") -> _Value:
        """What a qualified dotted expression (as the visitor wrote it) denotes."""
        if depth > _MAX_DEPTH or not dotted:
            return _UNKNOWN
        if dotted.startswith("?") and not dotted.startswith("?*"):
            return _UNKNOWN
        parts = _split(dotted)
        head, called = _strip_call(parts[0])
        if head.startswith("?*"):
            value = self._from_stars(module, head[2:], depth)
        elif head.startswith("<super:"):
            value = _Value("super", head[len("<super:") : -1])
        elif head == "<builtin>":
            value = _Value("builtin", "<builtin>")
        elif head in self.modules or head in self.top_packages:
            value = _Value("module", head)
        else:
            value = _Value("external", head)
        if called:
            value = self._call(value)
        for part in parts[1:]:
            attr, called = _strip_call(part)
            value = self._attribute(value, attr, depth)
            if called:
                value = self._call(value)
            if value.kind == "unknown":
                return value
        return value

    def _from_stars(self, module: str, name: str, depth: int) -> _Value:
        for star in self.stars.get(module, ()):
            value = self._member(f"{star}.{name}", depth + 1)
            if value is not None:
                return value
        return _UNKNOWN

    def _member(self, qualname: str, depth: int) -> _Value | None:
        if qualname in self.kinds:
            kind = "class" if self.kinds[qualname] is DefinitionKind.CLASS else "function"
            return _Value(kind, qualname)
        if qualname in self.modules:
            return _Value("module", qualname)
        if qualname in self.bindings:
            return self.evaluate(self.bindings[qualname], depth + 1, qualname.rpartition(".")[0])
        return None

    def _attribute(self, value: _Value, attr: str, depth: int) -> _Value:
        if value.kind in ("external", "builtin"):
            return _Value(value.kind, f"{value.name}.{attr}")
        if value.kind == "module":
            found = self._member(f"{value.name}.{attr}", depth)
            if found is None and self.stars.get(value.name):
                found = self._from_stars(value.name, attr, depth)
            if found is None and value.name not in self.modules:
                return _Value("module", f"{value.name}.{attr}")  # a namespace package
            return found or _UNKNOWN
        if value.kind in ("class", "instance"):
            return self.lookup_attribute(value.name, attr)
        if value.kind == "super":
            return self.lookup_attribute(value.name, attr, skip_self=True)
        return _UNKNOWN

    def _call(self, value: _Value) -> _Value:
        if value.kind == "class":
            return _Value("instance", value.name)
        if value.kind in ("external", "builtin"):
            return _Value(value.kind, f"{value.name}()")
        return _UNKNOWN  # what a function returns is not tracked here

    def callee(self, dotted: str, module: str) -> tuple[CallKind, str]:
        """The resolved target of calling `dotted` from `module`."""
        value = self.evaluate(dotted, 0, module)
        if value.kind == "function":
            return CallKind.INTERNAL, value.name
        if value.kind == "class":
            init = self.lookup_attribute(value.name, "__init__")
            return CallKind.INTERNAL, init.name if init.kind == "function" else value.name
        if value.kind == "builtin":
            return CallKind.BUILTIN, value.name
        if value.kind == "external":
            return CallKind.EXTERNAL, value.name
        return CallKind.UNRESOLVED, dotted

    def module_of(self, qualname: str) -> str:
        """The module defining `qualname`, or "" when it is not a definition."""
        return self.owner.get(qualname, qualname if qualname in self.modules else "")


def resolve_calls(facts: Sequence[ModuleFacts]) -> tuple[SymbolTable, tuple[ResolvedCall, ...]]:
    """Every call site of every module, resolved against the whole code base."""
    table = SymbolTable(facts)
    resolved = []
    for mod in facts:
        for call in mod.calls:
            kind, target = table.callee(call.callee, mod.module)
            callee_module = table.module_of(target) if kind is CallKind.INTERNAL else ""
            resolved.append(
                ResolvedCall(call.caller, target, kind, call.line, mod.module, callee_module)
            )
    return table, tuple(sorted(resolved))


def _split(dotted: str) -> list[str]:
    # "<super:a.B>.m": the class's qualified name stays whole in the head
    if dotted.startswith("<super:"):
        head, _, rest = dotted.partition(">")
        return [head + ">", *rest.lstrip(".").split(".")] if rest else [head + ">"]
    return dotted.split(".")


def _strip_call(part: str) -> tuple[str, bool]:
    return (part[:-2], True) if part.endswith("()") else (part, False)


def _c3(sequences: list[list[str]]) -> list[str]:
    result: list[str] = []
    seqs = [list(s) for s in sequences if s]
    while seqs:
        for seq in seqs:
            head = seq[0]
            if not any(head in s[1:] for s in seqs):
                break
        else:  # inconsistent hierarchy: fall back to depth-first order
            for seq in seqs:
                result.extend(x for x in seq if x not in result)
            return result
        result.append(head)
        seqs = [[x for x in s if x != head] for s in seqs]
        seqs = [s for s in seqs if s]
    return result
