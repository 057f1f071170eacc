"""link, cluster and derive on small inline code bases."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.cluster import affinity_graph, cluster_modules
from decompose.cluster.kernel import shared_kernel
from decompose.config import DEFAULT_WEIGHTS
from decompose.derive import derive_plan, name_domains
from decompose.discover import discover
from decompose.extract import extract_module, resolve_calls
from decompose.link import build_graph, path_edges
from decompose.model import CallStats, Edge, EdgeKind, ModuleFacts, ModuleGraph
from decompose.parse import parse_files
from tests.conftest import Tree

SHOP = {
    "shop/__init__.py": '"""The shop."""\n',
    "shop/orders.py": """
        from shop.payments import charge
        from shop.util import money

        class Order:
            def __init__(self, total: int) -> None:
                self.total = total

        class OrderLine:
            pass

        def place_order(total: int) -> Order:
            order = Order(total)
            charge(money(total))
            return order
        """,
    "shop/order_views.py": """
        from shop.orders import place_order, Order
        from shop.util import money

        def checkout(total: int) -> Order:
            money(total)
            return place_order(total)
        """,
    "shop/payments.py": """
        from shop.util import money

        class Payment:
            def refund(self) -> None:
                pass

        def charge(amount: str) -> Payment:
            money(1)
            return Payment()
        """,
    "shop/util.py": """
        def money(cents: int) -> str:
            return f"{cents / 100:.2f}"
        """,
}

WEIGHTS = dict(DEFAULT_WEIGHTS)


def facts_of(root: Path) -> list[ModuleFacts]:
    found = discover(root)
    return list(parse_files(found.root, found.files, extract_module, jobs=1).results)


def graph_of(root: Path, weights: dict[str, float] = WEIGHTS) -> ModuleGraph:
    facts = facts_of(root)
    table, calls = resolve_calls(facts)
    return build_graph(facts, table, calls, weights)


def test_call_import_and_inheritance_edges(make_tree: Tree) -> None:
    graph = graph_of(make_tree(SHOP))
    edges = {(e.source, e.target, e.kind): e.weight for e in graph.edges}
    assert edges[("shop.order_views", "shop.orders", EdgeKind.CALL)] == 1
    assert edges[("shop.order_views", "shop.orders", EdgeKind.IMPORT)] == 2
    assert edges[("shop.orders", "shop.payments", EdgeKind.CALL)] == 1
    assert edges[("shop.payments", "shop.util", EdgeKind.CALL)] == 1
    assert graph.codeless == ("shop",)
    assert graph.calls.internal >= 6


def test_a_package_init_that_only_imports_is_a_package_marker(make_tree: Tree) -> None:
    graph = graph_of(
        make_tree(
            {
                "site/__init__.py": '__version__ = "1.0"\n',
                "site/blog/__init__.py": '"""Blogging."""\nfrom site import __version__\n',
                "site/blog/models.py": "from site.blog import __version__\nclass Post: pass\n",
                "site/shims.py": "from site.blog.models import Post\n",  # a module, not a marker
                "site/feeds/__init__.py": "from site.blog.models import Post\nLATEST = Post()\n",
            }
        )
    )
    # a constant (`__version__`) is package metadata too; a module importing or a package
    # running code (`LATEST = Post()`) is clustered
    assert graph.codeless == ("site", "site.blog")


def test_a_submodule_used_through_its_package_is_a_dependency(make_tree: Tree) -> None:
    # indico declares its signals in submodules its package re-exports, and every sender
    # writes `signals.event.created.send(...)` after `from app.core import signals`
    graph = graph_of(
        make_tree(
            {
                "app/__init__.py": "",
                "app/core/__init__.py": "",
                "app/core/signals/__init__.py": "from app.core.signals import event, users\n",
                "app/core/signals/event.py": "from blinker import Namespace\n"
                "created = Namespace().signal('created')\n",
                "app/core/signals/users.py": "from blinker import Namespace\n"
                "registered = Namespace().signal('registered')\n",
                "app/core/models/__init__.py": "from app.core.models.user import User\n",
                "app/core/models/user.py": "class User:\n    def save(self): pass\n",
                "app/events.py": "from app.core import models, signals\n"
                "def create():\n"
                "    signals.event.created.send('event')\n"
                "    models.User().save()\n",
            }
        )
    )
    imports = {(e.source, e.target) for e in graph.edges if e.kind is EdgeKind.IMPORT}
    assert ("app.events", "app.core.signals.event") in imports
    assert ("app.events", "app.core.signals.users") not in imports
    # a class re-exported by a package (`models.User()`) is a dependency on the module
    # defining it, as `from app.core.models import User` is
    assert ("app.events", "app.core.models.user") in imports


def test_path_weight_zero_removes_every_path_edge(make_tree: Tree) -> None:
    graph = graph_of(make_tree(SHOP), {**WEIGHTS, "path": 0.0})
    assert not [e for e in graph.edges if e.kind is EdgeKind.PATH]
    with_path = graph_of(make_tree(SHOP))
    assert [e for e in with_path.edges if e.kind is EdgeKind.PATH]


def test_path_edges_link_siblings_and_package() -> None:
    edges = path_edges(["a", "a.x", "a.y", "b.z"])
    assert Edge("a.x", "a", EdgeKind.PATH, 1.0) in edges
    assert Edge("a.x", "a.y", EdgeKind.PATH, 0.5) in edges
    assert not [e for e in edges if "b.z" in (e.source, e.target)]


def test_semantic_vocabulary_never_holds_module_names(make_tree: Tree) -> None:
    tree = {
        "zebra/__init__.py": "",
        "zebra/quagga.py": """
            import zebra.okapi
            from zebra import okapi as o
            from zebra.okapi import gnu

            TASK = "zebra.okapi.gnu"

            def ship_parcel() -> None:
                zebra.okapi.gnu()
                o.gnu()
            """,
        "zebra/okapi.py": "def gnu() -> None:\n    return None\n",
    }
    facts = {f.module: f for f in facts_of(make_tree(tree))}
    words = dict(facts["zebra.quagga"].vocabulary)
    assert "ship" in words and "parcel" in words
    assert not {"zebra", "okapi", "quagga"} & set(words)


def test_derive_names_services_from_their_code(make_tree: Tree) -> None:
    root = make_tree(SHOP)
    facts = facts_of(root)
    table, calls = resolve_calls(facts)
    graph = build_graph(facts, table, calls, WEIGHTS)
    clustering = cluster_modules(graph, WEIGHTS, 42)
    plan = derive_plan(
        target="shop",
        facts=facts,
        graph=graph,
        clustering=clustering,
        weights=WEIGHTS,
        failures=(),
        files=len(facts),
    )
    assert {m for m, _ in plan.modules} == {f.module for f in facts}
    names = [s.name for s in plan.services]
    assert len(names) == len(set(names))
    assert all(n.replace("-", "").isalnum() and n == n.lower() for n in names)
    assert not any(n.startswith(("cluster", "domain")) for n in names)


def test_names_prefer_distinctive_class_vocabulary() -> None:
    def facts(module: str, classes: list[str]) -> ModuleFacts:
        from decompose.model import Definition, DefinitionKind

        defs = tuple(Definition(f"{module}.{c}", DefinitionKind.CLASS, 1, 40) for c in classes)
        return ModuleFacts(module, module, 40, False, "", defs, (), ())

    names = name_domains(
        {
            0: [facts("a", ["ShipmentTracker", "Shipment", "Repository"])],
            1: [facts("b", ["PaymentIntent", "Payment", "Repository"])],
            2: [facts("c", ["Repository"])],
        }
    )
    assert names[0] == "shipment" and names[1] == "payment"
    assert len(set(names.values())) == 3


def test_names_follow_the_owned_aggregate_root_then_domain_words_not_framework_roles() -> None:
    from decompose.model import Definition, DefinitionKind

    def facts(module: str, classes: list[tuple[str, tuple[str, ...]]]) -> ModuleFacts:
        defs = tuple(
            Definition(f"{module}.{c}", DefinitionKind.CLASS, 1, 40, bases) for c, bases in classes
        )
        return ModuleFacts(module, module, 40, False, "", defs, (), ())

    view = ("django.views.generic.ListView",)
    names = name_domains(
        {
            # views and forms of every domain read alike: "list", "view", "form" are roles
            0: [facts("a", [("ShipmentListView", view), ("AbstractShipment", ())])],
            1: [facts("b", [("InvoiceListView", view), ("Order", ("b.AbstractOrder",))])],
            2: [facts("c", [("WishListView", view), ("BasketLine", ())])],
        },
        entities={2: {"BasketLine": 3.0, "WishList": 9.0}},
    )
    assert names == {0: "shipment", 1: "invoice", 2: "wish-list"}


def test_framework_roles_never_name_a_domain_but_an_entity_may_carry_one() -> None:
    from decompose.model import Definition, DefinitionKind

    def facts(module: str, classes: list[str]) -> ModuleFacts:
        defs = tuple(Definition(f"{module}.{c}", DefinitionKind.CLASS, 1, 400) for c in classes)
        return ModuleFacts(module, module, 40, False, "", defs, (), ())

    names = name_domains(
        {
            # its own base views and forms: "view" and "form" outweigh "avatar", yet name nothing
            0: [facts("a", ["AvatarView", "ProfileView", "SettingsView", "AvatarForm"])],
            1: [facts("b", ["SettingsForm"])],
        },
        entities={1: {"Setting": 1.0}},
    )
    assert names == {0: "avatar", 1: "setting"}


def test_names_of_acronyms_role_word_entities_and_the_project_itself() -> None:
    """Seen on indico: a conference `Abstract` is a business entity whose only word is a role
    word; `OAuthApplication` is "oauth", not "o-auth"; `IndicoCelery` says "indico", the
    project every domain is part of; marshmallow schemas are a framework role."""
    from decompose.model import Definition, DefinitionKind

    def facts(module: str, classes: list[str]) -> ModuleFacts:
        defs = tuple(Definition(f"{module}.{c}", DefinitionKind.CLASS, 1, 40) for c in classes)
        return ModuleFacts(module, module, 40, False, "", defs, (), ())

    domains = {
        0: [facts("indico.abstracts", ["Abstract", "AbstractReview"])],
        1: [facts("indico.oauth", ["OAuthApplication"])],
        2: [facts("indico.celery", ["IndicoCelery", "IndicoTask"])],
        3: [
            facts("indico.search", ["ResultSchema", "SearchSchema", "EventSearchSchema", "Search"])
        ],
    }
    entities = {0: {"Abstract": 3.0}, 1: {"OAuthApplication": 1.0}}
    names = name_domains(domains, entities=entities)
    assert names == {0: "abstract", 1: "oauth-application", 2: "celery", 3: "search"}
    # apps at the top level are domains, not a project: their names stay candidates
    flat = {0: [facts("orders.models", ["Orders"])], 1: [facts("payments.models", ["Payments"])]}
    assert name_domains(flat) == {0: "orders", 1: "payments"}


def test_an_entity_name_waits_for_the_domain_declaring_it() -> None:
    from decompose.model import Definition, DefinitionKind

    def facts(module: str, classes: list[str], lines: int) -> ModuleFacts:
        defs = tuple(Definition(f"{module}.{c}", DefinitionKind.CLASS, 1, 40) for c in classes)
        return ModuleFacts(module, module, lines, False, "", defs, (), ())

    domains = {
        0: [facts("checks", ["CheckRunner", "InvoiceCheck"], 900)],  # bigger: chooses first
        1: [facts("billing", ["Invoice", "Plan"], 100)],
    }
    # the checks write invoices most (they own them); billing declares them
    entities = {0: {"Invoice": 0.5}, 1: {"Invoice": 2.9, "Plan": 2.5}}
    names = name_domains(domains, entities=entities, declared={1: {"Invoice"}})
    assert names == {0: "check", 1: "invoice"}
    # once the declaring domain is named after something else, the name is free again
    entities = {0: {"Keyword": 2.9, "Invoice": 2.5}, 1: {"Invoice": 0.5}}
    domains = {0: [facts("generic", ["Keyword"], 900)], 1: [facts("importer", ["Run"], 100)]}
    names = name_domains(domains, entities=entities, declared={0: {"Keyword", "Invoice"}})
    assert names == {0: "keyword", 1: "invoice"}


def test_a_base_class_of_the_domain_names_its_concept_not_a_role() -> None:
    from decompose.model import Definition, DefinitionKind

    def facts(module: str, classes: list[tuple[str, tuple[str, ...]]]) -> ModuleFacts:
        defs = tuple(
            Definition(f"{module}.{c}", DefinitionKind.CLASS, 1, 40, bases) for c, bases in classes
        )
        return ModuleFacts(module, module, 40, False, "", defs, (), ())

    base = ("a.base.BulkAction",)  # defined in the domain: its words are the domain's concept
    names = name_domains(
        {
            0: [
                facts("a.base", [("BulkAction", ())]),
                facts("a.delete", [("DeleteBulkAction", base), ("PageDeleteBulkAction", base)]),
                facts("a.move", [("MoveBulkAction", base)]),
            ],
            1: [facts("b", [("InvoiceListView", ("django.views.generic.ListView",))])],
        }
    )
    # "bulk" and "action" weigh the same; without the rule the verbs ("delete") would win
    assert names == {0: "action", 1: "invoice"}


def small_graph(modules: list[str], pairs: list[tuple[int, int, int]]) -> ModuleGraph:
    edges = sorted(
        {Edge(modules[a], modules[b], EdgeKind.CALL, float(n)) for a, b, n in pairs if a != b}
    )
    return ModuleGraph(
        tuple(sorted(modules)),
        tuple((m, 10) for m in sorted(modules)),
        tuple(edges),
        CallStats(0, 0, 0, 0),
    )


graphs = st.integers(min_value=2, max_value=30).flatmap(
    lambda n: st.tuples(
        st.just([f"m{i:02d}" for i in range(n)]),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 20)),
            max_size=4 * n,
        ),
    )
)


@settings(max_examples=60, deadline=None)
@given(graphs, st.integers(0, 2**16))
def test_clustering_is_a_deterministic_partition(
    spec: tuple[list[str], list[tuple[int, int, int]]], seed: int
) -> None:
    graph = small_graph(*spec)
    result = cluster_modules(graph, WEIGHTS, seed)
    assigned = [m for m, _ in result.assignment] + [s.module for s in result.shared]
    assert sorted(assigned) == sorted(graph.modules)
    assert result == cluster_modules(graph, WEIGHTS, seed)


def test_two_dense_groups_become_two_domains() -> None:
    mods = [f"a{i}" for i in range(4)] + [f"b{i}" for i in range(4)]
    pairs = [(i, j, 5) for i in range(4) for j in range(4)]
    pairs += [(i + 4, j + 4, 5) for i in range(4) for j in range(4)]
    pairs += [(0, 4, 1)]
    result = cluster_modules(small_graph(mods, pairs), WEIGHTS, 1)
    domains = result.domains()
    assert sorted(domains.values()) == [tuple(mods[:4]), tuple(mods[4:])]


def test_utility_used_by_every_domain_is_shared() -> None:
    groups = [[f"{g}{i}" for i in range(3)] for g in "abcd"]
    mods = [m for g in groups for m in g] + ["util"]
    index = {m: i for i, m in enumerate(mods)}
    pairs = []
    for g in groups:
        pairs += [(index[x], index[y], 6) for x in g for y in g]
        pairs += [(index[g[0]], index["util"], 2)]
    result = cluster_modules(small_graph(mods, pairs), WEIGHTS, 3)
    assert [s.module for s in result.shared] == ["util"]
    assert "4 of 4 domains" in result.shared[0].reason


def test_affinity_scales_each_signal_to_its_weight() -> None:
    edges = [
        Edge("a", "b", EdgeKind.CALL, 1.0),
        Edge("b", "c", EdgeKind.IMPORT, 1.0),
        Edge("a", "c", EdgeKind.PATH, 1.0),
    ]
    graph = affinity_graph(["a", "b", "c"], edges, {"call": 2.0, "import": 1.0, "path": 0.0})
    assert graph["a"]["b"]["weight"] == 2.0
    assert graph["b"]["c"]["weight"] == 1.0
    assert not graph.has_edge("a", "c")


def import_graph(
    modules: Iterable[str],
    imports: Iterable[tuple[str, str]],
    extra: Iterable[Edge] = (),
    codeless: tuple[str, ...] = (),
) -> ModuleGraph:
    """A module graph of single imports (and `extra` edges), 10 lines a module."""
    edges = [Edge(s, t, EdgeKind.IMPORT, 1.0) for s, t in imports] + list(extra)
    names = tuple(sorted(modules))
    return ModuleGraph(
        names, tuple((m, 10) for m in names), tuple(sorted(edges)), CallStats(0, 0, 0, 0), codeless
    )


def test_a_library_takes_its_own_dependencies_and_never_an_entity_module() -> None:
    domain = {f"{g}{i}": n for n, g in enumerate("abcd") for i in range(2)}
    domain |= {"loading": 0, "exceptions": 0, "deprecation": 1, "models": 2, "views": 3}
    imports = [(u, "loading") for u in ("a0", "b0", "c0", "d0")]
    imports += [("loading", "exceptions"), ("loading", "deprecation"), ("b1", "deprecation")]
    imports += [(u, "models") for u in ("a1", "b1", "c1", "d1")]
    imports += [(u, "views") for u in ("a0", "b0", "c0")] + [("views", "d1"), ("d1", "d0")]
    holds_entity = Edge("c0", "models", EdgeKind.DATA, 2.0)
    shared = shared_kernel(import_graph(domain, imports, [holds_entity]), domain)
    # the loader is used by every domain; its exceptions and its deprecation helper depend on
    # nothing and go with it, although a domain module uses the helper too
    assert sorted(shared) == ["deprecation", "exceptions", "loading"]
    assert shared["exceptions"].startswith("part of the shared library: loading depends on it")
    # `models` is used by every domain but owns data; `views` depends on a domain's code
    assert "models" not in shared and "views" not in shared and "d1" not in shared


def test_framework_glue_mostly_on_the_kernel_is_shared_but_a_domain_facade_is_not() -> None:
    """indico's request-handler base `RH`, used by every domain, depends on the config and the
    logger (shared) and looks up the request's user in the users domain: it is shared, and its
    reason names the user module as the API it will call. An orders facade used as widely
    but depending on its own domain stays there."""
    domain = {f"{g}{i}": n for n, g in enumerate("abcd") for i in range(2)}
    domain |= {"rh": 0, "config": 1, "logger": 2, "users": 3, "orders_api": 1}
    imports = [(u, m) for u in ("a0", "b0", "c0", "d0") for m in ("rh", "config", "orders_api")]
    imports += [(u, "logger") for u in ("a1", "b1", "c1", "d1")]
    imports += [("rh", "config"), ("rh", "logger"), ("rh", "users"), ("users", "d0")]
    imports += [("orders_api", "b0"), ("orders_api", "b1"), ("orders_api", "config")]
    imports += [("b0", "b1"), ("b1", "b0")]  # the orders domain's code
    shared = shared_kernel(import_graph(domain, imports), domain)
    assert sorted(shared) == ["config", "logger", "rh"]
    assert "framework glue with 2 of 3 dependencies shared" in shared["rh"]
    assert "its uses of users become calls to their services' APIs" in shared["rh"]
    assert shared["config"].endswith("it depends on nothing")


def test_a_detached_module_says_whether_it_uses_the_kernel() -> None:
    """trac's admin panels use only the framework set apart as the kernel: their reason must
    not say they depend on nothing."""
    from decompose.cluster.kernel import NO_DEPENDENCY, ONLY_KERNEL, detached

    modules = ("island", "lib", "page", "pkg", "pkg.mod", "script_a", "script_b")
    imports = [("page", "lib"), ("pkg.mod", "pkg"), ("script_a", "script_b")]
    found = detached(import_graph(modules, imports, codeless=("pkg",)), {"lib", "pkg"})
    assert found["page"] == ONLY_KERNEL
    assert found["island"] == found["pkg.mod"] == NO_DEPENDENCY  # an empty package is no kernel
    assert "no dependency to or from the rest of the code" in found["script_a"]
    assert sorted(found) == ["island", "page", "pkg.mod", "script_a", "script_b"]


def test_a_domain_is_named_after_the_entities_it_defines_or_owns() -> None:
    from decompose.derive.plan import _entities_by_domain
    from decompose.model import Clustering, Definition, DefinitionKind
    from decompose.model.data import Access, AccessMode, DataGraph, Entity, Orm

    def facts(module: str, cls: str) -> ModuleFacts:
        defs = (Definition(f"{module}.{cls}", DefinitionKind.CLASS, 1, 40),)
        return ModuleFacts(module, module, 40, False, "", defs, (), ())

    product = "shop.catalogue.models.Product"
    data = DataGraph(
        entities=(Entity(product, "shop.catalogue.models", Orm.DJANGO, "t", False, ()),),
        accesses=tuple(
            Access(
                f"shop.importer.Importer.run{i}",
                "shop.importer",
                product,
                AccessMode.WRITE,
                "objects.create",
                i,
            )
            for i in range(3)
        ),
    )
    clustering = Clustering(
        assignment=(("shop.catalogue.models", 0), ("shop.importer", 1)),
        shared=(),
        algorithm="",
        modularity=0.0,
        seed=0,
    )
    found = _entities_by_domain(
        [facts("shop.catalogue.models", "Product"), facts("shop.importer", "Importer")],
        (),
        data,
        clustering,
    )
    # the importer writes Product (it owns it); the catalogue declares it: both may be named so
    assert found.keys() == {0, 1} and found[0].keys() == found[1].keys() == {"Product"}


def test_a_domain_is_named_after_what_it_defines_before_what_it_only_owns() -> None:
    from decompose.derive.plan import _entities_by_domain
    from decompose.model import Clustering
    from decompose.model.data import Access, AccessMode, DataGraph, Entity, Orm

    partner, page = "shop.partner.models.Partner", "shop.pages.models.Page"
    writes = [
        Access(f"shop.dashboard.f{i}", "shop.dashboard", e, AccessMode.WRITE, "save", i)
        for i, e in enumerate([partner] * 6 + [page])
    ]
    data = DataGraph(
        entities=(
            Entity(partner, "shop.partner.models", Orm.DJANGO, "p", False, ()),
            Entity(page, "shop.pages.models", Orm.DJANGO, "g", False, ()),
        ),
        accesses=tuple(writes),
    )
    clustering = Clustering(
        assignment=(
            ("shop.dashboard", 0),
            ("shop.pages.models", 0),
            ("shop.partner.models", 1),
        ),
        shared=(),
        algorithm="",
        modularity=0.0,
        seed=0,
    )
    found = _entities_by_domain([], (), data, clustering)
    # a back office writes partners most (it owns them) but declares pages: it is "page"
    assert sorted(found[0], key=lambda e: -found[0][e]) == ["Page", "Partner"]
    assert list(found[1]) == ["Partner"]


def test_a_domain_is_named_after_its_aggregate_root_not_its_busiest_part() -> None:
    from decompose.derive.plan import _entities_by_domain
    from decompose.model import Clustering
    from decompose.model.data import (
        Access,
        AccessMode,
        DataGraph,
        Entity,
        EntityField,
        Orm,
        Relation,
    )

    module = "shop.basket.models"
    basket, line, carrier = (f"{module}.{name}" for name in ("Basket", "Line", "Carrier"))

    def to(target: str, cascade: bool, nullable: bool = False) -> EntityField:
        relation = Relation.FOREIGN_KEY
        return EntityField(
            target.rpartition(".")[2].lower(),
            "ForeignKey",
            "",
            relation,
            target,
            nullable=nullable,
            cascade=cascade,
        )

    data = DataGraph(
        entities=(
            Entity(basket, module, Orm.DJANGO, "b", False, (to(carrier, False),)),
            # a line is part of its basket: deleted with it, never without one
            Entity(line, module, Orm.DJANGO, "l", False, (to(basket, True),)),
            Entity(carrier, module, Orm.DJANGO, "c", False, ()),
        ),
        accesses=(
            *(
                Access(f"{module}.f{i}", module, line, AccessMode.READ, "lines.all", i)
                for i in range(5)
            ),
            Access(f"{module}.g", module, basket, AccessMode.WRITE, "save", 9),
        ),
    )
    clustering = Clustering(
        assignment=((module, 0),), shared=(), algorithm="", modularity=0.0, seed=0
    )
    found = _entities_by_domain([], (), data, clustering)[0]
    # the busiest entity is the line, but it is part of the basket; the carrier, which the
    # basket merely refers to, is no part of anything either and ranks by centrality
    assert sorted(found, key=lambda e: -found[e]) == ["Basket", "Carrier", "Line"]

    # an offer deleted with its condition or with its benefit ties them: no part of either
    module = "shop.offer.models"
    offer, condition, benefit = (f"{module}.{n}" for n in ("Offer", "Condition", "Benefit"))
    data = DataGraph(
        entities=(
            Entity(offer, module, Orm.DJANGO, "o", False, (to(condition, True), to(benefit, True))),
            Entity(condition, module, Orm.DJANGO, "c", False, ()),
            Entity(benefit, module, Orm.DJANGO, "b", False, ()),
        ),
        accesses=tuple(
            Access(f"{module}.f{i}", module, offer, AccessMode.READ, "get", i) for i in range(3)
        ),
    )
    clustering = Clustering(
        assignment=((module, 0),), shared=(), algorithm="", modularity=0.0, seed=0
    )
    found = _entities_by_domain([], (), data, clustering)[0]
    assert max(found, key=lambda e: found[e]) == "Offer"
