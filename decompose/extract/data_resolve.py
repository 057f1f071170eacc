"""Resolve every module's data facts into one `DataGraph`.

Entities come from Django models (a class whose ancestry reaches `django.db.models.Model` or
Django's user models) and SQLAlchemy declarative classes (`__tablename__`); accesses are
attributed to the entity their receiver or argument denotes; raw SQL is parsed with sqlglot
into tables read and written, mapped back to entities; model signals, custom signals and
Celery tasks become asynchronous edges; `get_model`/`get_class`/`import_string` by literal
string become dynamic edges. Pure Python over facts; no syntax tree is involved.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

import sqlglot
from sqlglot import exp

from decompose.extract.data import (
    DYNAMIC_BASE,
    INSTANCE_DATA_METHODS,
    READ_METHODS,
    SIGNAL_SENDS,
    WRITE_METHODS,
)
from decompose.extract.loaders import Modules, loaded_name
from decompose.extract.resolve import ResolvedCall, SymbolTable
from decompose.model.data import (
    APP_CONFIG,
    PERMISSION,
    USER_MODEL_LOADER,
    Access,
    AccessMode,
    AsyncEdge,
    AsyncFact,
    ClassFact,
    DataFacts,
    DataGraph,
    DynamicEdge,
    Entity,
    EntityField,
    FieldFact,
    Orm,
    Relation,
    TransactionScope,
)

_DJANGO_BASES = ("Model", "AbstractUser", "AbstractBaseUser", "PolymorphicModel", "MPTTModel")
_USER_BASES = ("AbstractUser", "AbstractBaseUser")
_RELATIONS = {
    "ForeignKey": Relation.FOREIGN_KEY,
    "ParentalKey": Relation.FOREIGN_KEY,
    "OneToOneField": Relation.ONE_TO_ONE,
    "ManyToManyField": Relation.MANY_TO_MANY,
    "ParentalManyToManyField": Relation.MANY_TO_MANY,
    "relationship": Relation.FOREIGN_KEY,
}
_TYPES = {
    "string": (
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "UUIDField",
        "FilePathField",
        "IPAddressField",
        "GenericIPAddressField",
        "ImageField",
        "FileField",
        "String",
        "Text",
        "Unicode",
        "UnicodeText",
        "Enum",
        "Uuid",
        "UUID",
        "str",
    ),
    "integer": (
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "Integer",
        "BigInteger",
        "SmallInteger",
        "int",
    ),
    "number": ("DecimalField", "FloatField", "Numeric", "Float", "Decimal", "float"),
    "boolean": ("BooleanField", "NullBooleanField", "Boolean", "bool"),
    "datetime": ("DateTimeField", "DateTime", "datetime"),
    "date": ("DateField", "Date", "date"),
    "time": ("TimeField", "Time", "time"),
    "duration": ("DurationField", "Interval", "timedelta"),
    "object": ("JSONField", "HStoreField", "JSON", "JSONB", "dict"),
    "array": ("ArrayField", "ARRAY", "list"),
    "binary": ("BinaryField", "LargeBinary", "bytes"),
}
_PYTHON_TYPE = {kind: name for name, kinds in _TYPES.items() for kind in kinds}
_MODEL_SIGNALS = ("pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed")
_SESSION_READS = frozenset({"query", "get", "select", "scalars", "scalar", "execute"})
_SQLGLOT_LOG = logging.getLogger("sqlglot")
_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\{\w*\}")


def resolve_data(
    facts: Mapping[str, DataFacts], table: SymbolTable, calls: Sequence[ResolvedCall] = ()
) -> DataGraph:
    """The whole program's data graph from every module's data facts (module -> facts).

    With the resolved `calls`, a data method called on a value whose class only the flow of
    values tells (`order.save()` on a parameter) is an access to that class's entity.
    """
    classes = {c.qualname: (module, c) for module, f in facts.items() for c in f.classes}
    entities = _link_fields(_entities(classes, table), table)
    index = _EntityIndex(entities, table, _app_configs(facts, table))
    receivers: dict[tuple[str, int], set[str]] = defaultdict(set)
    for call in calls:
        if call.receivers:  # a few hundred among hundreds of thousands of calls
            receivers[(call.caller, call.line)].update(call.receivers)
    accesses = [a for module, f in facts.items() for a in _accesses(module, f, index, receivers)]
    sql_accesses, unresolved = _sql_accesses(facts, index, table)
    accesses += sql_accesses
    return DataGraph(
        entities=tuple(sorted(entities.values())),
        accesses=tuple(sorted(set(accesses))),
        transactions=_transactions(facts, accesses, table),
        async_edges=_async_edges(facts, index, table),
        dynamic_edges=_dynamic_edges(facts, index, table),
        unresolved_sql=tuple(sorted(unresolved)),
    )


# -- entities -----------------------------------------------------------------------------


def _entities(
    classes: Mapping[str, tuple[str, ClassFact]], table: SymbolTable
) -> dict[str, Entity]:
    orm: dict[str, Orm] = {}
    for qualname, (_, fact) in classes.items():
        kind = _orm_of(qualname, fact, classes, table)
        if kind is not None:
            orm[qualname] = kind
    entities: dict[str, Entity] = {}
    for qualname, kind in sorted(orm.items()):
        module, fact = classes[qualname]
        fields: list[FieldFact] = []
        for ancestor in reversed(table.mro(qualname)):  # inherited abstract fields first
            if ancestor in classes and ancestor in orm:
                fields = [
                    f for f in fields if f.name not in {g.name for g in classes[ancestor][1].fields}
                ]
                fields += classes[ancestor][1].fields
        entities[qualname] = Entity(
            qualname=qualname,
            module=module,
            orm=kind,
            table=_table_name(qualname, module, fact, kind),
            abstract=fact.abstract,
            fields=tuple(sorted(_field(f, kind) for f in fields if _is_field(f, kind))),
            parents=tuple(a for a in table.mro(qualname)[1:] if a in orm),
        )
    for qualname, (module, fact) in sorted(classes.items()):
        made = _made(qualname, module, fact, entities, classes, table)
        if made is not None:
            entities[qualname] = made
    return entities


def _made(
    qualname: str,
    module: str,
    fact: ClassFact,
    entities: Mapping[str, Entity],
    classes: Mapping[str, tuple[str, ClassFact]],
    table: SymbolTable,
) -> Entity | None:
    """`Post = model_factory(AbstractPost)`: a concrete model made from an abstract one.

    An abstract model has no table and exists to be subclassed, so a module-level name bound to
    a call taking one (and nothing else) is its concrete model, as `type()` makes it in
    django-machina: same fields, the abstract model's `Meta.app_label`, its own default table.
    """
    if not fact.made_from or qualname in entities:
        return None
    value = table.evaluate(fact.made_from, 0, module)
    parent = entities.get(value.name) if value.kind == "class" else None
    if parent is None or not parent.abstract:
        return None
    label = classes[parent.qualname][1].app_label if parent.qualname in classes else ""
    return Entity(
        qualname=qualname,
        module=module,
        orm=parent.orm,
        table=_table_name(qualname, module, replace(fact, app_label=label), parent.orm),
        abstract=False,
        fields=parent.fields,
        parents=(parent.qualname, *parent.parents),
    )


def _orm_of(
    qualname: str, fact: ClassFact, classes: Mapping[str, tuple[str, ClassFact]], table: SymbolTable
) -> Orm | None:
    if fact.has_tablename:
        return Orm.SQLALCHEMY
    externals = table.external_bases(qualname)
    if any(b.startswith("django.") and b.rsplit(".", 1)[-1] in _DJANGO_BASES for b in externals):
        return Orm.DJANGO
    # a subclass of any SQLAlchemy class (a SQL construct, a type) is no model without a
    # column: buildbot's `InsertFromSelect(Executable, ClauseElement)` sets options, no column
    if any(b.startswith("sqlalchemy") for b in externals) and any(
        _is_field(f, Orm.SQLALCHEMY) for f in fact.fields
    ):
        return Orm.SQLALCHEMY
    for ancestor in table.mro(qualname)[1:]:
        if ancestor in classes and classes[ancestor][1].has_tablename:
            return Orm.SQLALCHEMY
    return None


def _table_name(qualname: str, module: str, fact: ClassFact, orm: Orm) -> str:
    if fact.table:
        return fact.table
    name = qualname.rsplit(".", 1)[-1]
    if orm is Orm.SQLALCHEMY:
        return name.lower()
    return f"{fact.app_label or app_label(module)}_{name.lower()}"


def app_label(module: str) -> str:
    """Django's default app label: the package holding the models module."""
    parts = module.split(".")
    if "models" in parts:
        index = parts.index("models")
        return parts[index - 1] if index > 0 else parts[0]
    return parts[-2] if len(parts) > 1 else parts[0]


