"""The migration plan: `Plan` -> the strangler-fig steps, in order, with what each changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import Plan
from decompose.render.format import format_int, plural
from decompose.render.links import ServiceLink, link_for

# Names listed per cell before "and N more".
LIST_LIMIT = 6


@dataclass(frozen=True, slots=True)
class MigrationRow:
    """One extraction step."""

    order: int
    service: ServiceLink
    moves: str  # "14 modules"
    modules: tuple[str, ...]
    operations: tuple[str, ...]
    operations_more: int
    calls_out: tuple[str, ...]
    events: tuple[str, ...]
    events_more: int
    after: str  # what is still inside the monolith afterwards
    reason: str


@dataclass(frozen=True, slots=True)
class MigrationSection:
    """The steps, and what comes before step 1."""

    lead: str
    rows: tuple[MigrationRow, ...]


def build_migration(plan: Plan, links: Mapping[str, ServiceLink]) -> MigrationSection | None:
    """The plan's migration order; None when it has none."""
    steps = plan.interfaces.migration
    if not steps:
        return None
    kernel = len(plan.shared)
    lead = (
        "Extract the services one at a time, leaves first: each step moves a service out and "
        "turns the monolith's calls into it into calls to its API, and its calls back into "
        "the monolith into API calls the monolith must offer until their target moves too."
    )
    if kernel:
        lead += (
            f" Before step 1, package the shared kernel ({plural(kernel, 'module')}) as a "
            "library every service depends on."
        )
    rows = tuple(
        MigrationRow(
            order=s.order,
            service=link_for(s.service, links),
            moves=plural(len(s.modules), "module"),
            modules=s.modules,
            operations=s.operations[:LIST_LIMIT],
            operations_more=max(0, len(s.operations) - LIST_LIMIT),
            calls_out=s.calls_out,
            events=s.events[:LIST_LIMIT],
            events_more=max(0, len(s.events) - LIST_LIMIT),
            after=_after(s.remaining_couplings, s.remaining_lines),
            reason=s.reason,
        )
        for s in steps
    )
    return MigrationSection(lead, rows)


def _after(couplings: int, lines: int) -> str:
    if not lines:
        return "nothing: the monolith is gone"
    left = f"{format_int(lines)} lines of service code"
    if not couplings:
        return f"{left}, with no coupling left between its services"
    return f"{left}, with {plural(couplings, 'coupling')} between its services"
