"""Data facts from libcst nodes: ORM classes, data access, raw SQL, transactions, async edges.

The fact visitor calls a `DataCollector` at a few hooks (classes, functions, `with` blocks,
calls). The collector keeps dotted expressions raw, with the visitor's scope, and qualifies
them through the visitor's own name resolution once the whole module has been seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from decompose.extract.vocabulary import DOTTED_PATH
from decompose.model.data import (
    APP_CONFIG,
    PERMISSION,
    USER_MODEL_LOADER,
    AccessFact,
    AsyncFact,
    ClassFact,
    DataFacts,
    DynamicFact,
    FieldFact,
    SqlFact,
    TransactionFact,
)

Parts = tuple[str, ...]
Qualify = Callable[[Parts, object], str]

# Django's permission codenames: "<app label>.<add|change|delete|view>_<model name>"
PERMISSION_NAME = re.compile(r"^([a-z][a-z0-9_]*)\.(?:add|change|delete|view)_([a-z][a-z0-9]*)$")

# Methods that read or write data when called on a manager, queryset, instance or session.
READ_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "get",
        "first",
        "last",
        "count",
        "exists",
        "values",
        "values_list",
        "aggregate",
        "annotate",
        "select_related",
        "prefetch_related",
        "order_by",
        "in_bulk",
        "iterator",
        "only",
        "defer",
        "distinct",
        "latest",
        "earliest",
        "get_queryset",
        "query",
        "scalars",
        "scalar",
        "one",
        "one_or_none",
        "raw",
        "select",
        "get_object_or_404",
        "get_list_or_404",
        "filter_by",
    }
)
WRITE_METHODS = frozenset(
    {
        "create",
        "update",
        "delete",
        "save",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "add",
        "add_all",
        "merge",
        "insert",
        "remove",
        "clear",
        "set",
        "refresh_from_db",
    }
)
# The data methods of a model instance (`order.save()`): the call solver records the classes
# of the instances they are called on, for receivers whose class only the flow of values knows.
INSTANCE_DATA_METHODS = frozenset({"save", "delete", "refresh_from_db"})
SQL_METHODS = frozenset({"execute", "executemany", "raw", "extra", "text", "executescript"})
TASK_CALLS = frozenset({"delay", "apply_async", "s", "si", "signature"})
TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task"})
SIGNAL_SENDS = frozenset({"send", "send_robust"})
BLINKER_DECORATORS = frozenset({"connect", "connect_via"})  # `@signal.connect` receives it
TRANSACTION_MARKERS = frozenset({"atomic", "begin", "begin_nested", "commit_on_success"})
DYNAMIC_LOADERS = frozenset(
    {
        "get_model",
        "get_class",
        "get_classes",
        "import_string",
        "import_module",
        "get_app_config",
        USER_MODEL_LOADER,  # the only one without a literal: the project's user model
    }
)
# A receiver bound to a class loaded by name (`Order = get_model("order", "Order")`) is kept
# as "<dynamic KIND ARG ARG>" followed by the rest of the chain, for the resolver to look up.
DYNAMIC_BASE = "<dynamic "
Binding = tuple[str, tuple[str, ...]]  # (loader, literal arguments)


def expression_parts(expr: cst.BaseExpression) -> Parts | None:
    """`a.b(x).c` -> ("a", "b()", "c"); None for anything but names, attributes and calls."""
    if isinstance(expr, cst.Name):
        return (expr.value,)
    if isinstance(expr, cst.Attribute):
        inner = expression_parts(expr.value)
        return None if inner is None else (*inner, expr.attr.value)
    if isinstance(expr, cst.Call):
        inner = expression_parts(expr.func)
        return None if inner is None else (*inner[:-1], inner[-1] + "()")
    return None


def literal_string(expr: cst.BaseExpression) -> str | None:
    """The value of a string literal (implicit concatenation included), else None."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString):
        left, right = literal_string(expr.left), literal_string(expr.right)
        return None if left is None or right is None else left + right
    return None