def _is_field(f: FieldFact, orm: Orm) -> bool:
    kind = _kind(f.callee)
    if orm is Orm.SQLALCHEMY:
        return kind in ("Column", "mapped_column", "relationship", "column_property")
    return f.callee.startswith("django.") or kind.endswith(("Field", "Key")) or kind in _RELATIONS


def _kind(callee: str) -> str:
    return callee.rsplit(".", 1)[-1].removesuffix("()")


def _field(f: FieldFact, orm: Orm) -> EntityField:
    kind = _kind(f.callee)
    keywords = dict(f.keywords)
    relation = _RELATIONS.get(kind, Relation.NONE)
    ref = ""
    if relation is not Relation.NONE:
        ref = keywords.get("to") or (f.args[0] if f.args else "") or keywords.get("argument", "")
    python_type = _PYTHON_TYPE.get(kind, "")
    if orm is Orm.SQLALCHEMY:
        python_type, ref, relation = _sqlalchemy_field(f, kind, python_type, ref, relation)
    nullable = keywords.get("null") == "True" or keywords.get("nullable") == "True"
    if orm is Orm.SQLALCHEMY and "nullable" not in keywords and "Optional" in f.annotation:
        nullable = True
    has_default = any(k in keywords for k in ("default", "auto_now", "auto_now_add"))
    has_default |= "server_default" in keywords or kind in ("AutoField", "BigAutoField")
    return EntityField(
        name=f.name,
        kind=kind,
        python_type=python_type,
        relation=relation,
        target_ref=ref.strip('"'),
        nullable=nullable,
        has_default=has_default,
        primary_key=keywords.get("primary_key") == "True",
        related_name=keywords.get("related_name", "").strip('"'),
        cascade=relation is not Relation.NONE and _cascades(f, keywords),
        owns=kind == "relationship" and "delete" in keywords.get("cascade", ""),
    )


