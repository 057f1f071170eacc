"""Signals beyond the code's structure: git history, symbols, configuration, `explain`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose.cli import main
from decompose.config import DEFAULT_WEIGHTS, build_options
from decompose.errors import ConfigError, UsageError
from decompose.history import parse_log, read_history
from decompose.link import author_edges, build_graph, cochange_edges, symbol_edges, symbols_of
from decompose.model import Constraints, Edge, EdgeKind, SymbolKind
from tests.conftest import Tree
from tests.test_link_cluster_derive import SHOP, facts_of

WEIGHTS = dict(DEFAULT_WEIGHTS)


def test_cochange_is_code_maats_coupling_degree() -> None:
    changes = [["a", "b"], ["a", "b"], ["a"], ["a", "c"], ["b"]]
    edges = cochange_edges(changes)
    # a: 4 revisions, b: 3, shared 2 -> 2 / 3.5; a-c share one commit only
    assert edges == [Edge("a", "b", EdgeKind.COCHANGE, round(2 / 3.5, 6))]


def test_shared_authors_link_modules_written_by_the_same_people() -> None:
    authored = [("ann", "a"), ("ann", "b"), ("bob", "c"), ("bob", "d"), ("cy", "a"), ("cy", "d")]
    pairs = {(e.source, e.target) for e in author_edges(authored)}
    assert ("a", "b") in pairs and ("c", "d") in pairs
    assert ("a", "c") not in pairs


def test_parse_log_reads_commits_authors_and_python_files() -> None:
    text = "\x01abc Ann@X.org\n\nshop/a.py\nREADME.md\n\x01def bob@y.org\n\nshop/b.py\n"
    first, second = parse_log(text)
    assert (first.id, first.author, first.size) == ("abc", "ann@x.org", 2)
    assert first.files == ("shop/a.py",)
    assert second.files == ("shop/b.py",)


def test_git_signals_are_skipped_with_a_note_outside_git(make_tree: Tree) -> None:
    root = make_tree(SHOP)
    history = read_history(root)
    assert not history.available
    facts = facts_of(root)
    from decompose.extract import resolve_calls

    table, calls = resolve_calls(facts)
    graph = build_graph(facts, table, calls, WEIGHTS, history)
    assert not [e for e in graph.edges if e.kind in (EdgeKind.COCHANGE, EdgeKind.AUTHORS)]
    assert any("git co-change and shared authors skipped" in n for n in graph.notes)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_files_changed_together_get_a_cochange_edge(make_tree: Tree) -> None:
    root = make_tree(SHOP)
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "dev@example.org")
    _git(root, "config", "user.name", "Dev")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "start")
    for n in range(3):
        for name in ("orders.py", "payments.py"):
            with (root / "shop" / name).open("a", encoding="utf-8") as f:
                f.write(f"\nVERSION_{n} = {n}\n")
        _git(root, "commit", "-qam", f"change {n}")
    history = read_history(root)
    assert history.available and len(history.commits) == 4
    facts = facts_of(root)
    from decompose.extract import resolve_calls

    table, calls = resolve_calls(facts)
    graph = build_graph(facts, table, calls, WEIGHTS, history)
    cochange = [e for e in graph.edges if e.kind is EdgeKind.COCHANGE]
    # four shared commits of four each; the other modules share only the first one
    assert cochange == [Edge("shop.orders", "shop.payments", EdgeKind.COCHANGE, 1.0)]
    small = build_graph(facts, table, calls, WEIGHTS, history, cochange_max_files=2)
    assert any("ignored for touching more than 2 files" in n for n in small.notes)


def test_symbols_and_the_calls_between_them(make_tree: Tree) -> None:
    facts = facts_of(make_tree(SHOP))
    symbols = symbols_of(facts)
    kinds = {s.qualname: s.kind for s in symbols}
    assert kinds["shop.orders"] is SymbolKind.MODULE
    assert kinds["shop.orders.Order"] is SymbolKind.CLASS
    assert kinds["shop.orders.place_order"] is SymbolKind.FUNCTION
    assert "shop.orders.Order.__init__" not in kinds  # methods belong to their class
    from decompose.extract import resolve_calls

    table, calls = resolve_calls(facts)
    edges = {(e.source, e.target, e.kind) for e in symbol_edges(facts, table, calls, symbols)}
    assert ("shop.orders.place_order", "shop.orders.Order", EdgeKind.CALL) in edges
    assert ("shop.orders.place_order", "shop.payments.charge", EdgeKind.CALL) in edges
    assert ("shop.order_views", "shop.orders.place_order", EdgeKind.IMPORT) in edges


def test_constraints_and_git_settings_are_read_from_configuration(make_tree: Tree) -> None:
    root = make_tree(
        {
            "decompose.toml": """
                pins = { "shop.pay*" = "billing", "shop.util" = "shared" }
                must-link = [["shop.orders", "shop.order_views"]]
                cannot-link = [["shop.orders", "shop.payments"]]
                cochange-max-files = 12
                weights = { cochange = 0, authors = 0.5 }
                """,
            **SHOP,
        }
    )
    options = build_options(root, None)
    assert options.constraints == Constraints(
        pins=(("shop.pay*", "billing"), ("shop.util", "shared")),
        must_link=(("shop.orders", "shop.order_views"),),
        cannot_link=(("shop.orders", "shop.payments"),),
    )
    assert options.cochange_max_files == 12
    assert options.weight("cochange") == 0 and options.weight("authors") == 0.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('pins = { "a" = "Not A Name" }', "lowercase letters"),
        ('must-link = [["a"]]', "must-link must be a list of module pairs"),
        ("cochange-max-files = 1", "cochange-max-files"),
        ("weights = { transactions = 1 }", "unknown signal 'transactions'"),
    ],
)
def test_bad_constraints_are_configuration_errors(make_tree: Tree, text: str, message: str) -> None:
    root = make_tree({"decompose.toml": text, "a.py": "X = 1\n"})
    with pytest.raises(ConfigError, match=message):
        build_options(root, None)


def test_unknown_weight_flag_names_the_known_signals(make_tree: Tree) -> None:
    with pytest.raises(UsageError, match="cochange"):
        build_options(make_tree(SHOP), None, weights=["colour=1"])


def test_explain_prints_ties_and_exits_2_for_an_unknown_module(
    make_tree: Tree, tmp_path: Path
) -> None:
    root = make_tree(SHOP)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyze", str(root), "--out", str(out), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    plan = str(out / "plan.json")
    shown = CliRunner().invoke(main, ["explain", plan, "shop.orders"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("shop.orders -> ")
    assert "bound to" in shown.output
    missing = CliRunner().invoke(main, ["explain", plan, "shop.nowhere"])
    assert missing.exit_code == 2
    assert missing.output.count("\n") == 1 and "shop.nowhere" in missing.output


def test_plan_round_trips_metrics_splits_explanations_and_constraints(make_tree: Tree) -> None:
    from decompose.cluster import cluster_modules
    from decompose.derive import derive_plan
    from decompose.extract import resolve_calls
    from decompose.model import plan_from_json, plan_to_json

    facts = facts_of(make_tree(SHOP))
    table, calls = resolve_calls(facts)
    weights = {**WEIGHTS, "path": 0.0}
    graph = build_graph(facts, table, calls, weights)
    constraints = Constraints(
        pins=(("shop.payments", "billing"), ("shop.nowhere.*", "x")),
        cannot_link=(("shop.orders", "shop.order_views"),),
    )
    clustering = cluster_modules(graph, weights, 3, constraints)
    plan = derive_plan(
        target="shop",
        facts=facts,
        graph=graph,
        clustering=clustering,
        weights=weights,
        failures=(),
        files=len(facts),
    )
    assert plan.service_of()["shop.payments"] == "billing"
    assert plan.service_of()["shop.orders"] != plan.service_of()["shop.order_views"]
    assert plan.metrics is not None and plan.metrics.constraints is not None
    assert plan.metrics.chosen.transactions_kept is None
    assert plan.metrics.transactions_note.startswith("no transaction scope")
    assert any("matches no module" in n for n in plan.notes)
    assert {e.module for e in plan.explanations} == {f.module for f in facts}
    assert plan_from_json(plan_to_json(plan)) == plan


def test_benchmark_helpers_derive_domains_and_plant_graphs() -> None:
    from tests.benchmarks.cluster_speed import synthetic_graph
    from tests.benchmarks.oscar_accuracy import Project, expected_domains, named_after_apps

    project = Project("demo", "1", "demo.apps", ("core",))
    modules = ["demo.apps", "demo.apps.shop", "demo.apps.shop.models", "demo.apps.core.x",
               "demo.apps.util", "demo.settings"]  # fmt: skip
    assert expected_domains(modules, project) == {
        "demo.apps.shop": "shop",
        "demo.apps.shop.models": "shop",
    }
    # Flask: a nested package registering a blueprint is an app of its own, others are not
    flask = Project("conf", "1", "conf.modules", nested=("events",))
    modules = ["conf.modules.events", "conf.modules.events.models.events",
               "conf.modules.events.papers", "conf.modules.events.papers.blueprint",
               "conf.modules.events.papers.models.papers",
               "conf.modules.users.blueprint"]  # fmt: skip
    assert expected_domains(modules, flask) == {
        "conf.modules.events": "events",
        "conf.modules.events.models.events": "events",
        "conf.modules.events.papers": "events.papers",
        "conf.modules.events.papers.blueprint": "events.papers",
        "conf.modules.events.papers.models.papers": "events.papers",
        "conf.modules.users.blueprint": "users",
    }
    # names scored against the apps they mostly hold: the shared kernel and mixed services
    # are left out; singular or plural, separators and the app's prefix word do not matter
    from decompose.model import Service

    def service(name: str, modules: list[str], shared: bool = False) -> Service:
        return Service(name, tuple(modules), 1, (), (), (), is_shared=shared)

    apps = {"a.w1": "wishlists", "a.w2": "wishlists", "a.c1": "forum_conversation",
            "a.p1": "catalogue", "a.p2": "catalogue", "a.x": "partner",
            "a.s": "basket"}  # fmt: skip
    services = [
        service("wish-list", ["a.w1", "a.w2"]),
        service("conversation", ["a.c1"]),
        service("product", ["a.p1", "a.p2", "a.x"]),
        service("partner", ["a.x", "a.s"]),  # one app does not make most of it
        service("shared", ["a.s"], shared=True),
    ]
    assert named_after_apps(services, apps) == (2, 3)
    nested = [service("paper", ["a.e1"]), service("event", ["a.e2"])]
    assert named_after_apps(nested, {"a.e1": "events.papers", "a.e2": "events"}) == (2, 2)
    graph, planted = synthetic_graph(100, 2)
    assert len(graph.modules) == 120  # 100 planted in two domains, 20 shared utilities
    assert sorted(set(planted.values())) == ["app000", "app001", "shared"]
    assert len(graph.symbols) == 320


def test_a_callback_is_the_dependency_of_the_module_that_handed_it_over(make_tree: Tree) -> None:
    """A router calling its registered handlers does not depend on them; they depend on it."""
    from tests.test_link_cluster_derive import graph_of

    graph = graph_of(
        make_tree(
            {
                "web/__init__.py": "",
                "web/router.py": """
                    ROUTES = {}

                    def route(path):
                        def register(handler):
                            ROUTES[path] = handler
                            return handler
                        return register

                    def dispatch(path, request):
                        return ROUTES[path](request)

                    def run(job):
                        return job()
                    """,
                "web/orders.py": """
                    from web.router import route, run

                    @route("/orders")
                    def list_orders(request):
                        return run(count_orders)

                    def count_orders():
                        return 0
                    """,
                "web/reports.py": """
                    from web.orders import count_orders

                    def total():
                        return count_orders()
                    """,
            }
        )
    )
    calls = {(e.source, e.target) for e in graph.edges if e.kind is EdgeKind.CALL}
    assert ("web.orders", "web.router") in calls
    assert ("web.router", "web.orders") not in calls  # dispatch and run call back
    assert ("web.reports", "web.orders") in calls  # imported by name: a plain dependency


def test_explain_says_why_a_module_is_shared(tmp_path: Path) -> None:
    example = Path(__file__).parent.parent / "examples" / "layered_shop"
    out = tmp_path / "out"
    args = ["analyze", str(example), "--out", str(out), "-q", "-j", "1", "--no-cache"]
    assert CliRunner().invoke(main, args).exit_code == 0
    shared = json.loads((out / "plan.json").read_text())["shared_kernel"]
    assert shared, "layered_shop has a shared kernel"
    plan = str(out / "plan.json")
    kernel = CliRunner().invoke(main, ["explain", plan, shared[0]["module"]])
    assert kernel.exit_code == 0, kernel.output
    assert f"  shared: {shared[0]['reason']}" in kernel.output.splitlines()
