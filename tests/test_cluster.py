"""Clustering: constraints, frontier and metrics, stability, splits, explanations, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.cluster import cluster_modules
from decompose.cluster.affinity import Affinity
from decompose.cluster.kernel import place_codeless
from decompose.cluster.metrics import Quality
from decompose.config import DEFAULT_WEIGHTS
from decompose.model import (
    SHARED_DOMAIN,
    CallStats,
    Constraints,
    Edge,
    EdgeKind,
    ModuleGraph,
    Symbol,
    SymbolKind,
)

WEIGHTS = {**DEFAULT_WEIGHTS, "path": 0.0}


def graph_of(
    modules: list[str],
    pairs: list[tuple[int, int, int]],
    symbols_per_module: int = 0,
    symbol_pairs: list[tuple[str, str, int]] = (),  # type: ignore[assignment]
) -> ModuleGraph:
    """A module graph from (source index, target index, call count) triples."""
    edges = sorted(
        {Edge(modules[a], modules[b], EdgeKind.CALL, float(n)) for a, b, n in pairs if a != b}
    )
    symbols = [Symbol(m, m, SymbolKind.MODULE, 5) for m in modules]
    symbols += [
        Symbol(f"{m}.S{j}", m, SymbolKind.CLASS, 10)
        for m in modules
        for j in range(symbols_per_module)
    ]
    symbol_edges = sorted(Edge(s, t, EdgeKind.CALL, float(n)) for s, t, n in symbol_pairs)
    return ModuleGraph(
        tuple(sorted(modules)),
        tuple((m, 10) for m in sorted(modules)),
        tuple(edges),
        CallStats(0, 0, 0, 0),
        symbols=tuple(sorted(symbols)),
        symbol_edges=tuple(symbol_edges),
    )


def blocks(groups: int, size: int) -> tuple[list[str], list[tuple[int, int, int]]]:
    """`groups` dense groups of `size` modules, chained by one weak edge each."""
    modules = [f"g{g}.m{i}" for g in range(groups) for i in range(size)]
    pairs = [
        (g * size + i, g * size + j, 5)
        for g in range(groups)
        for i in range(size)
        for j in range(size)
        if i != j
    ]
    pairs += [(g * size, (g + 1) * size, 1) for g in range(groups - 1)]
    return modules, pairs


def service_of(result: object) -> dict[str, int]:
    from decompose.model import Clustering

    assert isinstance(result, Clustering)
    out = dict(result.assignment)
    out.update({s.module: SHARED_DOMAIN for s in result.shared})
    return out


graphs = st.integers(min_value=2, max_value=24).flatmap(
    lambda n: st.tuples(
        st.just([f"m{i:02d}" for i in range(n)]),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 20)),
            max_size=4 * n,
        ),
    )
)


@settings(max_examples=40, deadline=None)
@given(graphs, st.integers(0, 2**16))
def test_modules_and_symbols_are_partitioned_deterministically(
    spec: tuple[list[str], list[tuple[int, int, int]]], seed: int
) -> None:
    modules, pairs = spec
    symbol_pairs = [(f"{modules[a]}.S0", f"{modules[b]}.S1", n) for a, b, n in pairs if a != b]
    graph = graph_of(modules, pairs, 2, symbol_pairs)
    result = cluster_modules(graph, WEIGHTS, seed)
    assigned = [m for m, _ in result.assignment] + [s.module for s in result.shared]
    assert sorted(assigned) == sorted(graph.modules)
    assert sorted(s for s, _ in result.symbols) == sorted(s.qualname for s in graph.symbols)
    assert result == cluster_modules(graph, WEIGHTS, seed)
    assert [e.module for e in result.explanations] == sorted(graph.modules)


@settings(max_examples=40, deadline=None)
@given(graphs, st.data())
def test_pins_and_cannot_link_are_always_honoured(
    spec: tuple[list[str], list[tuple[int, int, int]]], data: st.DataObject
) -> None:
    modules, pairs = spec
    graph = graph_of(modules, pairs)
    pinned = data.draw(st.lists(st.sampled_from(modules), max_size=4, unique=True))
    names = data.draw(
        st.lists(st.sampled_from(["alpha", "beta", "shared"]), min_size=len(pinned),
                 max_size=len(pinned))
    )  # fmt: skip
    pins = tuple(zip(pinned, names, strict=True))
    free = [m for m in modules if m not in pinned]
    cannot = data.draw(
        st.lists(st.tuples(st.sampled_from(modules), st.sampled_from(free or modules)), max_size=3)
    )
    cannot = [(a, b) for a, b in cannot if a != b and not (a in pinned and b in pinned)]
    constraints = Constraints(pins=pins, cannot_link=tuple(cannot))
    result = cluster_modules(graph, WEIGHTS, 7, constraints)
    where = service_of(result)
    named = dict(result.names)
    for module, name in pins:
        if name == "shared":
            assert where[module] == SHARED_DOMAIN
        else:
            assert named[where[module]] == name
    for a, b in cannot:
        assert where[a] == SHARED_DOMAIN or where[a] != where[b]
    assert (result.constraints is not None) == bool(constraints)


def test_must_link_joins_what_the_graph_separates() -> None:
    modules, pairs = blocks(3, 4)
    plain = service_of(cluster_modules(graph_of(modules, pairs), WEIGHTS, 1))
    assert plain["g0.m1"] != plain["g2.m1"]
    constraints = Constraints(must_link=(("g0.m1", "g2.m1"),))
    result = cluster_modules(graph_of(modules, pairs), WEIGHTS, 1, constraints)
    where = service_of(result)
    assert where["g0.m1"] == where["g2.m1"]
    assert result.constraints is not None and result.constraints.moved >= 1
    assert result.metrics is not None
    assert result.metrics.modularity <= result.constraints.unconstrained.modularity


def test_cannot_link_separates_what_the_graph_joins() -> None:
    modules, pairs = blocks(2, 5)
    constraints = Constraints(cannot_link=(("g0.m1", "g0.m2"),))
    where = service_of(cluster_modules(graph_of(modules, pairs), WEIGHTS, 3, constraints))
    assert where["g0.m1"] != where["g0.m2"]


def test_frontier_lists_the_chosen_partition_and_its_metrics() -> None:
    modules, pairs = blocks(4, 5)
    result = cluster_modules(graph_of(modules, pairs), WEIGHTS, 5)
    chosen = [p for p in result.frontier if p.chosen]
    assert len(chosen) == 1
    assert chosen[0].metrics == result.metrics
    assert result.metrics is not None and result.metrics.services == 4
    assert result.metrics.transactions_kept is None
    best = max(p.metrics.modularity for p in result.frontier)
    assert chosen[0].metrics.modularity == best
    assert [d for d, _ in result.stability] == sorted(result.domains())
    assert all(0.0 <= s <= 1.0 for _, s in result.stability)


def test_metrics_of_a_known_partition() -> None:
    modules = ["a", "b", "c", "d"]
    graph = graph_of(modules, [(0, 1, 3), (2, 3, 3), (1, 2, 1)], 1, [("b.S0", "c.S0", 1)])
    quality = Quality(graph, Affinity(graph.modules, graph.edges, WEIGHTS))
    import numpy as np

    m = quality.measure(np.array([0, 0, 1, 1]))
    assert m.services == 2
    assert m.icp == 1 / 7  # one call site of seven crosses
    assert m.ifn == 0.5  # service 1 exposes c.S0; service 0 exposes nothing
    # cohesion 1/4 per service, coupling 1 / (2 * 2 * 2)
    assert abs(m.structural_modularity - (0.25 - 1 / 8)) < 1e-9
    # cluster factors 2*3 / (2*3 + 1) each
    assert abs(m.turbomq - 2 * 6 / 7) < 1e-9
    assert m.ned == 1.0  # every class sits in a service of fewer than five classes


def test_module_whose_classes_serve_two_domains_is_split() -> None:
    modules, pairs = blocks(2, 4)
    symbol_pairs = [
        ("g1.m1.S0", "g0.m0.S1", 6),
        ("g1.m2.S0", "g0.m0.S1", 4),
        ("g0.m1.S0", "g0.m0.S0", 6),
    ]
    result = cluster_modules(graph_of(modules, pairs, 2, symbol_pairs), WEIGHTS, 1)
    where = dict(result.assignment)
    split = next(s for s in result.splits if s.module == "g0.m0")
    assert split.moves == ((where["g1.m1"], ("g0.m0.S1",)),)
    assert "g0.m0.S0" in split.stays
    assert dict(result.symbols)["g0.m0.S1"] == where["g1.m1"]


def test_explanations_name_the_ties_and_the_rival() -> None:
    modules, pairs = blocks(2, 3)
    result = cluster_modules(graph_of(modules, pairs), WEIGHTS, 1)
    by_module = {e.module: e for e in result.explanations}
    bridge = by_module["g0.m0"]
    where = dict(result.assignment)
    assert {p.module for p in bridge.binds} == {"g0.m1", "g0.m2"}
    assert bridge.rival == where["g1.m0"]
    assert [p.module for p in bridge.pulls] == ["g1.m0"]
    assert dict(bridge.pulls[0].signals).keys() == {"call"}


def test_a_supplier_everyone_uses_ties_its_users_less_than_a_private_one() -> None:
    """Framework glue (a loader every module imports) must not gather its users in one domain."""
    users = [f"app{i}.views" for i in range(6)]
    modules = ["glue.loading", "app0.models", *users]
    edges = [Edge(u, "glue.loading", EdgeKind.IMPORT, 1.0) for u in users]
    edges.append(Edge("app0.views", "app0.models", EdgeKind.IMPORT, 1.0))
    affinity = Affinity(modules, edges, WEIGHTS)
    private = affinity.weight("app0.views", "app0.models")
    shared = affinity.weight("app0.views", "glue.loading")
    assert shared * 6**1.5 == pytest.approx(private)  # used by six: 6 ** 1.5 times weaker


def test_a_module_with_no_code_follows_its_package_or_its_siblings() -> None:
    assignment = {"shop.orders.views": 0, "shop.orders.forms": 0, "shop.stock.views": 1}
    lines = {"shop.orders.views": 40, "shop.orders.forms": 20, "shop.stock.views": 40}
    codeless = ["shop.orders", "shop.orders.models", "shop.stock.models", "shop", "lone"]
    placed, unplaced = place_codeless(codeless, assignment, {}, lines)
    # a package marker follows its submodules; an empty plain module follows its siblings
    assert placed == {"shop.orders": 0, "shop.orders.models": 0, "shop.stock.models": 1}
    # `shop` spans two domains (60 of 100 lines is less than two thirds); `lone` has nothing
    assert unplaced["shop"].startswith("package marker")
    assert unplaced["lone"].startswith("no code")


def test_transactions_kept_counts_scopes_whose_code_and_entities_share_a_service() -> None:
    import dataclasses

    import numpy as np

    modules = ["a", "b", "c", "d"]
    graph = dataclasses.replace(
        graph_of(modules, [(0, 1, 3), (2, 3, 3), (1, 2, 1)]),
        # code in a writing entities of a and b; code in b writing entities of b and c;
        # code in d writing an entity of d
        transactions=(("a", "b"), ("b", "c"), ("d",)),
    )
    quality = Quality(graph, Affinity(graph.modules, graph.edges, WEIGHTS))
    assert "3 transaction scopes" in quality.transactions_note
    assert quality.measure(np.array([0, 0, 1, 1])).transactions_kept == 2 / 3
    assert quality.measure(np.array([0, 0, 0, 0])).transactions_kept == 1.0
    # the shared kernel (-1) is a library inside every service
    assert quality.measure(np.array([0, -1, 1, 1])).transactions_kept == 1.0
    plain = Quality(graph_of(modules, [(0, 1, 3)]), Affinity(graph.modules, graph.edges, WEIGHTS))
    assert plain.measure(np.array([0, 0, 1, 1])).transactions_kept is None
    assert plain.transactions_note.startswith("no transaction scope")