def _cascades(f: FieldFact, keywords: Mapping[str, str]) -> bool:
    """Is the row deleted with the one it refers to? Django's `on_delete=CASCADE` (keyword or
    second argument), SQLAlchemy's `ForeignKey("t.id", ondelete="CASCADE")`."""
    on_delete = keywords.get("on_delete") or (f.args[1] if len(f.args) > 1 else "")
    if on_delete.endswith("CASCADE"):
        return True
    return any("ForeignKey(" in a and 'ondelete="cascade"' in a.lower() for a in f.args)


def _sqlalchemy_field(
    f: FieldFact, kind: str, python_type: str, ref: str, relation: Relation
) -> tuple[str, str, Relation]:
    for arg in f.args:
        if "ForeignKey(" in arg:
            ref = "table:" + arg.split('("', 1)[-1].split('"', 1)[0].rsplit(".", 1)[0]
            relation = Relation.FOREIGN_KEY
        elif not python_type and arg != "?":
            python_type = _PYTHON_TYPE.get(_kind(arg.split("(")[0]), "")
    if not python_type and f.annotation:
        python_type = _PYTHON_TYPE.get(f.annotation.rsplit(".", 1)[-1], "")
    if kind == "relationship":
        python_type = ""
        if not ref and f.annotation:  # `items: Mapped[list["CartItem"]] = relationship()`
            ref = f.annotation.rsplit(".", 1)[-1]
    return python_type, ref, relation