@dataclass(slots=True)
class _Value:
    """An argument as written: a literal, a dotted expression to qualify, or unknown."""

    literal: str | None = None
    parts: Parts | None = None
    call_literal: str | None = None  # `F("x")`: the first literal argument of a nested call
    # `ForeignKey("orders.id", ondelete="CASCADE")`: the nested call's literal `ondelete`
    ondelete: str | None = None

    @classmethod
    def of(cls, expr: cst.BaseExpression) -> _Value:
        text = literal_string(expr)
        if text is not None:
            return cls(literal=text)
        if isinstance(expr, cst.Integer | cst.Float):
            return cls(literal=expr.value)
        if isinstance(expr, cst.Name) and expr.value in ("True", "False", "None"):
            return cls(literal=expr.value)
        if isinstance(expr, cst.Call) and expr.args and expr.args[0].keyword is None:
            inner = literal_string(expr.args[0].value)
            if inner is not None:
                ondelete = next(
                    (
                        literal_string(a.value)
                        for a in expr.args
                        if a.keyword is not None and a.keyword.value == "ondelete"
                    ),
                    None,
                )
                parts = expression_parts(expr.func)
                return cls(parts=parts, call_literal=inner, ondelete=ondelete)
        return cls(parts=expression_parts(expr))

    def text(self, qualify: Qualify, scope: object) -> str:
        if self.literal is not None:
            return f'"{self.literal}"' if not _is_constant(self.literal) else self.literal
        if self.parts and self.call_literal is not None:
            ondelete = f', ondelete="{self.ondelete}"' if self.ondelete is not None else ""
            return f'{qualify(self.parts, scope)}("{self.call_literal}"{ondelete})'
        if self.parts:
            return qualify(self.parts, scope)
        return "?"


def _is_constant(text: str) -> bool:
    return text in ("True", "False", "None") or text.replace(".", "", 1).lstrip("-").isdigit()


@dataclass(slots=True)
class _Field:
    name: str
    callee: Parts
    args: list[_Value]
    keywords: list[tuple[str, _Value]]
    annotation: Parts | None = None


@dataclass(slots=True)
class _Class:
    qualname: str
    scope: object
    line: int
    fields: list[_Field] = field(default_factory=list)
    table: str = ""
    abstract: bool = False
    app_label: str = ""
    has_tablename: bool = False
    literals: dict[str, str] = field(default_factory=dict)  # NAME = "string" in the body


@dataclass(slots=True)
class _Pending:
    """A fact waiting for qualification: a builder and the scope to qualify in."""

    scope: object
    build: Callable[[Qualify, object], object]


