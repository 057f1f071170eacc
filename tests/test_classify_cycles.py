"""Cycles of synchronous dependencies, their fixes; operation names and parameter evidence."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.derive.cycles import (
    MAX_CYCLES,
    elementary_cycles,
    find_cycles,
)
from decompose.derive.interfaces import build_interfaces
from decompose.digraph import feedback_links
from decompose.model.contracts import Dependency, DependencyKind, SourceRef
from decompose.model.data import DataGraph
from tests.conftest import Tree
from tests.test_classify import program_of


def dep(source: str, target: str, name: str, locations: int, kind: str = "query") -> Dependency:
    refs = tuple(
        SourceRef(f"{source}.code", f"{source}.code.f{i}", i + 1) for i in range(locations)
    )
    return Dependency(source, target, DependencyKind(kind), name, "", refs, origin="call")


def test_two_services_calling_each_other_heavily_should_merge() -> None:
    cycles, _, note = find_cycles([dep("a", "b", "getB", 5), dep("b", "a", "getA", 4)])
    (cycle,) = cycles
    assert (cycle.services, cycle.fix, cycle.weights, note) == (("a", "b"), "merge", (5, 4), "")
    assert cycle.chain == (SourceRef("a.code", "a.code.f0", 1), SourceRef("b.code", "b.code.f0", 1))
    assert "merge a and b" in cycle.detail


def test_a_lopsided_cycle_turns_its_lightest_link_into_events() -> None:
    cycles, _, _ = find_cycles(
        [
            dep("order", "stock", "reserve", 6, "command"),
            dep("stock", "billing", "price", 3),
            dep("billing", "order", "getOrder", 1),
        ]
    )
    (cycle,) = cycles
    assert cycle.services == ("billing", "order", "stock")
    assert cycle.fix == "event" and cycle.weights == (1, 6, 3)
    assert cycle.detail.startswith("turn the lightest link, billing → order (1 location)")
    assert "order publishes events" in cycle.detail and "read model" in cycle.detail


def test_events_read_models_and_tasks_make_no_cycle() -> None:
    cycles, _, _ = find_cycles(
        [
            dep("a", "b", "getB", 3),
            dep("b", "a", "Changed", 3, "event"),
            dep("b", "a", "A", 3, "read_model"),
            Dependency("b", "a", DependencyKind.COMMAND, "Task", "", (), origin="task"),
        ]
    )
    assert cycles == ()


def test_johnson_finds_every_elementary_cycle_once() -> None:
    graph = {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a"}, "d": {"d"}}
    cycles, complete = elementary_cycles(graph, 100)
    assert complete
    assert sorted(cycles) == [("a", "b"), ("a", "b", "c"), ("a", "c"), ("d",)]


def test_too_many_cycles_are_cut_with_a_note() -> None:
    nodes = [f"s{i}" for i in range(7)]
    deps = [dep(a, b, f"{a}{b}", 1) for a, b in itertools.permutations(nodes, 2)]
    cycles, _, note = find_cycles(deps)
    assert len(cycles) == MAX_CYCLES and str(MAX_CYCLES) in note


@settings(max_examples=60, deadline=None)
@given(st.sets(st.tuples(st.sampled_from("abcde"), st.sampled_from("abcde")), max_size=12))
def test_every_cycle_found_is_a_real_simple_cycle(edges: set[tuple[str, str]]) -> None:
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    cycles, complete = elementary_cycles(graph, 1000)
    assert complete and len(set(cycles)) == len(cycles)
    for cycle in cycles:
        assert len(set(cycle)) == len(cycle) and cycle[0] == min(cycle)
        for k, node in enumerate(cycle):
            assert cycle[(k + 1) % len(cycle)] in graph[node]
    # brute force: every simple cycle through its smallest node is found
    nodes = sorted(graph.keys() | {b for _, b in edges})
    expected = set()
    for size in range(1, len(nodes) + 1):
        for combo in itertools.permutations(nodes, size):
            if combo[0] == min(combo) and all(
                combo[(k + 1) % size] in graph.get(combo[k], set()) for k in range(size)
            ):
                expected.add(combo)
    assert set(cycles) == expected


def test_one_link_many_cycles_share_is_the_one_to_break() -> None:
    # three cycles through payment -> order; each other link is heavier
    deps = [dep("payment", "order", "getOrder", 1)]
    for s in ("stock", "shipping", "mail"):
        deps += [dep("order", s, f"call{s}", 5, "command"), dep(s, "payment", f"pay{s}", 4)]
    cycles, (only,), _ = find_cycles(deps)
    assert (only.source, only.target, only.weight, only.cycles) == ("payment", "order", 1, 3)
    assert all("payment → order (1 location)" in c.detail for c in cycles)  # the fixes agree
    assert only.detail.startswith("order publishes events when the data payment queries")


def test_a_tight_pair_is_offered_the_merge_too() -> None:
    deps = [dep("a", "b", "getB", 5), dep("b", "a", "getA", 4)]
    cycles, (only,), _ = find_cycles(deps)
    assert (only.source, only.target) == ("b", "a")  # the lighter way
    assert only.detail.startswith("merge b and a, which call each other heavily both ways, or:")


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdef")).filter(
            lambda p: p[0] != p[1]
        ),
        st.integers(1, 9),
        max_size=18,
    )
)
def test_the_links_to_break_leave_no_cycle_and_none_is_needless(
    weight: dict[tuple[str, str], int],
) -> None:
    chosen = feedback_links(weight)
    assert chosen <= set(weight)

    def cyclic(pairs: set[tuple[str, str]]) -> bool:
        graph: dict[str, set[str]] = {}
        for a, b in pairs:
            graph.setdefault(a, set()).add(b)
        return bool(elementary_cycles(graph, 1)[0])

    kept = set(weight) - chosen
    assert not cyclic(kept)
    assert all(cyclic(kept | {pair}) for pair in chosen)  # each one is needed
    assert cyclic(set(weight)) == bool(chosen)


# -- operations ---------------------------------------------------------------------------------

TWO_GETS = {
    "a/__init__.py": "",
    "a/use.py": """
        from b.one import get
        from b.two import get as get2
        from b.two import Gateway

        def f(x: int) -> int:
            gateway = Gateway()
            gateway.charge(1, currency="EUR")
            gateway.charge(2)
            return get(x) + get2(x)
        """,
    "b/__init__.py": "",
    "b/one.py": "def get(x: int) -> int:\n    return x\n",
    "b/two.py": """
        def get(x: int) -> int:
            return x

        class Gateway:
            def charge(self, amount: int, currency: str = "EUR") -> None:
                pass
        """,
}


def test_colliding_operation_names_are_qualified_and_paths_stay_unique(make_tree: Tree) -> None:
    program, services = program_of(make_tree, TWO_GETS, {"a": "a", "b": "b"}, DataGraph())
    ops = build_interfaces(program, services, (), ()).operations
    ids = sorted(o.operation_id for o in ops)
    assert ids == ["charge", "oneGet", "twoGet"]
    assert len({(o.method, o.path) for o in ops}) == len(ops)


def test_parameters_are_required_when_every_call_gives_them(make_tree: Tree) -> None:
    program, services = program_of(make_tree, TWO_GETS, {"a": "a", "b": "b"}, DataGraph())
    ops = build_interfaces(program, services, (), ()).operations
    charge = next(o for o in ops if o.operation_id == "charge")
    assert [(p.name, p.type, p.required) for p in charge.parameters] == [
        ("amount", "integer", True),
        ("currency", "string", False),  # one call leaves it out: it has a default
    ]