class _EntityIndex:
    """Find entities by qualname, table, app label and class name, or a reference."""

    def __init__(
        self,
        entities: Mapping[str, Entity],
        table: SymbolTable,
        app_configs: Mapping[str, str] | None = None,
    ) -> None:
        self.entities = entities
        self.table = table
        self.by_table = {e.table.lower(): q for q, e in sorted(entities.items())}
        self.by_label: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for qualname, entity in sorted(entities.items()):
            name = qualname.rsplit(".", 1)[-1]
            self.by_label.setdefault(f"{app_label(entity.module)}.{name}".lower(), qualname)
            self.by_name[name].append(qualname)
        users = [
            q
            for q, entity in entities.items()
            if not entity.abstract
            and any(b.rsplit(".", 1)[-1] in _USER_BASES for b in table.external_bases(q))
        ]
        self.user = sorted(users)[0] if users else ""
        self.app_configs = app_configs or {}  # Django app label -> its AppConfig class
        self.children: dict[str, list[str]] = defaultdict(list)  # model -> models made from it
        # (entity, reverse accessor) -> the entity whose relation field it reverses; concrete
        # models first, so an abstract model's copy of a field is not the one named
        self.reverse: dict[tuple[str, str], str] = {}
        for qualname, entity in sorted(entities.items(), key=lambda i: (i[1].abstract, i[0])):
            for parent in entity.parents:
                self.children[parent].append(qualname)
            default = f"{qualname.rsplit('.', 1)[-1].lower()}_set"
            for f in entity.fields:
                if f.relation and f.target:
                    for accessor in (default, f.related_name):
                        if accessor:
                            self.reverse.setdefault((f.target, accessor), qualname)
        self.modules = Modules(table.modules)

    def loaded(self, kind: str, args: Sequence[str]) -> str:
        """What a loader call by literal name loads: an entity, class, function or module."""
        return _dynamic_target(kind, args, self, self.table, self.modules)

    def of_value(self, text: str, module: str = "") -> str:
        """The entity a qualified expression denotes (the class or an instance of it)."""
        if not text or text.startswith("?"):
            return ""
        if text in self.entities:  # a model made by a call (`Post = model_factory(...)`)
            return text
        value = self.table.evaluate(text, 0, module)
        if value.kind in ("class", "instance") and value.name in self.entities:
            return value.name
        return ""

    def of_reference(self, ref: str, owner: Entity) -> str:
        """A relation's target: "app.Model", "Model", "self", a class, a table, the user model."""
        if not ref:
            return ""
        if ref.startswith("table:"):
            return self.by_table.get(ref[6:].lower(), "")
        if ref.endswith("AUTH_USER_MODEL"):
            return self.user
        if ref.startswith('"') or "." not in ref or ref.count(".") == 1:
            name = ref.strip('"')
            if name == "self":
                return owner.qualname
            if "." in name:
                return self.by_label.get(name.lower(), "")
            same_module = f"{owner.module}.{name}"
            if same_module in self.entities:
                return same_module
            candidates = self.by_name.get(name, [])
            return candidates[0] if len(candidates) == 1 else ""
        return self.of_value(ref, owner.module)


def _link_fields(entities: Mapping[str, Entity], table: SymbolTable) -> dict[str, Entity]:
    """Fill each relation field's target entity (needs every entity first)."""
    index = _EntityIndex(entities, table)
    linked = {}
    for qualname, entity in entities.items():
        fields = tuple(
            EntityField(
                f.name,
                f.kind,
                f.python_type,
                f.relation,
                index.of_reference(f.target_ref, entity) if f.relation else "",
                f.target_ref,
                f.nullable,
                f.has_default,
                f.primary_key,
                f.related_name,
                f.cascade,
                f.owns,
            )
            for f in entity.fields
        )
        linked[qualname] = Entity(
            entity.qualname,
            entity.module,
            entity.orm,
            entity.table,
            entity.abstract,
            fields,
            entity.parents,
        )
    return linked


# -- accesses ------------------------------------------------------------------------------


def _accesses(
    module: str,
    facts: DataFacts,
    index: _EntityIndex,
    receivers: Mapping[tuple[str, int], set[str]],
) -> list[Access]:
    found = []
    for a in facts.accesses:
        write = a.method in WRITE_METHODS
        if a.method not in READ_METHODS and not write:
            continue
        entities = {_receiver_entity(a.base, module, index)} - {""}
        if not entities and a.method in INSTANCE_DATA_METHODS:
            # `order.save()`, `order` known to be an Order only by the flow of values
            classes = receivers.get((a.caller, a.line), set())
            entities = {index.of_value(c) for c in classes} - {""}
        if not entities and (a.method in _SESSION_READS or write):
            entities = {next((e for e in (index.of_value(x, module) for x in a.args) if e), "")}
            entities.discard("")
        mode = AccessMode.WRITE if write else AccessMode.READ
        receiver = a.base.rsplit(".", 1)[-1].removesuffix("()").lstrip("?*")
        via = f"{receiver}.{a.method}" if receiver else a.method
        found += [Access(a.caller, module, e, mode, via, a.line) for e in sorted(entities)]
    return found


