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
# what to do at one node class: its visit and leave hooks, and per child field in source
# order: (field, the hook before it, the hook after it)
Plan = tuple[Hook | None, Hook | None, tuple[tuple[str, Hook | None, Hook | None], ...]]

_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
_PLANS: dict[type, dict[type, Plan]] = {}  # visitor class -> node class -> plan
# what a child field holds, by its type: 1 a node, 2 a sequence of nodes, 0 nothing to visit
# (None, MaybeSentinel); `isinstance(x, CSTNode)` is an ABC check, too slow per child
_CHILD_KINDS: dict[type, int] = {tuple: 2, list: 2, type(None): 0}


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


def _plan(visitor: type, node: cst.CSTNode) -> Plan:
    name = type(node).__name__
    steps = tuple(
        (
            field,
            getattr(visitor, f"visit_{name}_{field}", None),
            getattr(visitor, f"leave_{name}_{field}", None),
        )
        for field in _fields(node)
    )
    return getattr(visitor, f"visit_{name}", None), getattr(visitor, f"leave_{name}", None), steps


def _child_kind(cls: type) -> int:
    kind = _CHILD_KINDS[cls] = 1 if issubclass(cls, cst.CSTNode) else 0
    return kind


def walk(visitor: object, node: cst.CSTNode) -> None:
    """Visit `node` and its descendants in source order with `visitor`'s hooks."""
    plans = _PLANS.get(type(visitor))
    if plans is None:
        plans = _PLANS[type(visitor)] = {}
    _walk(visitor, node, plans)


def _walk(visitor: object, node: cst.CSTNode, plans: dict[type, Plan]) -> None:
    plan = plans.get(type(node))
    if plan is None:
        plan = plans[type(node)] = _plan(type(visitor), node)
    visit, leave, steps = plan
    if visit is None or visit(visitor, node) is not False:
        kinds = _CHILD_KINDS
        for field, before, after in steps:
            if before is not None:
                before(visitor, node)
            child = getattr(node, field)
            kind = kinds.get(type(child))
            if kind is None:
                kind = _child_kind(type(child))
            if kind == 1:
                _walk(visitor, child, plans)
            elif kind == 2:
                for item in child:
                    _walk(visitor, item, plans)
            if after is not None:
                after(visitor, node)
    if leave is not None:
        leave(visitor, node)
