"""The libcst visitor that collects one module's facts in a single pass.

Names are resolved by the visitor itself (no ScopeProvider/QualifiedNameProvider, which cost
many times the parse): each scope records what its names are bound to, flow-insensitively,
and call expressions are qualified once the whole module has been seen.
"""

from __future__ import annotations

import builtins
from collections import Counter
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from decompose.extract.vocabulary import split_identifier, split_text
from decompose.model import Call, Definition, DefinitionKind, Import, ModuleFacts, SourceFile

BUILTIN_NAMES = frozenset(dir(builtins))
# Markers in a qualified callee: "X()" is "the value X returns" (an instance when X is a class).
UNKNOWN = "?"
STAR = "?*"


@dataclass(slots=True)
class _Scope:
    qualname: str
    kind: str  # "module", "class", "function", "lambda"
    bindings: dict[str, str] = field(default_factory=dict)
    class_qualname: str | None = None  # for methods: the class whose `self`/`cls` this is
    first_param: str | None = None
    parent: _Scope | None = None


@dataclass(slots=True)
class _RawCall:
    scope: _Scope
    parts: tuple[str, ...]  # dotted expression, "()" suffixed parts are call results
    line: int


class FactVisitor(cst.CSTVisitor):
    """Collects definitions, imports, calls and vocabulary of one module."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, source: SourceFile) -> None:
        super().__init__()
        self.source = source
        self.module = source.module
        self.package = source.module if source.is_package else source.module.rpartition(".")[0]
        self.module_scope = _Scope(self.module, "module")
        self.stack: list[_Scope] = [self.module_scope]
        self.definitions: list[Definition] = []
        self.imports: list[Import] = []
        self.raw_calls: list[_RawCall] = []
        self.words: Counter[str] = Counter()
        self.module_aliases: set[str] = set()
        self.star_modules: list[str] = []
        self.docstring = ""
        self._lambda_counts: Counter[str] = Counter()
        self._skip_attrs: set[int] = set()
        self.class_scopes: list[_Scope] = []
        # classes wait for the end of the module: a base may be bound further down
        self.pending_classes: list[tuple[str, int, int, _Scope, tuple[tuple[str, ...], ...]]] = []

    # -- helpers -------------------------------------------------------------------------
    def _line(self, node: cst.CSTNode) -> int:
        pos: CodeRange = self.get_metadata(PositionProvider, node)
        return pos.start.line

    def _span(self, node: cst.CSTNode) -> tuple[int, int]:
        pos: CodeRange = self.get_metadata(PositionProvider, node)
        return pos.start.line, pos.end.line

    @property
    def scope(self) -> _Scope:
        return self.stack[-1]

    def _bind(self, name: str, value: str) -> None:
        self.scope.bindings[name] = value

    # -- module and docstrings -----------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        doc = node.get_docstring()
        if doc:
            self.docstring = doc
            self.words.update(split_text(doc))

    # -- definitions ---------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        name = node.name.value
        qual = f"{self.scope.qualname}.{name}"
        self._bind(name, qual)
        for deco in node.decorators:
            self._record_call(deco.decorator, self._line(deco))
        start, end = self._span(node)
        bases = tuple(
            p for p in (_dotted(arg.value) for arg in node.bases if arg.keyword is None) if p
        )
        self.pending_classes.append((qual, start, end, self.scope, bases))
        self.words.update(split_identifier(name) * 3)
        doc = node.get_docstring()
        if doc:
            self.words.update(split_text(doc))
        scope = _Scope(qual, "class", parent=self.scope)
        self.class_scopes.append(scope)
        self.stack.append(scope)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = node.name.value
        parent = self.scope
        qual = f"{parent.qualname}.{name}"
        self._bind(name, qual)
        for deco in node.decorators:
            self._record_call(deco.decorator, self._line(deco))
        kind = DefinitionKind.METHOD if parent.kind == "class" else DefinitionKind.FUNCTION
        start, end = self._span(node)
        self.definitions.append(Definition(qual, kind, start, end))
        self.words.update(split_identifier(name) * 2)
        doc = node.get_docstring()
        if doc:
            self.words.update(split_text(doc))
        scope = _Scope(qual, "function", parent=parent)
        if parent.kind == "class":
            scope.class_qualname = parent.qualname
            params = node.params.params or node.params.posonly_params
            if params and not _is_staticmethod(node):
                scope.first_param = params[0].name.value
        self.stack.append(scope)
        self._bind_params(node.params)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def _bind_params(self, params: cst.Parameters) -> None:
        everything = [*params.posonly_params, *params.params, *params.kwonly_params]
        for param in everything:
            self.words.update(split_identifier(param.name.value))
            if param.annotation is not None:
                target = self._qualify_annotation(param.annotation.annotation)
                if target:
                    self._bind(param.name.value, f"{target}()")

    def _qualify_annotation(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.SimpleString):
            text = expr.evaluated_value
            if isinstance(text, str) and text.replace(".", "").replace("_", "").isalnum():
                parts = tuple(text.split("."))
                return self._qualify_parts(parts, self.scope)
            return None
        parts = _dotted(expr)
        return self._qualify_parts(parts, self.scope) if parts else None

    def visit_Lambda(self, node: cst.Lambda) -> None:
        parent = self.scope
        self._lambda_counts[parent.qualname] += 1
        qual = f"{parent.qualname}.<lambda{self._lambda_counts[parent.qualname]}>"
        self.stack.append(_Scope(qual, "lambda", parent=parent))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.stack.pop()

    # -- imports -------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        line = self._line(node)
        for alias in node.names:
            dotted = _dotted_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self._bind(local, dotted)
            else:
                local = dotted.split(".")[0]
                self._bind(local, local)
            self.module_aliases.add(local)
            self.imports.append(Import(dotted, line, local, self.scope.qualname))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        line = self._line(node)
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

    # -- assignments ---------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        value = self._value_of(node.value)
        for target in node.targets:
            self._bind_target(target.target, value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        value = self._value_of(node.value) if node.value is not None else None
        if value is None:
            ann = self._qualify_annotation(node.annotation.annotation)
            value = f"{ann}()" if ann else None
        self._bind_target(node.target, value)

    def _value_of(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.Call):
            parts = _dotted(expr.func)
            if parts:
                return f"{self._qualify_parts(parts, self.scope)}()"
            return None
        parts = _dotted(expr)
        return self._qualify_parts(parts, self.scope) if parts else None

    def _bind_target(self, target: cst.BaseExpression, value: str | None) -> None:
        if isinstance(target, cst.Name):
            self.words.update(split_identifier(target.value))
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

    # -- calls and vocabulary ------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._record_call(node.func, self._line(node))

    def _record_call(self, func: cst.BaseExpression, line: int) -> None:
        parts = _dotted(func)
        if parts is None and isinstance(func, cst.Call):
            inner = _dotted(func.func)
            parts = (*inner[:-1], inner[-1] + "()") if inner else None
        if parts:
            self.raw_calls.append(_RawCall(self.scope, parts, line))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.module_aliases:
            self.words.update(split_identifier(node.value))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if id(node) in self._skip_attrs:
            return
        inner = node.value
        chain: list[cst.Attribute] = []
        while isinstance(inner, cst.Attribute):
            chain.append(inner)
            inner = inner.value
        if isinstance(inner, cst.Name) and inner.value in self.module_aliases:
            self._skip_attrs.update(id(a) for a in chain)
        self.words.update(split_identifier(node.attr.value))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str):
            self.words.update(split_text(value))

    # -- qualification -------------------------------------------------------------------
    def _qualify_parts(self, parts: tuple[str, ...], scope: _Scope) -> str:
        head, rest = parts[0], parts[1:]
        call_suffix = ""
        if head.endswith("()"):
            head, call_suffix = head[:-2], "()"
        if head == "super" and call_suffix and scope.class_qualname:
            return ".".join((f"<super:{scope.class_qualname}>", *rest))
        if scope.first_param is not None and head == scope.first_param and scope.class_qualname:
            return ".".join((f"{scope.class_qualname}(){call_suffix}", *rest))
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

    def facts(self) -> ModuleFacts:
        """The collected facts, qualified and sorted."""
        for qual, start, end, scope, bases in self.pending_classes:
            qualified = tuple(self._qualify_parts(b, scope) for b in bases)
            self.definitions.append(Definition(qual, DefinitionKind.CLASS, start, end, qualified))
        calls = sorted(
            {
                Call(raw.scope.qualname, self._qualify_parts(raw.parts, raw.scope), raw.line)
                for raw in self.raw_calls
            }
        )
        assignments = sorted(
            (f"{scope.qualname}.{name}", value)
            for scope in (self.module_scope, *self.class_scopes)
            for name, value in scope.bindings.items()
            if not value.startswith(UNKNOWN) and value != f"{scope.qualname}.{name}"
        )
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
        )


def _is_staticmethod(node: cst.FunctionDef) -> bool:
    return any(
        isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod"
        for d in node.decorators
    )


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