def _receiver_entity(base: str, module: str, index: _EntityIndex) -> str:
    """`app.models.Order.objects.filter()` -> app.models.Order (longest entity prefix), then
    along relations: `order.lines.filter()` -> the line entity, `line.product.save()` -> the
    product entity."""
    if not base:
        return ""
    if base.startswith(DYNAMIC_BASE):  # `Order = get_model("order", "Order")`, then `Order...`
        head, _, chain = base.partition(">")
        kind, *args = head.removeprefix(DYNAMIC_BASE).split(" ")
        entity = index.loaded(kind, args)
        if entity not in index.entities:
            return ""
        return _along(entity, chain.removeprefix(".").split("."), index)
    parts = base.split(".")
    if f"{USER_MODEL_LOADER}()" in parts:  # `get_user_model().objects.filter()`
        start = parts.index(f"{USER_MODEL_LOADER}()") + 1
        return _along(index.user, parts[start:], index) if index.user else ""
    for end in range(len(parts), 0, -1):
        entity = index.of_value(".".join(parts[:end]), module)
        if entity:
            return _along(entity, parts[end:], index)
    return ""


def _along(entity: str, chain: Sequence[str], index: _EntityIndex) -> str:
    """The entity reached from `entity` by the attribute chain's relations (forward fields and
    reverse accessors), up to the first call; "" when the chain ends in a plain field (the
    value of a column, no table) or in a relation to a model outside the analysed code."""
    for attribute in chain:
        if not attribute or attribute.endswith("()"):
            break
        field = next((f for f in index.entities[entity].fields if f.name == attribute), None)
        if field is not None:
            if not field.relation or not field.target:
                return ""
            entity = field.target
            continue
        related = _related(entity, attribute, index)
        if not related:
            break  # a manager (`objects`, `browsable`) or anything else: the entity itself
        entity = related
    return entity


def _related(entity: str, attribute: str, index: _EntityIndex) -> str:
    """A reverse relation (`order.lines`, `order.orderline_set`) to the referring entity; an
    abstract model's reverse accessors are those of the concrete models made from it."""
    for target in (entity, *index.children.get(entity, ())):
        referring = index.reverse.get((target, attribute))
        if referring:
            return referring
    return ""


def _sql_accesses(
    facts: Mapping[str, DataFacts], index: _EntityIndex, table: SymbolTable
) -> tuple[list[Access], list[tuple[str, int, str]]]:
    found: list[Access] = []
    unresolved: list[tuple[str, int, str]] = []
    for module, f in facts.items():
        for s in f.sql:
            read, written, problem = tables_in_sql(s.sql)
            if problem:
                unresolved.append((s.caller, s.line, problem))
                continue
            for name, mode in [(t, AccessMode.READ) for t in read] + [
                (t, AccessMode.WRITE) for t in written
            ]:
                entity = index.by_table.get(name.lower(), "")
                if entity:
                    found.append(Access(s.caller, module, entity, mode, "sql", s.line))
                else:
                    unresolved.append((s.caller, s.line, f"table {name} is no known entity"))
    return found, unresolved


def tables_in_sql(sql: str) -> tuple[list[str], list[str], str]:
    """Tables read and written by a SQL text (sqlglot), or the reason it does not parse."""
    text = _PLACEHOLDER.sub("NULL", sql)
    # sqlglot logs a warning for a statement it only keeps as an opaque command: that goes in
    # the plan's failures below, never to the user's console mid-run
    quiet, _SQLGLOT_LOG.disabled = _SQLGLOT_LOG.disabled, True
    try:
        statements = sqlglot.parse(text, error_level=sqlglot.ErrorLevel.RAISE)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError) as exc:
        return [], [], f"SQL does not parse: {str(exc).splitlines()[0][:120]}"
    finally:
        _SQLGLOT_LOG.disabled = quiet
    opaque = next((s for s in statements if isinstance(s, exp.Command)), None)
    if opaque is not None:
        return [], [], f"SQL statement sqlglot cannot read: {opaque.sql()[:120]}"
    read: set[str] = set()
    written: set[str] = set()
    for statement in statements:
        if statement is None:
            continue
        targets: set[str] = set()
        if isinstance(statement, exp.Insert | exp.Update | exp.Delete):
            target = statement.find(exp.Table)
            if target is not None:
                targets.add(target.name)
        written |= targets
        for t in statement.find_all(exp.Table):
            if t.name and t.name not in targets:
                read.add(t.name)
    return sorted(read), sorted(written), ""


