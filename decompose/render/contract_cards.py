"""Contracts per service and the classified dependencies: `Plan` -> cards and rows.

Each card links the files `render.contracts` writes beside the report (`contracts/<service>/`)
and lists the service's operations, the events it publishes and those it consumes. The
dependency rows say, for every crossing, what it becomes and why, with the code behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from decompose.model.contracts import Dependency, DependencyKind, SourceRef
from decompose.model.plan import Plan
from decompose.render.contracts import (
    ASYNCAPI_FILE,
    CONTRACTS_FOLDER,
    OPENAPI_FILE,
    event_schema_path,
)
from decompose.render.format import plural
from decompose.render.links import ServiceLink, link_for

# Locations listed under a dependency before "and N more"; rows past the limit are left to
# plan.json; past the open limit the table starts collapsed.
LOCATION_LIMIT = 3
DEPENDENCY_LIMIT = 500
DEPENDENCY_OPEN_LIMIT = 30
# A card lists this many operations or events; the rest fold under "N more" (a god service's
# card listed 150 operations: the OpenAPI file holds them all).
CARD_SHOWN = 8
KIND_LABELS = {
    DependencyKind.QUERY: "query",
    DependencyKind.COMMAND: "command",
    DependencyKind.EVENT: "event",
    DependencyKind.READ_MODEL: "read model",
    DependencyKind.VIOLATION: "violation",
}


@dataclass(frozen=True, slots=True)
class FileLink:
    """A contract file, relative to the report."""

    name: str
    href: str


@dataclass(frozen=True, slots=True)
class OperationRow:
    """One operation of a service's API."""

    method: str
    path: str
    operation_id: str
    kind: str
    stands_for: str  # the monolith function, or what it replaces
    consumers: tuple[ServiceLink, ...]


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event a service publishes (with its schema) or consumes (with its publisher)."""

    name: str
    about: str  # entity class name, or the kind of message
    other: tuple[ServiceLink, ...]  # consumers of a published event; the publisher of a consumed
    schema: FileLink | None


Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class Folded(Generic[Row]):
    """A list shown up to `CARD_SHOWN` rows, the rest folded under `more` ("12 more events")."""

    shown: tuple[Row, ...]
    rest: tuple[Row, ...]
    more: str

    @property
    def every(self) -> tuple[Row, ...]:
        return self.shown + self.rest


def fold(rows: Sequence[Row], noun: str) -> Folded[Row]:
    """`rows` with all past the first `CARD_SHOWN` folded ("3 more operations"); one or two
    more are shown rather than folded."""
    shown = CARD_SHOWN if len(rows) > CARD_SHOWN + 2 else len(rows)
    rest = tuple(rows[shown:])
    count, nouns = plural(len(rest), noun).split(" ", 1)
    return Folded(tuple(rows[:shown]), rest, f"{count} more {nouns}")


@dataclass(frozen=True, slots=True)
class ContractCard:
    """One service's contracts."""

    link: ServiceLink
    files: tuple[FileLink, ...]
    operations: Folded[OperationRow]
    published: Folded[EventRow]
    consumed: Folded[EventRow]


@dataclass(frozen=True, slots=True)
class ClassifiedRow:
    """A dependency between two services as it is to be carried, and why."""

    source: ServiceLink
    target: ServiceLink
    kind: str
    violation: bool
    name: str
    reason: str
    locations: tuple[str, ...]
    locations_more: int


@dataclass(frozen=True, slots=True)
class ContractsSection:
    """The contracts of every service and the classification behind them."""

    summary: str
    cards: tuple[ContractCard, ...]
    dependencies: tuple[ClassifiedRow, ...]
    dependencies_open: bool
    dependencies_note: str
    notes: tuple[str, ...]


def build_contracts(plan: Plan, links: Mapping[str, ServiceLink]) -> ContractsSection | None:
    """The section, None when the plan carries no interfaces at all."""
    interfaces = plan.interfaces
    if not (interfaces.operations or interfaces.events or interfaces.dependencies):
        return None
    cards = tuple(_card(plan, s.name, links) for s in plan.services if not s.is_shared)
    ranked = sorted(
        interfaces.dependencies,
        key=lambda d: (d.kind is not DependencyKind.VIOLATION, -len(d.locations), d),
    )
    rows = tuple(_row(d, links) for d in ranked[:DEPENDENCY_LIMIT])
    kinds = Counter(d.kind for d in interfaces.dependencies)
    counts = ", ".join(f"{kinds[k]} {label}" for k, label in KIND_LABELS.items() if kinds[k])
    summary = (
        f"{plural(len(interfaces.dependencies), 'dependency', 'dependencies')} cross a service "
        f"boundary: {counts}. The contracts hold {plural(len(interfaces.operations), 'operation')}"
        f" and {plural(len(interfaces.events), 'event')}."
    )
    total = len(interfaces.dependencies)
    return ContractsSection(
        summary=summary,
        cards=cards,
        dependencies=rows,
        dependencies_open=len(rows) <= DEPENDENCY_OPEN_LIMIT,
        dependencies_note=(
            f"The {len(rows)} most significant are listed (violations first); plan.json has "
            f"all {total}."
            if total > len(rows)
            else ""
        ),
        notes=interfaces.notes,
    )


