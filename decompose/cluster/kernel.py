"""The shared kernel: code used by most domains and owned by none, set apart as a library.

Rule, on the dependency edges (calls, imports, base classes) between modules, given a
partition into domains (at least three of more than one module):
- used across domains: modules of at least three domains use it, and its own domain makes less
  than half of that use; a module holding entities (ORM models: the target of data accesses or
  an end of a foreign key) is never shared, since its domain owns that data;
- with its own dependencies: a module that a library used by most domains (at least half, and
  three) imports or inherits from goes with it when it holds no entity and depends on nothing
  outside the kernel itself (an exceptions module, a deprecation helper): it is part of the
  library, whoever else uses it. A utility used by fewer domains takes nothing along;
- and a library: everything it imports or inherits from is in the shared kernel too (or it
  depends on nothing; calls do not count, since a library calls its users back). A library
  cannot depend on a service, so a domain's entry points (its tasks, its signals, its API),
  however widely used, stay in their domain. Except framework glue used by most domains
  whose dependencies are mostly shared (at most GLUE_OUTSIDE of them in domains): a request
  handler base class that looks up the user, a logger that logs the request's user. Its few
  dependencies on services become calls to their APIs and are named in its reason; left in
  a domain, it would make every domain depend on whichever one it landed in;
- detached: a module with no dependency to or from any other module, or a group of fewer than
  three modules depending only on each other (project configuration, scripts): nothing ties
  them to a domain, and two modules are too few to make one.
A module with no code at all follows its package: an empty package marker goes to the domain
holding at least two thirds of its submodules' lines, an empty plain module (a `models.py` left
empty) to the one holding two thirds of its siblings' lines, else to the shared kernel.
Partition and kernel alternate until the kernel stops growing. Pinned modules are never set
apart (unless pinned to the shared kernel).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from decompose.model import STRUCTURAL, EdgeKind, ModuleGraph

LEAF_USERS = 3
GLUE_OUTSIDE = 0.5  # the share of its dependencies a library used by most domains may have in them
DETACHED_SIZE = 3  # a detached group smaller than this is glue (configuration, scripts)
NO_DEPENDENCY = "no dependency to or from any other module: nothing ties it to a domain"
ONLY_KERNEL = (
    "it uses only the shared kernel, and no domain's code uses it: nothing ties it to a domain"
)
_SHARED = -1


def detached(graph: ModuleGraph, excluded: set[str]) -> dict[str, str]:
    """Modules in a group of fewer than DETACHED_SIZE with no dependency on the rest, why."""
    adjacent: dict[str, set[str]] = {m: set() for m in graph.modules if m not in excluded}
    codeless = set(graph.codeless)
    kernel_only: set[str] = set()  # modules tied to the kernel set apart (excluded, with code)
    for e in graph.edges:
        if e.kind not in STRUCTURAL or e.source == e.target:
            continue
        if e.source in adjacent and e.target in adjacent:
            adjacent[e.source].add(e.target)
            adjacent[e.target].add(e.source)
        elif e.source in adjacent and e.target not in codeless:
            kernel_only.add(e.source)
        elif e.target in adjacent and e.source not in codeless:
            kernel_only.add(e.target)
    out: dict[str, str] = {}
    seen: set[str] = set()
    for start in sorted(adjacent):
        if start in seen:
            continue
        component, frontier = {start}, [start]
        while frontier:
            for other in adjacent[frontier.pop()] - component:
                component.add(other)
                frontier.append(other)
        seen |= component
        if len(component) == 1:
            out[start] = ONLY_KERNEL if start in kernel_only else NO_DEPENDENCY
        elif len(component) < DETACHED_SIZE:
            rest = "any domain's code" if component & kernel_only else "the rest of the code"
            for module in component:
                out[module] = (
                    f"one of {len(component)} modules with no dependency to or from {rest}: "
                    "too small and too detached to be a domain"
                )
    return out


def shared_kernel(graph: ModuleGraph, domain: Mapping[str, int]) -> dict[str, str]:
    """Modules used across domains and owned by none, with the reason (see the module docstring)."""
    sizes: dict[int, int] = defaultdict(int)
    for d in domain.values():
        sizes[d] += 1
    real_domains = sum(1 for n in sizes.values() if n > 1)
    if real_domains < 3:
        return {}
    incoming: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    every: dict[str, set[str]] = defaultdict(set)  # on any module (the kernel set apart too)
    for edge in graph.edges:
        if edge.kind in STRUCTURAL and edge.source in domain and edge.source != edge.target:
            if edge.kind is not EdgeKind.CALL:  # a call may be a callback: not a dependency
                every[edge.source].add(edge.target)
            if edge.target in domain:
                incoming[edge.target][domain[edge.source]] += edge.weight
    # on modules in domains
    depends = defaultdict(set, {m: {t for t in ts if t in domain} for m, ts in every.items()})
    owning = entity_modules(graph)
    broad = max(3, math.ceil(real_domains / 2))
    shared = {}
    libraries: set[str] = set()
    for module, sources in sorted(incoming.items()):
        users = len(sources)
        share = sources.get(domain[module], 0.0) / sum(sources.values())
        if share >= 0.5 or users < LEAF_USERS or module in owning:
            continue
        reach = (
            f"used by {users} of {real_domains} domains"
            if users >= broad
            else (f"a utility used by {users} domains")
        )
        shared[module] = f"{reach}; its own domain makes {share:.0%} of its use"
        if users >= broad:
            libraries.add(module)
    pulled = _with_dependencies(shared, libraries, depends, owning)
    # A library cannot depend on a service: drop candidates using code outside the kernel, and
    # the dependencies they pulled in that no remaining member needs.
    changed = True
    while changed:
        changed = False
        for module in sorted(shared):
            outside = depends[module] - set(shared) - {module}
            orphan = module in pulled and not any(module in depends[m] for m in shared)
            glue = module in libraries and len(outside) <= GLUE_OUTSIDE * len(every[module])
            if (outside and not glue) or orphan:
                del shared[module]
                changed = True
    return {m: _reason(r, depends[m] - set(shared) - {m}, every[m]) for m, r in shared.items()}


def _reason(reach: str, outside: set[str], every: set[str]) -> str:
    if outside:
        named = ", ".join(sorted(outside)[:3]) + (", ..." if len(outside) > 3 else "")
        return (
            f"{reach}; framework glue with {len(every) - len(outside)} of {len(every)} "
            f"dependencies shared: its uses of {named} become calls to their services' APIs"
        )
    if every:
        return f"{reach}, and it depends on no domain's code"
    return f"{reach}; it depends on nothing"


def entity_modules(graph: ModuleGraph) -> set[str]:
    """Modules holding entities: targets of data accesses, ends of foreign keys."""
    out: set[str] = set()
    for edge in graph.edges:
        if edge.kind is EdgeKind.DATA:
            out.add(edge.target)
        elif edge.kind is EdgeKind.FK:
            out.update((edge.source, edge.target))
    return out


def _with_dependencies(
    shared: dict[str, str], libraries: set[str], depends: Mapping[str, set[str]], owning: set[str]
) -> set[str]:
    """Add to `shared` the entity-free dependencies of the `libraries` (and of what they
    brought) that depend on nothing outside it, until none is left to add; return the added."""
    pulled: set[str] = set()
    grown = True
    while grown:
        grown = False
        for module in sorted(libraries | pulled):
            for dependency in sorted(depends[module] - set(shared) - {module} - owning):
                if not depends[dependency] - set(shared) - {dependency}:
                    shared[dependency] = f"part of the shared library: {module} depends on it"
                    pulled.add(dependency)
                    grown = True
    return pulled


def place_codeless(
    codeless: Sequence[str],
    assignment: Mapping[str, int],
    shared: Mapping[str, str],
    lines: Mapping[str, int],
) -> tuple[dict[str, int], dict[str, str]]:
    """A module with no code follows its package when one domain clearly holds the package.

    The package of an empty package marker is its own submodules; that of an empty plain
    module (a `models.py` left empty) is its siblings. Clearly: at least two thirds of the
    lines of the package's modules, the shared kernel counting as one more domain. This places
    only code-less modules and changes no other module's domain, so it is not a clustering
    signal.
    """
    placed: dict[str, int] = {}
    unplaced: dict[str, str] = {}
    owner = {**assignment, **{m: _SHARED for m in shared}}
    for module in codeless:
        weight = _package_weight(module + ".", owner, lines, module)
        what = "package marker with no code; its modules are"
        if not weight and "." in module:  # a plain module: its siblings
            weight = _package_weight(module.rpartition(".")[0] + ".", owner, lines, module)
            what = "no code; the other modules of its package are"
        best = min(weight, key=lambda d: (-weight[d], d)) if weight else None
        if best is None:
            unplaced[module] = "no code, and no module of its own in any domain"
        elif best != _SHARED and weight[best] * 3 >= sum(weight.values()) * 2:
            placed[module] = best
        else:
            unplaced[module] = f"{what} shared or span domains"
    return placed, unplaced


def _package_weight(
    prefix: str, owner: Mapping[str, int], lines: Mapping[str, int], module: str
) -> dict[int, int]:
    """Lines per domain of the placed modules under `prefix`, `module` itself left out."""
    weight: dict[int, int] = defaultdict(int)
    for other, domain in owner.items():
        if other.startswith(prefix) and other != module:
            weight[domain] += max(lines.get(other, 1), 1)
    return weight