# -- transactions, async, dynamic ------------------------------------------------------------


def _transactions(
    facts: Mapping[str, DataFacts], accesses: Sequence[Access], table: SymbolTable
) -> tuple[TransactionScope, ...]:
    found = []
    for module, f in facts.items():
        scopes = {t.id: t for t in f.transactions if _is_transaction(t.marker)}
        if not scopes:
            continue
        written: dict[int, set[str]] = defaultdict(set)
        by_line = {(a.caller, a.line): a for a in accesses if a.caller_module == module}
        for a in f.accesses:
            hit = by_line.get((a.caller, a.line))
            if a.transaction in scopes and hit is not None and hit.mode is AccessMode.WRITE:
                written[a.transaction].add(hit.entity)
        for s in f.sql:
            hit = by_line.get((s.caller, s.line))
            if s.transaction in scopes and hit is not None and hit.mode is AccessMode.WRITE:
                written[s.transaction].add(hit.entity)
        for ident, scope in sorted(scopes.items()):
            found.append(
                TransactionScope(scope.caller, module, scope.line, tuple(sorted(written[ident])))
            )
    return tuple(sorted(found))


def _is_transaction(marker: str) -> bool:
    name = marker.rsplit(".", 1)[-1].removesuffix("()")
    if name == "atomic":
        return "transaction" in marker or marker.startswith("django.")
    return name in ("begin", "begin_nested")


def _async_edges(
    facts: Mapping[str, DataFacts], index: _EntityIndex, table: SymbolTable
) -> tuple[AsyncEdge, ...]:
    tasks: dict[str, str] = {}  # task name or qualname -> task function
    # signal -> (handler, sender entity, sender literal)
    receivers: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for module, f in facts.items():
        for a in f.asyncs:
            if a.kind == "task":
                tasks[a.handler] = a.handler
                if a.name:
                    tasks[a.name] = a.handler
            elif a.kind in ("receiver", "connect"):
                handler = _function(a.handler, module, table)
                signal = _signal_name(a.target, module, table)
                if handler and signal:
                    sender = index.of_value(a.sender, module) if a.sender else ""
                    literal = a.sender if a.sender.startswith('"') else ""
                    receivers[signal].append((handler, sender, literal))
    edges: set[AsyncEdge] = set()
    for module, f in facts.items():
        for a in f.asyncs:
            if a.kind == "delay":
                task = _function(a.target, module, table)
                if task in tasks.values():
                    edges.add(_edge("task", task, a.caller, task, a.line, table))
            elif a.kind == "send_task" and a.name in tasks:
                edges.add(_edge("task", a.name, a.caller, tasks[a.name], a.line, table))
            elif a.kind == "send":
                signal = _signal_name(a.target, module, table)
                reply = _replied(a, table)
                for handler, _, literal in receivers.get(signal, []):
                    if not (literal and a.sender and literal != a.sender):
                        edge = _edge("signal", signal, a.caller, handler, a.line, table)
                        edges.add(replace(edge, reply=reply))
    for signal, handlers in receivers.items():
        if signal.rsplit(".", 1)[-1] in _MODEL_SIGNALS and signal.startswith("django."):
            for handler, sender, _ in handlers:
                if sender:
                    edge = _edge("signal", signal, "", handler, 0, table)
                    edges.add(
                        AsyncEdge(
                            edge.kind,
                            edge.name,
                            "",
                            index.entities[sender].module,
                            edge.target,
                            edge.target_module,
                            0,
                            sender,
                        )
                    )
    return tuple(sorted(edges))


def _replied(send: AsyncFact, table: SymbolTable) -> bool:
    """Whether the code sending a signal uses what `send` returns: its receivers' replies.

    A lambda returning the send (`on_commit(lambda: placed.send(...))`) hands it to a caller
    that drops it: that is no use."""
    facts = table.modules.get(_module(send.caller, table))
    if facts is None:
        return False
    for site in facts.sites:
        if (
            site.result
            and site.caller == send.caller
            and site.line == send.line
            and site.callee.rsplit(".", 1)[-1] in SIGNAL_SENDS
        ):
            if not site.caller.rpartition(".")[2].startswith("<lambda"):
                return True
            returned = f"{site.caller}.<return>"
            if any(f.source == site.result and f.target != returned for f in facts.flows):
                return True
            if any(site.result in (*s.args, *(v for _, v in s.keywords)) for s in facts.sites):
                return True
    return False


