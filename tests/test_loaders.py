"""Code loaded by literal name (Django, django-oscar, import_string) is followed like an import."""

from __future__ import annotations

from decompose.extract import CallKind, resolve_calls
from decompose.extract.data_resolve import resolve_data
from decompose.extract.loaders import Modules, loaded_name
from decompose.link import build_graph
from decompose.model import EdgeKind
from tests.conftest import Tree
from tests.test_data import LOADED_BY_NAME
from tests.test_link_cluster_derive import facts_of

PROJECT = {
    **{
        k: v
        for k, v in LOADED_BY_NAME.items()
        if k.startswith("shop/core") or k == "shop/__init__.py"
    },
    "shop/catalogue/__init__.py": "",
    "shop/catalogue/models.py": """
        class Product:
            def price(self):
                return 1
        """,
    "shop/catalogue/pricing.py": """
        class Pricer:
            def quote(self, product):
                return product.price()

        class Stocker:
            @classmethod
            def reserve(cls):
                return True

        def tax(amount):
            return amount
        """,
    "shop/basket/__init__.py": "",
    "shop/basket/views.py": """
        import importlib

        from django.utils.module_loading import import_string
        from shop.core.loading import get_class, get_classes, get_model

        Product = get_model("catalogue", "Product")
        Pricer, Stocker = get_classes("catalogue.pricing", ["Pricer", "Stocker"])
        tax = import_string("shop.catalogue.pricing.tax")

        def total(product_id):
            product = Product()
            Stocker.reserve()
            return tax(Pricer().quote(product))

        def inline():
            return get_class("catalogue.pricing", "Pricer")().quote(None)

        def module():
            return importlib.import_module("shop.catalogue.pricing").tax(1)

        def unknown(label):
            return get_class(label, "Pricer")()
        """,
}


def test_classes_loaded_by_name_are_followed(make_tree: Tree) -> None:
    _, calls = resolve_calls(facts_of(make_tree(PROJECT)))
    internal = {(c.caller, c.callee) for c in calls if c.kind is CallKind.INTERNAL}
    views = "shop.basket.views"
    for caller, callee in [
        ("total", "shop.catalogue.models.Product"),
        ("total", "shop.catalogue.pricing.Stocker.reserve"),
        ("total", "shop.catalogue.pricing.Pricer.quote"),
        ("total", "shop.catalogue.pricing.tax"),
        ("inline", "shop.catalogue.pricing.Pricer.quote"),
        ("module", "shop.catalogue.pricing.tax"),
    ]:
        assert (f"{views}.{caller}", callee) in internal, (caller, callee)
    # the product flows on into the method called with it
    assert (
        "shop.catalogue.pricing.Pricer.quote",
        "shop.catalogue.models.Product.price",
    ) in internal
    # a label that is not a literal loads nothing the analysis could know
    assert not any(c.caller == f"{views}.unknown" and "pricing" in c.callee for c in calls)


LOADED_BASES = {
    **PROJECT,
    "shop/catalogue/tables.py": """
        class Table:
            def render(self):
                return self.rows()

            def rows(self):
                return []
        """,
    "shop/basket/tables.py": """
        from shop.core.loading import get_class, get_classes

        Table = get_class("catalogue.tables", "Table")
        Pricer, Stocker = get_classes("catalogue.pricing", ["Pricer", "Stocker"])
        Helper = get_class(LABEL, "Helper")

        class BasketTable(Table):
            def show(self):
                return self.render()

        class Quote(Stocker):
            pass

        class Unknown(Helper):
            pass
        """,
}


def test_a_class_extends_a_class_loaded_by_name(make_tree: Tree) -> None:
    # `Table = get_class(...)`: the table binds `Table` to the loaded class, as `from ...
    # import Table` would, so the subclass has its MRO, its inherited methods and the edge
    facts = facts_of(make_tree(LOADED_BASES))
    table, calls = resolve_calls(facts)
    assert table.mro("shop.basket.tables.BasketTable")[1:] == ("shop.catalogue.tables.Table",)
    assert table.mro("shop.basket.tables.Quote")[1:] == ("shop.catalogue.pricing.Stocker",)
    # a label that is no literal loads nothing: the base stays the external call
    assert table.mro("shop.basket.tables.Unknown")[1:] == ()
    internal = {(c.caller, c.callee) for c in calls if c.kind is CallKind.INTERNAL}
    assert ("shop.basket.tables.BasketTable.show", "shop.catalogue.tables.Table.render") in internal
    graph = build_graph(facts, table, calls, {"call": 1.0})
    inherits = {(e.source, e.target) for e in graph.edges if e.kind is EdgeKind.INHERITANCE}
    assert ("shop.basket.tables", "shop.catalogue.tables") in inherits


