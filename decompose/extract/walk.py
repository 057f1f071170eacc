"""One traversal of a libcst tree that calls a visitor's hooks without rebuilding any node.

`CSTNode.visit` rebuilds every node it passes through (a dataclass construction and its
validation per node), which costs about as much as the parse itself; a read-only visitor
does not need that. `walk` visits the same children in the same (source) order, calling the
same `visit_<Node>`, `leave_<Node>`, `visit_<Node>_<field>` and `leave_<Node>_<field>` hooks;
`visit_<Node>` returning False skips the children, as with libcst.

The children of each node class, in source order, are learnt once from libcst itself: its
`_visit_and_replace_children` announces every child field (even empty ones) through
`on_visit_attribute`, so the order always matches the installed libcst.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

Hook = Callable[[Any, Any], Any]

_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
_HOOKS: dict[
    tuple[type, type[cst.CSTNode]],
    tuple[Hook | None, Hook | None, dict[str, tuple[Hook | None, Hook | None]]],
] = {}


class _FieldRecorder(cst.CSTVisitor):
    """Records the child fields of one node, in the order libcst visits them."""

    def __init__(self, root: cst.CSTNode) -> None:
        super().__init__()
        self.root = root
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node is self.root

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if node is self.root and attribute not in self.fields:
            self.fields.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave(self, original_node: cst.CSTNode) -> None:
        return None


def _fields(node: cst.CSTNode) -> tuple[str, ...]:
    cls = type(node)
    fields = _FIELDS.get(cls)
    if fields is None:
        recorder = _FieldRecorder(node)
        node._visit_and_replace_children(recorder)
        fields = _FIELDS[cls] = tuple(recorder.fields)
    return fields


def _hooks(
    visitor: type, cls: type[cst.CSTNode]
) -> tuple[Hook | None, Hook | None, dict[str, tuple[Hook | None, Hook | None]]]:
    name = cls.__name__
    per_field = {}
    for field in _FIELDS[cls]:
        before = getattr(visitor, f"visit_{name}_{field}", None)
        after = getattr(visitor, f"leave_{name}_{field}", None)
        if before is not None or after is not None:
            per_field[field] = (before, after)
    found = (getattr(visitor, f"visit_{name}", None), getattr(visitor, f"leave_{name}", None))
    hooks = _HOOKS[(visitor, cls)] = (*found, per_field)
    return hooks


def walk(visitor: object, node: cst.CSTNode) -> None:
    """Visit `node` and its descendants in source order with `visitor`'s hooks."""
    cls = type(node)
    fields = _FIELDS.get(cls) or _fields(node)
    hooks = _HOOKS.get((type(visitor), cls)) or _hooks(type(visitor), cls)
    visit, leave, per_field = hooks
    if visit is None or visit(visitor, node) is not False:
        for field in fields:
            pair = per_field.get(field) if per_field else None
            if pair is not None and pair[0] is not None:
                pair[0](visitor, node)
            child = getattr(node, field)
            if isinstance(child, cst.CSTNode):
                walk(visitor, child)
            elif isinstance(child, tuple | list):
                for item in child:
                    walk(visitor, item)
            if pair is not None and pair[1] is not None:
                pair[1](visitor, node)
    if leave is not None:
        leave(visitor, node)
