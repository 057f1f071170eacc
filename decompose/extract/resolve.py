"""Resolve every module's call sites against the whole code base: `ModuleFacts` -> calls.

Runs after every file has been extracted: re-exports, inheritance (C3 MRO), `super()` and
values passed between functions all cross module boundaries. The `SymbolTable` answers static
questions (what a dotted name denotes, a class's MRO); the value-flow `Solver` finds what each
call site may reach. Pure Python over `ModuleFacts`; no syntax tree is involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from decompose.extract.loaders import with_loads, with_registries
from decompose.extract.solve import Solver
from decompose.extract.valuegraph import Found, Hierarchy
from decompose.memory import collector_paused, give_back_memory
from decompose.model import DefinitionKind, ModuleFacts

_MAX_DEPTH = 12
_CACHE_NAME = "resolved-calls-v1"  # bump when ResolvedCall or its meaning changes
# bases that add no callable attributes worth naming
_NEUTRAL_BASES = frozenset({"<builtin>.object", "abc.ABC", "typing_extensions.Protocol"})


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
    # False when the callee is external code the analysis only knows as "some external
    # value" (what an external call returned, say): `callee` is then the call as written
    exact: bool = True
    # for a data method (`order.save()`): the analysed classes of the instances it is called
    # on, whatever class defines the method (`django.db.models.Model.save`, say)
    receivers: tuple[str, ...] = ()


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
        self.attributes: dict[str, set[str]] = {}
        for mod in facts:
            self.modules[mod.module] = mod
            for d in mod.definitions:
                self.kinds[d.qualname] = d.kind
                self.owner[d.qualname] = mod.module
                if d.kind is DefinitionKind.CLASS:
                    self.bases[d.qualname] = d.bases
                    self.attributes[d.qualname] = set(d.attributes)
            for sig in mod.signatures:  # lambdas are no definitions, but callees all the same
                self.owner.setdefault(sig.qualname, mod.module)
            self.bindings.update(mod.assignments)
            self.stars[mod.module] = tuple(
                i.target for i in mod.imports if i.alias == "*" and i.scope == mod.module
            )
        self.top_packages = frozenset(m.split(".")[0] for m in self.modules)
        self._mro: dict[str, tuple[str, ...]] = {}
        self._external: dict[str, tuple[str, ...]] = {}

    # -- classes -------------------------------------------------------------------------
    def mro(self, cls: str) -> tuple[str, ...]:
        """C3 linearisation over the analysed classes (external bases left out)."""
        if cls not in self._mro:
            self._mro[cls] = (cls,)  # guards against inheritance cycles while computing
            bases = []
            for base in self.bases.get(cls, ()):
                value = self._base(base, cls)
                if value.kind == "class" and value.name != cls and value.name not in bases:
                    bases.append(value.name)
            self._mro[cls] = (cls, *_c3([list(self.mro(b)) for b in bases] + [bases]))
        return self._mro[cls]

    def _base(self, base: str, cls: str) -> _Value:
        if base in self.kinds:  # a class qualified by the visitor (e.g. local to a function)
            return _Value("class" if self.kinds[base] is DefinitionKind.CLASS else "function", base)
        return self.evaluate(base, 0, self.owner.get(cls, ""))

    def external_bases(self, cls: str) -> tuple[str, ...]:
        """Dotted names of the bases outside the analysed code, in MRO order."""
        if cls not in self._external:
            found: list[str] = []
            for klass in self.mro(cls):
                for base in self.bases.get(klass, ()):
                    value = self._base(base, klass)
                    name = value.name
                    if value.kind in ("external", "builtin") and name not in found:
                        if name not in _NEUTRAL_BASES and not name.startswith("typing."):
                            found.append(name)
            self._external[cls] = tuple(found)
        return self._external[cls]

    def hierarchy(self) -> Hierarchy:
        """The class facts the value-flow solver needs (its attributes a dict of its own: the
        solver replaces a class's set when it adds to it, and leaves the table's as they are)."""
        return Hierarchy(self.mro, dict(self.attributes), self.external_bases)

    def lookup_attribute(
        self, cls: str, attr: str, skip_self: bool = False, depth: int = 0
    ) -> _Value:
        """`attr` on class `cls`, found through the MRO."""
        for klass in self.mro(cls)[1 if skip_self else 0 :]:
            value = self._member(f"{klass}.{attr}", depth + 1)
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

    def bound_name(self, qualname: str, depth: int = 0) -> str:
        """Where a module attribute is bound, following the star imports that re-export it
        (`pkg.event.created` with `from .core import *` in `pkg.event`: `pkg.event.core.created`);
        `qualname` itself when it is bound there or nowhere the analysis sees."""
        if qualname in self.bindings or depth > _MAX_DEPTH:
            return qualname
        module, _, name = qualname.rpartition(".")
        for star in self.stars.get(module, ()):
            found = self.bound_name(f"{star}.{name}", depth + 1)
            if found in self.bindings:
                return found
        return qualname

    def public_name(self, qualname: str) -> str:
        """`qualname` as the packages re-exporting it by star imports name it
        (`pkg.event.core.created`, with `from .core import *` in `pkg.event`:
        `pkg.event.created`)."""
        module, _, name = qualname.rpartition(".")
        parent = module.rpartition(".")[0]
        while parent and module in self.stars.get(parent, ()):
            module, parent = parent, parent.rpartition(".")[0]
        return f"{module}.{name}"

    def _from_stars(self, module: str, name: str, depth: int) -> _Value:
        for star in self.stars.get(module, ()):
            value = self._member(f"{star}.{name}", depth + 1)
            if value is not None:
                return value
        return _UNKNOWN

    def _member(self, qualname: str, depth: int) -> _Value | None:
        if depth > _MAX_DEPTH:
            return None
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
            return self.lookup_attribute(value.name, attr, depth=depth)
        if value.kind == "super":
            return self.lookup_attribute(value.name, attr, skip_self=True, depth=depth)
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

    def class_named(self, dotted: str, module: str) -> str:
        """The analysed class a qualified dotted expression denotes, or ""."""
        value = self.evaluate(dotted, 0, module)
        return value.name if value.kind == "class" else ""

    def module_of(self, qualname: str) -> str:
        """The module defining `qualname`, or "" when it is not a definition."""
        return self.owner.get(qualname, qualname if qualname in self.modules else "")


class ResultStore(Protocol):
    """Where results computed from all modules' facts are kept between runs (parse's cache)."""

    def load(self, key: str) -> object | None:
        """The result stored under `key`, or None."""

    def store(self, key: str, value: object) -> None:
        """Keep `value` under `key`."""


def resolve_calls(
    facts: Sequence[ModuleFacts], cache: ResultStore | None = None, key: str = ""
) -> tuple[SymbolTable, tuple[ResolvedCall, ...]]:
    """Every callee of every call site, resolved against the whole code base.

    A call site with several possible callees gives one `ResolvedCall` per callee; one that
    reaches nothing gives a single unresolved call carrying the callee's text. With a `cache`
    and the `key` of exactly these facts (parse's `ParseResult.key`), an unchanged code base
    is not solved again.
    """
    with collector_paused():  # millions of small acyclic objects: the solver's, the calls
        return _resolve(facts, cache, key)


def _resolve(
    facts: Sequence[ModuleFacts], cache: ResultStore | None, key: str
) -> tuple[SymbolTable, tuple[ResolvedCall, ...]]:
    facts = sorted(facts, key=lambda f: f.module)  # the solver's order of work follows it
    facts = with_loads(facts, [f.module for f in facts])  # loads by name are imports
    table = SymbolTable(facts)
    stored = f"{_CACHE_NAME}-{key}"
    if cache is not None and key:
        rows = cache.load(stored)
        if isinstance(rows, tuple):
            return table, tuple(ResolvedCall(*row) for row in rows)
    calls = _solve(with_registries(facts, table.class_named), table)  # zope lookups too
    give_back_memory()  # the solver's peak, freed, would otherwise stay through clustering
    if cache is not None and key:
        # plain tuples of strings: a third of the size of the dataclasses, and faster to load
        cache.store(stored, tuple(_row(call) for call in calls))
    return table, calls


def _row(
    call: ResolvedCall,
) -> tuple[str, str, CallKind, int, str, str, bool, tuple[str, ...]]:
    return (
        call.caller,
        call.callee,
        call.kind,
        call.line,
        call.caller_module,
        call.callee_module,
        call.exact,
        call.receivers,
    )


def _solve(facts: Sequence[ModuleFacts], table: SymbolTable) -> tuple[ResolvedCall, ...]:
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    found = solver.found()
    # the value graph is the peak of the whole extraction: freed before the calls are made
    del solver
    resolved = _calls(found, table)
    del found
    return tuple(sorted(set(resolved), key=_row))  # the dataclass order, faster


def _calls(found: Found, table: SymbolTable) -> list[ResolvedCall]:
    resolved = []
    for entry in found.sites:
        site = entry.site
        edges = found.edges_of(entry.index)
        module = found.site_modules[entry.index]
        receivers = found.receivers.get(entry.index, ())
        if not edges:
            resolved.append(
                ResolvedCall(site.caller, site.callee, CallKind.UNRESOLVED, site.line, module, "")
            )
        if any(edge.kind != "opaque" for edge in edges):
            # external data the analysis cannot name is a callee only when nothing else is:
            # mixed with known callees it is the imprecision of a context-insensitive flow
            edges = [edge for edge in edges if edge.kind != "opaque"]
        for edge in edges:
            kind = _EDGE_KINDS[edge.kind]
            target_module = table.module_of(edge.target) if kind is CallKind.INTERNAL else ""
            resolved.append(
                ResolvedCall(
                    site.caller,
                    edge.target,
                    kind,
                    site.line,
                    module,
                    target_module,
                    exact=edge.kind != "opaque",
                    receivers=receivers,
                )
            )
    return resolved


_EDGE_KINDS = {
    "internal": CallKind.INTERNAL,
    "class": CallKind.INTERNAL,
    "builtin": CallKind.BUILTIN,
    "external": CallKind.EXTERNAL,
    "opaque": CallKind.EXTERNAL,
}


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