ZOPE_UTILITIES = {
    "lists/__init__.py": "",
    "lists/interfaces.py": """
        from zope.interface import Interface

        class IListManager(Interface):
            def get(name):
                \"\"\"The list called `name`.\"\"\"

        class IStyle(Interface):
            pass

        class ILanguage(Interface):
            pass
        """,
    "lists/model.py": """
        from public import public
        from zope.interface import implementer, implements
        from lists.interfaces import IListManager, IStyle

        @public
        @implementer(IListManager)
        class ListManager:
            def get(self, name):
                return name

        class LegacyStyle:
            implements(IStyle)  # old zope: the declaration in the class body

            def apply(self):
                return None
        """,
    "lists/app.py": """
        from zope.component import getUtility, queryUtility
        from lists.interfaces import ILanguage, IListManager, IStyle

        def find(name):
            return getUtility(IListManager).get(name)

        def maybe(name):
            manager = queryUtility(IListManager)
            return manager.get(name)

        def style():
            return getUtility(IStyle).apply()

        def other():
            return getUtility(ILanguage).apply()  # no analysed class implements it
        """,
}


def test_a_zope_utility_is_an_instance_of_its_implementers(make_tree: Tree) -> None:
    # Mailman looks its components up by interface (`getUtility(IListManager)`, 218 times):
    # the registry hands out the class declaring `@implementer(IListManager)`
    _, calls = resolve_calls(facts_of(make_tree(ZOPE_UTILITIES)))
    internal = {(c.caller, c.callee) for c in calls if c.kind is CallKind.INTERNAL}
    assert ("lists.app.find", "lists.model.ListManager.get") in internal
    assert ("lists.app.maybe", "lists.model.ListManager.get") in internal
    assert ("lists.app.style", "lists.model.LegacyStyle.apply") in internal
    assert not any(c.caller == "lists.app.other" and c.kind is CallKind.INTERNAL for c in calls)


def test_loaded_names() -> None:
    modules = Modules(["oscar.apps.catalogue.models", "shop.catalogue.models", "a.b"])
    assert modules.by_suffix("catalogue.models") == "shop.catalogue.models"
    assert modules.by_suffix("nothing.models") == ""
    assert loaded_name("get_model", ("catalogue", "Product"), modules) == (
        "shop.catalogue.models",
        "Product",
    )
    assert loaded_name("get_model", ("catalogue.Product",), modules)[1] == "Product"
    assert loaded_name("import_string", ("a.b.C",), modules) == ("a.b", "C")
    assert loaded_name("import_module", ("a.b",), modules) == ("a.b", "")
    assert loaded_name("import_module", ("x.y",), modules) == ("", "")


FACTORY_MODELS = {
    "forum/__init__.py": "",
    "forum/db.py": """
        from django.apps import apps

        def get_model(app_label, model_name):
            return apps.get_model(app_label, model_name)

        def model_factory(abstract_class):
            return type(abstract_class.__name__[8:], (abstract_class,), {"__module__": __name__})
        """,
    "forum/attachments/__init__.py": "",
    "forum/attachments/abstract_models.py": """
        from django.db import models

        class AbstractAttachment(models.Model):
            file = models.FileField()

            class Meta:
                abstract = True
                app_label = "attachments"
        """,
    "forum/attachments/models.py": """
        from forum.attachments.abstract_models import AbstractAttachment
        from forum.db import model_factory

        Attachment = model_factory(AbstractAttachment)
        """,
    "forum/attachments/admin.py": """
        from forum.db import get_model

        Attachment = get_model("attachments", "Attachment")
        """,
}


def test_a_model_made_by_a_factory_is_loaded_from_its_app_models_module(make_tree: Tree) -> None:
    # no class statement declares `Attachment`, so no entity has the label: the loader still
    # loads the name bound in the app's models module, and the admin depends on that module
    facts = facts_of(make_tree(FACTORY_MODELS))
    table, _ = resolve_calls(facts)
    data = resolve_data({f.module: f.data for f in facts}, table)
    loads = {(e.caller_module, e.target, e.target_module) for e in data.dynamic_edges}
    assert (
        "forum.attachments.admin",
        "forum.attachments.models.Attachment",
        "forum.attachments.models",
    ) in loads


def test_a_model_made_from_an_abstract_one_by_a_factory_is_an_entity(make_tree: Tree) -> None:
    tree = {
        **FACTORY_MODELS,
        "forum/attachments/views.py": """
            from forum.attachments.models import Attachment
            from forum.db import get_model

            Loaded = get_model("attachments", "Attachment")

            def upload(f):
                Attachment.objects.create(file=f)

            def listing():
                return Loaded.objects.all()
            """,
        "forum/attachments/helpers.py": """
            import logging

            logger = logging.getLogger(__name__)  # a call of one name: no model
            """,
    }
    facts = facts_of(make_tree(tree))
    table, _ = resolve_calls(facts)
    data = resolve_data({f.module: f.data for f in facts}, table)
    entities = {e.qualname: e for e in data.entities}
    made = entities["forum.attachments.models.Attachment"]
    assert not made.abstract and made.table == "attachments_attachment"
    assert made.parents == ("forum.attachments.abstract_models.AbstractAttachment",)
    assert [f.name for f in made.fields] == ["file"]
    assert {e for e in entities if "logger" in e} == set()
    accesses = {(a.caller, a.entity, a.mode.value) for a in data.accesses}
    assert ("forum.attachments.views.upload", made.qualname, "write") in accesses
    assert ("forum.attachments.views.listing", made.qualname, "read") in accesses
