"""Clustering speed on a synthetic code base: 2,000 modules, 20,000 symbols (issue 4: < 10 s).

The graph is planted: 40 domains of 50 modules, 10 top-level symbols per module; each module
calls into six others, of its own domain mostly (one in eight is in another domain), every module
imports what its symbols call, and a fifth of the modules inherit from a base class in their
domain. Semantic edges join modules of a domain with a similarity in [0.2, 0.6]; 20 utility
modules are imported from every domain (the shared kernel to find). Prints the time
of `cluster_modules` (all signals, the whole consensus) and how well the planted domains come
back (MoJoFM, ARI).

    python -m tests.benchmarks.cluster_speed [--modules 2000] [--symbols-per-module 10]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence

from decompose.cluster import cluster_modules
from decompose.compare import compare_partitions
from decompose.config import DEFAULT_WEIGHTS
from decompose.model import CallStats, Edge, EdgeKind, ModuleGraph, Symbol, SymbolKind

DOMAIN_SIZE = 50
CALLS_PER_SYMBOL = 3
FAN_OUT = 6  # modules each module calls into
UTILITIES = 20  # shared utility modules every domain imports
CROSSING = 1 / 8


def synthetic_graph(
    modules: int, per_module: int, seed: int = 7
) -> tuple[ModuleGraph, dict[str, str]]:
    """A planted-partition graph and its planted domains (module -> domain)."""
    rng = random.Random(seed)
    names = [f"app{i // DOMAIN_SIZE:03d}.mod{i % DOMAIN_SIZE:03d}" for i in range(modules)]
    planted = {m: m.split(".")[0] for m in names}
    symbols = [Symbol(m, m, SymbolKind.MODULE, 5) for m in names]
    symbols += [
        Symbol(f"{m}.f{j:02d}", m, SymbolKind.CLASS if j % 3 == 0 else SymbolKind.FUNCTION, 20)
        for m in names
        for j in range(per_module)
    ]
    by_domain: dict[str, list[str]] = {}
    for m in names:
        by_domain.setdefault(planted[m], []).append(m)
    domains = sorted(by_domain)
    calls: Counter[tuple[str, str]] = Counter()
    for m in names:
        uses = [
            rng.choice(by_domain[planted[m] if rng.random() > CROSSING else rng.choice(domains)])
            for _ in range(FAN_OUT)
        ]
        for j in range(per_module):
            for _ in range(CALLS_PER_SYMBOL):
                target = rng.choice(uses)
                calls[(f"{m}.f{j:02d}", f"{target}.f{rng.randrange(per_module):02d}")] += 1
    symbol_edges = [Edge(s, t, EdgeKind.CALL, float(n)) for (s, t), n in calls.items()]
    module_calls: Counter[tuple[str, str]] = Counter()
    for (s, t), n in calls.items():
        module_calls[(s.rpartition(".")[0], t.rpartition(".")[0])] += n
    edges = []
    for (a, b), n in module_calls.items():
        if a != b:
            edges.append(Edge(a, b, EdgeKind.CALL, float(n)))
            edges.append(Edge(a, b, EdgeKind.IMPORT, 1.0))
    for m in names:
        if rng.random() < 0.2:
            base = by_domain[planted[m]][0]
            if base != m:
                edges.append(Edge(m, base, EdgeKind.INHERITANCE, 1.0))
        for other in rng.sample(by_domain[planted[m]], 3):
            if other != m:
                similarity = round(rng.uniform(0.2, 0.6), 6)
                edges.append(Edge(m, other, EdgeKind.SEMANTIC, similarity))
    utilities = [f"common.util{i:02d}" for i in range(UTILITIES)]
    for m in names:  # every module also uses one shared utility: the kernel rule has work
        edges.append(Edge(m, rng.choice(utilities), EdgeKind.IMPORT, 1.0))
    symbols += [Symbol(u, u, SymbolKind.MODULE, 30) for u in utilities]
    names += utilities
    planted.update(dict.fromkeys(utilities, "shared"))
    graph = ModuleGraph(
        modules=tuple(sorted(names)),
        lines=tuple(sorted((m, 100) for m in names)),
        edges=tuple(sorted(set(edges))),
        calls=CallStats(sum(calls.values()), 0, 0, 0),
        symbols=tuple(sorted(symbols)),
        symbol_edges=tuple(sorted(symbol_edges)),
    )
    return graph, planted


def main(argv: Sequence[str] | None = None) -> int:
    """Build the synthetic graph, cluster it once, print the time and the accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--symbols-per-module", type=int, default=10)
    args = parser.parse_args(argv)
    graph, planted = synthetic_graph(args.modules, args.symbols_per_module)
    weights = {**DEFAULT_WEIGHTS, "path": 0.0}
    started = time.perf_counter()
    clustering = cluster_modules(graph, weights, seed=42)
    seconds = time.perf_counter() - started
    found = {m: str(d) for m, d in clustering.assignment}
    found.update({s.module: "shared" for s in clustering.shared})
    result = compare_partitions(found, planted)
    print(
        f"{len(graph.modules)} modules, {len(graph.symbols) - len(graph.modules)} symbols, "
        f"{len(graph.edges)} module edges, {len(graph.symbol_edges)} symbol edges"
    )
    print(f"cluster_modules: {seconds:.2f} s")
    print(
        f"{len(clustering.domains())} domains, {len(clustering.shared)} shared, "
        f"{len(clustering.splits)} splits; planted domains: MoJoFM {result.mojofm:.3f}, "
        f"ARI {result.ari:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
