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

from collections.abc import Sequence
from dataclasses import fields
from operator import attrgetter
from sys import intern

import libcst as cst

from decompose.extract.data import DataCollector
from decompose.extract.flow import FlowBuilder
from decompose.extract.scopes import (
    BUILTIN_NAMES,
    DECORATOR_KINDS,
    STAR,
    UNKNOWN,
    Operand,
    PendingFunction,
    PendingSite,
    Scope,
    Starred,
    base_parts,
    decorator_kind,
    dotted,
    dotted_name,
    string_value,
)
from decompose.extract.vocabulary import split_identifier, split_text
from decompose.model import Call, Definition, DefinitionKind, Import, ModuleFacts, SourceFile
from decompose.model.facts import CallSite, FlowOp, FunctionKind, Signature, flow_table

# the dataclass order of CallSite, as a key computed in C
_SITE_ORDER = attrgetter(*(f.name for f in fields(CallSite)))


class FactVisitor(FlowBuilder, cst.CSTVisitor):
    """Collects definitions, imports, calls, vocabulary and value flow of one module."""

    def __init__(self, source: SourceFile) -> None:
        FlowBuilder.__init__(self, source.module)
        cst.CSTVisitor.__init__(self)
        self.source = source
        self.package = source.module if source.is_package else source.module.rpartition(".")[0]
        self.definitions: list[Definition] = []
        self.imports: list[Import] = []
        self.module_aliases: set[str] = set()
        self.docstring = ""
        self._skip_attrs: set[int] = set()
        self.class_scopes: list[Scope] = []
        self.data = DataCollector()
        # classes wait for the end of the module: a base may be bound further down
        self.pending_classes: list[tuple[Scope, int, int, tuple[tuple[str, ...], ...]]] = []
        # value flow
        self.line = 1
        self._call_lines: dict[int, int] = {}
        self.signatures: list[Signature] = []
        self._functions: dict[int, PendingFunction] = {}
        self.exports: list[str] | None = None
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
        value = string_value(node)
        if isinstance(value, str):
            self.words.update(split_text(value))
            self.data.on_string(value, self.scope.caller.qualname, self.scope, self.line)

    # -- helpers -------------------------------------------------------------------------

    def _bind(self, name: str, value: str) -> None:
        self.scope.bindings[name] = value

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
        bases = tuple(p for arg in node.bases if not arg.keyword for p in base_parts(arg.value))
        self.words.update(split_identifier(name) * 3)
        doc = node.get_docstring()
        if doc:
            self.words.update(split_text(doc))
        scope = Scope(qual, "class", parent=parent)
        self.class_scopes.append(scope)
        self.data.on_class(node, qual, scope, self.line)
        self._functions[id(node)] = PendingFunction(scope, self.line, [])
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
        scope = Scope(qual, "function", parent=parent)
        if parent.kind == "class":
            scope.class_qualname = parent.qualname
            params = node.params.posonly_params or node.params.params
            if params and decorator_kind(node) is not FunctionKind.STATICMETHOD:
                scope.first_param = params[0].name.value
        self._functions[id(node)] = PendingFunction(scope, 0, [])

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
        fkind = decorator_kind(original_node)
        if fkind is None:
            fkind = FunctionKind.METHOD if parent.kind == "class" else FunctionKind.FUNCTION
        self._finish_function(scope, original_node.params, pending, fkind, start)
        if original_node.returns is not None and not scope.generator:
            self._hint(f"{scope.qualname}.<return>", original_node.returns.annotation)
        value = self._decorate(original_node.decorators, f"=F:{scope.qualname}")
        self._flow(FlowOp.COPY, self._declare(original_node.name.value), value)

    def _bind_params(self, params: cst.Parameters, pending: PendingFunction) -> None:
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
        scope: Scope,
        params: cst.Parameters,
        pending: PendingFunction,
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
                params=tuple(
                    intern(p.name.value) for p in (*params.posonly_params, *params.params)
                ),
                posonly=len(params.posonly_params),
                vararg=intern(vararg),
                kwonly=tuple(intern(p.name.value) for p in params.kwonly_params),
                kwarg=intern(kwarg),
                owner=owner if kind is not FunctionKind.LAMBDA else "",
            )
        )

    def _decorate(self, decorators: Sequence[cst.Decorator], value: str) -> Operand:
        """The node holding what the decorated name is bound to, decorators applied inside out."""
        current: Operand = value
        for deco in reversed(decorators):
            expr = deco.decorator
            if isinstance(expr, cst.Name) and expr.value in DECORATOR_KINDS:
                if self._lookup_is_builtin(expr.value):
                    continue  # staticmethod & co: no call edge, the function itself
            parts = dotted(expr)
            if parts is None and isinstance(expr, cst.Call):
                inner = dotted(expr.func)
                parts = (*inner[:-1], inner[-1] + "()") if inner else None
            text = self._qualify_parts(parts, self.scope) if parts else UNKNOWN
            site = PendingSite(
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

    def _qualify_annotation(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, cst.SimpleString):
            text = expr.evaluated_value
            if isinstance(text, str) and text.replace(".", "").replace("_", "").isalnum():
                return self._qualify_parts(tuple(text.split(".")), self.scope)
            return None
        parts = dotted(expr)
        return self._qualify_parts(parts, self.scope) if parts else None

    def visit_Lambda(self, node: cst.Lambda) -> None:
        parent = self.scope
        naming = parent.naming
        naming.counters["lambda"] += 1
        qual = f"{naming.qualname}.<lambda{naming.counters['lambda']}>"
        scope = Scope(qual, "lambda", parent=parent)
        self._functions[id(node)] = PendingFunction(scope, self.line, [])

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
        self.stack.append(Scope(qual, "comp", parent=parent))

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
            dotted = dotted_name(alias.name)
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
            name = dotted_name(alias.name)
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
        module = dotted_name(node.module) if node.module is not None else ""
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
            entered: Operand = None
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
            parts = dotted(expr.func)
            if parts:
                return f"{self._qualify_parts(parts, self.scope)}()"
            return None
        parts = dotted(expr)
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
        args: list[Operand | Starred] = []
        keywords: list[tuple[str, Operand]] = []
        for arg in node.args:
            value = self._operand(arg.value)
            if arg.keyword is not None:
                keywords.append((arg.keyword.value, value))
            elif arg.star == "**":
                keywords.append(("**", value))
            elif arg.star == "*":
                args.append(Starred(value) if value is not None else None)
            else:
                args.append(value)
        parts = dotted(func)
        if parts is None and isinstance(func, cst.Call):
            inner = dotted(func.func)
            parts = (*inner[:-1], inner[-1] + "()") if inner else None
        text = self._qualify_parts(parts, self.scope) if parts else UNKNOWN
        site = PendingSite(self.scope, line, self._operand(func), args, keywords, text)
        self.sites.append(site)
        self._memo[id(node)] = site

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
    def _qualify_parts(self, parts: tuple[str, ...], scope: Scope) -> str:
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

    def _qualify_base(self, parts: tuple[str, ...], scope: Scope) -> str:
        """A base class as `_qualify_parts` writes it, except a module's or class's name bound
        to what a call returns, or unpacked from it: that name itself (`module.DashboardTable`
        for `DashboardTable = get_class(...)`), which the symbol table evaluates through the
        module's assignments, where a loader call's result is bound to what it loads."""
        head = parts[0]
        owner = self._binder(head, scope)
        if owner is None:  # bound by no text (`A, B = get_classes(...)`), or not at all
            owner = next((s for s in (scope, self.module_scope) if head in s.names), None)
        elif not owner.bindings[head].endswith("()"):
            return self._qualify_parts(parts, scope)
        if owner is None or owner.kind not in ("module", "class"):
            return self._qualify_parts(parts, scope)
        return ".".join((f"{owner.qualname}.{head}", *parts[1:]))

    def _binder(self, name: str, scope: Scope) -> Scope | None:
        """The scope whose binding of `name` `_lookup` finds."""
        if name in scope.bindings:
            return scope
        outer = scope.parent
        while outer is not None:
            if outer.kind != "class" and name in outer.bindings:
                return outer
            outer = outer.parent
        return None

    def _lookup(self, name: str, scope: Scope) -> str | None:
        # Python's rule: the scope itself, enclosing function scopes (never enclosing class
        # bodies), then the module.
        owner = self._binder(name, scope)
        return owner.bindings[name] if owner is not None else None

    # -- the end: names become nodes -----------------------------------------------------

    def facts(self) -> ModuleFacts:
        """The collected facts, qualified and sorted."""
        for scope, start, end, bases in self.pending_classes:
            assert scope.parent is not None
            qualified = tuple(self._qualify_base(b, scope.parent) for b in bases)
            attributes = tuple(sorted(map(intern, scope.names | scope.attributes)))
            self.definitions.append(
                Definition(scope.qualname, DefinitionKind.CLASS, start, end, qualified, attributes)
            )
        sites = []
        for site in self.sites:
            args = tuple(self._node(a) for a in site.args)
            keywords = tuple((intern(k), self._node(v)) for k, v in site.keywords)
            sites.append(
                CallSite(
                    caller=site.scope.caller.qualname,
                    line=site.line,
                    callee=intern(site.text),
                    func=self._node(site.func),
                    result=intern(site.result),
                    args=args,
                    keywords=keywords,
                    decorator=site.decorator,
                )
            )
        # deduplicated and sorted as plain tuples (hashed and compared in C), then made facts
        rows = {
            (op, self._node(target), self._node(source), self._node(name))
            for op, target, source, name in self.flows
            if target is not None and source is not None and name is not None
        }
        for name in self._builtin_globals:
            rows.add((FlowOp.BUILTIN, f"{self.module}.{name}", "", name))
        flows = flow_table(sorted(rows))
        calls = sorted(
            {Call(s.caller, s.callee, s.line) for s in sites if not s.callee.startswith(UNKNOWN)}
        )
        assignments = sorted(
            (intern(f"{scope.qualname}.{name}"), intern(value))
            for scope in (self.module_scope, *self.class_scopes)
            for name, value in scope.bindings.items()
            if not value.startswith(UNKNOWN) and value != f"{scope.qualname}.{name}"
        )
        exports = None if self.exports is None else tuple(sorted(set(map(intern, self.exports))))
        return ModuleFacts(
            module=self.module,
            path=self.source.path,
            lines=self.source.lines,
            is_package=self.source.is_package,
            docstring=self.docstring,
            definitions=tuple(sorted(self.definitions)),
            imports=tuple(sorted(self.imports)),
            calls=tuple(calls),
            words=tuple(sorted(self.words)),
            word_counts=tuple(count for _, count in sorted(self.words.items())),
            assignments=tuple(assignments),
            signatures=tuple(sorted(self.signatures)),
            flow_table=flows,
            sites=tuple(sorted(sites, key=_SITE_ORDER)),
            names=tuple(sorted(map(intern, self.module_scope.names))),
            exports=exports,
            data=self.data.facts(self._qualify_data),
        )

    def _qualify_data(self, parts: tuple[str, ...], scope: object) -> str:
        assert isinstance(scope, Scope)
        return self._qualify_parts(parts, scope)
