"""Expressions to value flow: the part of the fact visitor that writes `Flow`s.

A parent asks for the node of a child expression only when it needs its value
(`FlowBuilder._operand`); calls, lambdas, comprehensions, yields and walruses are recorded
when the visit leaves them and memoised, so asking never recurses into them again. Names are
kept as `NameRef`s until the whole module has been seen, then resolved with Python's LEGB rule
(`FlowBuilder._resolve`).
"""

from __future__ import annotations

from collections import Counter
from sys import intern

import libcst as cst

from decompose.extract.scopes import (
    BUILTIN_NAMES,
    MAPPINGS,
    NO_VALUE,
    STR,
    NameRef,
    Operand,
    PendingSite,
    Scope,
    Starred,
    dotted,
    is_union,
    slot_key,
    string_value,
    union_leaves,
)
from decompose.extract.vocabulary import split_identifier
from decompose.model.facts import FlowOp


class FlowBuilder:
    """The value-flow state of one module's visit, and the expression translation."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.module_scope = Scope(module, "module")
        self.stack: list[Scope] = [self.module_scope]
        self.words: Counter[str] = Counter()
        self.star_modules: list[str] = []
        self.flows: list[tuple[FlowOp, Operand, Operand, Operand]] = []
        self.sites: list[PendingSite] = []
        self._memo: dict[int, Operand | PendingSite] = {}
        self._temps = 0
        self._builtin_globals: set[str] = set()

    @property
    def scope(self) -> Scope:
        """The scope whose code is being visited."""
        return self.stack[-1]

    def _temp(self) -> str:
        # named after the function whose code computes it, so that a function's nodes all
        # start with its qualified name (the solver clones closure factories by that prefix)
        self._temps += 1
        return f"{self.scope.caller.qualname}:{self._temps}"

    def _flow(self, op: FlowOp, target: Operand, source: Operand = "", name: Operand = "") -> None:
        self.flows.append((op, target, source, name))

    def _declare(self, name: str, scope: Scope | None = None) -> NameRef:
        """`name` is bound in `scope` (default: the current one); the node it is written to."""
        scope = scope or self.scope
        if name in scope.globals:
            self.module_scope.names.add(name)
            return NameRef(self.module_scope, name)
        if name not in scope.nonlocals:
            scope.names.add(name)
        return NameRef(scope, name)

    def _lookup_is_builtin(self, name: str) -> bool:
        scope: Scope | None = self.scope
        while scope is not None:
            if name in scope.names:
                return False
            scope = scope.parent
        return True

    def _hint(self, target: Operand, annotation: cst.BaseExpression) -> None:
        """Record the classes an annotation names, for nodes nothing else reaches."""
        for hint, slot in self._annotation_operands(annotation):
            self._flow(FlowOp.HINT, target, hint, slot)

    def _annotation_operands(self, expr: cst.BaseExpression) -> list[tuple[Operand, str]]:
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
        origin = dotted(expr.value)
        if origin is None:
            return []
        args = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
        if origin[-1] in ("Optional", "Union", "Annotated", "Final", "ClassVar"):
            chosen = args[:1] if origin[-1] == "Annotated" else args
            return [h for arg in chosen for h in self._annotation_operands(arg)]
        node = self._annotation_class(expr.value)
        found: list[tuple[Operand, str]] = [(node, "")] if node is not None else []
        if origin[-1] in MAPPINGS:
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

    def _annotation_class(self, expr: cst.BaseExpression) -> Operand:
        parts = dotted(expr)
        if parts is None or parts[0] == "None" or any(p.endswith("()") for p in parts):
            return None
        current: Operand = NameRef(self.scope, parts[0])
        for attr in parts[1:]:
            temp = self._temp()
            self._flow(FlowOp.ATTR, temp, current, attr)
            current = temp
        return current

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

    def _bind_target(self, target: cst.BaseExpression, value: Operand) -> None:
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
                self._flow(FlowOp.STORE_ITEM, self._operand(target.value), value, slot_key(target))
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
                item: Operand = None
                if value is not None:
                    item = self._temp()
                    self._flow(FlowOp.UNPACK, item, value, "" if starred else str(i))
                self._bind_target(element.value, item)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, value)

    def _super(self, node: cst.Call) -> Operand:
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
            receiver = NameRef(self.scope, method.first_param)
        self._flow(FlowOp.SUPER, temp, receiver, cls)
        return temp

    def _operand(self, node: cst.BaseExpression) -> Operand:
        """The node holding the value of expression `node` (None when not worth tracking)."""
        key = id(node)
        if key in self._memo:
            known = self._memo[key]
            if isinstance(known, PendingSite):
                if not known.result:
                    known.result = self._temp()
                return known.result
            return known
        result = self._evaluate(node)
        self._memo[key] = result
        return result

    def _evaluate(self, node: cst.BaseExpression) -> Operand:
        if isinstance(node, cst.Name):
            return None if node.value in NO_VALUE else NameRef(self.scope, node.value)
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
            key = slot_key(node)
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
        if is_union(node):
            return self._union(*union_leaves(node))
        if isinstance(node, cst.BinaryOperation):
            return None
        if isinstance(node, cst.Await):
            return self._operand(node.expression)
        return None

    def _union(self, *nodes: cst.BaseExpression) -> Operand:
        values = [v for v in (self._operand(n) for n in nodes) if v is not None]
        if not values:
            return None
        if len(values) == 1:
            return values[0]
        temp = self._temp()
        for value in values:
            self._flow(FlowOp.COPY, temp, value)
        return temp

    def _sequence(self, node: cst.Tuple | cst.List | cst.Set) -> Operand:
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

    def _dict(self, node: cst.Dict) -> Operand:
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
            text = string_value(key) if isinstance(key, cst.SimpleString) else None
            if isinstance(text, str):
                slot = f"s:{text}"
            else:
                slot = "?"
                known = self._operand(key)
                if known is not None and known != STR:
                    self._flow(FlowOp.COPY, f"{temp}[<keys>]", known)
            if value is not None:
                self._flow(FlowOp.COPY, f"{temp}[*]", value)
                self._flow(FlowOp.COPY, f"{temp}[{slot}]", value)
        return temp

    def _node(self, operand: Operand | Starred) -> str:
        # interned: a node is named many times, and pickling then stores each name once
        if operand is None:
            return ""
        if isinstance(operand, str):
            return intern(operand)
        if isinstance(operand, Starred):
            return intern("*" + self._node(operand.value))
        return intern(self._resolve(operand.scope, operand.name))

    def _resolve(self, scope: Scope, name: str) -> str:
        """The node of variable `name` as seen from `scope` (Python's LEGB rule)."""
        current: Scope | None = scope
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
