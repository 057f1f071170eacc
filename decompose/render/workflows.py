"""Workflows: `Plan` -> one card per saga, its steps in order with their compensations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import Plan
from decompose.render.links import ServiceLink, link_for


@dataclass(frozen=True, slots=True)
class StepRow:
    """One step: the service acting, the operation, what undoes it."""

    number: int
    service: ServiceLink
    action: str
    compensation: str  # "" for the pivot
    existing: str  # the monolith function that already undoes it, if any
    entities: str
    line: str


@dataclass(frozen=True, slots=True)
class SagaCard:
    """A multi-service flow to run as a workflow (a state machine in `workflows/`)."""

    name: str
    coordinator: ServiceLink
    function: str
    location: str
    steps: tuple[StepRow, ...]


def build_workflows(plan: Plan, links: Mapping[str, ServiceLink]) -> tuple[SagaCard, ...]:
    """Every saga of the plan, by name."""
    return tuple(
        SagaCard(
            name=s.name,
            coordinator=link_for(s.coordinator, links),
            function=s.function,
            location=f"line {s.line}" if s.line else "",
            steps=tuple(
                StepRow(
                    number=i,
                    service=link_for(step.service, links),
                    action=step.action,
                    compensation=step.compensation,
                    existing=step.compensation_function,
                    entities=", ".join(e.rsplit(".", 1)[-1] for e in step.entities),
                    line=str(step.line) if step.line else "",
                )
                for i, step in enumerate(s.steps, start=1)
            ),
        )
        for s in plan.interfaces.sagas
    )