class DataCollector:
    """Collects one module's data facts through hooks called by the fact visitor."""

    def __init__(self) -> None:
        self._classes: list[_Class] = []
        self._pending: list[_Pending] = []
        self._transactions: list[int] = []  # open transaction ids, innermost last
        self._opened: list[bool] = []  # per `with`/function: did it open a transaction?
        self._next_id = 0
        self._constants: dict[str, str] = {}  # module-level NAME = "string literal"
        self._factories: dict[int, tuple[str, Parts]] = {}  # id(call) -> (NAME, its argument)
        self._bindings: dict[str, Binding] = {}  # module-level NAME = loader("literal", ...)
        self._local: dict[str, dict[str, Binding]] = {}  # function -> its own such names

    def on_module(self, node: cst.Module) -> None:
        """The module: its string constants, for SQL kept in a module-level name."""
        for stmt in node.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                value: cst.BaseExpression | None = None
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target, value = small.targets[0].target, small.value
                elif isinstance(small, cst.AnnAssign):
                    target, value = small.target, small.value
                if value is not None and isinstance(target, cst.Name):
                    text = literal_string(value)
                    if text is not None:
                        self._constants[target.value] = text
                    made = _made_from(value)
                    if made:
                        self._factories[id(value)] = (target.value, made)
        self._bindings = loader_bindings(node.body)

    # -- hooks ---------------------------------------------------------------------------
    def on_class(self, node: cst.ClassDef, qualname: str, scope: object, line: int) -> None:
        """A class statement; `scope` is the scope the class body's names resolve in."""
        info = _Class(qualname, scope, line)
        for stmt in node.body.body:
            if isinstance(stmt, cst.ClassDef) and stmt.name.value == "Meta":
                _read_meta(stmt, info)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    _read_class_assignment(small, info)
        # a class without fields may still be a model: `class Order(AbstractOrder): pass`
        if info.fields or info.has_tablename or info.table or node.bases:
            self._classes.append(info)
        name, label = _app_config(info.literals) if node.bases else ("", "")
        if name:  # an AppConfig, if its bases say so: Django loads its app's models
            fact = DynamicFact(APP_CONFIG, qualname, (name, label, qualname), line)
            self._later(scope, lambda q, s: fact)

    def enter_function(self, node: cst.FunctionDef, qualname: str, scope: object) -> None:
        """A function starts; its decorators may make it a receiver, task or transaction."""
        opened = False
        for deco in node.decorators:
            expr = deco.decorator
            func = expr.func if isinstance(expr, cst.Call) else expr
            parts = expression_parts(func)
            if not parts:
                continue
            last = parts[-1]
            if last == "receiver" and isinstance(expr, cst.Call):
                self._receiver(expr, parts, qualname, scope)
            elif last in BLINKER_DECORATORS and isinstance(func, cst.Attribute):
                # blinker: `@signal.connect`, `@signal.connect_via(sender)`
                first = [a.value for a in expr.args] if isinstance(expr, cst.Call) else []
                sender = _Value.of(first[0]) if first and last == "connect_via" else None
                self._receives(_Value.of(func.value), sender, qualname, scope)
            elif last in TASK_DECORATORS:
                name = _keyword_literal(expr, "name") if isinstance(expr, cst.Call) else None
                self._task(parts, qualname, name or "", scope)
            elif last in TRANSACTION_MARKERS:
                opened = True
                self._open_transaction(qualname, parts, scope, 0)
        self._opened.append(opened)
        local = loader_bindings(node.body.body)
        if local:
            self._local[qualname] = local

    def leave_function(self) -> None:
        """The function entered last ends."""
        if self._opened.pop():
            self._transactions.pop()

    def enter_with(self, node: cst.With, caller: str, scope: object, line: int) -> None:
        """A `with` block starts: a transaction when it opens one."""
        opened = False
        for item in node.items:
            parts = expression_parts(item.item)
            if parts and parts[-1].removesuffix("()") in TRANSACTION_MARKERS:
                self._open_transaction(caller, parts, scope, line)
                opened = True
                break
        self._opened.append(opened)

    def leave_with(self) -> None:
        """The `with` block entered last ends."""
        self.leave_function()

    def on_string(self, value: str, caller: str, scope: object, line: int) -> None:
        """A string literal: a Django permission (`"dcim.view_device"`) names its model."""
        found = PERMISSION_NAME.match(value)
        if found:
            fact = DynamicFact(PERMISSION, caller, found.groups(), line)
            self._pending.append(_Pending(scope, lambda q, s: fact))

    def on_call(self, node: cst.Call, caller: str, scope: object, line: int) -> None:
        """A call: data access, raw SQL, signal, task or dynamic loading."""
        if id(node) in self._factories:  # `Post = model_factory(AbstractPost)`
            bound, argument = self._factories.pop(id(node))
            self._later(
                scope,
                lambda q, s: ClassFact(f"{caller}.{bound}", line, (), made_from=q(argument, s)),
            )
        parts = expression_parts(node.func)
        if not parts:
            return
        method = parts[-1]
        base = parts[:-1]
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        txn = self._transactions[-1] if self._transactions else 0
        if method in SQL_METHODS and positional:
            sql = literal_string(positional[0])
            if sql is None and isinstance(positional[0], cst.Name):
                sql = self._constants.get(positional[0].value)
            if sql is not None:
                fact = SqlFact(caller, sql, line, txn)
                self._later(scope, lambda q, s: fact)
        if method in DYNAMIC_LOADERS:
            literals = loader_arguments(positional)
            if literals or method == USER_MODEL_LOADER:
                self._pending.append(
                    _Pending(scope, lambda q, s: DynamicFact(method, caller, literals, line))
                )
            return
        if method in READ_METHODS or method in WRITE_METHODS:
            args = [_Value.of(a) for a in positional]
            loaded = self._loaded(caller, base)
            self._later(
                scope,
                lambda q, s: AccessFact(
                    caller,
                    loaded or (q(base, s) if base else ""),
                    method,
                    line,
                    tuple(a.text(q, s) for a in args),
                    txn,
                ),
            )
        elif base and method in SIGNAL_SENDS:
            # a literal sender (`items.send("admin-sidemenu")`) reaches only the receivers
            # connected for it (`@items.connect_via("admin-sidemenu")`) or for any sender
            first = _Value.of(positional[0]) if positional else None
            literal = first if first is not None and first.literal is not None else None

            def send(q: Qualify, s: object) -> AsyncFact:
                sender = literal.text(q, s) if literal is not None else ""
                return AsyncFact("send", caller, q(base, s), sender=sender, line=line)

            self._later(scope, send)
        elif base and method == "connect" and positional:
            handler = _Value.of(positional[0])
            sender = _keyword_value(node, "sender")
            self._later(
                scope,
                lambda q, s: AsyncFact(
                    "connect",
                    caller,
                    q(base, s),
                    handler=handler.text(q, s),
                    sender=sender.text(q, s) if sender else "",
                    line=line,
                ),
            )
        elif base and method in TASK_CALLS:
            self._later(scope, lambda q, s: AsyncFact("delay", caller, q(base, s), line=line))
        elif method == "send_task" and positional:
            name = literal_string(positional[0])
            if name:
                self._later(
                    scope,
                    lambda q, s: AsyncFact("send_task", caller, "", name=name, line=line),
                )

    # -- results -------------------------------------------------------------------------
    def facts(self, qualify: Qualify) -> DataFacts:
        """Every fact, qualified and sorted."""
        built = [p.build(qualify, p.scope) for p in self._pending]
        made = [b for b in built if isinstance(b, ClassFact)]
        return DataFacts(
            classes=tuple(sorted([*(_class_fact(c, qualify) for c in self._classes), *made])),
            accesses=tuple(sorted(b for b in built if isinstance(b, AccessFact))),
            sql=tuple(sorted(b for b in built if isinstance(b, SqlFact))),
            transactions=tuple(sorted(b for b in built if isinstance(b, TransactionFact))),
            asyncs=tuple(sorted(b for b in built if isinstance(b, AsyncFact))),
            dynamic=tuple(sorted(b for b in built if isinstance(b, DynamicFact))),
        )

    # -- helpers -------------------------------------------------------------------------
    def _loaded(self, caller: str, base: Parts) -> str:
        """The receiver chain as "<dynamic ...>.rest" when its head names a class loaded by name."""
        if not base:
            return ""
        local = self._local.get(caller, {})
        binding = local.get(base[0]) or self._bindings.get(base[0])
        if binding is None:
            return ""
        head = DYNAMIC_BASE + " ".join((binding[0], *binding[1])) + ">"
        return ".".join((head, *base[1:]))

    def _later(self, scope: object, build: Callable[[Qualify, object], object]) -> None:
        self._pending.append(_Pending(scope, build))

    def _open_transaction(self, caller: str, parts: Parts, scope: object, line: int) -> None:
        self._next_id += 1
        ident = self._next_id
        self._transactions.append(ident)
        self._later(scope, lambda q, s: TransactionFact(ident, caller, q(parts, s), line))

    def _receiver(self, call: cst.Call, parts: Parts, handler: str, scope: object) -> None:
        positional = [a.value for a in call.args if a.keyword is None]
        if not positional:
            return
        first = positional[0]
        signals = (
            [e.value for e in first.elements]
            if isinstance(first, cst.List | cst.Tuple)
            else [first]
        )
        sender = _keyword_value(call, "sender")
        for signal in signals:
            self._receives(_Value.of(signal), sender, handler, scope)

    def _receives(self, signal: _Value, sender: _Value | None, handler: str, scope: object) -> None:
        def build(q: Qualify, s: object) -> AsyncFact:
            who = sender.text(q, s) if sender else ""
            return AsyncFact("receiver", handler, signal.text(q, s), handler=handler, sender=who)

        self._later(scope, build)

    def _task(self, decorator: Parts, handler: str, name: str, scope: object) -> None:
        def build(q: Qualify, s: object) -> AsyncFact:
            return AsyncFact("task", handler, q(decorator, s), handler=handler, name=name)

        self._later(scope, build)


