"""The libcst visitor that collects one module's facts in a single pass.

Names are resolved by the visitor itself (no ScopeProvider/QualifiedNameProvider, which cost
many times the parse): each scope records the names it binds, flow-insensitively, and name
references are turned into value nodes once the whole module has been seen. Line numbers come
from counting the newlines the traversal meets, not from PositionProvider (a second codegen).
Expressions are translated into `Flow`s and `CallSite`s on demand, bottom-up: `leave_Call`,
lambdas, comprehensions, yields and walruses are recorded when left; a parent asks for the node
of a child expression only when it needs its value.
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from decompose.extract.data import DataCollector
from decompose.extract.vocabulary import split_identifier, split_text
from decompose.model import Call, Definition, DefinitionKind, Import, ModuleFacts, SourceFile
from decompose.model.facts import CallSite, Flow, FlowOp, FunctionKind, Signature

BUILTIN_NAMES = frozenset(dir(builtins))
# Markers in a qualified callee: "X()" is "the value X returns" (an instance when X is a class).
UNKNOWN = "?"
STAR = "?*"
STR = "=I:str"
_NO_VALUE = frozenset({"True", "False", "None", "__debug__", "NotImplemented", "Ellipsis"})
_FUNCTION_LIKE = frozenset({"module", "function", "lambda"})
_MAPPINGS = frozenset(
    {"dict", "Dict", "Mapping", "MutableMapping", "DefaultDict", "defaultdict", "OrderedDict"}
)
_DECORATOR_KINDS = {
    "staticmethod": FunctionKind.STATICMETHOD,
    "classmethod": FunctionKind.CLASSMETHOD,
    "property": FunctionKind.PROPERTY,
    "cached_property": FunctionKind.PROPERTY,
}


@dataclass(slots=True, eq=False)
class _Scope:
    qualname: str
    kind: str  # "module", "class", "function", "lambda", "comp"
    parent: _Scope | None = None
    # legacy text qualification: name -> qualified value ("X()" for what X returns)
    bindings: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # names bound in this scope
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)  # classes: attributes set on `self`
    class_qualname: str | None = None  # for methods: the class whose `self`/`cls` this is
    first_param: str | None = None
    generator: bool = False
    counters: Counter[str] = field(default_factory=Counter)  # lambdas and comprehensions

    @property
    def caller(self) -> _Scope:
        """The function-like scope whose code this scope's code is (class bodies are not)."""
        scope = self
        while scope.kind not in _FUNCTION_LIKE and scope.parent is not None:
            scope = scope.parent
        return scope

    @property
    def naming(self) -> _Scope:
        """The scope that names lambdas defined here (comprehensions are not scopes for that)."""
        scope = self
        while scope.kind == "comp" and scope.parent is not None:
            scope = scope.parent
        return scope


@dataclass(slots=True, frozen=True)
class _Name:
    """A name read or written in a scope, turned into a node once the module is complete."""

    scope: _Scope
    name: str


_Operand = str | _Name | None


@dataclass(slots=True, frozen=True)
class _Starred:
    """A `*value` positional argument."""

    value: _Operand


@dataclass(slots=True, eq=False)
class _Site:
    scope: _Scope
    line: int
    func: _Operand
    args: list[_Operand | _Starred]
    keywords: list[tuple[str, _Operand]]
    text: str
    decorator: bool = False
    result: str = ""


@dataclass(slots=True, eq=False)
class _PendingFunction:
    scope: _Scope
    signature_line: int
    defaults: list[tuple[str, cst.BaseExpression]]