def _edge(
    kind: str, name: str, source: str, target: str, line: int, table: SymbolTable
) -> AsyncEdge:
    return AsyncEdge(
        kind, name, source, _module(source, table), target, _module(target, table), line
    )


def _module(qualname: str, table: SymbolTable) -> str:
    while qualname and not table.module_of(qualname):
        qualname = qualname.rpartition(".")[0]
    return table.module_of(qualname) if qualname else ""


def _function(text: str, module: str, table: SymbolTable) -> str:
    if not text or text.startswith("?"):
        return ""
    value = table.evaluate(text, 0, module)
    return value.name if value.kind == "function" else ""


def _signal_name(text: str, module: str, table: SymbolTable) -> str:
    """A custom signal is named by the variable holding it, as the packages re-exporting it
    name it; Django's by their dotted name."""
    if not text or text.startswith("?"):
        return ""
    name = text
    for _ in range(10):  # follow aliases to the binding that creates the signal
        bound = table.bindings.get(name)
        if bound is None:
            name = table.bound_name(name)
            bound = table.bindings.get(name)
        if bound is None:
            break
        if bound.endswith("()"):
            return table.public_name(name)
        name = bound
    value = table.evaluate(text, 0, module)
    if value.kind in ("external", "instance", "unknown") and value.name:
        return value.name.removesuffix("()")
    return text


def _dynamic_edges(
    facts: Mapping[str, DataFacts], index: _EntityIndex, table: SymbolTable
) -> tuple[DynamicEdge, ...]:
    edges = set()
    for module, f in facts.items():
        for d in f.dynamic:
            loads = [d.args] if d.kind != "get_classes" else [(d.args[0], n) for n in d.args[1:]]
            for args in loads or [d.args]:
                target = index.loaded(d.kind, args)
                if target:
                    edges.add(
                        DynamicEdge(
                            d.caller, module, target, _module(target, table), d.kind, d.line
                        )
                    )
    return tuple(sorted(e for e in edges if e.target_module))


def _dynamic_target(
    kind: str, args: Sequence[str], index: _EntityIndex, table: SymbolTable, modules: Modules
) -> str:
    if kind == "get_model":
        label = ".".join(args[:2]) if len(args) >= 2 else args[0]
        entity = index.by_label.get(label.lower(), "")
        if entity:
            return entity
        # no entity carries that label (a model made by a factory, say): what the loader
        # loads all the same, the name bound in the app's models module
        module, name = loaded_name(kind, args, modules)
        loaded = f"{module}.{name}"
        return loaded if loaded in table.bindings or loaded in table.kinds else module
    if kind == PERMISSION and len(args) == 2:  # Django's permissions name Django's models
        entity = index.by_label.get(f"{args[0]}.{args[1]}", "")
        return entity if entity and index.entities[entity].orm is Orm.DJANGO else ""
    if kind in ("get_class", "get_classes"):
        module = modules.by_suffix(args[0])
        if module and len(args) > 1 and f"{module}.{args[1]}" in table.kinds:
            return f"{module}.{args[1]}"
        return module
    if kind == "import_string":
        value = table.evaluate(args[0])
        return value.name if value.kind in ("class", "function", "module") else ""
    if kind == "import_module":
        return args[0] if args[0] in table.modules else ""
    if kind == APP_CONFIG and len(args) == 3 and _is_app_config(args[2], table):
        package = args[0]
        return next((m for m in (f"{package}.models", package) if m in table.modules), "")
    if kind == USER_MODEL_LOADER:
        return index.user
    if kind == "get_app_config" and args:
        return index.app_configs.get(args[0], "")
    return ""


def _app_configs(facts: Mapping[str, DataFacts], table: SymbolTable) -> dict[str, str]:
    """Django app label -> the AppConfig class declaring it (the first in module order)."""
    found: dict[str, str] = {}
    for _, f in sorted(facts.items()):
        for d in f.dynamic:
            if d.kind == APP_CONFIG and len(d.args) == 3 and _is_app_config(d.args[2], table):
                found.setdefault(d.args[1], d.args[2])
    return found


def _is_app_config(cls: str, table: SymbolTable) -> bool:
    """Does the class derive from Django's `AppConfig` (`django.apps.AppConfig`)?"""
    return any(b.rsplit(".", 1)[-1] == "AppConfig" for b in table.external_bases(cls))