def _card(plan: Plan, service: str, links: Mapping[str, ServiceLink]) -> ContractCard:
    folder = f"{CONTRACTS_FOLDER}/{service}"
    interfaces = plan.interfaces
    operations = tuple(
        OperationRow(
            method=op.method,
            path=op.path,
            operation_id=op.operation_id,
            kind=KIND_LABELS[op.kind],
            stands_for=_stands_for(op.origin, op.function),
            consumers=tuple(link_for(c, links) for c in op.consumers),
        )
        for op in interfaces.operations
        if op.service == service
    )
    published = tuple(
        EventRow(
            name=e.name,
            about=_about(e.origin, e.entity),
            other=tuple(link_for(c, links) for c in e.consumers),
            schema=FileLink(event_schema_path(e), f"{folder}/{event_schema_path(e)}"),
        )
        for e in interfaces.events
        if e.service == service
    )
    consumed = tuple(
        EventRow(e.name, _about(e.origin, e.entity), (link_for(e.service, links),), None)
        for e in interfaces.events
        if service in e.consumers and e.service != service
    )
    files = (
        FileLink(OPENAPI_FILE, f"{folder}/{OPENAPI_FILE}"),
        FileLink(ASYNCAPI_FILE, f"{folder}/{ASYNCAPI_FILE}"),
    )
    return ContractCard(
        link_for(service, links),
        files,
        fold(operations, "operation"),
        fold(published, "event"),
        fold(consumed, "event"),
    )


def _stands_for(origin: str, function: str) -> str:
    if origin == "read":
        return "replaces direct reads of its data"
    if origin == "write":
        return f"takes over the writes of {function}"
    return function


def _about(origin: str, entity: str) -> str:
    if origin == "task":
        return "command (Celery task)"
    name = entity.rsplit(".", 1)[-1]
    return f"{name} ({origin})" if name else origin


def _row(d: Dependency, links: Mapping[str, ServiceLink]) -> ClassifiedRow:
    return ClassifiedRow(
        source=link_for(d.source, links),
        target=link_for(d.target, links),
        kind=KIND_LABELS[d.kind],
        violation=d.kind is DependencyKind.VIOLATION,
        name=d.name,
        reason=d.reason,
        locations=tuple(format_ref(r) for r in d.locations[:LOCATION_LIMIT]),
        locations_more=max(0, len(d.locations) - LOCATION_LIMIT),
    )


def format_ref(ref: SourceRef) -> str:
    """A source location as people read it: "shop.orders:12 (place_order)"."""
    function = short_function(ref.function, ref.module) or "module level"
    return f"{ref.module}:{ref.line} ({function})" if ref.line else f"{ref.module} ({function})"


def short_function(function: str, module: str) -> str:
    """A function's name without its module; a lambda is named by the function holding it."""
    local = function.removeprefix(module + ".") if module else function
    parts = [p for p in local.split(".") if not p.startswith("<")]
    if not parts:
        return ""
    return parts[-1] if len(parts) == len(local.split(".")) else f"{parts[-1]} (lambda)"


def interface_alerts(plan: Plan) -> tuple[tuple[str, str], ...]:
    """(text, section anchor) of what to fix before extracting: violations, sync cycles."""
    found = []
    writes = [d for d in plan.interfaces.dependencies if d.kind is DependencyKind.VIOLATION]
    if writes:
        found.append(
            (
                f"{plural(len(writes), 'direct write')} to another service's data break "
                "share-nothing: each becomes a command of the owning service.",
                "contracts",
            )
        )
    cycles, breaks = plan.interfaces.cycles, plan.interfaces.breaks
    if cycles:
        fix = f": {plural(len(breaks), 'link')} turned into events break them all" if breaks else ""
        found.append(
            (
                f"{plural(len(cycles), 'cycle')} of synchronous calls between services{fix}; "
                "merge the services or turn links into events before deploying them apart.",
                "sync-cycles",
            )
        )
    return tuple(found)
