"""The analysed program as `derive` queries it: which service runs a function, what it writes.

`Program` indexes the facts, the resolved calls and the data graph once: the service of every
function (symbol-level, so split modules count where their symbols go), signatures and the
annotation hints of parameters and returns, whether a call's result is used, the entities and
their owners, and the entities each function writes directly or through the functions it calls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from decompose.digraph import components_successors_first
from decompose.extract.resolve import CallKind, ResolvedCall
from decompose.model import SHARED_SERVICE, DefinitionKind, ModuleFacts
from decompose.model.contracts import SourceRef
from decompose.model.data import Access, AccessMode, DataGraph, Entity
from decompose.model.facts import CallSite, Flow, FlowOp, Signature

# Base classes whose methods build queries: calling them is data access, not an operation.
_DATA_HELPERS = ("QuerySet", "Manager", "BaseManager", "Query")


class Program:
    """Read-only indexes over the inputs of `derive` (built once, queried many times)."""

    def __init__(
        self,
        facts: Sequence[ModuleFacts],
        calls: Sequence[ResolvedCall],
        data: DataGraph,
        service_of_module: Mapping[str, str],
        service_of_symbol: Mapping[str, str],
    ) -> None:
        self.facts = {f.module: f for f in facts}
        self.service_of_module = dict(service_of_module)
        self.service_of_symbol = dict(service_of_symbol)
        self.kinds: dict[str, DefinitionKind] = {}
        self.lines: dict[str, int] = {}  # definition -> first line
        self.module_of: dict[str, str] = {}
        self.bases: dict[str, tuple[str, ...]] = {}
        self.signatures: dict[str, Signature] = {}
        self.sites: dict[tuple[str, int], list[CallSite]] = defaultdict(list)
        for f in facts:
            for d in f.definitions:
                self.kinds[d.qualname] = d.kind
                self.lines[d.qualname] = d.line
                self.module_of[d.qualname] = f.module
                if d.kind is DefinitionKind.CLASS:
                    self.bases[d.qualname] = d.bases
            for sig in f.signatures:
                self.signatures[sig.qualname] = sig
                self.module_of.setdefault(sig.qualname, f.module)
            for site in f.sites:
                self.sites[(site.caller, site.line)].append(site)
        hooks = _hook_calls(data)
        # receivers of signals whose senders use their replies: each is called (`calls`)
        self.hook_receivers = frozenset(c.callee for c in hooks)
        self.calls = tuple(
            c
            for c in (*calls, *hooks)
            if c.kind is CallKind.INTERNAL and c.callee_module and c.caller != c.callee
        )
        self.all_entities = {e.qualname: e for e in data.entities}
        self.entities = _concrete(self.all_entities, self.bases)
        self.accesses = data.accesses
        self.data = data
        self._hints: dict[str, dict[str, list[Flow]]] = {}
        self._names: dict[str, tuple[dict[str, str], dict[str, Flow]]] = {}
        self._writes: dict[str, frozenset[str]] | None = None
        self._ancestors: dict[str, frozenset[str]] = {}
        self.callees: dict[str, set[str]] = defaultdict(set)
        self._callers: dict[str, set[tuple[str, int]]] = defaultdict(set)
        for c in self.calls:
            self.callees[c.caller].add(c.callee)
            self._callers[c.callee].add((c.caller, c.line))
        self.direct_writes: dict[str, set[str]] = defaultdict(set)
        for a in data.accesses:
            if a.mode is AccessMode.WRITE and a.entity in self.entities:
                self.direct_writes[a.caller].add(a.entity)

    # -- placement ------------------------------------------------------------------------
    def service(self, qualname: str, module: str = "") -> str:
        """The service running `qualname` ("" when its module is not in the plan)."""
        module = module or self.module_of.get(qualname, "")
        if not module:
            return ""
        if qualname == module:
            symbol = module
        else:
            rest = qualname[len(module) + 1 :] if qualname.startswith(module + ".") else ""
            symbol = f"{module}.{rest.split('.')[0]}" if rest else module
        return self.service_of_symbol.get(symbol) or self.service_of_module.get(module, "")

    @staticmethod
    def is_service(name: str) -> bool:
        """A real service: not the shared kernel, not unknown code."""
        return bool(name) and name != SHARED_SERVICE

    def ref(self, module: str, function: str, line: int) -> SourceRef:
        """A source location; module-level code has the function ""."""
        return SourceRef(module, "" if function == module else function, line)

    def access_ref(self, a: Access) -> SourceRef:
        """Where an access happens."""
        return self.ref(a.caller_module, a.caller, a.line)

    def definition_ref(self, qualname: str) -> SourceRef:
        """Where a function or class is defined."""
        return SourceRef(self.module_of.get(qualname, ""), qualname, self.lines.get(qualname, 0))

    # -- calls ----------------------------------------------------------------------------
    def result_used(self, call: ResolvedCall) -> bool:
        """Whether the caller keeps what the call returns (the site's `result` node is set)."""
        sites = self.sites.get((call.caller, call.line), [])
        if not sites:
            return True  # no value-flow facts: assume the worst, a query
        name = call.callee.rsplit(".", 1)[-1]
        matching = [s for s in sites if s.callee.rsplit(".", 1)[-1].removesuffix("()") == name]
        return any(s.result for s in (matching or sites))

    def sites_of(self, call: ResolvedCall) -> list[CallSite]:
        """The call sites a resolved call comes from (same caller and line, same name first)."""
        sites = self.sites.get((call.caller, call.line), [])
        name = call.callee.rsplit(".", 1)[-1]
        matching = [s for s in sites if s.callee.rsplit(".", 1)[-1] == name]
        return matching or sites

    def callers_of(self, function: str) -> set[tuple[str, int]]:
        """The call sites (caller, line) of a function in the analysed code."""
        return self._callers.get(function, set())

    def is_constructor(self, qualname: str) -> bool:
        """Calling a class (or its `__init__`) builds a value; it is no operation."""
        if self.kinds.get(qualname) is DefinitionKind.CLASS:
            return True
        return qualname.endswith(".__init__") or qualname.endswith(".__new__")

    def is_data_helper(self, qualname: str) -> bool:
        """A method of a queryset or manager class: data access, already seen as accesses."""
        return any(
            base.rsplit(".", 1)[-1].endswith(_DATA_HELPERS) or "from_queryset" in base
            for base in self.ancestors(qualname.rpartition(".")[0])
        )

    def enclosing_class(self, qualname: str) -> str:
        """The class a function is defined in (a method, or a function nested in one), or ""."""
        owner = qualname.rpartition(".")[0]
        while owner and owner not in self.facts:
            if self.kinds.get(owner) is DefinitionKind.CLASS:
                return owner
            owner = owner.rpartition(".")[0]
        return ""

    def ancestors(self, cls: str) -> frozenset[str]:
        """Every class `cls` inherits from, directly or not, as far as the analysis sees."""
        if cls not in self._ancestors:
            found: set[str] = set()
            pending = [b.removesuffix("()") for b in self.bases.get(cls, ())]
            while pending:
                base = pending.pop()
                if base not in found and base != cls:
                    found.add(base)
                    pending.extend(b.removesuffix("()") for b in self.bases.get(base, ()))
            self._ancestors[cls] = frozenset(found)
        return self._ancestors[cls]

    def within_hierarchy(self, caller: str, callee: str) -> bool:
        """Whether a call stays inside one object's class hierarchy: a method calling what its
        class inherits (`super().post()`, a base's helper), or a base calling the hook its
        subclass overrides (a template method). Such a call runs in the process of the
        object's service whatever service the base class lands in: the base's code is a
        library there, not an API to call."""
        mine, theirs = self.enclosing_class(caller), self.enclosing_class(callee)
        if not mine or not theirs or mine == theirs:
            return False
        return theirs in self.ancestors(mine) or mine in self.ancestors(theirs)

    def entity_of_member(self, qualname: str) -> str:
        """The entity class a method belongs to, "" when it is no entity method."""
        owner, _, _ = qualname.rpartition(".")
        while owner:
            if owner in self.all_entities:
                return owner
            owner, _, _ = owner.rpartition(".")
        return ""

    # -- writes ---------------------------------------------------------------------------
    def writes(self) -> dict[str, frozenset[str]]:
        """Entities each function writes, directly or through the functions it calls."""
        if self._writes is None:
            self._writes = _closure(self.direct_writes, self.callees)
        return self._writes

    def writes_of(self, function: str) -> frozenset[str]:
        """Entities one function writes, directly or through calls."""
        return self.writes().get(function, frozenset())

    # -- annotations ----------------------------------------------------------------------
    def hints(self, node: str, module: str) -> list[Flow]:
        """The HINT flows (annotations) typing a parameter or return node."""
        return self._hint_index(module).get(node, [])

    def _hint_index(self, module: str) -> dict[str, list[Flow]]:
        if module not in self._hints:
            index: dict[str, list[Flow]] = defaultdict(list)
            facts = self.facts.get(module)
            for flow in facts.flows if facts else ():
                if flow.op is FlowOp.HINT:
                    index[flow.target].append(flow)
            self._hints[module] = index
        return self._hints[module]

    def resolve_node(self, node: str, module: str) -> str:
        """The dotted name an annotation node denotes: "=B:int" -> "<builtin>.int"."""
        if module not in self._names:
            facts = self.facts.get(module)
            assignments = dict(facts.assignments) if facts else {}
            flows = facts.flows if facts else ()
            producers = {f.target: f for f in flows if f.op in (FlowOp.ATTR, FlowOp.IMPORT)}
            self._names[module] = (assignments, producers)
        assignments, producers = self._names[module]
        return _resolve(node, assignments, producers, self.kinds)


def _concrete(
    entities: Mapping[str, Entity], bases: Mapping[str, tuple[str, ...]]
) -> dict[str, Entity]:
    """The entities with a table: concrete ones, and abstract ones no analysed entity extends.

    An abstract model whose concrete subclass the analysis does not see (declared under a
    condition, or by the framework's user, as django-oscar does) is the only picture of its
    table there is, so it stands for it.
    """
    extended: set[str] = set()
    for name, entity in entities.items():
        if entity.abstract:
            continue
        extended.update(entity.parents)  # resolved through imports, star imports included
        pending = list(bases.get(name, ()))
        while pending:
            base = pending.pop().removesuffix("()")
            if base in extended:
                continue
            extended.add(base)
            pending.extend(bases.get(base, ()))
    return {q: e for q, e in entities.items() if not e.abstract or q not in extended}


def _resolve(
    node: str,
    assignments: Mapping[str, str],
    producers: Mapping[str, Flow],
    kinds: Mapping[str, DefinitionKind],
    depth: int = 0,
) -> str:
    if depth > 8 or not node:
        return ""
    if node.startswith("=B:"):
        return "<builtin>." + node[3:]
    if node.startswith(("=C:", "=M:")):
        return node[3:]
    if node in kinds:
        return node
    flow = producers.get(node)
    if flow is not None and flow.op is FlowOp.ATTR:
        base = _resolve(flow.source, assignments, producers, kinds, depth + 1)
        return f"{base}.{flow.name}" if base else ""
    if flow is not None and flow.op is FlowOp.IMPORT:
        base = _resolve(flow.source, assignments, producers, kinds, depth + 1)
        return f"{base}.{flow.name}" if base else ""
    value = assignments.get(node)
    if value is not None:
        return value.removesuffix("()") if value.endswith("()") else value
    return ""


def _closure(
    direct: Mapping[str, Iterable[str]], callees: Mapping[str, Iterable[str]]
) -> dict[str, frozenset[str]]:
    """Union of `direct` over everything reachable, by strongly connected components."""
    components = components_successors_first(sorted(set(direct) | set(callees)), callees)
    result: dict[str, frozenset[str]] = {}
    for component in components:  # Tarjan yields components callees first
        found: set[str] = set()
        for node in component:
            found.update(direct.get(node, ()))
            for callee in callees.get(node, ()):
                if callee not in component:
                    found.update(result.get(callee, frozenset()))
        frozen = frozenset(found)
        for node in component:
            result[node] = frozen
    return result


def _hook_calls(data: DataGraph) -> list[ResolvedCall]:
    """A signal whose sender uses its receivers' replies is a call of each receiver: the
    sender asks them and waits for what they return (a plugin hook, a menu's items)."""
    return [
        ResolvedCall(
            e.source, e.target, CallKind.INTERNAL, e.line, e.source_module, e.target_module
        )
        for e in data.async_edges
        if e.reply and e.source_module
    ]


def entity_name(qualname: str) -> str:
    """The name of an entity: "shop.models.OrderLine" -> "OrderLine".

    An abstract model standing for its table loses its prefix: "AbstractProduct" -> "Product".
    """
    name = qualname.rsplit(".", 1)[-1]
    rest = name.removeprefix("Abstract")
    return rest if rest and rest != name and rest[0].isupper() else name
