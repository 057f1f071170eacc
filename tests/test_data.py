"""The data graph: entities, accesses, raw SQL, transactions, signals, tasks, dynamic loading."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from decompose.discover import discover
from decompose.extract import extract_module, resolve_calls
from decompose.extract.data_resolve import app_label, resolve_data, tables_in_sql
from decompose.link import data_edges, transaction_modules
from decompose.model import EdgeKind
from decompose.model.data import PERMISSION, AccessMode, DataFacts, DataGraph, Orm, Relation
from decompose.parse import parse_files
from tests.conftest import Tree

DJANGO = {
    "config/__init__.py": "",
    "config/settings.py": 'AUTH_USER_MODEL = "accounts.User"\n',
    "accounts/__init__.py": "",
    "accounts/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models

        class User(AbstractUser):
            nickname = models.CharField(max_length=40, blank=True)
        """,
    "core/__init__.py": "",
    "core/models.py": """
        from django.db import models

        class TimeStamped(models.Model):
            created = models.DateTimeField(auto_now_add=True)

            class Meta:
                abstract = True
        """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.conf import settings
        from django.db import models
        from core.models import TimeStamped

        class Product(TimeStamped):
            name = models.CharField(max_length=80)
            price = models.DecimalField(max_digits=9, decimal_places=2)

        class Order(TimeStamped):
            customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
            note = models.TextField(null=True)

            class Meta:
                db_table = "sales_order"

        class OrderLine(models.Model):
            order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
            product = models.ForeignKey("shop.Product", on_delete=models.PROTECT)
            quantity = models.PositiveIntegerField(default=1)
        """,
    "shop/signals.py": """
        from django.dispatch import Signal

        order_placed = Signal()
        """,
    "shop/services.py": """
        from django.apps import apps
        from django.db import connection, transaction
        from shop.models import Order, OrderLine, Product
        from shop.signals import order_placed
        from shop.tasks import send_receipt

        TOTALS = (
            "SELECT o.id, SUM(l.quantity) FROM sales_order o "
            "JOIN shop_orderline l ON l.order_id = o.id"
        )

        def place(user, product_id: int) -> Order:
            product = Product.objects.get(pk=product_id)
            with transaction.atomic():
                order = Order.objects.create(customer=user)
                OrderLine.objects.create(order=order, product=product)
            order_placed.send(sender=Order, order=order)
            send_receipt.delay(order.pk)
            return order

        def lines_of(order: Order) -> list:
            return list(order.lines.all())

        def totals() -> list:
            with connection.cursor() as cursor:
                cursor.execute(TOTALS)
                return cursor.fetchall()

        @transaction.atomic
        def reprice(percent: int) -> None:
            Product.objects.update(price=percent)
            cursor = connection.cursor()
            cursor.execute("UPDATE shop_orderline SET quantity = quantity + 1 WHERE id = %s", [1])

        def dynamic():
            return apps.get_model("shop", "Product")
        """,
    "shop/tasks.py": """
        from celery import shared_task

        @shared_task(name="shop.receipt")
        def send_receipt(order_id: int) -> None:
            print(order_id)
        """,
    "mail/__init__.py": "",
    "mail/receivers.py": """
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        from shop.models import Order
        from shop.signals import order_placed

        @receiver(post_save, sender=Order)
        def on_order_saved(sender, instance, **kwargs) -> None:
            print(instance)

        def on_placed(sender, order, **kwargs) -> None:
            print(order)

        order_placed.connect(on_placed)
        """,
    "mail/jobs.py": """
        from celery import current_app

        def nightly() -> None:
            current_app.send_task("shop.receipt", args=[1])
        """,
}

SQLALCHEMY = {
    "store/__init__.py": "",
    "store/models.py": """
        from typing import Optional
        from sqlalchemy import Column, ForeignKey, Integer, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

        class Base(DeclarativeBase):
            pass

        class Customer(Base):
            __tablename__ = "customers"
            id = Column(Integer, primary_key=True)
            email = Column(String(200), nullable=False)
            invoices = relationship(
                "Invoice", back_populates="customer", cascade="all, delete-orphan"
            )

        class Invoice(Base):
            __tablename__ = "invoices"
            id: Mapped[int] = mapped_column(primary_key=True)
            customer_id: Mapped[int] = mapped_column(
                ForeignKey("customers.id", ondelete="CASCADE")
            )
            memo: Mapped[Optional[str]] = mapped_column(String(200))
            customer: Mapped["Customer"] = relationship(back_populates="invoices")
        """,
    # a SQL construct (buildbot's): a subclass of SQLAlchemy classes with no column, no model
    "store/constructs.py": """
        from sqlalchemy.sql.expression import ClauseElement, Executable

        class InsertFromSelect(Executable, ClauseElement):
            _execution_options = Executable._execution_options.union({"autocommit": True})

            def __init__(self, table, select):
                self.table = table
                self.select = select
        """,
    "store/billing.py": """
        from sqlalchemy import select, text, update
        from store.models import Customer, Invoice

        def bill(session, customer_id: int) -> Invoice:
            customer = session.get(Customer, customer_id)
            invoice = Invoice(customer_id=customer.id)
            session.add(invoice)
            with session.begin():
                session.execute(update(Customer).values(email="x"))
            session.execute(text("DELETE FROM invoices WHERE id = :id"), {"id": 1})
            return session.execute(select(Invoice)).scalars().first()
        """,
}


def data_of(root: Path) -> DataGraph:
    found = discover(root)
    facts = parse_files(found.root, found.files, extract_module, jobs=1).results
    table, calls = resolve_calls(facts)
    return resolve_data({f.module: f.data for f in facts}, table, calls)


def facts_of(root: Path, module: str) -> DataFacts:
    found = discover(root)
    facts = parse_files(found.root, found.files, extract_module, jobs=1).results
    return next(f.data for f in facts if f.module == module)


@pytest.fixture
def django(make_tree: Tree) -> DataGraph:
    return data_of(make_tree(DJANGO))


@pytest.fixture
def alchemy(make_tree: Tree) -> DataGraph:
    return data_of(make_tree(SQLALCHEMY))


def fields(graph: DataGraph, entity: str) -> Mapping[str, object]:
    (found,) = [e for e in graph.entities if e.qualname == entity]
    return {f.name: f for f in found.fields}


def test_django_entities_tables_and_abstract_models(django: DataGraph) -> None:
    entities = {e.qualname: e for e in django.entities}
    assert set(entities) == {
        "accounts.models.User",
        "core.models.TimeStamped",
        "shop.models.Order",
        "shop.models.OrderLine",
        "shop.models.Product",
    }
    assert entities["core.models.TimeStamped"].abstract
    assert entities["shop.models.Order"].table == "sales_order"
    assert entities["shop.models.Product"].table == "shop_product"
    assert entities["shop.models.Product"].orm is Orm.DJANGO
    assert "created" in fields(django, "shop.models.Product")  # inherited from the abstract base


def test_django_foreign_keys_in_every_form(django: DataGraph) -> None:
    order = fields(django, "shop.models.Order")
    line = fields(django, "shop.models.OrderLine")
    assert order["customer"].target == "accounts.models.User"  # settings.AUTH_USER_MODEL
    assert line["order"].target == "shop.models.Order"  # a class
    assert line["product"].target == "shop.models.Product"  # "app.Model"
    assert line["order"].relation is Relation.FOREIGN_KEY
    assert order["note"].nullable and not order["customer"].nullable
    assert line["quantity"].has_default and line["quantity"].python_type == "integer"


def test_django_accesses_are_attributed_to_functions(django: DataGraph) -> None:
    seen = {(a.caller, a.entity.rsplit(".", 1)[1], a.mode) for a in django.accesses}
    assert ("shop.services.place", "Product", AccessMode.READ) in seen
    assert ("shop.services.place", "Order", AccessMode.WRITE) in seen
    assert ("shop.services.place", "OrderLine", AccessMode.WRITE) in seen
    assert ("shop.services.lines_of", "OrderLine", AccessMode.READ) in seen  # related manager
    assert ("shop.services.reprice", "Product", AccessMode.WRITE) in seen


def test_raw_sql_is_parsed_into_tables(django: DataGraph) -> None:
    sql = {
        (a.caller, a.entity.rsplit(".", 1)[1], a.mode) for a in django.accesses if a.via == "sql"
    }
    assert ("shop.services.totals", "Order", AccessMode.READ) in sql
    assert ("shop.services.totals", "OrderLine", AccessMode.READ) in sql
    assert ("shop.services.reprice", "OrderLine", AccessMode.WRITE) in sql


def test_transactions_record_entities_written_together(django: DataGraph) -> None:
    scopes = {t.caller: t.entities for t in django.transactions}
    assert scopes["shop.services.place"] == ("shop.models.Order", "shop.models.OrderLine")
    assert scopes["shop.services.reprice"] == ("shop.models.OrderLine", "shop.models.Product")


def test_transactions_reach_the_module_graph(django: DataGraph) -> None:
    # each scope: the module of its code and the modules of the entities it writes
    known = frozenset({"shop.services", "shop.models", "core.models"})
    scopes = transaction_modules(django, known)
    assert scopes == (("shop.models", "shop.services"), ("shop.models", "shop.services"))


def test_signals_and_tasks_become_async_edges(django: DataGraph) -> None:
    edges = {(e.kind, e.name, e.source, e.target, e.sender) for e in django.async_edges}
    assert (
        "signal",
        "shop.signals.order_placed",
        "shop.services.place",
        "mail.receivers.on_placed",
        "",
    ) in edges
    assert (
        "signal",
        "django.db.models.signals.post_save",
        "",
        "mail.receivers.on_order_saved",
        "shop.models.Order",
    ) in edges
    assert (
        "task",
        "shop.tasks.send_receipt",
        "shop.services.place",
        "shop.tasks.send_receipt",
        "",
    ) in edges
    assert ("task", "shop.receipt", "mail.jobs.nightly", "shop.tasks.send_receipt", "") in edges


def test_signals_re_exported_by_a_star_import_keep_their_own_names(make_tree: Tree) -> None:
    """indico declares its blinker signals in submodules re-exported by `from .core import *`:
    each resolved to the one external value, `blinker.Namespace().signal`, so every sender
    reached every receiver of any signal, and every event was called "Signal"."""
    graph = data_of(
        make_tree(
            {
                "app/__init__.py": "",
                "app/signals/__init__.py": "from app.signals import event\n",
                "app/signals/event/__init__.py": "from .core import *\n",
                "app/signals/event/core.py": """
                    from blinker import Namespace

                    _signals = Namespace()
                    created = _signals.signal("created")
                    deleted = _signals.signal("deleted")
                    items = _signals.signal("items")
                    """,
                "app/events.py": """
                    from app import signals

                    def create():
                        signals.event.created.send(None)

                    def delete():
                        signals.event.deleted.send(None)

                    def admin_menu():
                        return signals.event.items.send("admin-menu")
                    """,
                "app/mail.py": """
                    from app import signals

                    @signals.event.created.connect
                    def on_created(sender):
                        pass

                    @signals.event.deleted.connect_via(None)
                    def on_deleted(sender):
                        pass

                    @signals.event.items.connect_via("admin-menu")
                    def admin_items(sender):
                        pass

                    @signals.event.items.connect_via("user-menu")
                    def user_items(sender):
                        pass
                    """,
            }
        )
    )
    edges = {(e.name, e.source, e.target) for e in graph.async_edges}
    signal = "app.signals.event."  # as its package re-exports it
    # a literal sender reaches the receivers connected for it only: menus of other pages not
    assert edges == {
        (signal + "created", "app.events.create", "app.mail.on_created"),
        (signal + "deleted", "app.events.delete", "app.mail.on_deleted"),
        (signal + "items", "app.events.admin_menu", "app.mail.admin_items"),
    }


def test_a_django_permission_names_its_model(make_tree: Tree) -> None:
    # nautobot's menus and home page panels import no model of their app: the permissions
    # they check (`"dcim.view_device"`) are what ties them to it
    root = make_tree(
        {
            "dcim/__init__.py": "",
            "dcim/models.py": """
                from django.db import models

                class Device(models.Model):
                    name = models.CharField(max_length=10)

                class DeviceType(models.Model):
                    model = models.CharField(max_length=10)
                """,
            "dcim/navigation.py": """
                MENU = [
                    {"link": "dcim:device_list", "permissions": ["dcim.view_device"]},
                    {"permissions": ["dcim.add_devicetype", "dcim.view_rack"]},
                    "see dcim.view_device for details",
                ]
                """,
        }
    )
    data = data_of(root)
    named = {(e.caller_module, e.target, e.kind) for e in data.dynamic_edges}
    assert named == {
        ("dcim.navigation", "dcim.models.Device", PERMISSION),
        ("dcim.navigation", "dcim.models.DeviceType", PERMISSION),
    }  # no model is called `rack`; a sentence is no permission
    # a read of the model's data, not an import: the models module's many users do not
    # dilute it as they dilute a dependency
    edges = {(e.source, e.target, e.kind) for e in data_edges(data)}
    assert ("dcim.navigation", "dcim.models", EdgeKind.DATA) in edges


def test_dynamic_loading_by_literal_string(django: DataGraph) -> None:
    (edge,) = django.dynamic_edges
    assert (edge.caller, edge.target, edge.kind) == (
        "shop.services.dynamic",
        "shop.models.Product",
        "get_model",
    )


def test_sqlalchemy_entities_columns_and_relationships(alchemy: DataGraph) -> None:
    entities = {e.qualname: e for e in alchemy.entities}
    assert set(entities) == {"store.models.Customer", "store.models.Invoice"}
    assert entities["store.models.Invoice"].orm is Orm.SQLALCHEMY
    assert entities["store.models.Invoice"].table == "invoices"
    invoice = fields(alchemy, "store.models.Invoice")
    assert invoice["customer_id"].target == "store.models.Customer"  # ForeignKey("customers.id")
    # deleted with its customer (ondelete="CASCADE"), never without one: part of its aggregate
    assert invoice["customer_id"].cascade and invoice["customer_id"].part_of_target
    assert invoice["customer"].target == "store.models.Customer"  # Mapped["Customer"]
    assert invoice["memo"].nullable and invoice["memo"].python_type == "string"
    customer = fields(alchemy, "store.models.Customer")
    assert customer["id"].primary_key and customer["email"].python_type == "string"
    # the customer's invoices are deleted with it: parts of its aggregate
    assert customer["invoices"].owns and customer["invoices"].target == "store.models.Invoice"
    assert customer["invoices"].composition and not invoice["customer"].composition


def test_sqlalchemy_session_and_core_accesses(alchemy: DataGraph) -> None:
    seen = {(a.entity.rsplit(".", 1)[1], a.mode, a.via) for a in alchemy.accesses}
    assert ("Customer", AccessMode.READ, "session.get") in seen
    assert ("Invoice", AccessMode.WRITE, "session.add") in seen
    assert ("Customer", AccessMode.WRITE, "update") in seen
    assert ("Invoice", AccessMode.READ, "select") in seen
    assert ("Invoice", AccessMode.WRITE, "sql") in seen
    (txn,) = alchemy.transactions
    assert txn.entities == ("store.models.Customer",)


@pytest.mark.parametrize(
    ("sql", "read", "written"),
    [
        ("SELECT * FROM a JOIN b ON a.id = b.a_id", ["a", "b"], []),
        ("INSERT INTO log (x) SELECT y FROM src", ["src"], ["log"]),
        ("UPDATE stock SET qty = qty - %s WHERE id = %(id)s", [], ["stock"]),
        ("DELETE FROM carts WHERE updated < :cutoff", [], ["carts"]),
    ],
)
def test_tables_in_sql(sql: str, read: list[str], written: list[str]) -> None:
    assert tables_in_sql(sql) == (read, written, "")


def test_unparseable_sql_is_reported_not_raised() -> None:
    read, written, problem = tables_in_sql("SELEC nonsense FROM (((")
    assert (read, written) == ([], []) and problem.startswith("SQL does not parse")


def test_sql_sqlglot_keeps_opaque_is_reported_not_logged(capfd: pytest.CaptureFixture[str]) -> None:
    # sqlglot would log "contains unsupported syntax" to stderr and return an opaque command
    read, written, problem = tables_in_sql("CREATE VIRTUAL TABLE docs USING fts5 (body)")
    assert (read, written) == ([], [])
    assert (
        problem == "SQL statement sqlglot cannot read: CREATE VIRTUAL TABLE docs USING fts5 (body)"
    )
    captured = capfd.readouterr()
    assert "unsupported syntax" not in captured.err + captured.out


def test_app_label_follows_django() -> None:
    assert app_label("shop.models") == "shop"
    assert app_label("oscar.apps.order.models") == "order"
    assert app_label("shop.models.product") == "shop"


# django-oscar's and django-machina's pattern: abstract models in one module, concrete ones
# declared without fields under a registration guard, classes loaded by name everywhere.
LOADED_BY_NAME = {
    "shop/__init__.py": "",
    "shop/core/__init__.py": "",
    "shop/core/loading.py": """
        def is_model_registered(app_label, name):
            return False

        def get_class(module_label, name):
            return None

        def get_classes(module_label, names):
            return []

        def get_model(app_label, name):
            return None
        """,
    "shop/catalogue/__init__.py": "",
    "shop/catalogue/abstract_models.py": """
        from django.db import models

        class AbstractProduct(models.Model):
            title = models.CharField(max_length=80)

            class Meta:
                abstract = True

        class AbstractCategory(models.Model):
            name = models.CharField(max_length=80)

            class Meta:
                abstract = True
        """,
    "shop/catalogue/models.py": """
        from shop.catalogue.abstract_models import *
        from shop.core.loading import is_model_registered

        if not is_model_registered("catalogue", "Product"):

            class Product(AbstractProduct):
                pass

        if not is_model_registered("catalogue", "Category"):

            class Category(AbstractCategory):
                pass
        """,
    "shop/catalogue/helpers.py": """
        class Pricer:
            pass

        class Stocker:
            pass
        """,
    "shop/basket/__init__.py": "",
    "shop/basket/views.py": """
        from shop.core.loading import get_class, get_classes, get_model

        Product = get_model("catalogue", "Product")
        Pricer, Stocker = get_classes("catalogue.helpers", ["Pricer", "Stocker"])

        def listing():
            return Product.objects.filter(title="x")

        def add_category(name):
            try:
                Category = get_model("catalogue", "Category")
            except LookupError:
                return None
            return Category.objects.create(name=name)

        def shadowed():
            Product = get_model("catalogue", "Category")
            return Product.objects.all()
        """,
}


def test_concrete_models_without_fields_and_classes_loaded_by_name(make_tree: Tree) -> None:
    graph = data_of(make_tree(LOADED_BY_NAME))
    entities = {e.qualname: e for e in graph.entities}
    product = entities["shop.catalogue.models.Product"]
    assert not product.abstract and product.table == "catalogue_product"
    assert [f.name for f in product.fields] == ["title"]  # inherited from the abstract model
    assert product.parents == ("shop.catalogue.abstract_models.AbstractProduct",)
    assert entities["shop.catalogue.abstract_models.AbstractProduct"].abstract
    accesses = {(a.caller, a.entity, a.mode) for a in graph.accesses}
    assert accesses == {
        ("shop.basket.views.listing", "shop.catalogue.models.Product", AccessMode.READ),
        ("shop.basket.views.add_category", "shop.catalogue.models.Category", AccessMode.WRITE),
        # a function's own binding hides the module's
        ("shop.basket.views.shadowed", "shop.catalogue.models.Category", AccessMode.READ),
    }
    loaded = {(e.caller, e.target, e.kind) for e in graph.dynamic_edges}
    assert ("shop.basket.views", "shop.catalogue.helpers.Pricer", "get_classes") in loaded
    assert ("shop.basket.views", "shop.catalogue.helpers.Stocker", "get_classes") in loaded
    assert ("shop.basket.views", "shop.catalogue.models.Product", "get_model") in loaded


# Relations walked from the receiver, an abstract user model, and Django app configs.
RELATIONS = {
    "shop/__init__.py": "",
    "shop/accounts/__init__.py": "",
    "shop/accounts/abstract_models.py": """
        from django.contrib.auth.models import AbstractBaseUser
        from django.db import models

        class AbstractUser(AbstractBaseUser):  # for projects to subclass: no table of its own
            email = models.EmailField()

            class Meta:
                abstract = True
        """,
    "shop/catalogue/__init__.py": "",
    "shop/catalogue/apps.py": """
        from django.apps import AppConfig

        class CatalogueConfig(AppConfig):
            name = "shop.catalogue"
            label = "catalogue"

        class Formatter:
            name = "shop.catalogue"  # the same attribute on a class that is no app config
        """,
    "shop/urls.py": """
        from django.apps import apps

        def urlpatterns():
            return apps.get_app_config("catalogue").urls
        """,
    "shop/catalogue/models.py": """
        from django.db import models

        class Product(models.Model):
            title = models.CharField(max_length=80)
            attributes = models.JSONField(default=dict)

            def option(self, key):
                return self.attributes.get(key)  # a column's value: no table read
        """,
    "shop/order/__init__.py": "",
    "shop/order/abstract_models.py": """
        from django.conf import settings
        from django.db import models

        class AbstractOrder(models.Model):
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

            class Meta:
                abstract = True

            def count(self):
                return self.lines.count()  # the lines of the concrete order

            def restock(self):
                for line in self.lines.all():
                    line.product.save()

        class AbstractLine(models.Model):
            order = models.ForeignKey("order.Order", related_name="lines", on_delete=models.CASCADE)
            product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT)

            class Meta:
                abstract = True

            def touch(self):
                self.product.save()  # the product, not the line
        """,
    "shop/order/models.py": """
        from shop.order.abstract_models import AbstractLine, AbstractOrder

        class Order(AbstractOrder):
            pass

        class Line(AbstractLine):
            pass
        """,
    "shop/payment/__init__.py": "",
    "shop/payment/models.py": """
        from django.db import models

        class Source(models.Model):  # part of its order: deleted with it, never without one
            order = models.ForeignKey("order.Order", on_delete=models.CASCADE)
            refund_of = models.ForeignKey("order.Line", null=True, on_delete=models.CASCADE)
        """,
}


def test_accesses_follow_relations_and_app_configs_load_models(make_tree: Tree) -> None:
    graph = data_of(make_tree(RELATIONS))
    user = fields(graph, "shop.order.models.Order")["user"]
    # the project's user model is not this abstract one (an FK to an abstract model is no FK)
    assert user.target_ref.endswith("AUTH_USER_MODEL") and user.target == ""
    assert not user.cascade  # on_delete=PROTECT
    assert fields(graph, "shop.order.models.Line")["order"].cascade
    accesses = {(a.caller.rsplit(".", 2)[-2:][-1], a.entity, a.mode) for a in graph.accesses}
    product, line = "shop.catalogue.models.Product", "shop.order.models.Line"
    assert ("count", line, AccessMode.READ) in accesses
    assert ("touch", product, AccessMode.WRITE) in accesses
    assert not any(caller == "option" for caller, _, _ in accesses)
    assert not any(entity.endswith("AbstractLine") for _, entity, _ in accesses)
    declared = {d.args for d in facts_of(make_tree(RELATIONS), "shop.catalogue.models").dynamic}
    assert not declared  # no class of its own names an app
    # one aggregate's entities are tied; a line merely refers to its product (PROTECT), a
    # source may exist without a line (null): references between aggregates tie nothing
    composed = {(e.source, e.target) for e in data_edges(graph) if e.kind is EdgeKind.FK}
    assert composed == {
        ("shop.payment.models", "shop.order.models"),
        ("shop.order.abstract_models", "shop.order.models"),  # the abstract line's order
    }
    loaded = {(e.caller, e.target_module, e.kind) for e in graph.dynamic_edges}
    assert loaded == {
        ("shop.catalogue.apps.CatalogueConfig", "shop.catalogue.models", "app_config"),
        ("shop.urls.urlpatterns", "shop.catalogue.apps", "get_app_config"),
    }


def test_a_data_method_on_a_value_typed_by_flow_reaches_its_entity(make_tree: Tree) -> None:
    tree = {
        **DJANGO,
        "shop/closing.py": """
            from shop.models import Order, Product

            def close(order):  # no annotation: only the values passed in tell its class
                order.note = "closed"
                order.save()

            def forget(thing):
                thing.delete()

            def checkout():
                order = Order(note="x")
                close(order)
                forget(order)
                forget(Product(name="y"))
            """,
    }
    graph = data_of(make_tree(tree))
    accesses = {(a.caller, a.entity, a.mode) for a in graph.accesses}
    order, product = "shop.models.Order", "shop.models.Product"
    assert ("shop.closing.close", order, AccessMode.WRITE) in accesses
    # several classes reach one call site: an access to each entity
    assert ("shop.closing.forget", order, AccessMode.WRITE) in accesses
    assert ("shop.closing.forget", product, AccessMode.WRITE) in accesses


def test_get_user_model_is_the_projects_user_model(make_tree: Tree) -> None:
    tree = {
        **DJANGO,
        "mail/users.py": """
            from django.contrib.auth import get_user_model

            User = get_user_model()

            def find(email):
                return User.objects.filter(email=email)

            def rename(pk):
                get_user_model().objects.filter(pk=pk).update(nickname="x")
            """,
    }
    graph = data_of(make_tree(tree))
    user = "accounts.models.User"
    accesses = {(a.caller, a.entity, a.mode) for a in graph.accesses}
    assert ("mail.users.find", user, AccessMode.READ) in accesses
    assert ("mail.users.rename", user, AccessMode.WRITE) in accesses
    loaded = {(e.caller_module, e.target, e.kind) for e in graph.dynamic_edges}
    assert ("mail.users", user, "get_user_model") in loaded
