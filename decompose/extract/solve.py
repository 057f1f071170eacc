"""The whole-program value-flow solver behind the call graph.

Input: every module's `Flow`s, `CallSite`s and `Signature`s, plus the class hierarchy.
Output: for each call site, the set of callees it may reach (`Solver.edges_of`).

Flow-insensitive and context-insensitive like PyCG's assignment graph, but an inclusion-based
points-to analysis over the values of `values`: constraints propagate only the new values
over a worklist (`valuegraph`) until nothing changes. Attribute loads and stores, subscripts,
iteration (`containers`) and calls are constraints that add copy edges as the values of their
operands become known, so the solve stays near-linear in the size of the flow graph. Calls go
to every value the callee node may hold. Two refinements keep real code bases precise enough
to stay fast: a method's `self` only takes instances of classes deriving from its class, and
closure factories (decorators, decorator factories) are copied per call site, so one wrapper
does not mix every function it decorates. What nothing reaches gets fallbacks after the
fixpoint (unknown decorators return their argument, annotations type their parameters, an
uncalled method's `self` is an instance of its class), then the fixpoint runs again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from sys import intern

from decompose.extract.containers import Containers
from decompose.extract.data import INSTANCE_DATA_METHODS
from decompose.extract.valuegraph import Bound, Delta, Found, Hierarchy, SiteEntry
from decompose.extract.values import (
    ANALYSED,
    BINDING_KINDS,
    ENUM_BASES,
    OPAQUE,
    Value,
    builtin_has,
    external,
    instance,
    named_externals,
)
from decompose.model import DefinitionKind, ModuleFacts
from decompose.model.facts import CallSite, FlowOp, FunctionKind, Signature

_ACCESSORS = frozenset({"setter", "getter", "deleter"})
# A closure factory whose code holds more flows than this is not copied per call site: the
# decorators and closure makers worth copying are far smaller (Django's largest copied one
# has 172), and copying large algorithms that merely define a helper (sympy's `solve`, 575
# flows called from 118 places) took most of the solver's memory and time on such code.
MAX_CLONED_FLOWS = 200
# ... and for its first MAX_CLONES call sites only (Django's most called factory has 90; each
# of networkx's ~700 algorithms is called through its dispatcher from 733 sites)
MAX_CLONES = 128


class Solver(Containers):
    """Inclusion-based value flow over all modules; `solve()` then read `edges`."""

    def __init__(self, facts: Sequence[ModuleFacts], hierarchy: Hierarchy) -> None:
        super().__init__(hierarchy, (f.module for f in facts))
        self.signatures: dict[str, Signature] = {}
        self.modules = {f.module: f for f in facts}
        # attr -> [source, target, source, target...] of its loads (flat: no tuple per load)
        self._attr_flows: dict[str, list[str]] = {}
        self._owner_cache: dict[str, dict[str, tuple[str, ...]]] = {}  # attr -> class -> owners
        self._module_misses: dict[tuple[str, str], list[str]] = {}
        self._dynamic_modules: dict[str, set[str]] = {}
        self._hints: dict[str, list[str]] = {}  # node -> nodes of analysed classes it names
        self._hint_boxes: dict[str, dict[str, None]] = {}  # node -> containers its hints made
        self._hint_elements: dict[str, dict[tuple[str, Value], None]] = {}  # (slot, element)
        # what got its fallback: decorator sites, hinted nodes, methods' first parameters
        self._fallen_sites: set[SiteEntry] = set()
        self._fallen_hints: set[str] = set()
        self._fallen_selves: set[str] = set()
        self._dynamic_attrs: dict[str, set[str]] = {}
        self._names = self._module_names(facts)
        self._module_sites: dict[str, list[SiteEntry]] = {}
        self._subtree_sites: dict[str, list[SiteEntry]] = {}
        self.clones: list[SiteEntry] = []  # copies of call sites inside cloned closure factories
        # "function@site key" -> the root of the copy made for that site: a short name of
        # its own ("@N"), the prefix of every node of the copy (hundreds of thousands)
        self._clones: dict[str, str] = {}
        self._clone_of: dict[str, str] = {}  # root -> the function it is a copy of
        self._class_ids: dict[str, str] = {}  # class -> short id, in the nodes of its calls
        self._copies_of: dict[str, int] = {}  # factory -> copies made
        self._subtree_flows: dict[str, list[tuple[str, str, str, str]]] = {}
        # node of a data method loaded from an analysed instance (`order.save`) -> the classes
        # of the instances: what the data graph needs of a receiver typed only by flow
        self._data_receivers: dict[str, set[str]] = {}
        self._factories = self._find_factories(facts)
        self._known = named_externals(facts)
        for mod in facts:
            for sig in mod.signatures:
                self.signatures[sig.qualname] = sig
        self._enums: dict[str, bool] = {}
        self._instances: dict[str, Value] = {}
        self._receiver_values: dict[str, Value] = {}
        self._methods: dict[Value, Value] = {}
        self._share_function_nodes(facts)
        self._receivers = {
            self._fnode(sig.qualname, "", sig.params[0])
            for sig in self.signatures.values()
            if sig.owner and sig.params and sig.kind in BINDING_KINDS
        }
        for mod in facts:
            self._load_flows(mod)
        for mod in facts:
            for site in mod.sites:
                self._load_site(mod.module, site)
        for entry in self.sites:  # only once all are known: a call may clone a factory
            if entry.site.func:
                self._watch_call(entry.site.func, entry)
        self._load_stars(facts)
        self._load_subclass_hooks(facts)

    # -- set up --------------------------------------------------------------------------
    def _share_function_nodes(self, facts: Sequence[ModuleFacts]) -> None:
        """The facts' own strings for parameter and return nodes become the interned ones:
        the solver names these nodes again at each call (`_fnode`), and would otherwise hold
        a second string for each node the code of its function uses."""
        wanted: set[str] = set()
        for sig in self.signatures.values():
            q = sig.qualname
            wanted.update(f"{q}.{p}" for p in (*sig.params, *sig.kwonly))
            wanted.update(f"{q}.{p}" for p in ("<return>", "<*>", "<**>"))
        for mod in facts:
            table = mod.flow_table
            for node in (*table[1::4], *table[2::4]):
                if node in wanted:
                    intern(node)

    def _module_names(self, facts: Sequence[ModuleFacts]) -> dict[str, set[str]]:
        """Names each module binds, including those its star imports bring in."""
        names: dict[str, set[str]] = {}
        visiting: set[str] = set()
        for mod in facts:
            self._names_of(mod.module, names, visiting)
        return names

    def _names_of(self, module: str, names: dict[str, set[str]], visiting: set[str]) -> set[str]:
        # a method, not two closures calling each other: those would be a reference cycle
        # holding the solver until the next collection
        if module in names:
            return names[module]
        if module in visiting or module not in self.modules:
            return set()
        visiting.add(module)
        found = set(self.modules[module].names)
        for star in self._stars(module):
            mod = self.modules.get(star)
            if mod is None:
                continue
            if mod.exports is not None:
                found |= set(mod.exports)
            else:
                found |= {n for n in self._names_of(star, names, visiting) if n[:1] != "_"}
        names[module] = found
        return found

    def _exported(self, module: str) -> set[str]:
        """The names `from module import *` brings in (once `_names` is complete)."""
        mod = self.modules.get(module)
        if mod is None:
            return set()
        if mod.exports is not None:
            return set(mod.exports)
        return {n for n in self._names.get(module, ()) if not n.startswith("_")}

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

    def _load_subclass_hooks(self, facts: Sequence[ModuleFacts]) -> None:
        """Defining class K calls `__init_subclass__` of the next class on K's MRO with K."""
        mro = self.hierarchy.mro
        for mod in facts:
            for d in mod.definitions:
                if d.kind is not DefinitionKind.CLASS:
                    continue
                for klass in mro(d.qualname)[1:]:
                    hook = f"{klass}.__init_subclass__"
                    if hook in self.signatures:
                        self._bind_receiver(hook, f"c:{d.qualname}")
                        break

    def _load_flows(self, mod: ModuleFacts) -> None:
        table, module = mod.flow_table, mod.module
        for i in range(0, len(table), 4):
            self._install(table[i], table[i + 1], table[i + 2], table[i + 3], module, None)

    def _install(
        self,
        op: str,
        target: str,
        source: str,
        name: str,
        module: str,
        rename: Callable[[str], str] | None,
    ) -> None:
        """Install one flow (see `FlowOp`), its nodes renamed into a clone if `rename`."""
        if rename is not None:
            target, source = rename(target), rename(source)
            if op is FlowOp.SUPER or op is FlowOp.NEW:
                name = rename(name)
        if op is FlowOp.COPY:
            self._add_copy(source, target)
        elif op is FlowOp.ATTR:
            self._attr_flows.setdefault(name, []).extend((source, target))
            self._watch(source, self._on_attr, target, name)
        elif op is FlowOp.IMPORT:
            self._watch(source, self._on_import, target, name)
        elif op is FlowOp.STORE:
            self._watch(target, self._on_store, source, name)
        elif op is FlowOp.ITEM:
            self._watch(source, self._on_item, target, name)
        elif op is FlowOp.STORE_ITEM:
            self._watch(target, self._on_store_item, source, name)
        elif op is FlowOp.ITER:
            self._watch(source, self._on_iter, target)
        elif op is FlowOp.UNPACK:
            self._watch(source, self._on_unpack, target, name)
        elif op is FlowOp.NEW:
            self._add(target, [("k", name, source)])
        elif op is FlowOp.ENTER:
            self._watch(source, self._on_enter, target)
        elif op is FlowOp.INSTANCE:
            self._watch(source, self._on_instance, target)
        elif op is FlowOp.SUPER:
            self._watch(source, self._on_super, target, (source, name))
            self._watch(name, self._on_super, target, (source, name))
        elif op is FlowOp.BUILTIN:
            if name not in self._names.get(module, set()):
                self._add(target, [("b", name, "")])
        elif op is FlowOp.HINT:
            self._watch(source, self._on_hint, target, name)

    def _load_site(self, module: str, site: CallSite) -> None:
        # its key is its index alone: every node made for the site, and every node of a
        # closure copied for it, starts with it, so it is kept short
        entry = SiteEntry(len(self.sites), site)
        self.sites.append(entry)
        self.site_modules.append(module)
        self._module_sites.setdefault(module, []).append(entry)

    def found(self) -> Found:
        """The call sites and their callees, and the instances' classes of data method calls."""
        found = super().found()
        receivers = self._data_receivers
        by_site = {
            entry.index: tuple(sorted(receivers[entry.site.func]))
            for entry in found.sites
            if entry.site.func in receivers
        }
        return replace(found, receivers=by_site)

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

    def _clone(self, function: str, entry: SiteEntry) -> str:
        """A copy of `function`'s code for one call site; the copy's root node prefix, or ""
        when its code is too large to copy (the call then goes to the function itself)."""
        key = f"{function}@{entry.key}"
        root = self._clones.get(key, "")
        if root:
            return root
        module = self.modules[self._factories[function]]
        dot, colon = function + ".", function + ":"

        def inside(node: str) -> bool:
            return node.startswith(dot) or node.startswith(colon)

        flows = self._subtree_flows.get(function)
        if flows is None:
            flows = []
            table = module.flow_table
            for i in range(0, len(table), 4):
                op, target, source, name = table[i : i + 4]
                if inside(target) or inside(source) or (op is FlowOp.SUPER and inside(name)):
                    flows.append((op, target, source, name))
            self._subtree_flows[function] = flows
        if len(flows) > MAX_CLONED_FLOWS:
            del self._factories[function]  # an algorithm with a helper inside, not a factory
            return ""
        copies = self._copies_of.get(function, 0)
        if copies >= MAX_CLONES:
            return ""  # the calls beyond share the function's own code
        self._copies_of[function] = copies + 1
        root = self._clones[key] = f"@{len(self._clones)}"
        self._clone_of[root] = function

        def rename(node: str) -> str:
            # interned: a node named in several flows is one string, as in the facts
            if inside(node):
                return intern(root + node[len(function) :])
            if node.startswith("=F:") and inside(node[3:]):
                return intern(f"{node}|{root}")
            if node.startswith("*") and inside(node[1:]):
                return intern("*" + root + node[1 + len(function) :])
            return node

        for op, target, source, name in flows:
            self._install(op, target, source, name, module.module, rename)
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
            clone = SiteEntry(original.index, copy, root)
            self.clones.append(clone)
            if copy.func:
                self._watch_call(copy.func, clone)
        return root

    def _fnode(self, function: str, root: str, suffix: str) -> str:
        """Node `suffix` (a parameter, `<return>`...) of `function` in the copy `root`."""
        if not root:  # interned: the same parameters are named again at every call
            return intern(f"{function}.{suffix}")
        base = self._clone_of[root]
        return intern(f"{root}{function[len(base) :]}.{suffix}")

    # -- the worklist --------------------------------------------------------------------

    def solve(self) -> None:
        """Run to the fixpoint, then apply the fallbacks for what nothing reached, repeatedly."""
        self._run()
        while self._fallbacks():
            self._run()

    def _fallbacks(self) -> bool:
        """Seed what the program never reaches; True when something new was seeded."""
        seeded = False
        for entry in [*self.sites, *self.clones]:
            site = entry.site
            if site.decorator and entry not in self._fallen_sites and not self._node(site.func):
                self._fallen_sites.add(entry)
                if site.args and site.args[0] and site.result:
                    self._add_copy(site.args[0], site.result)
                    seeded = True
        for target, classes in self._hints.items():
            fallen = self._fallen_hints
            if target not in fallen and not any(v[0] in ANALYSED for v in self._node(target)):
                fallen.add(target)
                self._add(target, [self._instance(cls) for cls in classes])
                seeded = True
        for sig in self.signatures.values():
            if not sig.owner or not sig.params or sig.kind is FunctionKind.STATICMETHOD:
                continue
            node = self._fnode(sig.qualname, "", sig.params[0])
            if node in self._fallen_selves or self._node(node):
                continue
            self._fallen_selves.add(node)
            kind = "c" if sig.kind is FunctionKind.CLASSMETHOD else "i"
            self._add(node, [(kind, sig.owner, "")])
            seeded = True
        return seeded

    def _on_hint(self, target: str, slot: str, delta: Delta) -> None:
        """Builtin and external annotations always apply; analysed classes only as fallback."""
        if slot:
            elements = [(slot, i) for v in delta for i in instance(v, f"{target}[{slot}]")]
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
            instances = instance(value, target)
            for made in instances:
                if made[0] == "k" and made[1].startswith(target):
                    self._hint_boxes.setdefault(target, {})[made[1]] = None
                    for element_slot, element in self._hint_elements.get(target, ()):
                        self._add(f"{made[1]}[{element_slot}]", [element])
            self._add(target, instances)

    # -- attribute loads and stores -----------------------------------------------------
    def _on_attr(self, target: str, name: str, delta: Delta) -> None:
        for value in delta:
            self._load(value, name, target)

    def _load(self, value: Value, name: str, target: str) -> None:
        kind = value[0]
        if kind == "i" or kind == "c":
            # interned: one string per receiver however many bind edges name it
            self._load_class(value[1], name, target, intern(f"{kind}:{value[1]}"))
        elif kind == "m":
            self._load_module(value[1], name, target)
        elif kind == "x":
            self._add(target, [self._external_attribute(value[1], name)])
        elif kind == "b":
            if builtin_has(value[1], name):
                self._add(target, [("b", f"{value[1]}.{name}", "")])
        elif kind == "k":
            if builtin_has(value[2], name):
                self._add(target, [("bc", value[1], f"{value[2]}.{name}")])
        elif kind == "f":
            sig = self.signatures.get(value[1])
            if sig is not None and sig.kind is FunctionKind.PROPERTY and name in _ACCESSORS:
                self._add(target, [("b", f"property.{name}", "")])  # @total.setter
            else:
                self._add_copy(f"{value[1]}.{name}", target)
        elif kind == "s":
            self._load_super(value, name, target)

    def _owners(self, cls: str, name: str) -> tuple[str, ...]:
        """Classes on the MRO of `cls` whose `name` a lookup may find, nearest first."""
        cache = self._owner_cache.setdefault(name, {})
        found = cache.get(cls)
        if found is None:
            owners = []
            attributes = self.hierarchy.attributes
            for klass in self.hierarchy.mro(cls):
                if name in attributes.get(klass, ()):
                    owners.append(klass)
                    if name not in self._dynamic_attrs.get(klass, ()):
                        break
            found = cache[cls] = tuple(owners)  # most often (), which takes no memory
        return found

    def _load_class(self, cls: str, name: str, target: str, receiver: str) -> None:
        if name == "__class__" and receiver.startswith("i:"):
            self._add(target, [("c", cls, "")])
            return
        owners = self._owners(cls, name)
        if name in INSTANCE_DATA_METHODS and receiver[0] == "i":
            self._data_receivers.setdefault(target, set()).add(cls)
        for owner in owners:
            self._add_bind(f"{owner}.{name}", target, receiver)
        if not owners:
            self._add(target, self._inherited(cls, name))
        elif receiver.startswith("c:") and self._is_enum(cls):
            member = f"{owners[0]}.{name}"
            if member not in self.signatures and not name.startswith("_"):
                self._add(target, [self._instance(cls)])  # Color.RED is an instance of Color

    def _inherited(self, cls: str, name: str) -> list[Value]:
        """`name` from outside the analysed classes: an external base's, else object's."""
        for base in self.hierarchy.external_bases(cls):
            if not base.startswith("<builtin>.") or builtin_has(base[len("<builtin>.") :], name):
                return [external(base, name)]
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

    def _on_import(self, target: str, name: str, delta: Delta) -> None:
        for value in delta:
            if value[0] == "m":
                self._load_module(value[1], name, target)
            elif value[0] == "x":
                self._add(target, [self._external_attribute(value[1], name)])

    def _on_store(self, source: str, name: str, delta: Delta) -> None:
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
        attributes = self.hierarchy.attributes
        known = attributes.get(cls, set())
        if name in known:
            return
        attributes[cls] = {*known, name}  # a new set: the symbol table's own are shared
        self._dynamic_attrs.setdefault(cls, set()).add(name)
        self._owner_cache.pop(name, None)
        mro = self.hierarchy.mro
        loads = self._attr_flows.get(name, [])
        for source, target in zip(loads[::2], loads[1::2], strict=True):
            for value in list(self._node(source)):
                if value[0] in ("i", "c") and cls in mro(value[1]):
                    self._add_bind(f"{cls}.{name}", target, intern(f"{value[0]}:{value[1]}"))

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
                out.append(self._method(value))
            elif kind is FunctionKind.PROPERTY and on_instance:
                self._bind_receiver(value[1], receiver, value[2])
                self._add_copy(self._fnode(value[1], value[2], "<return>"), target)
            elif on_instance:
                self._bind_receiver(value[1], receiver, value[2])
                out.append(self._method(value))
            else:
                out.append(value)
        if out:
            self._add(target, out)

    def _is_enum(self, cls: str) -> bool:
        found = self._enums.get(cls)
        if found is None:
            bases = self.hierarchy.external_bases(cls)
            found = self._enums[cls] = any(b.rpartition(".")[2] in ENUM_BASES for b in bases)
        return found

    def _bind_receiver(self, function: str, receiver: str, root: str = "") -> None:
        sig = self.signatures.get(function)
        if sig is not None and sig.params:
            first = self._fnode(function, root, sig.params[0])
            self._add(first, [self._receiver_value(receiver)])

    # One tuple per instance, class and bound method however many nodes hold it: made at
    # each call, lookup or binding, they were a third of the solver's values.
    def _instance(self, cls: str) -> Value:
        value = self._instances.get(cls)
        if value is None:
            value = self._instances[cls] = ("i", cls, "")
        return value

    def _receiver_value(self, receiver: str) -> Value:
        """The value of a receiver ("i:CLS" or "c:CLS")."""
        value = self._receiver_values.get(receiver)
        if value is None:
            kind, cls = receiver[0], receiver[2:]
            value = self._instance(cls) if kind == "i" else (kind, cls, "")
            self._receiver_values[receiver] = value
        return value

    def _method(self, function: Value) -> Value:
        """The bound method of a function value."""
        value = self._methods.get(function)
        if value is None:
            value = self._methods[function] = ("bm", function[1], function[2])
        return value

    # -- containers ----------------------------------------------------------------------

    def _on_instance(self, target: str, _: None, delta: Delta) -> None:
        self._add(target, [i for v in delta if v[0] in ("c", "b") for i in instance(v, target)])

    def _on_enter(self, target: str, _: None, delta: Delta) -> None:
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

    def _on_super(self, target: str, nodes: tuple[str, str], delta: Delta) -> None:
        receivers, classes = nodes
        out = []
        for cls in self._node(classes):
            if cls[0] != "c":
                continue
            for receiver in self._node(receivers):
                if receiver[0] in ("i", "c") and cls[1] in self.hierarchy.mro(receiver[1]):
                    out.append(("s", cls[1], f"{receiver[0]}:{receiver[1]}"))
        self._add(target, out)

    # -- calls ---------------------------------------------------------------------------
    def _on_call(self, entry: SiteEntry, _: None, delta: Delta) -> None:
        for value in delta:
            self._call(entry, value, entry.site.result)

    def _call(self, entry: SiteEntry, value: Value, result: str) -> None:
        kind, name = value[0], value[1]
        site = entry.site
        if kind == "f" or kind == "bm":
            root = value[2]
            if kind == "f" and not root and not entry.root and name in self._factories:
                root = self._clone(name, entry)  # a closure factory: one copy per call site
            self._edge(entry, name, "internal")
            self._bind_arguments(entry, value, "bound" if kind == "bm" else "", root)
            if result:
                self._add_copy(self._fnode(name, root, "<return>"), result)
        elif kind == "c":
            if result:
                self._add(result, [self._instance(name)])
            if not self._dunder_call(entry, name, "__init__", ""):
                self._edge(entry, name, "class")
        elif kind == "i":
            self._dunder_call(entry, name, "__call__", result)
        elif kind == "x":
            if name:
                self._edge(entry, name, "external")
            else:  # an opaque external value: the call is named as the code writes it
                opaque = self._opaque_callee(site.callee)
                if opaque:
                    self._edge(entry, opaque, "opaque")
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

    def _opaque_callee(self, text: str) -> str:
        """A call of external data, named as the code writes it; "" when the code names a
        member of an analysed class there (`Request().json`): the node then holds external
        data by imprecision, and that member is the callee, not the data."""
        if text.startswith(("?", "<")):  # unnamed, or a name that is no external's
            return "<external>"
        owner, _, name = text.rpartition(".")
        owner = owner.removesuffix("()")
        if owner in self.hierarchy.attributes and self._owners(owner, name):
            return ""
        return text

    def _dunder_call(self, entry: SiteEntry, cls: str, dunder: str, result: str) -> bool:
        """Call `cls.dunder` bound to an instance; False when no analysed class defines it."""
        owners = self._owners(cls, dunder)
        if not owners:
            return False
        cid = self._class_ids.get(cls)
        if cid is None:
            cid = self._class_ids[cls] = str(len(self._class_ids))
        node = f"{entry.key}>{cid}{dunder}"  # the class by its id: a short node per site
        if node in self._made:
            return True
        self._made.add(node)
        for owner in owners:
            self._add_bind(f"{owner}.{dunder}", node, intern(f"i:{cls}"))
        self._watch(node, self._on_dunder, entry, result)
        return True

    def _on_dunder(self, entry: SiteEntry, result: str, delta: Delta) -> None:
        for value in delta:
            self._call(entry, value, result)

    def _bind_arguments(self, entry: SiteEntry, value: Value, receiver: str, root: str) -> None:
        function = value[1]
        # the callee's value says which function, bound or not, in which copy: it is the
        # mark (one tuple shared by every site), unless the call made a copy of its own
        mark: Bound = value if root == value[2] else (function, receiver, root)
        bound = entry.bound
        if bound is None:
            entry.bound = mark
        elif isinstance(bound, set):
            if mark in bound:
                return
            bound.add(mark)
        elif bound == mark:
            return
        else:
            entry.bound = {bound, mark}
        sig = self.signatures.get(function)
        if sig is None:
            return
        site = entry.site
        params = [self._fnode(function, root, p) for p in sig.params]
        vararg = self._fnode(function, root, "<*>") if sig.vararg else ""
        position = 0
        if receiver:  # a bound method: its receiver is in the first parameter already
            position = 1
        owner = sig.owner if sig.kind in BINDING_KINDS else ""

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
                    self._watch(arg, self._on_spread, node, f"s:{param}")
                if kwarg:
                    self._watch(arg, self._on_spread, f"{kwarg}[*]", "")
                    self._watch(arg, self._on_spread, f"{kwarg}[?]", "")
            elif keyword in named:
                self._add_copy(arg, named[keyword])
            elif kwarg:
                self._add_copy(arg, f"{kwarg}[s:{keyword}]")
                self._add_copy(arg, f"{kwarg}[*]")
