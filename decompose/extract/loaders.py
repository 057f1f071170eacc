"""Classes and modules loaded by literal name are imports, for the call-graph solver too.

Django and the frameworks built on it load code by name at run time: `apps.get_model("order",
"Order")`, django-oscar's `get_class("basket.forms", "BasketLineForm")`, `get_classes(...)`,
`get_model(...)`, `import_string("a.b.C")`, `importlib.import_module("a.b")`. The value such a
call returns is what `from a.b import C` would bind, so each call site whose arguments are
string literals gets the matching import flow on the node receiving its result. The solver
then follows calls, methods and instances of what was loaded as if it had been imported.

The literal arguments come from the data facts (`DynamicFact`, one per loader call), matched
to call sites by caller, line and loader; a line with more loader calls of one kind than
facts for it is left alone rather than guessed.

A name bound to what a loader loads (`DashboardTable = get_class("dashboard.tables",
"DashboardTable")`, or one of the names `get_classes` unpacks into) is also bound to the loaded
name in the module's assignments, as `from ... import` binds it: the symbol table then sees
`class ProductTable(DashboardTable)` extend the analysed class, its methods and its MRO.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from decompose.model import DefinitionKind, ModuleFacts
from decompose.model.facts import CallSite, Flow, FlowOp, flow_table

_LOADED = "<loaded>"  # suffix of the tuple a `get_classes` call returns
_UTILITY_LOOKUPS = frozenset({"getUtility", "queryUtility"})  # zope.component


def with_loads(facts: Sequence[ModuleFacts], modules: Iterable[str]) -> list[ModuleFacts]:
    """The facts, each module's flows extended with the imports its loader calls stand for."""
    known = Modules(modules)
    out = []
    for mod in facts:
        sites = _loader_sites(mod)
        flows = [f for site, args in sites for f in _flows(site, args, known)]
        if flows:
            mod = replace(
                mod,
                flow_table=flow_table(sorted({*mod.flows, *flows})),
                assignments=_bound(mod, sites, known),
            )
        out.append(mod)
    return out


def _bound(
    mod: ModuleFacts, sites: Sequence[tuple[CallSite, tuple[str, ...]]], known: Modules
) -> tuple[tuple[str, str], ...]:
    """The module's assignments, with each module or class name bound to a loader call's
    result (or unpacked from it) bound to what the call loads."""
    loaded: dict[str, str] = {}  # value node -> dotted name loaded into it
    for site, args in sites:
        if site.caller != mod.module:  # a function's local names are no assignments
            continue
        kind = site.callee.rpartition(".")[2]
        if kind != "get_classes":
            module, name = loaded_name(kind, args, known)
            if module:
                loaded[site.result] = f"{module}.{name}" if name else module
        elif len(args) >= 2 and known.by_suffix(args[0]):
            module = known.by_suffix(args[0])
            for index, name in enumerate(args[1:]):
                loaded[f"{site.result}[{index}]"] = f"{module}.{name}"
    if not loaded:
        return mod.assignments
    unpacked = {  # `A, B = get_classes(...)`: each element's node
        f.target: f"{f.source}[{f.name}]" for f in mod.flows if f.op is FlowOp.UNPACK
    }
    copies = [
        (f.target, unpacked.get(f.source, f.source))
        for f in mod.flows
        if f.op is FlowOp.COPY and ":" not in f.target  # to a name, not a value node
    ]
    bound = dict(mod.assignments)
    while True:  # `model = Product` after `Product = get_model(...)` is the model too
        found = {name: loaded[node] for name, node in copies if node in loaded}
        if found.keys() <= loaded.keys():
            break
        loaded.update(found)
    bound.update(found)
    return tuple(sorted(bound.items()))


def with_registries(
    facts: Sequence[ModuleFacts], interface: Callable[[str, str], str]
) -> list[ModuleFacts]:
    """The facts, each zope.component lookup (`getUtility(IListManager)`, as Mailman writes
    it) given an instance of every class declaring it implements that interface.

    zope's registry hands out the registered implementation of an interface; the analysis
    takes the analysed classes that say they implement it: `@implementer(I)`, or
    `implements(I)` in the class body (old zope). `interface(node, module)` is the class an
    argument node names, or "".

    Trac's extension points (`ExtensionPoint(I)`: every component implementing `I`) are left
    out on purpose: the holder calling all its plug-ins would read as the holder depending on
    each of them, and gather them around it (Trac's web UI became one 14,724-line service).
    """
    implementers: dict[str, set[str]] = defaultdict(set)
    for mod in facts:
        for cls, nodes in _declarations(mod):
            for node in nodes:
                found = interface(node, mod.module)
                if found:
                    implementers[found].add(cls)
    if not implementers:
        return list(facts)
    out = []
    for mod in facts:
        flows = [
            Flow(FlowOp.INSTANCE, site.result, cls)
            for site in mod.sites
            if _called(site) in _UTILITY_LOOKUPS and site.result and site.args
            for cls in sorted(implementers.get(interface(site.args[0], mod.module), ()))
        ]
        if flows:
            mod = replace(mod, flow_table=flow_table(sorted({*mod.flows, *flows})))
        out.append(mod)
    return out


