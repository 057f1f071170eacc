"""The worklist core of the solver: value nodes, copy edges and difference propagation.

Each node holds an insertion-ordered set of values; copy edges, binding edges (a class
attribute seen through an instance or a class) and filter edges (a method's `self`) carry
values from node to node, and handlers watch nodes for the constraints that need more than a
copy. Only new values travel (difference propagation). Dicts, never sets, wherever the solver
iterates: the order of work then depends on the (sorted) facts only, so nodes that reach
their caps are still filled deterministically.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from decompose.extract.values import Value, constant
from decompose.model.facts import CallSite

Delta = list[Value]
# a callee a site's arguments were bound to (see SiteEntry): its value, or (function, receiver,
# root) for a copy of a closure factory made for the site
Bound = tuple[str, str, str]
# What a node holds, in insertion order: a list while small (a list is a quarter of a dict's
# size), a dict (used as an ordered set) from SMALL values on. Stored, a node holding one value
# (most do) is that value itself, and a node holding none is absent.
Values = list[Value] | dict[Value, None]
Stored = Value | list[Value] | dict[Value, None]
SMALL = 16
# A handler takes its data in two parts (the second None when one is enough): a watcher
# keeps them beside the handler, with no tuple of its own (there are millions of watchers)
Handler = Callable[[Any, Any, Delta], None]  # a bound method of the solver
# what a watcher keeps: the handler's function, called with the solver (a bound method
# would tie the solver into a reference cycle, and there would be one per watcher)
Watcher = Callable[[Any, Any, Any, Delta], None]

# A node holds at most this many values, and this many containers among them; beyond, new
# ones are dropped (the node is recorded in `capped`). This keeps the mixing of a context-
# insensitive analysis bounded (a helper every caller passes its own list literals to, one
# wrapper decorating every method of a large hierarchy) while hierarchies with hundreds of
# classes still dispatch soundly. Containers matter for their elements, rarely callables.
# The price: a variable looping over a table of more than MAX_VALUES handlers sees only the
# first ones (nodes that lose values are listed in `capped`). Raising MAX_VALUES to 256 costs
# 6x on Django's own code, where callables mix through generic helpers.
MAX_VALUES = 64
MAX_CONTAINERS = 16
MAX_RECEIVERS = 512  # for the first parameter of methods: MRO-checked receivers only
MAX_ELEMENTS = 256  # for container slots: dispatch tables of many handlers
# receivers of one bind edge's source and target kept in a list up to this many (a set of
# them is four times the size; a load sees at most MAX_VALUES receivers from one node)
_RECEIVERS_LISTED = MAX_VALUES + 1
# the bind edges of a source are looked up in their flat list up to this many targets and
# receivers, and in a dict of them from then on
_BINDS_LISTED = 16


def _receivers_by_target(flat: list[str]) -> dict[str, str | list[str] | set[str]]:
    """target -> its receivers (one as itself), from a flat list of bind edges."""
    seen: dict[str, str | list[str] | set[str]] = {}
    for target, receiver in zip(flat[::2], flat[1::2], strict=True):
        known = seen.get(target)
        if known is None:
            seen[target] = receiver
        elif isinstance(known, str):
            seen[target] = [known, receiver]
        elif isinstance(known, list):  # far fewer than _RECEIVERS_LISTED: never a set here
            known.append(receiver)
    return seen


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


class Full(tuple[Value, ...]):
    """The values of a node full to its cap, which never change again: a tuple, a quarter
    of the size of a dict (and shared by the nodes full of the same values)."""

    __slots__ = ()


@dataclass(slots=True, eq=False)
class SiteEntry:
    """A call site as the solver tracks it: the original, or its copy in a clone."""

    index: int  # of the call site in the facts; clones of a site share it (and its edges)
    site: CallSite
    root: str = ""  # the clone this copy of the site belongs to ("" for the original)
    # the callees whose parameters this site's arguments were bound to (see Bound): one as
    # itself (most sites have one), else a set of them
    bound: Bound | set[Bound] | None = None

    @property
    def key(self) -> str:
        """Unique id of the site, for the nodes the solver makes for it: its index, and the
        clone it belongs to (made when asked: kept, it was a string per site and clone)."""
        return f"{self.index}|{self.root}" if self.root else str(self.index)


class ValueGraph:
    """Nodes, edges and the worklist; subclasses add the constraints."""

    def __init__(self, hierarchy: Hierarchy, modules: Iterable[str]) -> None:
        self.hierarchy = hierarchy
        self.values: dict[str, Stored | Full] = {}  # read with `_node`
        # source -> its targets: one as itself, a few as a tuple, more as a dict
        self.copies: dict[str, str | tuple[str, ...] | dict[str, None]] = {}
        # source -> [target, receiver, target, receiver...] in the order given (flat: a
        # tuple per edge took most of the solver's memory on large class hierarchies), and
        # source -> target -> its receivers (one as itself), to give each edge once: only
        # for a source of more than a few edges (the others are looked up in their list)
        self.binds: dict[str, list[str]] = {}
        self._bound_to: dict[str, dict[str, str | list[str] | set[str]]] = {}
        self.filters: dict[str, dict[tuple[str, str], None]] = {}
        # node -> (watcher, data, more), or [watcher, data, more, watcher...] for several; a
        # call site that is its callee node's only watcher (most are) is kept as itself
        self.watchers: dict[str, tuple[Watcher, Any, Any] | SiteEntry | list[Any]] = {}
        self.pending: dict[str, Delta] = {}
        self.queue: deque[str] = deque()
        # nodes that reached their cap, but for the full ones (see `capped`)
        self._capped: set[str] = set()
        self._boxes: dict[str, int] = {}  # containers per node
        self._receivers: set[str] = set()  # first parameters of methods
        self._made: set[str] = set()  # nodes the solver made for a site, made once
        self._full: dict[Full, Full] = {}  # the values of full nodes, shared
        self.sites: list[SiteEntry] = []
        self.site_modules: list[str] = []  # the module of each site, by index
        # by site index, one edge as itself (most sites); sites reaching nothing absent
        self.edges: dict[int, Edge | list[Edge]] = {}
        self._edge_objects: dict[str, dict[str, Edge]] = {}  # kind -> target -> its Edge
        names = set(modules)
        self.packages = {m.rsplit(".", i)[0] for m in names for i in range(m.count("."))}
        self._analysed = names | self.packages

    @property
    def capped(self) -> set[str]:
        """The nodes that reached their cap (made when asked: full nodes are many)."""
        full = {node for node, stored in self.values.items() if type(stored) is Full}
        return self._capped | full

    def _bind_values(self, values: Iterable[Value], target: str, receiver: str) -> None:
        """Values found on a class, as seen through `receiver` (the solver binds methods)."""
        raise NotImplementedError

    def _node(self, node: str) -> Values | Full:
        """What `node` holds now, to read (a new list for a node holding one value or none)."""
        stored = self.values.get(node)
        if stored is None:
            return self._constant(node)
        if type(stored) is tuple:
            return [stored]  # type: ignore[list-item]  # one value (a Full is no tuple)
        return stored  # type: ignore[return-value]  # a list, a dict or a Full

    def _constant(self, node: str) -> list[Value]:
        """What a node holding nothing yet holds: a constant's value (then stored), or none."""
        if node[:1] != "=":
            return []
        values = constant(node, self._analysed.__contains__)
        if values:
            self.values[node] = values[0] if len(values) == 1 else values
            self.pending[node] = list(values)
            self.queue.append(node)
        return values

    def _add(self, node: str, values: Iterable[Value]) -> None:
        stored = self.values.get(node)
        current: Values
        if type(stored) is list or type(stored) is dict:
            current = stored
        elif stored is None:
            current = self._constant(node)  # a new list: stored below when it changes
        elif type(stored) is Full:
            return  # full: whatever comes is dropped
        else:
            current = [stored]  # type: ignore[list-item]  # one value
        new: Delta = []
        if node in self._receivers:
            cap = MAX_RECEIVERS
        else:
            cap = MAX_ELEMENTS if node.endswith("]") else MAX_VALUES
        for value in values:
            if value in current:
                continue
            if len(current) >= cap:
                self._capped.add(node)
                break
            if isinstance(current, list):
                # fewer than SMALL (<= MAX_CONTAINERS) values, so room for a container: only a
                # node grown into a dict keeps a count of its containers
                new.append(value)
                current.append(value)
                if len(current) == SMALL:
                    current = dict.fromkeys(current)
                    boxes = sum(1 for v in current if v[0] == "k")
                    if boxes:
                        self._boxes[node] = boxes
                continue
            if value[0] == "k":
                boxes = self._boxes.get(node, 0)
                if boxes >= MAX_CONTAINERS:
                    self._capped.add(node)
                    continue
                self._boxes[node] = boxes + 1
            new.append(value)
            current[value] = None
        if not new:
            return
        if len(current) >= cap:
            # full: it never changes again, so nodes full of the same values share one tuple
            # (most full nodes are copies of a few capped ones)
            full = Full(current)
            self.values[node] = self._full.setdefault(full, full)
            self._boxes.pop(node, None)
        elif current is not stored:
            self.values[node] = (
                current[0] if isinstance(current, list) and len(current) == 1 else current
            )
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
            self.copies[source] = target  # most nodes are copied to one node
        elif type(dsts) is str:
            if dsts == target:
                return
            self.copies[source] = (dsts, target)
        elif target in dsts:
            return
        elif isinstance(dsts, tuple):
            # a tuple while small: no room kept for more, as a list keeps (most stay small)
            dsts += (target,)
            self.copies[source] = dict.fromkeys(dsts) if len(dsts) == SMALL else dsts
        elif isinstance(dsts, dict):
            dsts[target] = None
        values = self._node(source)
        if values:
            self._add(target, values)

    def _add_bind(self, source: str, target: str, receiver: str) -> None:
        """`target` gets the values of `source`, functions bound to `receiver` as methods."""
        if not receiver:
            self._add_copy(source, target)
            return
        flat = self.binds.get(source)
        if flat is None:
            self.binds[source] = [target, receiver]
        elif len(flat) < _BINDS_LISTED:
            # few edges (most sources): looked up in the flat list itself
            if target in flat and any(
                flat[i] == target and flat[i + 1] == receiver for i in range(0, len(flat), 2)
            ):
                return
            flat += (target, receiver)
            if len(flat) == _BINDS_LISTED:
                self._bound_to[source] = _receivers_by_target(flat)
        else:
            seen = self._bound_to[source]
            known = seen.get(target)
            if known is None:
                seen[target] = receiver
            elif type(known) is str:
                if known == receiver:
                    return
                seen[target] = [known, receiver]
            elif receiver in known:
                return
            elif type(known) is list:
                known.append(receiver)
                if len(known) == _RECEIVERS_LISTED:
                    seen[target] = set(known)
            else:
                known.add(receiver)  # type: ignore[union-attr]
            flat += (target, receiver)
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

    def _on_call(self, entry: SiteEntry, _: None, delta: Delta) -> None:
        """The node a call site calls got values (the solver calls them)."""
        raise NotImplementedError

    def _watch(self, node: str, handler: Handler, data: Any, more: Any = None) -> None:
        if not node:
            return
        watcher = handler.__func__  # type: ignore[attr-defined]
        found = self.watchers.get(node)
        if found is None:
            self.watchers[node] = (watcher, data, more)  # most nodes have one watcher
        elif isinstance(found, list):
            found += (watcher, data, more)
        elif isinstance(found, SiteEntry):
            self.watchers[node] = [type(self)._on_call, found, None, watcher, data, more]
        else:
            self.watchers[node] = [*found, watcher, data, more]
        values = self._node(node)
        if values:
            handler(data, more, list(values))

    def _watch_call(self, node: str, entry: SiteEntry) -> None:
        """`_watch(node, self._on_call, entry)`: the site is called what the node holds."""
        if node in self.watchers:
            self._watch(node, self._on_call, entry)
            return
        self.watchers[node] = entry
        values = self._node(node)
        if values:
            self._on_call(entry, None, list(values))

    def _run(self) -> None:
        queue, pending = self.queue, self.pending
        while queue:
            node = queue.popleft()
            delta = pending.pop(node, None)
            if not delta:
                continue
            targets = self.copies.get(node)
            if type(targets) is str:
                self._add(targets, delta)
            elif type(targets) is tuple:
                for target in targets:  # a copy edge added meanwhile makes a new tuple
                    self._add(target, delta)
            elif targets is not None:
                for target in list(targets):
                    self._add(target, delta)
            binds = self.binds.get(node)
            if binds:
                # sliced first: an edge added meanwhile was given every value already
                for target, receiver in zip(binds[::2], binds[1::2], strict=True):
                    self._bind_values(delta, target, receiver)
            for target, owner in list(self.filters.get(node, ())):
                self._add(target, self._fitting(delta, owner))
            watchers = self.watchers.get(node)
            if type(watchers) is tuple:
                watchers[0](self, watchers[1], watchers[2], delta)
            elif type(watchers) is SiteEntry:
                self._on_call(watchers, None, delta)
            elif isinstance(watchers, list):
                # sliced first: a watcher added meanwhile was given every value already
                for watcher, data, more in zip(
                    watchers[::3], watchers[1::3], watchers[2::3], strict=True
                ):
                    watcher(self, data, more, delta)

    def _edge(self, entry: SiteEntry, target: str, kind: str) -> None:
        # one Edge per callee, shared by its call sites (a few hundred thousand sites name a
        # few tens of thousands of callees): compared by identity
        objects = self._edge_objects.get(kind)
        if objects is None:
            objects = self._edge_objects[kind] = {}
        edge = objects.get(target)
        if edge is None:
            edge = objects[target] = Edge(target, kind)
        edges = self.edges.get(entry.index)
        if edges is None:
            self.edges[entry.index] = edge
        elif isinstance(edges, Edge):
            if edges is not edge:
                self.edges[entry.index] = [edges, edge]
        elif edge not in edges:
            edges.append(edge)

    def edges_of(self, index: int) -> list[Edge]:
        """The callees found for the call site of this index, in the order found."""
        return Found.edges_of(self, index)  # type: ignore[arg-type]

    def found(self) -> Found:
        """The call sites and their callees: what is read once the graph is solved."""
        for entry in self.sites:
            entry.bound = None  # needed while solving only
        return Found(self.sites, self.site_modules, self.edges)


@dataclass(frozen=True, slots=True)
class Found:
    """What the solve found: the call sites (by index), their modules and their callees."""

    sites: list[SiteEntry]
    site_modules: list[str]
    edges: dict[int, Edge | list[Edge]]
    # site index -> classes of the analysed instances whose data method it calls (`save`)
    receivers: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def edges_of(self, index: int) -> list[Edge]:
        """The callees found for the call site of this index, in the order found."""
        edges = self.edges.get(index)
        if edges is None:
            return []
        return [edges] if isinstance(edges, Edge) else edges
