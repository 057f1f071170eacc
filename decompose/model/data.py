"""The data graph: ORM entities, who reads and writes them, transactions, async edges.

Two levels, like calls: `DataFacts` are what one module says (names qualified as far as the
module alone can), `DataGraph` is the whole program's resolved picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Orm(StrEnum):
    """Which mapper declares an entity."""

    DJANGO = "django"
    SQLALCHEMY = "sqlalchemy"


class Relation(StrEnum):
    """How a field refers to another entity."""

    NONE = ""
    FOREIGN_KEY = "fk"
    ONE_TO_ONE = "o2o"
    MANY_TO_MANY = "m2m"


# -- per module facts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class FieldFact:
    """A class attribute assigned from a call, as the module writes it."""

    name: str
    callee: str  # qualified constructor, e.g. "django.db.models.ForeignKey"
    args: tuple[str, ...]  # positional arguments: string literals quoted ('"app.Model"'),
    # dotted names qualified ("app.models.Order"), anything else "?"
    keywords: tuple[tuple[str, str], ...]  # literal text of keyword arguments
    annotation: str = ""  # qualified annotation (SQLAlchemy 2.0 `Mapped[...]`)


@dataclass(frozen=True, slots=True, order=True)
class ClassFact:
    """A class that may be an ORM entity: its fields and table options."""

    qualname: str
    line: int
    fields: tuple[FieldFact, ...]
    table: str = ""  # Meta.db_table or __tablename__
    abstract: bool = False
    app_label: str = ""  # Meta.app_label
    has_tablename: bool = False
    # `Post = model_factory(AbstractPost)` at module level: no class statement, the qualified
    # single argument of the call the name is bound to (a model made from an abstract one)
    made_from: str = ""


@dataclass(frozen=True, slots=True, order=True)
class AccessFact:
    """A call that may read or write data: `base.method(...)`."""

    caller: str
    base: str  # qualified receiver chain, e.g. "shop.models.Order.objects.filter()"
    method: str
    line: int
    args: tuple[str, ...] = ()  # qualified positional arguments (SQLAlchemy `query(Order)`)
    transaction: int = 0  # id of the enclosing transaction scope, 0 for none


@dataclass(frozen=True, slots=True, order=True)
class SqlFact:
    """A literal SQL string handed to `execute`, `text`, `raw` or `extra`."""

    caller: str
    sql: str
    line: int
    transaction: int = 0


@dataclass(frozen=True, slots=True, order=True)
class TransactionFact:
    """A `with transaction.atomic()`/`session.begin()` block or an atomic function."""

    id: int
    caller: str
    marker: str  # qualified expression that opened it
    line: int


@dataclass(frozen=True, slots=True, order=True)
class AsyncFact:
    """A signal or task edge as the module writes it.

    kinds: "receiver" (`@receiver(signal, sender=X)` on `handler`), "connect"
    (`signal.connect(handler, sender=X)`), "send" (`signal.send(...)`), "task" (a function
    decorated as a task; `name` is its explicit name), "delay" (`task.delay/apply_async/s`),
    "send_task" (`app.send_task("name")`).
    """

    kind: str
    caller: str  # the scope where it stands
    target: str  # qualified signal, task or decorator
    handler: str = ""  # qualified receiver function
    sender: str = ""  # qualified sender
    name: str = ""  # literal task name
    line: int = 0


@dataclass(frozen=True, slots=True, order=True)
class DynamicFact:
    """Framework loading by literal string: `get_model`, `get_class`, `import_string`..., and
    the other framework facts kept as one (an app config, `get_user_model()`, a permission)."""

    kind: str  # "get_model", "get_class", "import_string", "import_module", APP_CONFIG...
    caller: str
    args: tuple[str, ...]
    line: int


# The kind of a `DynamicFact` for a class-level `name = "a.b"` (args: the name, the app label,
# the class): a Django `AppConfig`, if its bases say so, names the package whose `models` Django
# imports, and `apps.get_app_config(label)` loads it.
APP_CONFIG = "app_config"
# Django's `get_user_model()`: the kind of its `DynamicFact` (no argument), and the call in a
# qualified receiver chain (`django.contrib.auth.get_user_model().objects`)
USER_MODEL_LOADER = "get_user_model"
# a Django permission named in the code (`"dcim.view_device"`, `has_perm("order.change_order")`):
# its `DynamicFact` args are (app label, model name); it names the model, and loads nothing
PERMISSION = "permission"


@dataclass(frozen=True, slots=True)
class DataFacts:
    """One module's data facts, sorted."""

    classes: tuple[ClassFact, ...] = ()
    accesses: tuple[AccessFact, ...] = ()
    sql: tuple[SqlFact, ...] = ()
    transactions: tuple[TransactionFact, ...] = ()
    asyncs: tuple[AsyncFact, ...] = ()
    dynamic: tuple[DynamicFact, ...] = ()


