"""The whole-program value-flow solver behind the call graph.

Input: every module's `Flow`s, `CallSite`s and `Signature`s, plus the class hierarchy.
Output: for each call site, the set of callees it may reach.

Flow-insensitive and context-insensitive like PyCG's assignment graph, but an inclusion-based
points-to analysis: each node holds a set of abstract values (functions, classes, instances,
modules, external names, builtins, containers, bound methods, `super` objects); constraints
propagate only the new values (difference propagation) over a worklist until nothing changes.
Attribute loads, stores, subscripts, iteration and calls are constraints that add copy edges
as the values of their operands become known, so the whole solve is near-linear in the size
of the flow graph. Calls go to every value the callee node may hold.

Values are triples of strings `(kind, name, extra)`:
    f function · c class · i instance · m analysed module · x external name · b builtin
    k container (name = id, extra = type) · bm bound method (receiver bound at lookup)
    bc builtin method of a container (extra = "type.method") · s super (name = class)
"""

from __future__ import annotations

import builtins
import types
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from decompose.model import DefinitionKind, ModuleFacts
from decompose.model.facts import CallSite, Flow, FlowOp, FunctionKind, Signature

Value = tuple[str, str, str]
Delta = list[Value]
Handler = Callable[[Any, Delta], None]

BUILTIN_NAMES = frozenset(dir(builtins))
# builtins that build a container from the elements of their first argument
_COLLECTORS = {
    "list": "list",
    "tuple": "tuple",
    "set": "set",
    "frozenset": "set",
    "sorted": "list",
    "reversed": "list",
    "iter": "list",
}
_IDENTITY_BUILTINS = frozenset({"staticmethod", "classmethod", "property"})
_ANALYSED = frozenset({"f", "c", "i", "m", "bm"})  # values from the analysed code
# bases whose class attributes are instances of the class (enum members, Django choices)
_ENUM_BASES = frozenset(
    {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "TextChoices", "IntegerChoices", "Choices"}
)
_BINDING_KINDS = frozenset({FunctionKind.METHOD, FunctionKind.CLASSMETHOD, FunctionKind.PROPERTY})
_SLOTTED = frozenset({"list", "dict", "set", "tuple", "gen"})  # values with element slots
_CONTAINER_TYPES = {
    "list": "list",
    "dict": "dict",
    "set": "set",
    "frozenset": "set",
    "tuple": "tuple",
}
# builtin types whose instances the solver tracks as shared, slot-less values
_SCALAR_TYPES = frozenset(
    name
    for name in BUILTIN_NAMES
    if isinstance(getattr(builtins, name), type) and name not in _CONTAINER_TYPES
)
_STR_FUNCTIONS = frozenset({"repr", "format", "chr", "ascii", "hex", "oct", "bin", "input"})
# what the methods of builtin values return, by "type.method" (str methods: mostly str)
_STR_TO_LIST = frozenset({"split", "rsplit", "splitlines", "partition", "rpartition"})
_STR_TO_OTHER = frozenset(
    {"count", "find", "rfind", "index", "rindex", "encode"}
    | {m for m in dir(str) if m.startswith("is") or m.endswith("with")}
)
_TYPING_BUILTINS = {
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
_STR: Value = ("k", "str", "str")
# A node holds at most this many values, and this many containers among them; beyond, new
# ones are dropped (the node is recorded in `capped`). This keeps the mixing of a context-
# insensitive analysis bounded (a helper every caller passes its own list literals to, one
# wrapper decorating every method of a large hierarchy) while hierarchies with hundreds of
# classes still dispatch soundly. Containers matter for their elements, rarely callables.
MAX_VALUES = 64
MAX_CONTAINERS = 16
MAX_RECEIVERS = 512  # for the first parameter of methods: MRO-checked receivers only
MAX_ELEMENTS = 256  # for container slots: dispatch tables of many handlers
# Everything external the code does not name statically: results of external calls, their
# attributes, values passed around. One value, so external chains cannot multiply.
OPAQUE: Value = ("x", "", "")
_BUILTIN_TYPES: dict[str, object] = {
    **{name: getattr(builtins, name) for name in BUILTIN_NAMES},
    "gen": types.GeneratorType,
}


class Hierarchy:
    """What the solver needs to know about classes: MRO, attributes, external bases."""

    def __init__(
        self,
        mro: Callable[[str], tuple[str, ...]],
        attributes: dict[str, set[str]],
        external_bases: Callable[[str], tuple[str, ...]],
    ) -> None:
        self.mro = mro
        self.attributes = attributes
        self.external_bases = external_bases


@dataclass(frozen=True, slots=True)
class Edge:
    """One callee of one call site: its name and what it is."""

    target: str
    kind: str  # "internal", "class", "builtin", "external"


@dataclass(slots=True, eq=False)
class _Site:
    index: int  # of the call site in the facts; clones of a site share it (and its edges)
    site: CallSite
    key: str  # unique id of the site, for the nodes the solver creates for it
    root: str = ""  # the clone this copy of the site belongs to ("" for the original)


class Solver:
    """Inclusion-based value flow over all modules; `solve()` then read `edges`."""

    def __init__(self, facts: Sequence[ModuleFacts], hierarchy: Hierarchy) -> None:
        self.hierarchy = hierarchy
        # Insertion-ordered dicts, never sets, wherever the solver iterates: the order of
        # work then depends on the (sorted) facts only, so capped nodes stay deterministic.
        self.values: dict[str, dict[Value, None]] = {}
        self.copies: dict[str, dict[str, None]] = {}
        self.binds: dict[str, dict[tuple[str, str], None]] = {}
        self.filters: dict[str, dict[tuple[str, str], None]] = {}
        self.watchers: dict[str, list[tuple[Handler, Any]]] = {}
        self.pending: dict[str, Delta] = {}
        self.capped: set[str] = set()  # nodes that reached MAX_VALUES or MAX_CONTAINERS
        self._boxes: dict[str, int] = {}  # containers per node
        self.queue: deque[str] = deque()
        self.signatures: dict[str, Signature] = {}
        self.modules = {f.module: f for f in facts}
        self.packages = {m.rsplit(".", i)[0] for m in self.modules for i in range(m.count("."))}
        self.sites: list[_Site] = []
        self.edges: list[set[Edge]] = []
        self._bound: set[tuple[str, str, str, str]] = set()
        self._made: set[str] = set()
        self._attr_flows: dict[str, list[tuple[str, str]]] = {}  # attr -> (source, target)
        self._owner_cache: dict[str, dict[str, list[str]]] = {}  # attr -> class -> owners
        self._module_misses: dict[tuple[str, str], list[str]] = {}
        self._dynamic_modules: dict[str, set[str]] = {}
        self._super_done: set[str] = set()
        self._hints: dict[str, list[str]] = {}  # node -> nodes of analysed classes it names
        self._hint_boxes: dict[str, dict[str, None]] = {}  # node -> containers its hints made
        self._hint_elements: dict[str, dict[tuple[str, Value], None]] = {}  # (slot, element)
        self._fallen: set[str] = set()
        self._dynamic_attrs: dict[str, set[str]] = {}
        self._names = self._module_names(facts)
        self._module_sites: dict[str, list[_Site]] = {}
        self._subtree_sites: dict[str, list[_Site]] = {}
        self.clones: list[_Site] = []  # copies of call sites inside cloned closure factories
        self._clones: set[str] = set()
        self._subtree_flows: dict[str, list[Flow]] = {}
        self._factories = self._find_factories(facts)
        self._known = _named_externals(facts)
        for mod in facts:
            for sig in mod.signatures:
                self.signatures[sig.qualname] = sig
        self._enums: dict[str, bool] = {}
        self._receivers = {
            f"{sig.qualname}.{sig.params[0]}"
            for sig in self.signatures.values()
            if sig.owner and sig.params and sig.kind in _BINDING_KINDS
        }
        for mod in facts:
            self._load_flows(mod)
        for mod in facts:
            for site in mod.sites:
                self._load_site(mod.module, site)
        for entry in self.sites:  # only once all are known: a call may clone a factory
            if entry.site.func:
                self._watch(entry.site.func, self._on_call, entry)
        self._load_stars(facts)

    # -- set up --------------------------------------------------------------------------
    def _module_names(self, facts: Sequence[ModuleFacts]) -> dict[str, set[str]]:
        """Names each module binds, including those its star imports bring in."""
        names: dict[str, set[str]] = {}
        visiting: set[str] = set()

        def of(module: str) -> set[str]:
            if module in names:
                return names[module]
            if module in visiting or module not in self.modules:
                return set()
            visiting.add(module)
            found = set(self.modules[module].names)
            for star in self._stars(module):
                found |= exported(star)
            names[module] = found
            return found

        def exported(module: str) -> set[str]:
            mod = self.modules.get(module)
            if mod is None:
                return set()
            if mod.exports is not None:
                return set(mod.exports)
            return {n for n in of(module) if not n.startswith("_")}

        self._exported = exported
        for mod in facts:
            of(mod.module)
        return names

    def _stars(self, module: str) -> list[str]:
        mod = self.modules[module]
        return [i.target for i in mod.imports if i.alias == "*" and i.scope == module]

    def _load_stars(self, facts: Sequence[ModuleFacts]) -> None:
        for mod in facts:
            for star in self._stars(mod.module):
                if star not in self.modules:
                    continue
                for name in sorted(self._exported(star)):
                    target = f"{mod.module}.{name}"
                    if name in self._names.get(star, set()):
                        self._add_copy(f"{star}.{name}", target)
                    elif f"{star}.{name}" in self.modules:
                        self._add(target, {("m", f"{star}.{name}", "")})

    def _load_flows(self, mod: ModuleFacts) -> None:
        for flow in mod.flows:
            self._install(flow, mod.module, None)

    def _install(self, flow: Flow, module: str, rename: Callable[[str], str] | None) -> None:
        op, target, source, name = flow.op, flow.target, flow.source, flow.name
        if rename is not None:
            target, source = rename(target), rename(source)
            if op is FlowOp.SUPER or op is FlowOp.NEW:
                name = rename(name)
        if op is FlowOp.COPY:
            self._add_copy(source, target)
        elif op is FlowOp.ATTR:
            self._attr_flows.setdefault(name, []).append((source, target))
            self._watch(source, self._on_attr, (target, name))
        elif op is FlowOp.IMPORT:
            self._watch(source, self._on_import, (target, name))
        elif op is FlowOp.STORE:
            self._watch(target, self._on_store, (source, name))
        elif op is FlowOp.ITEM:
            self._watch(source, self._on_item, (target, name))
        elif op is FlowOp.STORE_ITEM:
            self._watch(target, self._on_store_item, (source, name))
        elif op is FlowOp.ITER:
            self._watch(source, self._on_iter, target)
        elif op is FlowOp.UNPACK:
            self._watch(source, self._on_unpack, (target, name))
        elif op is FlowOp.NEW:
            self._add(target, [("k", name, source)])
        elif op is FlowOp.ENTER:
            self._watch(source, self._on_enter, target)
        elif op is FlowOp.INSTANCE:
            self._watch(source, self._on_instance, target)
        elif op is FlowOp.SUPER:
            self._watch(source, self._on_super, (target, source, name))
            self._watch(name, self._on_super, (target, source, name))
        elif op is FlowOp.BUILTIN:
            if name not in self._names.get(module, set()):
                self._add(target, [("b", name, "")])
        elif op is FlowOp.HINT:
            self._watch(source, self._on_hint, (target, name))

    def _load_site(self, module: str, site: CallSite) -> None:
        entry = _Site(len(self.sites), site, f"{module}@{len(self.sites)}")
        self.sites.append(entry)
        self.edges.append(set())
        self._module_sites.setdefault(module, []).append(entry)

    # -- closure factories ---------------------------------------------------------------
    def _find_factories(self, facts: Sequence[ModuleFacts]) -> dict[str, str]:
        """Plain functions that define nested functions (decorators, decorator factories,
        closure makers) and no class, small enough to copy: function -> module."""
        nested: set[str] = set()
        blocked: set[str] = set()
        for mod in facts:
            classes = [d.qualname for d in mod.definitions if d.kind is DefinitionKind.CLASS]
            for name, into in [(s.qualname, nested) for s in mod.signatures] + [
                (c, blocked) for c in classes
            ]:
                parts = name.split(".")
                for end in range(1, len(parts)):
                    into.add(".".join(parts[:end]))
        found = {}
        for mod in facts:
            for sig in mod.signatures:
                q = sig.qualname
                if sig.kind is FunctionKind.FUNCTION and q in nested and q not in blocked:
                    found[q] = mod.module
        return found

    def _clone(self, function: str, entry: _Site) -> str:
        """A copy of `function`'s code for one call site; the copy's root node prefix."""
        root = f"{function}@{entry.key}"
        if root in self._clones:
            return root
        self._clones.add(root)
        module = self.modules[self._factories[function]]
        dot, colon = function + ".", function + ":"

        def inside(node: str) -> bool:
            return node.startswith(dot) or node.startswith(colon)

        def rename(node: str) -> str:
            if inside(node):
                return root + node[len(function) :]
            if node.startswith("=F:") and inside(node[3:]):
                return f"{node}|{root}"
            if node.startswith("*") and inside(node[1:]):
                return "*" + root + node[1 + len(function) :]
            return node

        flows = self._subtree_flows.get(function)
        if flows is None:
            flows = [
                f
                for f in module.flows
                if inside(f.target) or inside(f.source) or (f.op is FlowOp.SUPER and inside(f.name))
            ]
            self._subtree_flows[function] = flows
        for flow in flows:
            self._install(flow, module.module, rename)
        sites = self._subtree_sites.get(function)
        if sites is None:
            sites = [
                e
                for e in self._module_sites.get(module.module, ())
                if e.site.caller == function or e.site.caller.startswith(dot)
            ]
            self._subtree_sites[function] = sites
        for original in sites:
            site = original.site
            copy = replace(
                site,
                func=rename(site.func),
                result=rename(site.result),
                args=tuple(rename(a) for a in site.args),
                keywords=tuple((k, rename(v)) for k, v in site.keywords),
            )
            clone = _Site(original.index, copy, f"{original.key}|{root}", root)
            self.clones.append(clone)
            if copy.func:
                self._watch(copy.func, self._on_call, clone)
        return root

    def _fnode(self, function: str, root: str, suffix: str) -> str:
        """Node `suffix` (a parameter, `<return>`...) of `function` in the copy `root`."""
        if not root:
            return f"{function}.{suffix}"
        base = root[: root.index("@")]
        return f"{root}{function[len(base) :]}.{suffix}"

    # -- the worklist --------------------------------------------------------------------
    def _node(self, node: str) -> dict[Value, None]:
        values = self.values.get(node)
        if values is None:
            values = self.values[node] = _constant(node, self)
            if values:
                self.pending[node] = list(values)
                self.queue.append(node)
        return values

    def _add(self, node: str, values: Iterable[Value]) -> None:
        current = self._node(node)
        new: Delta = []
        if node in self._receivers:
            cap = MAX_RECEIVERS
        else:
            cap = MAX_ELEMENTS if node.endswith("]") else MAX_VALUES
        for value in values:
            if value not in current:
                if len(current) >= cap:
                    self.capped.add(node)
                    break
                if value[0] == "k":
                    boxes = self._boxes.get(node, 0)
                    if boxes >= MAX_CONTAINERS:
                        self.capped.add(node)
                        continue
                    self._boxes[node] = boxes + 1
                current[value] = None
                new.append(value)
        if not new:
            return
        pending = self.pending.get(node)
        if pending is None:
            self.pending[node] = new
            self.queue.append(node)
        else:
            pending.extend(new)

    def _add_copy(self, source: str, target: str) -> None:
        if not source or not target or source == target:
            return
        dsts = self.copies.get(source)
        if dsts is None:
            dsts = self.copies[source] = {}
        if target in dsts:
            return
        dsts[target] = None
        values = self._node(source)
        if values:
            self._add(target, values)

    def _add_bind(self, source: str, target: str, receiver: str) -> None:
        """`target` gets the values of `source`, functions bound to `receiver` as methods."""
        if not receiver:
            self._add_copy(source, target)
            return
        edges = self.binds.get(source)
        if edges is None:
            edges = self.binds[source] = {}
        if (target, receiver) in edges:
            return
        edges[(target, receiver)] = None
        values = self._node(source)
        if values:
            self._bind_values(values, target, receiver)

    def _add_filter(self, source: str, target: str, owner: str) -> None:
        """`target` gets the instances and classes of `source` that have `owner` on their MRO.

        For a method's first parameter: whatever the call, `self` is an instance of a class
        deriving from the class that defines the method.
        """
        if not source:
            return
        edges = self.filters.setdefault(source, {})
        if (target, owner) in edges:
            return
        edges[(target, owner)] = None
        values = self._node(source)
        if values:
            self._add(target, self._fitting(values, owner))

    def _fitting(self, values: Iterable[Value], owner: str) -> Delta:
        mro = self.hierarchy.mro
        return [v for v in values if v[0] in ("i", "c") and owner in mro(v[1])]

    def _watch(self, node: str, handler: Handler, data: Any) -> None:
        if not node:
            return
        self.watchers.setdefault(node, []).append((handler, data))
        values = self._node(node)
        if values:
            handler(data, list(values))

    def solve(self) -> None:
        """Run to the fixpoint, then apply the fallbacks for what nothing reached, repeatedly."""
        self._run()
        while self._fallbacks():
            self._run()

    def _run(self) -> None:
        queue, pending = self.queue, self.pending
        while queue:
            node = queue.popleft()
            delta = pending.pop(node, None)
            if not delta:
                continue
            for target in list(self.copies.get(node, ())):
                self._add(target, delta)
            for target, receiver in list(self.binds.get(node, ())):
                self._bind_values(delta, target, receiver)
            for target, owner in list(self.filters.get(node, ())):
                self._add(target, self._fitting(delta, owner))
            for handler, data in list(self.watchers.get(node, ())):
                handler(data, delta)

    def _fallbacks(self) -> bool:
        """Seed what the program never reaches; True when something new was seeded."""
        seeded = False
        for entry in [*self.sites, *self.clones]:
            site = entry.site
            key = f"decorator@{entry.key}"
            if site.decorator and key not in self._fallen and not self._node(site.func):
                self._fallen.add(key)
                if site.args and site.args[0] and site.result:
                    self._add_copy(site.args[0], site.result)
                    seeded = True
        for target, classes in self._hints.items():
            key = f"hint@{target}"
            if key not in self._fallen and not any(v[0] in _ANALYSED for v in self._node(target)):
                self._fallen.add(key)
                self._add(target, [("i", cls, "") for cls in classes])
                seeded = True
        for sig in self.signatures.values():
            if not sig.owner or not sig.params or sig.kind is FunctionKind.STATICMETHOD:
                continue
            node = f"{sig.qualname}.{sig.params[0]}"
            key = f"self@{node}"
            if key in self._fallen or self._node(node):
                continue
            self._fallen.add(key)
            kind = "c" if sig.kind is FunctionKind.CLASSMETHOD else "i"
            self._add(node, [(kind, sig.owner, "")])
            seeded = True
        return seeded

    def _on_hint(self, data: tuple[str, str], delta: Delta) -> None:
        """Builtin and external annotations always apply; analysed classes only as fallback."""
        target, slot = data
        if slot:
            elements = [(slot, i) for v in delta for i in _instance(v, f"{target}[{slot}]")]
            self._hint_elements.setdefault(target, {}).update(dict.fromkeys(elements))
            for box in self._hint_boxes.get(target, ()):
                for element_slot, element in elements:
                    self._add(f"{box}[{element_slot}]", [element])
            return
        for value in delta:
            if value[0] == "c":
                self._hints.setdefault(target, []).append(value[1])
                continue
            if "()" in value[1]:
                continue  # an external call result is no type
            instances = _instance(value, target)
            for made in instances:
                if made[0] == "k" and made[1].startswith(target):
                    self._hint_boxes.setdefault(target, {})[made[1]] = None
                    for element_slot, element in self._hint_elements.get(target, ()):
                        self._add(f"{made[1]}[{element_slot}]", [element])
            self._add(target, instances)

    # -- attribute loads and stores -----------------------------------------------------
    def _on_attr(self, data: tuple[str, str], delta: Delta) -> None:
        target, name = data
        for value in delta:
            self._load(value, name, target)

    def _load(self, value: Value, name: str, target: str) -> None:
        kind = value[0]
        if kind == "i" or kind == "c":
            self._load_class(value[1], name, target, f"{kind}:{value[1]}")
        elif kind == "m":
            self._load_module(value[1], name, target)
        elif kind == "x":
            self._add(target, [self._external_attribute(value[1], name)])
        elif kind == "b":
            if _builtin_has(value[1], name):
                self._add(target, [("b", f"{value[1]}.{name}", "")])
        elif kind == "k":
            if _builtin_has(value[2], name):
                self._add(target, [("bc", value[1], f"{value[2]}.{name}")])
        elif kind == "f":
            self._add_copy(f"{value[1]}.{name}", target)
        elif kind == "s":
            self._load_super(value, name, target)

    def _owners(self, cls: str, name: str) -> list[str]:
        """Classes on the MRO of `cls` whose `name` a lookup may find, nearest first."""
        cache = self._owner_cache.setdefault(name, {})
        found = cache.get(cls)
        if found is None:
            found = cache[cls] = []
            attributes = self.hierarchy.attributes
            for klass in self.hierarchy.mro(cls):
                if name in attributes.get(klass, ()):
                    found.append(klass)
                    if name not in self._dynamic_attrs.get(klass, ()):
                        break
        return found

    def _load_class(self, cls: str, name: str, target: str, receiver: str) -> None:
        if name == "__class__" and receiver.startswith("i:"):
            self._add(target, [("c", cls, "")])
            return
        owners = self._owners(cls, name)
        for owner in owners:
            self._add_bind(f"{owner}.{name}", target, receiver)
        if not owners:
            self._add(target, self._inherited(cls, name))
        elif receiver.startswith("c:") and self._is_enum(cls):
            member = f"{owners[0]}.{name}"
            if member not in self.signatures and not name.startswith("_"):
                self._add(target, [("i", cls, "")])  # Color.RED is an instance of Color

    def _inherited(self, cls: str, name: str) -> list[Value]:
        """`name` from outside the analysed classes: an external base's, else object's."""
        for base in self.hierarchy.external_bases(cls)[:1]:
            return [_external(base, name)]
        return [("b", f"object.{name}", "")] if hasattr(object, name) else []

    def _load_super(self, value: Value, name: str, target: str) -> None:
        start, receiver = value[1], value[2]
        cls = receiver[2:]
        mro = self.hierarchy.mro(cls)
        if start not in mro:
            return
        attributes = self.hierarchy.attributes
        for klass in mro[mro.index(start) + 1 :]:
            if name in attributes.get(klass, ()):
                self._add_bind(f"{klass}.{name}", target, receiver)
                return
        self._add(target, self._inherited(start, name))

    def _external_attribute(self, dotted: str, name: str) -> Value:
        """`dotted.name` when the code names it statically, else the opaque external."""
        if not dotted:
            return OPAQUE
        chained = f"{dotted}.{name}"
        return ("x", chained, "") if chained in self._known else OPAQUE

    def _load_module(self, module: str, name: str, target: str) -> None:
        dotted = f"{module}.{name}"
        if dotted in self.modules or dotted in self.packages:
            self._add(target, [("m", dotted, "")])
        elif name in self._names.get(module, ()) or name in self._dynamic_modules.get(module, ()):
            self._add_copy(dotted, target)
        else:
            self._module_misses.setdefault((module, name), []).append(target)

    def _on_import(self, data: tuple[str, str], delta: Delta) -> None:
        target, name = data
        for value in delta:
            if value[0] == "m":
                self._load_module(value[1], name, target)
            elif value[0] == "x":
                self._add(target, [self._external_attribute(value[1], name)])

    def _on_store(self, data: tuple[str, str], delta: Delta) -> None:
        source, name = data
        for value in delta:
            kind = value[0]
            if kind == "i" or kind == "c":
                owners = self._owners(value[1], name)
                if owners:
                    self._add_copy(source, f"{owners[0]}.{name}")
                else:
                    self._define(value[1], name)
                    self._add_copy(source, f"{value[1]}.{name}")
            elif kind == "m":
                module = value[1]
                if name not in self._names.get(module, ()):
                    known = self._dynamic_modules.setdefault(module, set())
                    if name not in known:
                        known.add(name)
                        for target in self._module_misses.pop((module, name), []):
                            self._add_copy(f"{module}.{name}", target)
                self._add_copy(source, f"{module}.{name}")
            elif kind == "f":
                self._add_copy(source, f"{value[1]}.{name}")

    def _define(self, cls: str, name: str) -> None:
        """An attribute first set on instances of `cls` outside the class: loads look again."""
        attributes = self.hierarchy.attributes.setdefault(cls, set())
        if name in attributes:
            return
        attributes.add(name)
        self._dynamic_attrs.setdefault(cls, set()).add(name)
        self._owner_cache.pop(name, None)
        mro = self.hierarchy.mro
        for source, target in list(self._attr_flows.get(name, ())):
            for value in list(self._node(source)):
                if value[0] in ("i", "c") and cls in mro(value[1]):
                    self._add_bind(f"{cls}.{name}", target, f"{value[0]}:{value[1]}")

    def _bind_values(self, values: Iterable[Value], target: str, receiver: str) -> None:
        """Functions found on a class, as seen through an instance or the class itself."""
        out: list[Value] = []
        on_instance = receiver.startswith("i:")
        for value in values:
            if value[0] != "f":
                out.append(value)
                continue
            sig = self.signatures.get(value[1])
            kind = sig.kind if sig is not None else FunctionKind.FUNCTION
            # The receiver goes into the first parameter as soon as the method is looked up,
            # so a bound method is one value per function, not one per receiver class.
            if kind is FunctionKind.STATICMETHOD:
                out.append(value)
            elif kind is FunctionKind.CLASSMETHOD:
                self._bind_receiver(value[1], "c:" + receiver[2:], value[2])
                out.append(("bm", value[1], value[2]))
            elif kind is FunctionKind.PROPERTY and on_instance:
                self._bind_receiver(value[1], receiver, value[2])
                self._add_copy(self._fnode(value[1], value[2], "<return>"), target)
            elif on_instance:
                self._bind_receiver(value[1], receiver, value[2])
                out.append(("bm", value[1], value[2]))
            else:
                out.append(value)
        if out:
            self._add(target, out)

    def _is_enum(self, cls: str) -> bool:
        found = self._enums.get(cls)
        if found is None:
            bases = self.hierarchy.external_bases(cls)
            found = self._enums[cls] = any(b.rpartition(".")[2] in _ENUM_BASES for b in bases)
        return found

    def _bind_receiver(self, function: str, receiver: str, root: str = "") -> None:
        sig = self.signatures.get(function)
        if sig is not None and sig.params:
            first = self._fnode(function, root, sig.params[0])
            self._add(first, [(receiver[0], receiver[2:], "")])

    # -- containers ----------------------------------------------------------------------
    def _on_item(self, data: tuple[str, str], delta: Delta) -> None:
        target, key = data
        for value in delta:
            if value[0] != "k":
                continue
            cid, kind = value[1], value[2]
            if kind == "str":
                self._add(target, [_STR])
            elif kind not in _SLOTTED:
                continue
            elif key and (
                (kind == "dict" and key.startswith("s:"))
                or (kind == "tuple" and key.startswith("i:"))
            ):
                self._add_copy(f"{cid}[{key}]", target)
                self._add_copy(f"{cid}[?]", target)
            else:
                self._add_copy(f"{cid}[*]", target)

    def _on_store_item(self, data: tuple[str, str], delta: Delta) -> None:
        source, key = data
        for value in delta:
            if value[0] != "k" or value[2] not in _SLOTTED:
                continue
            cid, kind = value[1], value[2]
            self._add_copy(source, f"{cid}[*]")
            if kind == "dict":
                self._add_copy(source, f"{cid}[{key}]" if key.startswith("s:") else f"{cid}[?]")

    def _on_iter(self, target: str, delta: Delta) -> None:
        for value in delta:
            if value[0] == "k":
                if value[2] == "str":
                    self._add(target, [_STR])
                elif value[2] in _SLOTTED:
                    slot = "<keys>" if value[2] == "dict" else "*"
                    self._add_copy(f"{value[1]}[{slot}]", target)

    def _on_unpack(self, data: tuple[str, str], delta: Delta) -> None:
        target, index = data
        for value in delta:
            if value[0] != "k" or value[2] not in _SLOTTED:
                continue
            if value[2] == "tuple" and index:
                self._add_copy(f"{value[1]}[i:{index}]", target)
                self._add_copy(f"{value[1]}[?]", target)
            else:
                slot = "<keys>" if value[2] == "dict" else "*"
                self._add_copy(f"{value[1]}[{slot}]", target)

    def _on_class_of(self, target: str, delta: Delta) -> None:
        """`type(x)`: the class of each instance."""
        self._add(target, [("c", v[1], "") for v in delta if v[0] == "i"])

    def _on_instance(self, target: str, delta: Delta) -> None:
        self._add(target, [i for v in delta if v[0] in ("c", "b") for i in _instance(v, target)])

    def _on_enter(self, target: str, delta: Delta) -> None:
        """`with v as target`: a generator's yields (contextmanager), `__enter__`'s return."""
        for value in delta:
            kind = value[0]
            if kind == "k" and value[2] == "gen":
                self._add_copy(f"{value[1]}[*]", target)
            elif kind == "i":
                owners = self._owners(value[1], "__enter__") or self._owners(value[1], "__aenter__")
                if not owners:
                    self._add(target, [value])
                for owner in owners:
                    name = "__enter__" if "__enter__" in self._attrs(owner) else "__aenter__"
                    method = f"{owner}.{name}"
                    self._bind_receiver(method, f"i:{value[1]}")
                    self._add_copy(f"{method}.<return>", target)
            elif kind == "x":
                self._add(target, [OPAQUE])
            else:
                self._add(target, [value])

    def _attrs(self, cls: str) -> set[str]:
        return self.hierarchy.attributes.get(cls, set())

    def _on_super(self, data: tuple[str, str, str], delta: Delta) -> None:
        target, receivers, classes = data
        out = []
        for cls in self._node(classes):
            if cls[0] != "c":
                continue
            for receiver in self._node(receivers):
                if receiver[0] in ("i", "c") and cls[1] in self.hierarchy.mro(receiver[1]):
                    out.append(("s", cls[1], f"{receiver[0]}:{receiver[1]}"))
        self._add(target, out)

    # -- calls ---------------------------------------------------------------------------
    def _on_call(self, entry: _Site, delta: Delta) -> None:
        for value in delta:
            self._call(entry, value, entry.site.result)

    def _edge(self, entry: _Site, target: str, kind: str) -> None:
        self.edges[entry.index].add(Edge(target, kind))

    def _call(self, entry: _Site, value: Value, result: str) -> None:
        kind, name = value[0], value[1]
        site = entry.site
        if kind == "f" or kind == "bm":
            root = value[2]
            if kind == "f" and not root and not entry.root and name in self._factories:
                root = self._clone(name, entry)  # a closure factory: one copy per call site
            self._edge(entry, name, "internal")
            self._bind_arguments(entry, name, "bound" if kind == "bm" else "", root)
            if result:
                self._add_copy(self._fnode(name, root, "<return>"), result)
        elif kind == "c":
            if result:
                self._add(result, [("i", name, "")])
            if not self._dunder_call(entry, name, "__init__", ""):
                self._edge(entry, name, "class")
        elif kind == "i":
            self._dunder_call(entry, name, "__call__", result)
        elif kind == "x":
            if name:
                self._edge(entry, name, "external")
            else:  # an opaque external value: the call is named as the code writes it
                text = site.callee
                self._edge(entry, text if not text.startswith("?") else "<external>", "opaque")
            decorated = site.args[0] if site.decorator and site.args else ""
            if decorated and result:
                # assumed to return what it decorates; a function may come back wrapped
                self._add_copy(decorated, result)
                if any(v[0] == "c" for v in self._node(decorated)):
                    return  # class decorators (dataclass, total_ordering) return the class
            if result:
                self._add(result, [OPAQUE])
        elif kind == "b":
            self._call_builtin(entry, name, result)
        elif kind == "bc":
            method = value[2]
            if method.startswith("gen."):
                method = "generator" + method[3:]
            self._edge(entry, f"<builtin>.{method}", "builtin")
            self._call_method(entry, value[1], value[2], result)

    def _dunder_call(self, entry: _Site, cls: str, dunder: str, result: str) -> bool:
        """Call `cls.dunder` bound to an instance; False when no analysed class defines it."""
        owners = self._owners(cls, dunder)
        if not owners:
            return False
        node = f"{entry.key}>{cls}.{dunder}"
        if node in self._made:
            return True
        self._made.add(node)
        for owner in owners:
            self._add_bind(f"{owner}.{dunder}", node, f"i:{cls}")
        self._watch(node, self._on_dunder, (entry, result))
        return True

    def _on_dunder(self, data: tuple[_Site, str], delta: Delta) -> None:
        entry, result = data
        for value in delta:
            self._call(entry, value, result)

    def _bind_arguments(self, entry: _Site, function: str, receiver: str, root: str) -> None:
        key = (entry.key, function, receiver, root)
        if key in self._bound:
            return
        self._bound.add(key)
        sig = self.signatures.get(function)
        if sig is None:
            return
        site = entry.site
        params = [self._fnode(function, root, p) for p in sig.params]
        vararg = self._fnode(function, root, "<*>") if sig.vararg else ""
        position = 0
        if receiver:  # a bound method: its receiver is in the first parameter already
            position = 1
        owner = sig.owner if sig.kind in _BINDING_KINDS else ""

        def bind(source: str, index: int) -> None:
            if index == 0 and owner:  # an unbound method called with its `self` spelled out
                self._add_filter(source, params[0], owner)
            else:
                self._add_copy(source, params[index])

        unknown = False  # after a *args: positions are unknown
        for arg in site.args:
            if arg.startswith("*"):
                elements = self._elements(entry, arg[1:])
                for index in range(position, len(params)):
                    bind(elements, index)
                if vararg:
                    self._add_copy(elements, f"{vararg}[*]")
                    self._add_copy(elements, f"{vararg}[?]")
                unknown = True
                continue
            if unknown:
                for index in range(position, len(params)):
                    bind(arg, index)
                if vararg:
                    self._add_copy(arg, f"{vararg}[*]")
                    self._add_copy(arg, f"{vararg}[?]")
                continue
            if position < len(params):
                bind(arg, position)
            elif vararg:
                self._add_copy(arg, f"{vararg}[*]")
                self._add_copy(arg, f"{vararg}[i:{position - len(params)}]")
            position += 1
        named = {
            p: self._fnode(function, root, p) for p in (*sig.params[sig.posonly :], *sig.kwonly)
        }
        kwarg = self._fnode(function, root, "<**>") if sig.kwarg else ""
        for keyword, arg in site.keywords:
            if keyword == "**":
                for param, node in named.items():
                    self._watch(arg, self._on_item, (node, f"s:{param}"))
                if kwarg:
                    self._watch(arg, self._on_item, (f"{kwarg}[*]", ""))
                    self._watch(arg, self._on_item, (f"{kwarg}[?]", ""))
            elif keyword in named:
                self._add_copy(arg, named[keyword])
            elif kwarg:
                self._add_copy(arg, f"{kwarg}[s:{keyword}]")
                self._add_copy(arg, f"{kwarg}[*]")

    def _elements(self, entry: _Site, node: str) -> str:
        """A node holding what iterating over `node` yields (made once per site)."""
        target = f"{entry.key}*{node}"
        if target not in self._made:
            self._made.add(target)
            self._watch(node, self._on_iter, target)
        return target

    def _container(self, entry: _Site, suffix: str, kind: str) -> Value:
        return ("k", f"{entry.key}:{suffix}", kind)

    def _call_builtin(self, entry: _Site, name: str, result: str) -> None:
        site = entry.site
        if not (site.decorator and name in _IDENTITY_BUILTINS):
            self._edge(entry, f"<builtin>.{name}", "builtin")
        args = [a for a in site.args if not a.startswith("*")]
        first = args[0] if args else ""
        if name in _IDENTITY_BUILTINS:
            if first and result:
                self._add_copy(first, result)
            return
        if not result:
            return
        if name in _STR_FUNCTIONS:
            self._add(result, [_STR])
        elif name in _COLLECTORS:
            box = self._container(entry, name, _COLLECTORS[name])
            self._add(result, [box])
            if first:
                self._add_copy(self._elements(entry, first), f"{box[1]}[*]")
        elif name == "dict":
            box = self._container(entry, name, "dict")
            self._add(result, [box])
            for keyword, arg in site.keywords:
                if keyword == "**":
                    self._watch(arg, self._on_item, (f"{box[1]}[*]", ""))
                    self._watch(arg, self._on_item, (f"{box[1]}[?]", ""))
                else:
                    self._add_copy(arg, f"{box[1]}[s:{keyword}]")
                    self._add_copy(arg, f"{box[1]}[*]")
            if first:
                self._watch(first, self._on_item, (f"{box[1]}[*]", ""))
                self._watch(first, self._on_item, (f"{box[1]}[?]", ""))
        elif name == "next":
            if first:
                self._add_copy(self._elements(entry, first), result)
            if len(args) > 1:
                self._add_copy(args[1], result)
        elif name in ("enumerate", "zip"):
            outer = self._container(entry, name, "list")
            inner = self._container(entry, name + ".item", "tuple")
            self._add(result, [outer])
            self._add(f"{outer[1]}[*]", [inner])
            sources = [("1", first)] if name == "enumerate" else list(enumerate(args))
            for index, arg in sources:
                if arg:
                    elements = self._elements(entry, arg)
                    self._add_copy(elements, f"{inner[1]}[i:{index}]")
                    self._add_copy(elements, f"{inner[1]}[*]")
        elif name == "filter":
            box = self._container(entry, name, "list")
            self._add(result, [box])
            if len(args) > 1 and args[1]:
                self._add_copy(self._elements(entry, args[1]), f"{box[1]}[*]")
        elif name == "type" and len(args) == 1 and first:
            self._watch(first, self._on_class_of, result)
        elif name in _SCALAR_TYPES:  # str(), int(), ValueError()...: an instance
            self._add(result, [("k", name, name)])

    def _call_method(self, entry: _Site, cid: str, method: str, result: str) -> None:
        kind, _, name = method.partition(".")
        site = entry.site
        args = [a for a in site.args if not a.startswith("*")]
        if name in ("append", "add", "insert") and args and args[-1]:
            self._add_copy(args[-1], f"{cid}[*]")
            if kind == "dict":
                self._add_copy(args[-1], f"{cid}[?]")
        elif name in ("extend", "update") and args and args[0]:
            if kind == "dict":
                self._watch(args[0], self._on_item, (f"{cid}[*]", ""))
                self._watch(args[0], self._on_item, (f"{cid}[?]", ""))
            else:
                self._add_copy(self._elements(entry, args[0]), f"{cid}[*]")
        if kind == "dict" and name in ("update", "setdefault"):
            for keyword, arg in site.keywords:
                if keyword != "**":
                    self._add_copy(arg, f"{cid}[s:{keyword}]")
                    self._add_copy(arg, f"{cid}[*]")
            if name == "setdefault" and len(args) > 1 and args[1]:
                self._add_copy(args[1], f"{cid}[?]")
                self._add_copy(args[1], f"{cid}[*]")
        if kind == "gen" and name == "send" and args and args[0] and cid.endswith(".<gen>"):
            self._add_copy(args[0], cid[: -len("<gen>")] + "<sent>")  # what `yield` returns
        if not result:
            return
        if kind == "str":
            if name in _STR_TO_LIST:
                self._add(result, [("k", "str.parts", "list")])
                self._add("str.parts[*]", [_STR])
            elif name not in _STR_TO_OTHER:
                self._add(result, [_STR])
            return
        if name in ("get", "pop", "setdefault", "popitem", "__getitem__", "send", "__next__"):
            self._add_copy(f"{cid}[*]", result)
            if name in ("get", "pop") and len(args) > 1 and args[1]:
                self._add_copy(args[1], result)
        elif name == "copy":
            self._add(result, [("k", cid, kind)])
        elif name in ("values", "keys"):
            view = ("k", f"{cid}.{name}", "list")
            self._add(result, [view])
            self._add_copy(f"{cid}[{'*' if name == 'values' else '<keys>'}]", f"{view[1]}[*]")
        elif name == "items":
            view = ("k", f"{cid}.items", "list")
            pair = ("k", f"{cid}.item", "tuple")
            self._add(result, [view])
            self._add(f"{view[1]}[*]", [pair])
            self._add_copy(f"{cid}[<keys>]", f"{pair[1]}[i:0]")
            self._add_copy(f"{cid}[*]", f"{pair[1]}[i:1]")
            self._add_copy(f"{cid}[*]", f"{pair[1]}[*]")


def _named_externals(facts: Sequence[ModuleFacts]) -> frozenset[str]:
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


def _builtin_has(dotted: str, name: str) -> bool:
    """Whether the builtin `dotted` (`str`, `dict.get`...) has attribute `name`."""
    head, _, rest = dotted.partition(".")
    obj = _BUILTIN_TYPES.get(head)
    for part in rest.split(".") if rest else ():
        obj = getattr(obj, part, None)
    return obj is not None and hasattr(obj, name)


def _external(base: str, name: str) -> Value:
    """Attribute `name` inherited from a base outside the analysed code."""
    if base.startswith("<builtin>."):
        return ("b", f"{base[len('<builtin>.') :]}.{name}", "")
    return ("x", f"{base}.{name}", "")


def _instance(value: Value, node: str) -> list[Value]:
    """An instance of the class `value` names, as a hint or an `except` clause gives it."""
    kind, name = value[0], value[1]
    if kind == "c":
        return [("i", name, "")]
    if kind == "x":
        if name in _TYPING_BUILTINS:
            kind, name = "b", _TYPING_BUILTINS[name]
        elif name.startswith(("typing.", "collections.abc.", "typing_extensions.")):
            return []
        else:
            return [OPAQUE]
    if kind == "b":
        if name in _CONTAINER_TYPES:
            return [("k", f"{node}:{name}", _CONTAINER_TYPES[name])]
        if name in _SCALAR_TYPES:
            return [("k", name, name)]
    return []


def _constant(node: str, solver: Solver) -> dict[Value, None]:
    """The value a constant node (`=KIND:NAME`) holds; other nodes start empty."""
    return dict.fromkeys(_constant_values(node, solver))


def _constant_values(node: str, solver: Solver) -> list[Value]:
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
        if name in solver.modules or name in solver.packages:
            return [("m", name, "")]
        return [("x", name, "")]
    return []