def loader_arguments(positional: Sequence[cst.BaseExpression]) -> tuple[str, ...]:
    """The literal arguments of a loader call, lists of literals flattened (`get_classes`)."""
    out: list[str] = []
    for arg in positional:
        if isinstance(arg, cst.List | cst.Tuple):
            out += [t for t in (literal_string(e.value) for e in arg.elements) if t is not None]
        else:
            text = literal_string(arg)
            if text is not None:
                out.append(text)
    return tuple(out)


def loader_bindings(body: Sequence[cst.CSTNode]) -> dict[str, Binding]:
    """Names bound to a class or module loaded by literal name in these statements.

    `X = get_class("m", "X")`, `A, B = get_classes("m", ["A", "B"])`, `M = get_model("a", "M")`,
    in the statements and the blocks they open (`if`, `try`, `with`, loops), not in nested
    functions or classes. A name bound twice to different loads is left out.
    """
    found: dict[str, Binding] = {}
    clashes: set[str] = set()

    def bind(name: str, binding: Binding) -> None:
        if found.get(name, binding) != binding:
            clashes.add(name)
        found[name] = binding

    pending: list[cst.CSTNode] = list(body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    _bind_assignment(small.targets[0].target, small.value, bind)
        elif isinstance(stmt, _COMPOUND):
            pending += _blocks(stmt)
    return {n: b for n, b in sorted(found.items()) if n not in clashes}


_COMPOUND = (
    cst.If,
    cst.Else,
    cst.Try,
    cst.TryStar,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.With,
    cst.For,
    cst.While,
)


def _blocks(stmt: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements directly inside a compound statement's blocks."""
    out: list[cst.CSTNode] = []
    for child in stmt.children:
        if isinstance(child, cst.IndentedBlock):
            out += child.body
        elif isinstance(child, _COMPOUND):
            out.append(child)
    return out


def _bind_assignment(
    target: cst.BaseExpression, value: cst.BaseExpression, bind: Callable[[str, Binding], None]
) -> None:
    if not isinstance(value, cst.Call):
        return
    parts = expression_parts(value.func)
    if not parts or parts[-1] not in DYNAMIC_LOADERS:
        return
    loader = parts[-1]
    positional = [a.value for a in value.args if a.keyword is None and not a.star]
    args = loader_arguments(positional)
    if not args and loader != USER_MODEL_LOADER:
        return
    if isinstance(target, cst.Name) and loader != "get_classes":
        bind(target.value, (loader, args))
    elif isinstance(target, cst.Tuple | cst.List) and loader == "get_classes":
        names = [e.value for e in target.elements]
        if len(names) == len(args) - 1:
            for name, cls in zip(names, args[1:], strict=True):
                if isinstance(name, cst.Name):
                    bind(name.value, ("get_class", (args[0], cls)))


def _keyword_value(call: cst.Call, name: str) -> _Value | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return _Value.of(arg.value)
    return None


def _keyword_literal(call: cst.Call, name: str) -> str | None:
    value = _keyword_value(call, name)
    return value.literal if value is not None else None


def _app_config(literals: Mapping[str, str]) -> tuple[str, str]:
    """(name, label) of a class whose body sets `name = "shop.orders"`, a dotted literal, as a
    Django `AppConfig` names its app package; the label is the literal `label`, else Django's
    default (the name's last part). ("", "") for any other class."""
    name = literals.get("name", "")
    if not DOTTED_PATH.match(name):
        return "", ""
    return name, literals.get("label") or name.rpartition(".")[2]


def _read_meta(meta: cst.ClassDef, info: _Class) -> None:
    for stmt in meta.body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                continue
            target = small.targets[0].target
            if not isinstance(target, cst.Name):
                continue
            value = _Value.of(small.value).literal
            if target.value == "db_table" and value:
                info.table = value
            elif target.value == "abstract":
                info.abstract = value == "True"
            elif target.value == "app_label" and value:
                info.app_label = value


def _read_class_assignment(small: cst.BaseSmallStatement, info: _Class) -> None:
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target, value, annotation = small.targets[0].target, small.value, None
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        target, value, annotation = small.target, small.value, small.annotation.annotation
    else:
        return
    if not isinstance(target, cst.Name):
        return
    text = literal_string(value)
    if text is not None:
        info.literals[target.value] = text
    if target.value == "__tablename__":
        if text:
            info.table, info.has_tablename = text, True
        return
    if not isinstance(value, cst.Call):
        return
    callee = expression_parts(value.func)
    if not callee:
        return
    args = [_Value.of(a.value) for a in value.args if a.keyword is None and not a.star]
    keywords = [(a.keyword.value, _Value.of(a.value)) for a in value.args if a.keyword is not None]
    ann = _annotation_parts(annotation) if annotation is not None else None
    info.fields.append(_Field(target.value, callee, args, keywords, ann))


def _annotation_parts(expr: cst.BaseExpression) -> Parts | None:
    """`Mapped[int]` -> ("Mapped", "int"); `Mapped[Optional["Order"]]` -> ("Mapped", "Order")."""
    if isinstance(expr, cst.Subscript):
        head = expression_parts(expr.value)
        inner: Sequence[cst.SubscriptElement] = expr.slice
        if head and inner and isinstance(inner[0].slice, cst.Index):
            arg = inner[0].slice.value
            text = literal_string(arg)
            if text is not None:
                return (*head, text)
            nested = _annotation_parts(arg)
            if nested:
                return (*head, *nested)
        return head
    return expression_parts(expr)


def _made_from(value: cst.BaseExpression) -> Parts:
    """The argument of `f(Base)` (one positional name or dotted name, nothing else), or ()."""
    if not isinstance(value, cst.Call) or len(value.args) != 1:
        return ()
    arg = value.args[0]
    if arg.keyword is not None or arg.star or not expression_parts(value.func):
        return ()
    return expression_parts(arg.value) or ()


def _class_fact(info: _Class, qualify: Qualify) -> ClassFact:
    fields = tuple(
        FieldFact(
            f.name,
            qualify(f.callee, info.scope),
            tuple(a.text(qualify, info.scope) for a in f.args),
            tuple(sorted((k, v.text(qualify, info.scope)) for k, v in f.keywords)),
            ".".join(f.annotation) if f.annotation else "",
        )
        for f in info.fields
    )
    return ClassFact(
        info.qualname,
        info.line,
        tuple(sorted(fields)),
        info.table,
        info.abstract,
        info.app_label,
        info.has_tablename,
    )