# -- resolved, whole program --------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class EntityField:
    """A field of an entity, with the entity it refers to (qualname) if any."""

    name: str
    kind: str  # constructor's last name: "CharField", "ForeignKey", "Column", "Mapped"...
    python_type: str  # "string", "integer", "number", "boolean", "datetime", ... or ""
    relation: Relation = Relation.NONE
    target: str = ""  # qualname of the referred entity ("" when unknown or external)
    target_ref: str = ""  # the reference as written ("auth.User", "orders.id")
    nullable: bool = False
    has_default: bool = False
    primary_key: bool = False
    related_name: str = ""  # the reverse accessor's name on the target, when declared
    cascade: bool = False  # deleted with the entity it refers to (Django's on_delete=CASCADE)
    # the entities it refers to are deleted with this one (SQLAlchemy's
    # relationship(cascade="all, delete-orphan"))
    owns: bool = False

    @property
    def part_of_target(self) -> bool:
        """Is its entity part of the one it refers to, as a line is of its basket: deleted
        with it and never without one? A nullable or protected reference, or a many-to-many,
        is an association between aggregates (a shipment and its carrier), not a part."""
        return (
            self.relation in (Relation.FOREIGN_KEY, Relation.ONE_TO_ONE)
            and self.cascade
            and not self.nullable
        )

    @property
    def composition(self) -> bool:
        """Does the field make one of its two entities part of the other (either way)?"""
        return self.part_of_target or self.owns


@dataclass(frozen=True, slots=True, order=True)
class Entity:
    """An ORM-mapped class."""

    qualname: str
    module: str
    orm: Orm
    table: str
    abstract: bool
    fields: tuple[EntityField, ...]
    parents: tuple[str, ...] = ()  # the entities it derives from, nearest first (its MRO)


class AccessMode(StrEnum):
    """Read or write."""

    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True, order=True)
class Access:
    """A function reading or writing an entity."""

    caller: str
    caller_module: str
    entity: str
    mode: AccessMode
    via: str  # "objects.filter", "save", "session.add", "sql:UPDATE"...
    line: int


@dataclass(frozen=True, slots=True, order=True)
class TransactionScope:
    """Entities written together in one transaction."""

    caller: str
    caller_module: str
    line: int
    entities: tuple[str, ...]


@dataclass(frozen=True, slots=True, order=True)
class AsyncEdge:
    """An existing asynchronous edge: a signal from sender code to a receiver, or a task call."""

    kind: str  # "signal" or "task"
    name: str  # signal or task qualified name
    source: str  # function that sends / enqueues ("" when implicit: model signals)
    source_module: str
    target: str  # receiver function / task function
    target_module: str
    line: int
    sender: str = ""  # the entity whose change triggers a model signal
    # a signal whose sender uses what its receivers return (`send` returns each reply): a
    # hook asking its receivers, each receiver called, not notified
    reply: bool = False


@dataclass(frozen=True, slots=True, order=True)
class DynamicEdge:
    """A module or class loaded by name at run time (or a model a permission names), resolved
    to analysed code."""

    caller: str
    caller_module: str
    target: str
    target_module: str
    kind: str
    line: int


@dataclass(frozen=True, slots=True)
class DataGraph:
    """Every entity, access, transaction and async edge of the analysed code."""

    entities: tuple[Entity, ...] = ()
    accesses: tuple[Access, ...] = ()
    transactions: tuple[TransactionScope, ...] = ()
    async_edges: tuple[AsyncEdge, ...] = ()
    dynamic_edges: tuple[DynamicEdge, ...] = ()
    unresolved_sql: tuple[tuple[str, int, str], ...] = field(default=())  # caller, line, why