class FactVisitor(cst.CSTVisitor):
    """Collects definitions, imports, calls, vocabulary and value flow of one module."""

    def __init__(self, source: SourceFile) -> None:
        super().__init__()
        self.source = source
        self.module = source.module
        self.package = source.module if source.is_package else source.module.rpartition(".")[0]
        self.module_scope = _Scope(self.module, "module")
        self.stack: list[_Scope] = [self.module_scope]
        self.definitions: list[Definition] = []
        self.imports: list[Import] = []
        self.words: Counter[str] = Counter()
        self.module_aliases: set[str] = set()
        self.star_modules: list[str] = []
        self.docstring = ""
        self._skip_attrs: set[int] = set()
        self.class_scopes: list[_Scope] = []
        self.data = DataCollector()
        # classes wait for the end of the module: a base may be bound further down
        self.pending_classes: list[tuple[_Scope, int, int, tuple[tuple[str, ...], ...]]] = []
        # value flow
        self.line = 1
        self._call_lines: dict[int, int] = {}
        self._memo: dict[int, _Operand | _Site] = {}
        self._temps = 0
        self.flows: list[tuple[FlowOp, _Operand, _Operand, _Operand]] = []
        self.sites: list[_Site] = []
        self.signatures: list[Signature] = []
        self._functions: dict[int, _PendingFunction] = {}
        self.exports: list[str] | None = None
        self._builtin_globals: set[str] = set()
        self._class_bases: dict[int, tuple[tuple[str, ...], ...]] = {}

    # -- lines ---------------------------------------------------------------------------
    def visit_Newline(self, node: cst.Newline) -> None:
        self.line += 1

    def visit_SimpleWhitespace(self, node: cst.SimpleWhitespace) -> None:
        if "\\" in node.value:  # a backslash continuation
            self.line += node.value.count("\n")

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.line += node.value.count("\n")

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.line += node.value.count("\n")
        value = node.evaluated_value
        if isinstance(value, str):
            self.words.update(split_text(value))

    # -- helpers -------------------------------------------------------------------------
    @property
    def scope(self) -> _Scope:
        return self.stack[-1]

    def _bind(self, name: str, value: str) -> None:
        self.scope.bindings[name] = value

    def _temp(self) -> str:
        # named after the function whose code computes it, so that a function's nodes all
        # start with its qualified name (the solver clones closure factories by that prefix)
        self._temps += 1
        return f"{self.scope.caller.qualname}:{self._temps}"

    def _flow(
        self, op: FlowOp, target: _Operand, source: _Operand = "", name: _Operand = ""
    ) -> None:
        self.flows.append((op, target, source, name))

    def _declare(self, name: str, scope: _Scope | None = None) -> _Name:
        """`name` is bound in `scope` (default: the current one); the node it is written to."""
        scope = scope or self.scope
        if name in scope.globals:
            self.module_scope.names.add(name)
            return _Name(self.module_scope, name)
        if name not in scope.nonlocals:
            scope.names.add(name)
        return _Name(scope, name)

    # -- module and docstrings -----------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self.data.on_module(node)
        doc = node.get_docstring()
        if doc:
            self.docstring = doc
            self.words.update(split_text(doc))

    # -- definitions ---------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        name = node.name.value
        parent = self.scope
        qual = f"{parent.naming.qualname}.{name}"
        self._bind(name, qual)
        bases = tuple(p for arg in node.bases if not arg.keyword for p in _base_parts(arg.value))
        self.words.update(split_identifier(name) * 3)
        doc = node.get_docstring()
        if doc:
            self.words.update(split_text(doc))
        scope = _Scope(qual, "class", parent=parent)
        self.class_scopes.append(scope)
        self.data.on_class(node, qual, scope, self.line)
        self._functions[id(node)] = _PendingFunction(scope, self.line, [])
        self._class_bases[id(node)] = bases

    def visit_ClassDef_name(self, node: cst.ClassDef) -> None:
        self._functions[id(node)].signature_line = self.line

    def visit_ClassDef_body(self, node: cst.ClassDef) -> None:
        self.stack.append(self._functions[id(node)].scope)

    def leave_ClassDef_body(self, node: cst.ClassDef) -> None:
        self.stack.pop()

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        pending = self._functions.pop(id(original_node))
        scope = pending.scope
        bases = self._class_bases.pop(id(original_node))
        self.pending_classes.append((scope, pending.signature_line, self.line - 1, bases))
        value = self._decorate(original_node.decorators, f"=C:{scope.qualname}")
        self._flow(FlowOp.COPY, self._declare(original_node.name.value), value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = node.name.value
        parent = self.scope
        qual = f"{parent.naming.qualname}.{name}"
        self._bind(name, qual)
        self.words.update(split_identifier(name) * 2)
        doc = node.get_docstring()
        if doc:
            self.words.update(split_text(doc))
        scope = _Scope(qual, "function", parent=parent)
        if parent.kind == "class":
            scope.class_qualname = parent.qualname
            params = node.params.posonly_params or node.params.params
            if params and _decorator_kind(node) is not FunctionKind.STATICMETHOD:
                scope.first_param = params[0].name.value
        self._functions[id(node)] = _PendingFunction(scope, 0, [])

    def visit_FunctionDef_name(self, node: cst.FunctionDef) -> None:
        self._functions[id(node)].signature_line = self.line

    def visit_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        pending = self._functions[id(node)]
        self.data.enter_function(node, pending.scope.qualname, self.scope)
        self.stack.append(pending.scope)
        self._bind_params(node.params, pending)

    def leave_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self.stack.pop()
        self.data.leave_function()

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        pending = self._functions.pop(id(original_node))
        scope = pending.scope
        parent = self.scope
        kind = DefinitionKind.METHOD if parent.kind == "class" else DefinitionKind.FUNCTION
        start = pending.signature_line
        self.definitions.append(Definition(scope.qualname, kind, start, self.line - 1))
        fkind = _decorator_kind(original_node)
        if fkind is None:
            fkind = FunctionKind.METHOD if parent.kind == "class" else FunctionKind.FUNCTION
        self._finish_function(scope, original_node.params, pending, fkind, start)
        if original_node.returns is not None and not scope.generator:
            self._hint(f"{scope.qualname}.<return>", original_node.returns.annotation)
        value = self._decorate(original_node.decorators, f"=F:{scope.qualname}")
        self._flow(FlowOp.COPY, self._declare(original_node.name.value), value)

    def _bind_params(self, params: cst.Parameters, pending: _PendingFunction) -> None:
        scope = pending.scope
        everything = [*params.posonly_params, *params.params, *params.kwonly_params]
        for param in everything:
            name = param.name.value
            self.words.update(split_identifier(name))
            scope.names.add(name)
            if param.default is not None:
                pending.defaults.append((name, param.default))
            if param.annotation is not None:
                target = self._qualify_annotation(param.annotation.annotation)
                if target:
                    self._bind(name, f"{target}()")
                self._hint(f"{scope.qualname}.{name}", param.annotation.annotation)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.names.add(star.name.value)

    def _finish_function(
        self,
        scope: _Scope,
        params: cst.Parameters,
        pending: _PendingFunction,
        kind: FunctionKind,
        line: int,
    ) -> None:
        qual = scope.qualname
        for name, default in pending.defaults:
            self._flow(FlowOp.COPY, f"{qual}.{name}", self._operand(default))
        vararg = params.star_arg.name.value if isinstance(params.star_arg, cst.Param) else ""
        kwarg = params.star_kwarg.name.value if params.star_kwarg is not None else ""
        if vararg:
            self._flow(FlowOp.NEW, f"{qual}.{vararg}", "tuple", f"{qual}.<*>")
        if kwarg:
            self._flow(FlowOp.NEW, f"{qual}.{kwarg}", "dict", f"{qual}.<**>")
        if scope.generator:
            self._flow(FlowOp.NEW, f"{qual}.<return>", "gen", f"{qual}.<gen>")
        owner = scope.class_qualname or ""
        self.signatures.append(
            Signature(
                qualname=qual,
                kind=kind,
                line=line,
                params=tuple(p.name.value for p in (*params.posonly_params, *params.params)),
                posonly=len(params.posonly_params),
                vararg=vararg,
                kwonly=tuple(p.name.value for p in params.kwonly_params),
                kwarg=kwarg,
                owner=owner if kind is not FunctionKind.LAMBDA else "",
            )
        )

    def _decorate(self, decorators: Sequence[cst.Decorator], value: str) -> _Operand:
        """The node holding what the decorated name is bound to, decorators applied inside out."""
        current: _Operand = value
        for deco in reversed(decorators):
            expr = deco.decorator
            if isinstance(expr, cst.Name) and expr.value in _DECORATOR_KINDS:
                if self._lookup_is_builtin(expr.value):
                    continue  # staticmethod & co: no call edge, the function itself
            parts = _dotted(expr)
            if parts is None and isinstance(expr, cst.Call):
                inner = _dotted(expr.func)
                parts = (*inner[:-1], inner[-1] + "()") if inner else None
            text = self._qualify_parts(parts, self.scope) if parts else UNKNOWN
            site = _Site(
                self.scope,
                self._decorator_line(deco),
                self._operand(expr),
                [current],
                [],
                text,
                True,
            )
            self.sites.append(site)
            site.result = self._temp()
            current = site.result
        return current

    def _decorator_line(self, deco: cst.Decorator) -> int:
        return self._call_lines.get(id(deco), self.line)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._call_lines[id(node)] = self.line

    def _lookup_is_builtin(self, name: str) -> bool:
        scope: _Scope | None = self.scope
        while scope is not None:
            if name in scope.names:
                return False
            scope = scope.parent
        return True

    def _qualify_annotation(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.SimpleString):
            text = expr.evaluated_value
            if isinstance(text, str) and text.replace(".", "").replace("_", "").isalnum():
                return self._qualify_parts(tuple(text.split(".")), self.scope)
            return None
        dotted = _dotted(expr)
        return self._qualify_parts(dotted, self.scope) if dotted else None

    def _hint(self, target: _Operand, annotation: cst.BaseExpression) -> None:
        """Record the classes an annotation names, for nodes nothing else reaches."""
        for hint, slot in self._annotation_operands(annotation):
            self._flow(FlowOp.HINT, target, hint, slot)

    def _annotation_operands(self, expr: cst.BaseExpression) -> list[tuple[_Operand, str]]:
        """The classes an annotation names, each with the slot it types ("" for the value).

        `Foo`, `"m.Foo"`, `Foo | None`, `Optional[Foo]` name Foo; `list[Foo]` names list and,
        in slot "*", its elements Foo; `dict[str, Foo]` types keys and values; `tuple[A, B]`
        each index.
        """
        if isinstance(expr, cst.SimpleString):
            text = expr.evaluated_value
            if not isinstance(text, str):
                return []
            try:
                parsed = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                return []
            return self._annotation_operands(parsed)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            return self._annotation_operands(expr.left) + self._annotation_operands(expr.right)
        if not isinstance(expr, cst.Subscript):
            node = self._annotation_class(expr)
            return [(node, "")] if node is not None else []
        origin = _dotted(expr.value)
        if origin is None:
            return []
        args = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
        if origin[-1] in ("Optional", "Union", "Annotated", "Final", "ClassVar"):
            chosen = args[:1] if origin[-1] == "Annotated" else args
            return [h for arg in chosen for h in self._annotation_operands(arg)]
        node = self._annotation_class(expr.value)
        found: list[tuple[_Operand, str]] = [(node, "")] if node is not None else []
        if origin[-1] in _MAPPINGS:
            slots = ["<keys>", "*"]
        elif origin[-1] in ("tuple", "Tuple") and not (
            len(args) == 2 and isinstance(args[1], cst.Ellipsis)
        ):
            slots = [f"i:{i}" for i in range(len(args))]
        else:
            slots = ["*"]
        for slot, arg in zip(slots, args, strict=False):
            for element, inner in self._annotation_operands(arg):
                if not inner:
                    found.append((element, slot))
                    if slot.startswith("i:"):
                        found.append((element, "*"))
        return found

    def _annotation_class(self, expr: cst.BaseExpression) -> _Operand:
        dotted = _dotted(expr)
        if dotted is None or dotted[0] == "None" or any(p.endswith("()") for p in dotted):
            return None
        current: _Operand = _Name(self.scope, dotted[0])
        for attr in dotted[1:]:
            temp = self._temp()
            self._flow(FlowOp.ATTR, temp, current, attr)
            current = temp
        return current

    def visit_Lambda(self, node: cst.Lambda) -> None:
        parent = self.scope
        naming = parent.naming
        naming.counters["lambda"] += 1
        qual = f"{naming.qualname}.<lambda{naming.counters['lambda']}>"
        scope = _Scope(qual, "lambda", parent=parent)
        self._functions[id(node)] = _PendingFunction(scope, self.line, [])

    def visit_Lambda_body(self, node: cst.Lambda) -> None:
        pending = self._functions[id(node)]
        self.stack.append(pending.scope)
        self._bind_params(node.params, pending)

    def leave_Lambda_body(self, node: cst.Lambda) -> None:
        body = self._operand(node.body)
        self._flow(FlowOp.COPY, f"{self.scope.qualname}.<return>", body)
        self.stack.pop()

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        pending = self._functions.pop(id(original_node))
        self._finish_function(
            pending.scope,
            original_node.params,
            pending,
            FunctionKind.LAMBDA,
            pending.signature_line,
        )
        self._memo[id(original_node)] = f"=F:{pending.scope.qualname}"

    # -- comprehensions ------------------------------------------------------------------
    def _enter_comp(self) -> None:
        parent = self.scope
        naming = parent.naming
        naming.counters["comp"] += 1
        qual = f"{naming.qualname}.<comp{naming.counters['comp']}>"
        self.stack.append(_Scope(qual, "comp", parent=parent))

    def _leave_comp(self, node: cst.BaseExpression, kind: str, elt: cst.BaseExpression) -> None:
        temp = self._temp()
        self._flow(FlowOp.NEW, temp, kind, temp)
        self._flow(FlowOp.COPY, f"{temp}[*]", self._operand(elt))
        self.stack.pop()
        self._memo[id(node)] = temp

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter_comp()

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self._leave_comp(original_node, "list", original_node.elt)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._enter_comp()

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self._leave_comp(original_node, "set", original_node.elt)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter_comp()

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self._leave_comp(original_node, "gen", original_node.elt)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._enter_comp()

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        temp = self._temp()
        self._flow(FlowOp.NEW, temp, "dict", temp)
        self._flow(FlowOp.COPY, f"{temp}[*]", self._operand(original_node.value))
        self._flow(FlowOp.COPY, f"{temp}[?]", self._operand(original_node.value))
        self._flow(FlowOp.COPY, f"{temp}[<keys>]", self._operand(original_node.key))
        self.stack.pop()
        self._memo[id(original_node)] = temp

    def leave_CompFor(self, original_node: cst.CompFor) -> None:
        temp = self._temp()
        self._flow(FlowOp.ITER, temp, self._operand(original_node.iter))
        self._bind_target(original_node.target, temp)

    # -- imports -------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        line = self.line
        for alias in node.names:
            dotted = _dotted_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self._bind(local, dotted)
                self._flow(FlowOp.COPY, self._declare(local), f"=M:{dotted}")
            else:
                local = dotted.split(".")[0]
                self._bind(local, local)
                self._flow(FlowOp.COPY, self._declare(local), f"=M:{local}")
            self.module_aliases.add(local)
            self.imports.append(Import(dotted, line, local, self.scope.qualname))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        line = self.line
        base = self._import_base(node)
        if base is None:
            return False
        if isinstance(node.names, cst.ImportStar):
            self.star_modules.append(base)
            self.imports.append(Import(base, line, "*", self.scope.qualname))
            return False
        for alias in node.names:
            name = _dotted_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            target = f"{base}.{name}" if base else name
            self._bind(local, target)
            if base:
                self._flow(FlowOp.IMPORT, self._declare(local), f"=M:{base}", name)
            else:
                self._flow(FlowOp.COPY, self._declare(local), f"=M:{name}")
            if name[:1].islower():  # may be a module: its name is not vocabulary
                self.module_aliases.add(local)
            self.imports.append(Import(target, line, local, self.scope.qualname))
        return False

    def _import_base(self, node: cst.ImportFrom) -> str | None:
        module = _dotted_name(node.module) if node.module is not None else ""
        level = len(node.relative)
        if level == 0:
            return module
        parts = self.package.split(".") if self.package else []
        if level - 1 > len(parts):
            return None  # beyond the top-level package: nothing to resolve against
        base_parts = parts[: len(parts) - (level - 1)]
        return ".".join([*base_parts, module] if module else base_parts)

    # -- statements ----------------------------------------------------------------------
    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.scope.globals.add(item.name.value)
            self.module_scope.names.add(item.name.value)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self.scope.nonlocals.add(item.name.value)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        value = original_node.value
        legacy = self._value_of(value)
        for target in original_node.targets:
            self._legacy_bind_target(target.target, legacy)
            self._assign(target.target, value)
        if self.scope is self.module_scope:
            for target in original_node.targets:
                if isinstance(target.target, cst.Name) and target.target.value == "__all__":
                    self.exports = []
                    self._add_exports(value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        value = original_node.value
        legacy = self._value_of(value) if value is not None else None
        if legacy is None:
            ann = self._qualify_annotation(original_node.annotation.annotation)
            legacy = f"{ann}()" if ann else None
        self._legacy_bind_target(original_node.target, legacy)
        target = original_node.target
        if value is not None:
            self._assign(target, value)
        if isinstance(target, cst.Name):
            self._hint(self._declare(target.value), original_node.annotation.annotation)

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        target = original_node.target
        if isinstance(original_node.operator, cst.AddAssign | cst.BitOrAssign):
            self._bind_target(target, self._operand(original_node.value))
        elif isinstance(target, cst.Name):
            self._declare(target.value)
        if self.scope is self.module_scope and isinstance(original_node.operator, cst.AddAssign):
            if isinstance(target, cst.Name) and target.value == "__all__":
                self._add_exports(original_node.value)

    def leave_Expr(self, original_node: cst.Expr) -> None:
        # __all__.extend([...]) / __all__.append("x") at module level
        call = original_node.value
        if (
            self.scope is self.module_scope
            and isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and isinstance(call.func.value, cst.Name)
            and call.func.value.value == "__all__"
            and call.args
        ):
            self._add_exports(call.args[0].value)

    def _add_exports(self, value: cst.BaseExpression) -> None:
        if self.exports is None:
            self.exports = []
        if isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            if isinstance(text, str):
                self.exports.append(text)
            return
        if isinstance(value, cst.List | cst.Tuple | cst.Set):
            for element in value.elements:
                if isinstance(element.value, cst.SimpleString):
                    text = element.value.evaluated_value
                    if isinstance(text, str):
                        self.exports.append(text)
        elif isinstance(value, cst.BinaryOperation):
            self._add_exports(value.left)
            self._add_exports(value.right)

    def leave_For(self, original_node: cst.For) -> None:
        temp = self._temp()
        self._flow(FlowOp.ITER, temp, self._operand(original_node.iter))
        self._bind_target(original_node.target, temp)

    def visit_With(self, node: cst.With) -> None:
        self.data.enter_with(node, self.scope.caller.qualname, self.scope, self.line)

    def leave_With(self, original_node: cst.With) -> None:
        self.data.leave_with()

    def leave_WithItem(self, original_node: cst.WithItem) -> None:
        if original_node.asname is not None:
            value = self._operand(original_node.item)
            entered: _Operand = None
            if value is not None:
                entered = self._temp()
                self._flow(FlowOp.ENTER, entered, value)
            self._bind_target(original_node.asname.name, entered)

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        if original_node.name is not None and original_node.type is not None:
            temp = self._temp()
            self._flow(FlowOp.INSTANCE, temp, self._operand(original_node.type))
            self._bind_target(original_node.name.name, temp)

    def leave_Return(self, original_node: cst.Return) -> None:
        if original_node.value is None:
            return
        scope = self.scope.caller
        if scope.kind == "function":
            self._flow(
                FlowOp.COPY, f"{scope.qualname}.<return>", self._operand(original_node.value)
            )

    def leave_Yield(self, original_node: cst.Yield) -> None:
        scope = self.scope.caller
        if scope.kind not in ("function", "lambda"):
            return
        scope.generator = True
        self._memo[id(original_node)] = f"{scope.qualname}.<sent>"  # what `.send(v)` passes
        value = original_node.value
        slot = f"{scope.qualname}.<gen>[*]"
        if isinstance(value, cst.From):
            self._flow(FlowOp.ITER, slot, self._operand(value.item))
        elif value is not None:
            self._flow(FlowOp.COPY, slot, self._operand(value))

    def leave_NamedExpr(self, original_node: cst.NamedExpr) -> None:
        value = self._operand(original_node.value)
        target = original_node.target
        if isinstance(target, cst.Name):
            scope = self.scope
            while scope.kind == "comp" and scope.parent is not None:
                scope = scope.parent
            self._flow(FlowOp.COPY, self._declare(target.value, scope), value)
        self._memo[id(original_node)] = value

    def visit_Del(self, node: cst.Del) -> None:
        if isinstance(node.target, cst.Name):
            self._declare(node.target.value)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self._declare(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self._declare(node.name.value)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self._declare(node.rest.value)

    # -- assignment targets --------------------------------------------------------------
    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """Bind `target` to `value`, element by element when both are literal sequences."""
        if isinstance(target, cst.Tuple | cst.List) and isinstance(value, cst.Tuple | cst.List):
            targets = [e.value for e in target.elements]
            values = list(value.elements)
            stars = [i for i, e in enumerate(target.elements) if isinstance(e, cst.StarredElement)]
            if not any(isinstance(e, cst.StarredElement) for e in values):
                if not stars and len(targets) == len(values):
                    for t, v in zip(targets, values, strict=True):
                        self._assign(t, v.value)
                    return
                if len(stars) == 1 and len(values) >= len(targets) - 1:
                    star = stars[0]
                    after = len(targets) - star - 1
                    for t, v in zip(targets[:star], values[:star], strict=True):
                        self._assign(t, v.value)
                    middle = values[star : len(values) - after]
                    temp = self._temp()
                    self._flow(FlowOp.NEW, temp, "list", temp)
                    for v in middle:
                        self._flow(FlowOp.COPY, f"{temp}[*]", self._operand(v.value))
                    self._bind_target(targets[star], temp)
                    if after:
                        for t, v in zip(targets[star + 1 :], values[-after:], strict=True):
                            self._assign(t, v.value)
                    return
        self._bind_target(target, self._operand(value))

    def _bind_target(self, target: cst.BaseExpression, value: _Operand) -> None:
        if isinstance(target, cst.Name):
            self.words.update(split_identifier(target.value))
            node = self._declare(target.value)
            if value is not None:
                self._flow(FlowOp.COPY, node, value)
        elif isinstance(target, cst.Attribute):
            base = target.value
            if (
                isinstance(base, cst.Name)
                and self.scope.first_param is not None
                and base.value == self.scope.first_param
                and self.scope.parent is not None
                and self.scope.parent.kind == "class"
            ):
                self.scope.parent.attributes.add(target.attr.value)
            if value is not None:
                self._flow(FlowOp.STORE, self._operand(base), value, target.attr.value)
        elif isinstance(target, cst.Subscript):
            if value is not None:
                self._flow(FlowOp.STORE_ITEM, self._operand(target.value), value, _slot_key(target))
        elif isinstance(target, cst.Tuple | cst.List):
            elements = target.elements
            starred = False
            for i, element in enumerate(elements):
                if isinstance(element, cst.StarredElement):
                    starred = True
                    temp = self._temp()
                    self._flow(FlowOp.NEW, temp, "list", temp)
                    if value is not None:
                        self._flow(FlowOp.UNPACK, f"{temp}[*]", value, "")
                    self._bind_target(element.value, temp)
                    continue
                item: _Operand = None
                if value is not None:
                    item = self._temp()
                    self._flow(FlowOp.UNPACK, item, value, "" if starred else str(i))
                self._bind_target(element.value, item)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, value)

    def _legacy_bind_target(self, target: cst.BaseExpression, value: str | None) -> None:
        if isinstance(target, cst.Name):
            if value is not None and not value.startswith(UNKNOWN):
                self._bind(target.value, value)
        elif (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and self.scope.first_param is not None
            and target.value.value == self.scope.first_param
            and self.scope.class_qualname is not None
            and value is not None
            and not value.startswith(UNKNOWN)
        ):
            # self.attr = X() in a method: an attribute of every instance of the class
            owner = self.scope.parent
            if owner is not None and owner.kind == "class":
                owner.bindings.setdefault(target.attr.value, value)

    def _value_of(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.Call):
            parts = _dotted(expr.func)
            if parts:
                return f"{self._qualify_parts(parts, self.scope)}()"
            return None
        parts = _dotted(expr)
        return self._qualify_parts(parts, self.scope) if parts else None

    # -- expressions ---------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._call_lines[id(node)] = self.line

    def visit_Call_func(self, node: cst.Call) -> None:
        self._call_lines[id(node)] = self.line  # after any opening parenthesis

    def leave_Call(self, original_node: cst.Call) -> None:
        node = original_node
        line = self._call_lines.pop(id(node), self.line)
        self.data.on_call(node, self.scope.caller.qualname, self.scope, line)
        func = node.func
        if (
            isinstance(func, cst.Name)
            and func.value == "super"
            and self._lookup_is_builtin("super")
        ):
            self._memo[id(node)] = self._super(node)
            return
        args: list[_Operand | _Starred] = []
        keywords: list[tuple[str, _Operand]] = []
        for arg in node.args:
            value = self._operand(arg.value)
            if arg.keyword is not None:
                keywords.append((arg.keyword.value, value))
            elif arg.star == "**":
                keywords.append(("**", value))
            elif arg.star == "*":
                args.append(_Starred(value) if value is not None else None)
            else:
                args.append(value)
        parts = _dotted(func)
        if parts is None and isinstance(func, cst.Call):
            inner = _dotted(func.func)
            parts = (*inner[:-1], inner[-1] + "()") if inner else None
        text = self._qualify_parts(parts, self.scope) if parts else UNKNOWN
        site = _Site(self.scope, line, self._operand(func), args, keywords, text)
        self.sites.append(site)
        self._memo[id(node)] = site

    def _super(self, node: cst.Call) -> _Operand:
        temp = self._temp()
        if len(node.args) >= 2:
            cls = self._operand(node.args[0].value)
            receiver = self._operand(node.args[1].value)
        else:
            method = self.scope
            while method.kind in ("lambda", "comp") and method.parent is not None:
                method = method.parent
            if method.first_param is None or method.class_qualname is None:
                return None
            cls = f"=C:{method.class_qualname}"
            receiver = _Name(self.scope, method.first_param)
        self._flow(FlowOp.SUPER, temp, receiver, cls)
        return temp

    def _operand(self, node: cst.BaseExpression) -> _Operand:
        """The node holding the value of expression `node` (None when not worth tracking)."""
        key = id(node)
        if key in self._memo:
            known = self._memo[key]
            if isinstance(known, _Site):
                if not known.result:
                    known.result = self._temp()
                return known.result
            return known
        result = self._evaluate(node)
        self._memo[key] = result
        return result

    def _evaluate(self, node: cst.BaseExpression) -> _Operand:
        if isinstance(node, cst.Name):
            return None if node.value in _NO_VALUE else _Name(self.scope, node.value)
        if isinstance(node, cst.Attribute):
            base = self._operand(node.value)
            if base is None:
                return None
            temp = self._temp()
            self._flow(FlowOp.ATTR, temp, base, node.attr.value)
            return temp
        if isinstance(node, cst.Subscript):
            base = self._operand(node.value)
            if base is None:
                return None
            key = _slot_key(node)
            if key == ":":
                return base  # a slice: the same kind of container, the same elements
            temp = self._temp()
            self._flow(FlowOp.ITEM, temp, base, key)
            return temp
        if isinstance(node, cst.Tuple | cst.List | cst.Set):
            return self._sequence(node)
        if isinstance(node, cst.Dict):
            return self._dict(node)
        if isinstance(node, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString):
            return STR
        if isinstance(node, cst.IfExp):
            return self._union(node.body, node.orelse)
        if isinstance(node, cst.BooleanOperation):
            return self._union(node.left, node.right)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Add | cst.BitOr):
                return self._union(node.left, node.right)
            return None
        if isinstance(node, cst.Await):
            return self._operand(node.expression)
        return None

    def _union(self, *nodes: cst.BaseExpression) -> _Operand:
        values = [v for v in (self._operand(n) for n in nodes) if v is not None]
        if not values:
            return None
        if len(values) == 1:
            return values[0]
        temp = self._temp()
        for value in values:
            self._flow(FlowOp.COPY, temp, value)
        return temp

    def _sequence(self, node: cst.Tuple | cst.List | cst.Set) -> _Operand:
        kind = (
            "tuple"
            if isinstance(node, cst.Tuple)
            else "list"
            if isinstance(node, cst.List)
            else "set"
        )
        temp = self._temp()
        self._flow(FlowOp.NEW, temp, kind, temp)
        starred = False
        for i, element in enumerate(node.elements):
            value = self._operand(element.value)
            if value is None:
                continue
            if isinstance(element, cst.StarredElement):
                starred = True
                self._flow(FlowOp.ITER, f"{temp}[*]", value)
                continue
            self._flow(FlowOp.COPY, f"{temp}[*]", value)
            if kind == "tuple" and not starred:
                self._flow(FlowOp.COPY, f"{temp}[i:{i}]", value)
        return temp

    def _dict(self, node: cst.Dict) -> _Operand:
        temp = self._temp()
        self._flow(FlowOp.NEW, temp, "dict", temp)
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                value = self._operand(element.value)
                if value is not None:
                    inner = self._temp()
                    self._flow(FlowOp.ITEM, inner, value, "")
                    self._flow(FlowOp.COPY, f"{temp}[*]", inner)
                    self._flow(FlowOp.COPY, f"{temp}[?]", inner)
                continue
            value = self._operand(element.value)
            key = element.key
            if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
                slot = f"s:{key.evaluated_value}"
            else:
                slot = "?"
                known = self._operand(key)
                if known is not None and known != STR:
                    self._flow(FlowOp.COPY, f"{temp}[<keys>]", known)
            if value is not None:
                self._flow(FlowOp.COPY, f"{temp}[*]", value)
                self._flow(FlowOp.COPY, f"{temp}[{slot}]", value)
        return temp

    # -- vocabulary ----------------------------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._skip_attrs and node.value not in self.module_aliases:
            self.words.update(split_identifier(node.value))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        # Attribute names reach the vocabulary through visit_Name. In a chain rooted at a
        # module alias (`pkg.mod.func`) every name but the last is a module name: skip them.
        inner = node.value
        names: list[cst.Name] = []
        while isinstance(inner, cst.Attribute):
            names.append(inner.attr)
            inner = inner.value
        if isinstance(inner, cst.Name) and inner.value in self.module_aliases:
            self._skip_attrs.update(id(n) for n in names)

    # -- qualification -------------------------------------------------------------------
    def _qualify_parts(self, parts: tuple[str, ...], scope: _Scope) -> str:
        head, rest = parts[0], parts[1:]
        call_suffix = ""
        if head.endswith("()"):
            head, call_suffix = head[:-2], "()"
        method = scope
        while method.kind in ("lambda", "comp") and method.parent is not None:
            method = method.parent
        if head == "super" and call_suffix and method.class_qualname:
            return ".".join((f"<super:{method.class_qualname}>", *rest))
        if method.first_param is not None and head == method.first_param and method.class_qualname:
            return ".".join((f"{method.class_qualname}(){call_suffix}", *rest))
        bound = self._lookup(head, scope)
        if bound is None:
            if head in BUILTIN_NAMES:
                bound = f"<builtin>.{head}"
            elif self.star_modules:
                bound = f"{STAR}{head}"
            else:
                bound = f"{UNKNOWN}{head}"
        return ".".join((bound + call_suffix, *rest))

    def _lookup(self, name: str, scope: _Scope) -> str | None:
        # Python's rule: the scope itself, enclosing function scopes (never enclosing class
        # bodies), then the module.
        if name in scope.bindings:
            return scope.bindings[name]
        outer = scope.parent
        while outer is not None:
            if outer.kind != "class" and name in outer.bindings:
                return outer.bindings[name]
            outer = outer.parent
        return None

    # -- the end: names become nodes -----------------------------------------------------
    def _node(self, operand: _Operand | _Starred) -> str:
        if operand is None:
            return ""
        if isinstance(operand, str):
            return operand
        if isinstance(operand, _Starred):
            return "*" + self._node(operand.value)
        return self._resolve(operand.scope, operand.name)

    def _resolve(self, scope: _Scope, name: str) -> str:
        """The node of variable `name` as seen from `scope` (Python's LEGB rule)."""
        current: _Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "module":
                break
            if first or current.kind != "class":
                if name in current.globals:
                    break
                if name in current.nonlocals:
                    current = current.parent
                    first = False
                    continue
                if name in current.names:
                    return f"{current.qualname}.{name}"
            current = current.parent
            first = False
        module = self.module_scope
        if name in module.names or name not in BUILTIN_NAMES:
            return f"{self.module}.{name}"
        if self.star_modules:
            self._builtin_globals.add(name)
            return f"{self.module}.{name}"
        return f"=B:{name}"

    def facts(self) -> ModuleFacts:
        """The collected facts, qualified and sorted."""
        for scope, start, end, bases in self.pending_classes:
            assert scope.parent is not None
            qualified = tuple(self._qualify_parts(b, scope.parent) for b in bases)
            attributes = tuple(sorted(scope.names | scope.attributes))
            self.definitions.append(
                Definition(scope.qualname, DefinitionKind.CLASS, start, end, qualified, attributes)
            )
        sites = []
        for site in self.sites:
            args = tuple(self._node(a) for a in site.args)
            keywords = tuple((k, self._node(v)) for k, v in site.keywords)
            sites.append(
                CallSite(
                    caller=site.scope.caller.qualname,
                    line=site.line,
                    callee=site.text,
                    func=self._node(site.func),
                    result=site.result,
                    args=args,
                    keywords=keywords,
                    decorator=site.decorator,
                )
            )
        flows = {
            Flow(op, self._node(target), self._node(source), self._node(name))
            for op, target, source, name in self.flows
            if target is not None and source is not None and name is not None
        }
        for name in self._builtin_globals:
            flows.add(Flow(FlowOp.BUILTIN, f"{self.module}.{name}", "", name))
        calls = sorted(
            {Call(s.caller, s.callee, s.line) for s in sites if not s.callee.startswith(UNKNOWN)}
        )
        assignments = sorted(
            (f"{scope.qualname}.{name}", value)
            for scope in (self.module_scope, *self.class_scopes)
            for name, value in scope.bindings.items()
            if not value.startswith(UNKNOWN) and value != f"{scope.qualname}.{name}"
        )
        exports = None if self.exports is None else tuple(sorted(set(self.exports)))
        return ModuleFacts(
            module=self.module,
            path=self.source.path,
            lines=self.source.lines,
            is_package=self.source.is_package,
            docstring=self.docstring,
            definitions=tuple(sorted(self.definitions)),
            imports=tuple(sorted(self.imports)),
            calls=tuple(calls),
            vocabulary=tuple(sorted(self.words.items())),
            assignments=tuple(assignments),
            signatures=tuple(sorted(self.signatures)),
            flows=tuple(sorted(flows)),
            sites=tuple(sorted(sites)),
            names=tuple(sorted(self.module_scope.names)),
            exports=exports,
            data=self.data.facts(self._qualify_data),
        )

    def _qualify_data(self, parts: tuple[str, ...], scope: object) -> str:
        assert isinstance(scope, _Scope)
        return self._qualify_parts(parts, scope)


def _base_parts(expr: cst.BaseExpression) -> list[tuple[str, ...]]:
    """Dotted names of the classes a base expression derives from.

    `Base`, `Base[T]` (a generic) and, for a base made by a call such as Django's
    `Manager.from_queryset(QuerySet)`, the classes passed to the call.
    """
    if isinstance(expr, cst.Subscript):
        expr = expr.value
    if isinstance(expr, cst.Call):
        return [p for arg in expr.args if not arg.keyword for p in _base_parts(arg.value)]
    dotted = _dotted(expr)
    return [dotted] if dotted else []


def _slot_key(node: cst.Subscript) -> str:
    """The container slot a subscript reads or writes: "s:KEY", "i:N", ":" (slice) or ""."""
    if len(node.slice) != 1:
        return ""
    element = node.slice[0].slice
    if isinstance(element, cst.Slice):
        return ":"
    if not isinstance(element, cst.Index):
        return ""
    value = element.value
    if isinstance(value, cst.SimpleString):
        text = value.evaluated_value
        return f"s:{text}" if isinstance(text, str) else ""
    if isinstance(value, cst.Integer):
        return f"i:{value.value}"
    return ""


def _decorator_kind(node: cst.FunctionDef) -> FunctionKind | None:
    for deco in node.decorators:
        expr = deco.decorator
        name = expr.value if isinstance(expr, cst.Name) else None
        if isinstance(expr, cst.Attribute):
            name = expr.attr.value if expr.attr.value == "cached_property" else None
        if name in _DECORATOR_KINDS:
            return _DECORATOR_KINDS[name]
    return None


def _dotted_name(node: cst.BaseExpression) -> str:
    parts = _dotted(node)
    return ".".join(parts) if parts else ""


def _dotted(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """`a.b.c` -> ("a", "b", "c"); `f().x` -> ("f()", "x"); anything else -> None."""
    names: list[str] = []
    while isinstance(node, cst.Attribute):
        names.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        names.append(node.value)
    elif isinstance(node, cst.Call):
        inner = _dotted(node.func)
        if inner is None or len(inner) != 1:
            return None
        names.append(inner[0] + "()")
    else:
        return None
    return tuple(reversed(names))