def _declarations(mod: ModuleFacts) -> list[tuple[str, tuple[str, ...]]]:
    """(class node, interface nodes) for each class of the module declaring interfaces."""
    found = []
    decorators = {
        site.result: site.args
        for site in mod.sites
        if _called(site) == "implementer" and site.result
    }
    classes = sorted(
        (d for d in mod.definitions if d.kind is DefinitionKind.CLASS), key=lambda d: -d.line
    )
    for site in mod.sites:
        if site.func in decorators and site.args and site.args[0].startswith("=C:"):
            found.append((site.args[0], decorators[site.func]))  # `implementer(I)(C)`
        elif _called(site) == "implements" and site.args:
            # in a class body (its code runs at module level): the innermost class around it
            cls = next((d for d in classes if d.line <= site.line <= d.end_line), None)
            if cls is not None and site.caller == mod.module:
                found.append((f"=C:{cls.qualname}", site.args))
    return found


def _called(site: CallSite) -> str:
    """The name a call site calls, as written (`?*implements` after a star import: `implements`)."""
    return site.callee.rsplit(".", 1)[-1].lstrip("?*")


class Modules:
    """The analysed modules, indexed by every dotted suffix of their names (built once)."""

    def __init__(self, modules: Iterable[str]) -> None:
        self.names = frozenset(modules)
        self._by_suffix: dict[str, str] = {}
        for module in sorted(self.names, key=lambda m: (len(m), m)):
            parts = module.split(".")
            for start in range(len(parts)):
                self._by_suffix.setdefault(".".join(parts[start:]), module)

    def __contains__(self, module: object) -> bool:
        return module in self.names

    def by_suffix(self, label: str) -> str:
        """`get_class("catalogue.models", ...)`: the analysed module named so, or ending so.

        Several match when a project overrides an app (`shop.catalogue.models` beside
        `oscar.apps.catalogue.models`): the shortest name, then the first in order, wins.
        """
        return self._by_suffix.get(label, "")


def loaded_name(kind: str, args: Sequence[str], modules: Modules) -> tuple[str, str]:
    """(module, name in it) a loader call loads; name "" for a whole module; ("", "") unknown."""
    if kind in ("get_class", "get_classes") and len(args) >= 2:
        return modules.by_suffix(args[0]), args[1]
    if kind == "get_model" and args:
        label, _, name = (args[0], "", args[1]) if len(args) >= 2 else args[0].partition(".")
        return (modules.by_suffix(f"{label}.models"), name) if name else ("", "")
    if kind == "import_string" and args and "." in args[0]:
        module, _, name = args[0].rpartition(".")
        return (module, name) if module in modules else ("", "")
    if kind == "import_module" and args:
        return (args[0], "") if args[0] in modules else ("", "")
    return "", ""


def _loader_sites(mod: ModuleFacts) -> list[tuple[CallSite, tuple[str, ...]]]:
    """Each loader call site that keeps its result, with its literal arguments."""
    literal: dict[tuple[str, int, str], list[tuple[str, ...]]] = defaultdict(list)
    for d in mod.data.dynamic:
        literal[(d.caller, d.line, d.kind)].append(d.args)
    if not literal:
        return []
    sites: dict[tuple[str, int, str], list[CallSite]] = defaultdict(list)
    for site in mod.sites:
        kind = site.callee.rpartition(".")[2]
        if (site.caller, site.line, kind) in literal:
            sites[(site.caller, site.line, kind)].append(site)
    found = []
    for key, calls in sorted(sites.items()):
        if len(calls) == len(literal[key]):
            found += [(s, a) for s, a in zip(calls, literal[key], strict=True) if s.result]
    return found


def _flows(site: CallSite, args: tuple[str, ...], modules: Modules) -> list[Flow]:
    kind = site.callee.rpartition(".")[2]
    if kind != "get_classes":
        module, name = loaded_name(kind, args, modules)
        if not module:
            return []
        if not name:
            return [Flow(FlowOp.COPY, site.result, f"=M:{module}")]
        return [Flow(FlowOp.IMPORT, site.result, f"=M:{module}", name)]
    module = modules.by_suffix(args[0]) if args else ""
    if not module or len(args) < 2:
        return []
    box = site.result + _LOADED
    flows = [Flow(FlowOp.NEW, site.result, "tuple", box)]
    for index, name in enumerate(args[1:]):
        flows.append(Flow(FlowOp.IMPORT, f"{box}[i:{index}]", f"=M:{module}", name))
        flows.append(Flow(FlowOp.IMPORT, f"{box}[*]", f"=M:{module}", name))
    return flows
