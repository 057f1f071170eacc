"""Classification of cross-service dependencies, one rule per test, on hand-built facts.

The code is real (extracted and resolved like any analysed project); the data graph and the
placement of modules into services are written by hand, so each test controls exactly which
entity is written, read or signalled where.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from decompose.derive.classify import READ_MODEL_FUNCTIONS
from decompose.derive.events import event_name
from decompose.derive.interfaces import build_interfaces
from decompose.derive.ownership import own_entities
from decompose.derive.program import Program
from decompose.derive.sagas import _unique_names
from decompose.derive.words import is_verb, pascal, past, plural, words
from decompose.discover import discover
from decompose.extract import extract_module, resolve_calls
from decompose.extract.data_resolve import resolve_data
from decompose.model import Service
from decompose.model.contracts import DependencyKind, Saga, ServiceInterfaces
from decompose.model.data import (
    Access,
    AccessMode,
    AsyncEdge,
    DataGraph,
    Entity,
    EntityField,
    Orm,
    Relation,
)
from decompose.parse import parse_files
from tests.conftest import Tree

SHOP = {
    "core/__init__.py": "",
    "core/util.py": """
        def money(cents: int) -> str:
            return f"{cents / 100:.2f}"
        """,
    "orders/__init__.py": "",
    "orders/models.py": """
        class Order:
            def summary(self) -> str:
                return "order"

        class OrderLine:
            pass
        """,
    "orders/services.py": """
        from billing.payments import charge
        from catalog.queries import price_of
        from core.util import money
        from inventory.errors import OutOfStock
        from inventory.services import reserve_stock, stock_level
        from orders.models import Order

        def place_order(customer_id: int, sku: str, quantity: int) -> int:
            price = price_of(sku)
            if stock_level(sku) < quantity:
                raise OutOfStock(sku)
            reserve_stock(sku, quantity)
            charge(customer_id, price * quantity)
            money(price)
            order = Order()
            return 1

        def cancel_order(order_id: int) -> None:
            pass
        """,
    "inventory/__init__.py": "",
    "inventory/errors.py": """
        class OutOfStock(Exception):
            pass
        """,
    "inventory/services.py": """
        def reserve_stock(sku: str, quantity: int) -> None:
            pass

        def release_stock(sku: str, quantity: int) -> None:
            pass

        def stock_level(sku: str) -> int:
            return 1
        """,
    "catalog/__init__.py": "",
    "catalog/queries.py": """
        from decimal import Decimal

        def price_of(sku: str) -> Decimal:
            return Decimal(1)
        """,
    "billing/__init__.py": "",
    "billing/payments.py": """
        def charge(customer_id: int, amount) -> dict:
            return {}

        def refund_payment(payment_id: int) -> None:
            pass
        """,
    "shipping/__init__.py": "",
    "shipping/labels.py": """
        from orders.models import Order

        def label(order: Order) -> str:
            return order.summary()

        def fix_stock(sku: str) -> None:
            pass
        """,
    "analytics/__init__.py": "",
    "analytics/report.py": """
        def daily() -> None:
            pass

        def weekly() -> None:
            pass

        def monthly() -> None:
            pass
        """,
    "mail/__init__.py": "",
    "mail/handlers.py": """
        def on_order_placed(sender, **kwargs) -> None:
            pass
        """,
    "mail/tasks.py": """
        def send_receipt(order_id: int) -> None:
            pass
        """,
    "search/__init__.py": "",
    "search/index.py": """
        def on_save(sender, instance, **kwargs) -> None:
            pass
        """,
}
SERVICES = {
    "orders": "order",
    "inventory": "stock",
    "catalog": "product",
    "billing": "payment",
    "shipping": "shipment",
    "analytics": "analytics",
    "mail": "mail",
    "search": "search",
}


def entity(qualname: str, *fields: EntityField, abstract: bool = False) -> Entity:
    module, name = qualname.rsplit(".", 1)
    table = f"{module.split('.')[0]}_{name.lower()}"
    return Entity(qualname, module, Orm.DJANGO, table, abstract, fields)


def write(caller: str, entity: str, line: int, via: str = "objects.create") -> Access:
    return Access(caller, caller.rsplit(".", 1)[0], entity, AccessMode.WRITE, via, line)


def read(caller: str, entity: str, line: int, via: str = "objects.filter") -> Access:
    return Access(caller, caller.rsplit(".", 1)[0], entity, AccessMode.READ, via, line)


ENTITIES = (
    entity("orders.models.Order", EntityField("total", "DecimalField", "number")),
    entity(
        "orders.models.OrderLine",
        EntityField(
            "order", "ForeignKey", "", Relation.FOREIGN_KEY, "orders.models.Order", "Order"
        ),
    ),
    entity("inventory.models.StockItem", EntityField("sku", "CharField", "string")),
    entity("catalog.models.Product", EntityField("sku", "CharField", "string")),
    entity("billing.models.Payment", EntityField("amount", "DecimalField", "number")),
)
ACCESSES = (
    write("orders.services.place_order", "orders.models.Order", 17),
    write("orders.services.cancel_order", "orders.models.Order", 19, "save"),
    write("inventory.services.reserve_stock", "inventory.models.StockItem", 2, "update"),
    write("inventory.services.release_stock", "inventory.models.StockItem", 5, "update"),
    read("inventory.services.stock_level", "inventory.models.StockItem", 8),
    read("catalog.queries.price_of", "catalog.models.Product", 5, "objects.get"),
    write("billing.payments.charge", "billing.models.Payment", 2),
    write("billing.payments.refund_payment", "billing.models.Payment", 5, "save"),
    write("shipping.labels.fix_stock", "inventory.models.StockItem", 8, "filter.update"),
    read("shipping.labels.label", "orders.models.Order", 5, "objects.get"),
    read("analytics.report.daily", "orders.models.Order", 2),
    read("analytics.report.weekly", "orders.models.Order", 5),
    read("analytics.report.monthly", "orders.models.Order", 8),
)
ASYNC = (
    AsyncEdge(
        "signal",
        "orders.signals.order_placed",
        "orders.services.place_order",
        "orders.services",
        "mail.handlers.on_order_placed",
        "mail.handlers",
        16,
    ),
    AsyncEdge(
        "task",
        "mail.tasks.send_receipt",
        "orders.services.place_order",
        "orders.services",
        "mail.tasks.send_receipt",
        "mail.tasks",
        17,
    ),
    AsyncEdge(
        "signal",
        "django.db.models.signals.post_save",
        "",
        "orders.models",
        "search.index.on_save",
        "search.index",
        0,
        sender="orders.models.Order",
    ),
)
DATA = DataGraph(entities=ENTITIES, accesses=ACCESSES, async_edges=ASYNC)


def program_of(
    make_tree: Tree, files: Mapping[str, str], services: Mapping[str, str], data: DataGraph
) -> tuple[Program, list[Service]]:
    root = make_tree(files)
    found = discover(root)
    facts = parse_files(found.root, found.files, extract_module, jobs=1).results
    _, calls = resolve_calls(facts)
    placement = {f.module: services.get(f.module.split(".")[0], "shared") for f in facts}
    placement.update({e.module: services[e.module.split(".")[0]] for e in data.entities})
    members: dict[str, list[str]] = {}
    for module, service in placement.items():
        members.setdefault(service, []).append(module)
    listed = [
        Service(name, tuple(sorted(ms)), 10 * len(ms), (), (), (), is_shared=name == "shared")
        for name, ms in sorted(members.items())
    ]
    return Program(facts, calls, data, placement, {}), listed


@pytest.fixture
def shop(make_tree: Tree) -> ServiceInterfaces:
    program, services = program_of(make_tree, SHOP, SERVICES, DATA)
    return build_interfaces(program, services, (), ())


def dependency(interfaces: ServiceInterfaces, source: str, name: str) -> Sequence[object]:
    return [d for d in interfaces.dependencies if d.source == source and d.name == name]


def test_a_used_result_of_a_function_changing_nothing_is_a_query(
    shop: ServiceInterfaces,
) -> None:
    (op,) = [o for o in shop.operations if o.function == "catalog.queries.price_of"]
    assert (op.service, op.kind, op.method, op.operation_id) == (
        "product",
        DependencyKind.QUERY,
        "GET",
        "priceOf",
    )
    assert op.consumers == ("order",) and op.callers[0].function == "orders.services.place_order"
    (param,) = op.parameters
    assert (param.name, param.type, param.required) == ("sku", "string", True)
    assert op.response_known and [(f.name, f.type) for f in op.response] == [("result", "number")]
    (dep,) = [d for d in shop.dependencies if d.name == "priceOf"]
    assert dep.kind is DependencyKind.QUERY and "query on product's API" in dep.reason


def test_a_function_writing_its_owners_data_is_a_command(shop: ServiceInterfaces) -> None:
    (op,) = [o for o in shop.operations if o.function == "inventory.services.reserve_stock"]
    assert (op.kind, op.method, op.path, op.operation_id) == (
        DependencyKind.COMMAND,
        "POST",
        "/reserve-stock",
        "reserveStock",
    )
    (dep,) = [d for d in shop.dependencies if d.name == "reserveStock"]
    assert "changes StockItem" in dep.reason


def test_an_unused_result_makes_a_command_answering_204(shop: ServiceInterfaces) -> None:
    (op,) = [o for o in shop.operations if o.function == "billing.payments.charge"]
    assert op.kind is DependencyKind.COMMAND and not op.result_used and op.response == ()
    amount = next(p for p in op.parameters if p.name == "amount")
    assert amount.type == "" and "does not annotate" in amount.description  # never invented


def test_a_name_saying_change_makes_a_command_even_without_a_seen_write(
    make_tree: Tree,
) -> None:
    files = {
        "a/__init__.py": "",
        "a/use.py": "from b.api import reserve\n\ndef f() -> int:\n    return reserve(1)\n",
        "b/__init__.py": "",
        "b/api.py": "def reserve(n: int) -> int:\n    return n\n",
    }
    program, services = program_of(make_tree, files, {"a": "a", "b": "b"}, DataGraph())
    (op,) = build_interfaces(program, services, (), ()).operations
    assert op.kind is DependencyKind.COMMAND and op.result_used


def test_a_direct_write_to_a_foreign_entity_is_a_violation_with_its_replacement(
    shop: ServiceInterfaces,
) -> None:
    (dep,) = [d for d in shop.dependencies if d.kind is DependencyKind.VIOLATION]
    assert (dep.source, dep.target, dep.name, dep.entity) == (
        "shipment",
        "stock",
        "fixStock",
        "inventory.models.StockItem",
    )
    (op,) = [o for o in shop.operations if o.operation_id == "fixStock"]
    assert (op.service, op.origin, op.function) == ("stock", "write", "shipping.labels.fix_stock")


def test_a_foreign_write_by_a_framework_handler_is_named_after_the_change(
    make_tree: Tree,
) -> None:
    # pretix: `RefundExportListView.post` became `refundExportListViewPost` on the owner's API
    files = {
        "inventory/__init__.py": "",
        "inventory/models.py": "class StockItem:\n    pass\n",
        "inventory/services.py": "def restock(item):\n    return item\n",
        "shipping/__init__.py": "",
        "shipping/views.py": (
            "class LabelView:\n"
            "    def post(self, request):\n"
            "        return request\n"
            "class LabelDelete:\n"
            "    def delete(self):\n"
            "        return self\n"
            "class StockDelete:\n"
            "    def delete(self):\n"
            "        return self\n"
        ),
    }
    stock, views = "inventory.models.StockItem", "shipping.views"
    data = DataGraph(
        entities=(entity(stock, EntityField("sku", "CharField", "string")),),
        accesses=(
            *(write("inventory.services.restock", stock, line, "save") for line in (1, 2, 3, 4)),
            *(
                Access(f"{views}.{method}", views, stock, AccessMode.WRITE, via, n)
                for method, via, n in (
                    ("LabelView.post", "objects.create", 3),
                    ("LabelDelete.delete", "delete", 6),
                    ("StockDelete.delete", "filter.delete", 9),
                )
            ),
        ),
    )
    program, services = program_of(make_tree, files, SERVICES, data)
    operations = build_interfaces(program, services, (), ()).operations
    assert sorted(o.operation_id for o in operations if o.origin == "write") == [
        "createStockItem",
        "labelDeleteStockItem",  # two deletes: told apart by their class
        "stockDeleteStockItem",  # not "stockDeleteDeleteStockItem"
    ]


def test_a_foreign_entity_read_in_one_function_becomes_a_query(shop: ServiceInterfaces) -> None:
    reads = [d for d in shop.dependencies if d.origin == "read" and d.source == "shipment"]
    assert {(d.kind, d.name) for d in reads} == {(DependencyKind.QUERY, "getOrder")}
    (op,) = [o for o in shop.operations if o.operation_id == "getOrder"]
    assert (op.service, op.method, op.path) == ("order", "GET", "/orders/{id}")
    assert {f.name for f in op.response} == {"id", "total"}


def test_a_foreign_entity_read_in_several_functions_gets_a_read_model_fed_by_events(
    shop: ServiceInterfaces,
) -> None:
    assert READ_MODEL_FUNCTIONS == 3
    (dep,) = [d for d in shop.dependencies if d.source == "analytics"]
    assert (dep.kind, dep.target, dep.entity) == (
        DependencyKind.READ_MODEL,
        "order",
        "orders.models.Order",
    )
    assert "reads it in 3 functions" in dep.reason
    # the owner publishes an event per function changing the entity, named from the function
    assert dep.events == ("OrderCancelled", "OrderPlaced")
    placed = next(e for e in shop.events if e.name == "OrderPlaced" and e.origin == "lifecycle")
    assert placed.service == "order" and "analytics" in placed.consumers
    assert {f.name for f in placed.payload} == {"id", "total"}


def test_a_foreign_key_to_a_foreign_entity_asks_for_a_read_model(make_tree: Tree) -> None:
    files = {
        "a/__init__.py": "",
        "a/x.py": "def f() -> None:\n    pass\n",
        "b/__init__.py": "",
        "b/y.py": "def g() -> None:\n    pass\n",
    }
    data = DataGraph(
        entities=(
            entity("a.models.Thing"),
            entity(
                "b.models.Ref",
                EntityField("thing", "ForeignKey", "", Relation.FOREIGN_KEY, "a.models.Thing"),
            ),
        ),
        accesses=(write("a.x.f", "a.models.Thing", 2), read("b.y.g", "a.models.Thing", 2)),
    )
    program, services = program_of(make_tree, files, {"a": "a", "b": "b"}, data)
    (dep,) = build_interfaces(program, services, (), ()).dependencies
    assert dep.kind is DependencyKind.READ_MODEL and "Ref refers to it by foreign key" in dep.reason


def test_signals_across_the_boundary_become_the_senders_events(shop: ServiceInterfaces) -> None:
    signal = [d for d in shop.dependencies if d.origin == "signal"]
    assert {(d.source, d.target, d.kind, d.name) for d in signal} == {
        ("mail", "order", DependencyKind.EVENT, "OrderPlaced"),
        ("search", "order", DependencyKind.EVENT, "OrderSaved"),
    }
    saved = next(e for e in shop.events if e.name == "OrderSaved")
    assert (saved.service, saved.entity, saved.consumers) == (
        "order",
        "orders.models.Order",
        ("search",),
    )


def with_signals(make_tree: Tree, files: Mapping[str, str]) -> tuple[DataGraph, ServiceInterfaces]:
    """The data facts of `files` (signals resolved) and the interfaces between its `catalog`
    and `mail` packages."""
    found = discover(make_tree(files))
    facts = parse_files(found.root, found.files, extract_module, jobs=1).results
    table, calls = resolve_calls(facts)
    data = resolve_data({f.module: f.data for f in facts}, table, calls)
    program, services = program_of(make_tree, files, {"catalog": "catalog", "mail": "mail"}, data)
    return data, build_interfaces(program, services, (), ())


def test_a_signal_named_by_a_participle_alone_is_named_after_its_namespace(
    make_tree: Tree,
) -> None:
    # indico: `signals.category.created`, `signals.users.registered` (declared in
    # `users/core.py`, re-exported by `from .core import *`) were events "Created" and
    # "Registered"; a namespace that only says it holds signals adds nothing
    files = {
        "signals/__init__.py": "from signals import category, users, signals\n",
        "signals/category.py": "from blinker import Namespace\n"
        "_s = Namespace()\ncreated = _s.signal('created')\nitems = _s.signal('items')\n",
        "signals/users/__init__.py": "from .core import *\n",
        "signals/users/core.py": "from blinker import Namespace\n"
        "registered = Namespace().signal('registered')\n",
        "signals/signals.py": "from blinker import Namespace\n"
        "changed = Namespace().signal('changed')\n",
        "catalog/__init__.py": "",
        "catalog/views.py": "import signals\n"
        "def add():\n    signals.category.created.send(None)\n"
        "def menu():\n    signals.category.items.send(None)\n"
        "def register():\n    signals.users.registered.send(None)\n"
        "def change():\n    signals.signals.changed.send(None)\n",
        "mail/__init__.py": "",
        "mail/handlers.py": "import signals\n"
        "@signals.category.created.connect\ndef on_created(sender): pass\n"
        "@signals.category.items.connect\ndef on_items(sender): pass\n"
        "@signals.users.registered.connect\ndef on_registered(sender): pass\n"
        "@signals.signals.changed.connect\ndef on_changed(sender): pass\n",
    }
    _, interfaces = with_signals(make_tree, files)
    events = interfaces.events
    assert {e.name for e in events} == {"CategoryCreated", "Items", "UserRegistered", "Changed"}


def test_a_signal_whose_replies_are_used_is_a_call_of_its_receivers(make_tree: Tree) -> None:
    # pretix and indico ask their plugins through signals (`for receiver, reply in
    # register_payment_providers.send(event)`): the sender waits for what each receiver
    # returns, a synchronous query of the receiver's service, not an event it publishes
    files = {
        "signals/__init__.py": "from blinker import Namespace\n_s = Namespace()\n"
        "created = _s.signal('created')\ndeleted = _s.signal('deleted')\n"
        "items = _s.signal('items')\n",
        "catalog/__init__.py": "",
        "catalog/views.py": "import signals\nfrom db import on_commit\n"
        "def add():\n    signals.created.send(None)\n"
        "def remove():\n    on_commit(lambda: signals.deleted.send(None))\n"
        "def menu():\n    return [reply for _, reply in signals.items.send(None)]\n",
        "mail/__init__.py": "",
        "mail/handlers.py": "import signals\n"
        "@signals.created.connect\ndef on_created(sender): pass\n"
        "@signals.deleted.connect\ndef on_deleted(sender): pass\n"
        "@signals.items.connect\ndef register_items(sender):\n    return 'Mail'\n",
    }
    data, interfaces = with_signals(make_tree, files)
    assert {(e.target, e.reply) for e in data.async_edges} == {
        ("mail.handlers.on_created", False),
        ("mail.handlers.on_deleted", False),  # a lambda returning the send: nobody uses it
        ("mail.handlers.register_items", True),
    }
    assert {e.name for e in interfaces.events} == {"Created", "Deleted"}
    # a receiver named for a change (`register_...`) that changes nothing answers a question
    (query,) = [d for d in interfaces.dependencies if d.kind is DependencyKind.QUERY]
    assert (query.source, query.target) == ("catalog", "mail")
    assert "through a signal" in query.reason
    assert any(ref.function == "catalog.views.menu" for ref in query.locations)


def test_tasks_across_the_boundary_become_command_messages(shop: ServiceInterfaces) -> None:
    (dep,) = [d for d in shop.dependencies if d.origin == "task"]
    assert (dep.source, dep.target, dep.kind, dep.name) == (
        "order",
        "mail",
        DependencyKind.COMMAND,
        "SendReceipt",
    )
    message = next(e for e in shop.events if e.name == "SendReceipt")
    assert (message.service, message.origin, message.consumers) == ("order", "task", ("mail",))
    assert [(f.name, f.type) for f in message.payload] == [("order_id", "integer")]


def test_constructors_exceptions_and_the_shared_kernel_are_no_operations(
    shop: ServiceInterfaces,
) -> None:
    functions = {o.function for o in shop.operations}
    assert "inventory.errors.OutOfStock" not in functions
    assert not any(f.startswith("core.") for f in functions)
    assert all("shared" not in (d.source, d.target) for d in shop.dependencies)


def test_calling_an_entitys_own_logic_is_a_read_of_it(shop: ServiceInterfaces) -> None:
    assert "orders.models.Order.summary" not in {o.function for o in shop.operations}
    reads = [d for d in shop.dependencies if d.source == "shipment" and d.origin == "read"]
    assert any(loc.function == "shipping.labels.label" for d in reads for loc in d.locations)


def test_a_function_writing_several_services_data_becomes_a_saga(shop: ServiceInterfaces) -> None:
    (saga,) = shop.sagas
    assert (saga.name, saga.coordinator, saga.function) == (
        "PlaceOrderSaga",
        "order",
        "orders.services.place_order",
    )
    steps = [(s.service, s.action, s.compensation, s.compensation_function) for s in saga.steps]
    assert steps == [
        ("stock", "reserveStock", "releaseStock", "inventory.services.release_stock"),
        ("payment", "charge", "refundPayment", "billing.payments.refund_payment"),
        ("order", "placeOrder", "", ""),  # the pivot: last, no compensation
    ]


def test_sagas_of_one_name_are_told_apart_by_their_class_without_repeating_a_word() -> None:
    def saga(function: str) -> Saga:
        return Saga(pascal(words(function.rsplit(".", 1)[-1])) + "Saga", "a", function, (), 1)

    found = _unique_names([saga("x.DiscountDelete.delete"), saga("y.LayoutView.delete")])
    assert [s.name for s in found] == ["DiscountDeleteSaga", "LayoutViewDeleteSaga"]


def test_the_migration_extracts_leaves_first(shop: ServiceInterfaces) -> None:
    order = [step.service for step in shop.migration]
    assert order.index("stock") < order.index("order")
    assert order.index("product") < order.index("order")
    first = shop.migration[0]
    assert first.calls_out == () and "calls nothing left in the monolith" in first.reason
    assert shop.migration[-1].remaining_lines == 0


def test_calls_inside_one_class_hierarchy_are_no_api_operations(make_tree: Tree) -> None:
    # pretix: a third of its "operations" were a view calling the base view it extends in
    # another service (`super().post()`), or a base calling its subclass's hook
    files = {
        "base/__init__.py": "",
        "base/views.py": (
            "class AsyncView:\n"
            "    def post(self, request):\n"
            "        return self.get_success_url()\n"
            "    def get_success_url(self):\n"
            "        return '/'\n"
            "def render(template):\n"
            "    return template\n"
        ),
        "orders/__init__.py": "",
        "orders/views.py": (
            "from base.views import AsyncView, render\n"
            "class CancelView(AsyncView):\n"
            "    def post(self, request):\n"
            "        super().post(request)\n"
            "        return render('cancel.html')\n"
            "    def get_success_url(self):\n"
            "        return '/orders/'\n"
        ),
    }
    placement = {"base": "web", "orders": "order"}
    program, services = program_of(make_tree, files, placement, DataGraph())
    assert program.within_hierarchy("orders.views.CancelView.post", "base.views.AsyncView.post")
    assert program.within_hierarchy(
        "base.views.AsyncView.post", "orders.views.CancelView.get_success_url"
    )
    operations = build_interfaces(program, services, (), ()).operations
    assert [o.function for o in operations] == ["base.views.render"]  # a plain call still is


def test_a_plan_without_data_still_classifies_calls(make_tree: Tree) -> None:
    program, services = program_of(make_tree, SHOP, SERVICES, DataGraph())
    interfaces = build_interfaces(program, services, (), ())
    assert interfaces.ownership == () and interfaces.sagas == ()
    assert "priceOf" in {o.operation_id for o in interfaces.operations}


# -- ownership -------------------------------------------------------------------------------


def ownership(accesses: Sequence[Access], *entities: Entity) -> dict[str, tuple[str, str]]:
    placement = {"a.x": "alpha", "b.x": "beta", "c.x": "gamma", "k.x": "shared"}
    placement.update({"a.models": "alpha", "b.models": "beta", "k.models": "shared"})
    data = DataGraph(entities=entities, accesses=tuple(accesses))
    program = Program([], [], data, placement, {})
    return {o.entity: (o.owner, o.reason) for o in own_entities(program)}


def test_the_service_writing_an_entity_most_owns_it() -> None:
    owners = ownership(
        [write("b.x.f", "a.models.E", 1), write("b.x.g", "a.models.E", 2)]
        + [write("a.x.f", "a.models.E", 3)],
        entity("a.models.E"),
    )
    assert owners["a.models.E"][0] == "beta"


def test_ownership_ties_go_to_more_writing_functions_then_the_name() -> None:
    functions = ownership(
        [write("a.x.f", "a.models.E", 1), write("a.x.f", "a.models.E", 2)]
        + [write("b.x.f", "a.models.E", 3), write("b.x.g", "a.models.E", 4)],
        entity("a.models.E"),
    )
    assert functions["a.models.E"][0] == "beta"
    names = ownership(
        [write("b.x.f", "a.models.E", 1), write("a.x.f", "a.models.E", 2)], entity("a.models.E")
    )
    assert names["a.models.E"][0] == "alpha"


def test_an_entity_nobody_writes_stays_with_its_module_or_its_main_reader() -> None:
    owners = ownership([read("c.x.f", "k.models.K", 1)], entity("b.models.B"), entity("k.models.K"))
    assert owners["b.models.B"][0] == "beta" and "defining module" in owners["b.models.B"][1]
    assert owners["k.models.K"][0] == "gamma" and "shared kernel" in owners["k.models.K"][1]


def test_an_abstract_model_stands_for_its_table_unless_a_subclass_is_seen(
    make_tree: Tree,
) -> None:
    files = {
        "a/__init__.py": "",
        "a/models.py": "class Base:\n    pass\n\nclass Real(Base):\n    pass\n",
    }
    data = DataGraph(
        entities=(
            entity("a.models.Base", abstract=True),
            entity("a.models.Real"),
            entity("a.models.AbstractAlone", abstract=True),
        )
    )
    program, _ = program_of(make_tree, files, {"a": "alpha"}, data)
    owned = {o.entity: o for o in own_entities(program)}
    assert set(owned) == {"a.models.Real", "a.models.AbstractAlone"}
    assert owned["a.models.AbstractAlone"].table == "a_alone"  # the concrete model's table


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "entity_", "via", "expected"),
    [
        ("orders.services.place_order", "orders.models.Order", "", "OrderPlaced"),
        ("inventory.services.reserve_stock", "inventory.models.StockItem", "", "StockReserved"),
        ("orders.services.mark_paid", "orders.models.Order", "", "OrderPaid"),
        ("orders.services.cancel_order", "orders.models.Order", "", "OrderCancelled"),
        ("orders.state.transition", "orders.models.Order", "", "OrderTransitioned"),
        ("cart.add_to_cart", "cart.models.CartItem", "", "CartItemAddedToCart"),
        ("shipping.ship", "shipping.models.Shipment", "", "ShipmentShipped"),
        ("shipping.create_shipment_for_order", "x.Shipment", "", "ShipmentCreatedForOrder"),
        ("orders.models.Order.save", "orders.models.Order", "save", "OrderUpdated"),
        ("x.create", "x.models.Order", "objects.create", "OrderCreated"),
        ("x.View.delete", "x.models.Order", "delete", "OrderDeleted"),
        ("x._allocate_stock", "inventory.models.StockItem", "", "StockAllocated"),
        # real code (pretix): names that do not start with a verb, or join two actions
        ("x.Order.gracefully_delete", "x.models.Order", "delete", "OrderDeleted"),
        ("x.Order.meta_data", "x.models.Order", "save", "OrderUpdated"),
        ("x.Order.payment_done", "x.models.Order", "save", "OrderPaymentDone"),
        ("x.Voucher.send_vouchers", "x.models.Voucher", "save", "VouchersSent"),
        ("x.CachedFile.shred", "x.models.CachedFile", "save", "CachedFileShredded"),
        ("x.create_and_postprocess", "x.models.Order", "objects.create", "OrderCreated"),
        ("x.get_or_create_for_backend", "x.models.User", "objects.create", "UserCreated"),
        ("x.update_price_and_tax", "x.models.Line", "save", "PriceAndTaxUpdated"),
        ("x.recalculate_totals", "x.models.Order", "save", "TotalsRecalculated"),
        ("x.enable_2fa", "x.models.User", "save", "UserEnabled2Fa"),  # starts with a letter
        # indico: a modal verb asks a question, it names no change (was "ManageCould")
        ("x.Event.can_manage", "x.models.Event", "save", "EventUpdated"),
        ("x.should_notify", "x.models.User", "", "UserUpdated"),
    ],
)
def test_events_are_named_in_the_past_tense_from_the_changing_function(
    function: str, entity_: str, via: str, expected: str
) -> None:
    assert event_name(function, entity_, via) == expected


def test_english_past_participles_and_plurals() -> None:
    assert [past(v) for v in ("ship", "pay", "reserve", "apply", "submit", "open", "send")] == [
        "shipped",
        "paid",
        "reserved",
        "applied",
        "submitted",
        "opened",
        "sent",
    ]
    # a participle stays; the lexicon knows what the old rules got wrong
    assert [past(v) for v in ("paid", "shred", "fulfil", "unblock", "checkout", "cancel")] == [
        "paid",
        "shredded",
        "fulfilled",
        "unblocked",
        "checked_out",
        "cancelled",
    ]
    assert past("") == ""  # lemminflect raises on it
    assert [is_verb(w) for w in ("place", "recalculate", "anonymize", "unlink", "sync")] == [
        True
    ] * 5
    assert not any(is_verb(w) for w in ("payment", "settings", "gracefully", "badges", "meta"))
    assert [plural(n) for n in ("category", "address", "line", "day")] == [
        "categories",
        "addresses",
        "lines",
        "days",
    ]


def test_a_foreign_entity_read_on_a_hot_path_gets_a_read_model(make_tree: Tree) -> None:
    calls = "\n".join(f"def c{i}() -> None:\n    look()\n" for i in range(5))
    files = {
        "a/__init__.py": "",
        "a/x.py": f"def look() -> None:\n    pass\n\n{calls}",
        "b/__init__.py": "",
        "b/y.py": "def g() -> None:\n    pass\n",
    }
    data = DataGraph(
        entities=(entity("b.models.Thing"),),
        accesses=(write("b.y.g", "b.models.Thing", 2), read("a.x.look", "b.models.Thing", 2)),
    )
    program, services = program_of(make_tree, files, {"a": "a", "b": "b"}, data)
    (dep,) = build_interfaces(program, services, (), ()).dependencies
    assert dep.kind is DependencyKind.READ_MODEL
    assert "a.x.look reads it and is called from 5 places (a hot path)" in dep.reason


def test_colliding_paths_are_numbered_on_a_literal_segment() -> None:
    from decompose.derive.operations import _clashes, _numbered

    assert _numbered("/products/{id}", 2) == "/products-2/{id}"
    assert _numbered("/orders/lines", 3) == "/orders/lines-3"
    taken = {("GET", "/products/{id}")}
    assert _clashes("GET", "/products/{id}", taken)
    assert _clashes("DELETE", "/products/{pk}", taken)  # the same OpenAPI path, other name
    assert not _clashes("DELETE", "/products/{id}", taken)  # another method of one path
    assert not _clashes("GET", "/products-2/{id}", taken)
