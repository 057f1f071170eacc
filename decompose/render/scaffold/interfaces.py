"""What one service exposes, publishes, consumes and coordinates, read off `ServiceInterfaces`.

Repositories are generated for every service at once, so the answers here are the same in the
repository of the owner and in those of its callers: a saga step calls a route that the step's
service really serves, because an action or compensation the plan only names (no monolith
function stands for it yet) first becomes a proposed operation of that service
(`with_saga_operations`), at one path both sides, and the OpenAPI contract, agree on.
"""

from __future__ import annotations

from dataclasses import replace

from decompose.model.contracts import (
    DependencyKind,
    Event,
    Operation,
    Saga,
    ServiceInterfaces,
)
from decompose.render.scaffold.names import words

SAGA = "saga"  # `Operation.origin` of an operation a saga names and no monolith function does


def with_saga_operations(interfaces: ServiceInterfaces) -> ServiceInterfaces:
    """`interfaces` plus an operation for every saga action or compensation none stands for.

    A proposed operation is a POST on its kebab-case name, made unique within its service.
    """
    known = {(o.service, o.operation_id) for o in interfaces.operations}
    routes = {(o.service, o.method, o.path) for o in interfaces.operations}
    proposed: list[Operation] = []
    for saga in sorted(interfaces.sagas):
        for step in saga.steps:
            for action in (step.action, step.compensation):
                if not action or (step.service, action) in known:
                    continue
                known.add((step.service, action))
                op = _proposed(step.service, action, saga)
                path, number = op.path, 2
                while (op.service, op.method, path) in routes:
                    path, number = f"{op.path}-{number}", number + 1
                routes.add((op.service, op.method, path))
                proposed.append(replace(op, path=path))
    return replace(interfaces, operations=(*interfaces.operations, *proposed))


def service_operations(interfaces: ServiceInterfaces, service: str) -> tuple[Operation, ...]:
    """The operations `service` serves, sorted by id."""
    return tuple(sorted((o for o in interfaces.operations if o.service == service), key=_by_id))


def _by_id(op: Operation) -> tuple[str, str, str]:
    return (op.operation_id, op.method, op.path)


def _proposed(service: str, action: str, saga: Saga) -> Operation:
    return Operation(
        service=service,
        operation_id=action,
        kind=DependencyKind.COMMAND,
        method="POST",
        path="/" + ("-".join(words(action)) or "action"),
        function="",
        parameters=(),
        response=(),
        response_known=False,
        callers=(),
        consumers=(saga.coordinator,) if saga.coordinator != service else (),
        summary=f"A step of the {saga.name} workflow, which the plan names: no monolith "
        "function does it yet.",
        origin=SAGA,
        result_used=False,
    )


def find_operation(
    interfaces: ServiceInterfaces, service: str, operation_id: str
) -> Operation | None:
    """The operation `service` serves under `operation_id`, if any."""
    found = (
        o for o in interfaces.operations if o.service == service and o.operation_id == operation_id
    )
    return next(found, None)


def published_events(interfaces: ServiceInterfaces, service: str) -> tuple[Event, ...]:
    """The events `service` publishes, sorted by name and version."""
    return tuple(sorted((e for e in interfaces.events if e.service == service), key=_event_key))


def consumed_events(interfaces: ServiceInterfaces, service: str) -> tuple[Event, ...]:
    """The events of other services `service` subscribes to, sorted by name and publisher."""
    found = (e for e in interfaces.events if service in e.consumers and e.service != service)
    return tuple(sorted(found, key=_event_key))


def _event_key(event: Event) -> tuple[str, int, str]:
    return (event.name, event.version, event.service)


def coordinated_sagas(interfaces: ServiceInterfaces, service: str) -> tuple[Saga, ...]:
    """The workflows `service` runs, with at least one step, sorted by name."""
    return tuple(sorted(s for s in interfaces.sagas if s.coordinator == service and s.steps))


def called_services(interfaces: ServiceInterfaces, service: str) -> tuple[str, ...]:
    """Other services whose API `service` calls: from its code or from its workflows."""
    called = {o.service for o in interfaces.operations if service in o.consumers}
    for saga in coordinated_sagas(interfaces, service):
        called.update(step.service for step in saga.steps)
    called.discard(service)
    return tuple(sorted(called))
