"""Workflows: functions whose writes span several services become sagas with compensations.

A function is a saga's starting point when the entities it writes (directly or through its
calls) belong to at least two services and none of its callees already covers all of them
(otherwise that callee is the workflow, and this function merely calls it). Its steps follow
the order of the writes in the function; each step is an operation of the service owning the
written data, and each step but the last (the pivot) gets a compensation: the inverse verb
(`reserve` -> `release`, `charge` -> `refund`...), pointing at the monolith function that
already does it when one exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from decompose.derive.program import Program, entity_name
from decompose.derive.words import camel, pascal, qualified_words, snake, words
from decompose.model.contracts import Operation, Saga, SagaStep
from decompose.model.data import AccessMode

_INVERSE = {
    "activate": "deactivate",
    "add": "remove",
    "allocate": "release",
    "apply": "revert",
    "approve": "revoke",
    "assign": "unassign",
    "attach": "detach",
    "authorize": "void",
    "authorise": "void",
    "block": "unblock",
    "book": "cancel",
    "capture": "refund",
    "charge": "refund",
    "clear": "restore",
    "create": "delete",
    "credit": "debit",
    "debit": "credit",
    "decrement": "increment",
    "enable": "disable",
    "hold": "release",
    "increment": "decrement",
    "insert": "delete",
    "issue": "revoke",
    "link": "unlink",
    "lock": "unlock",
    "open": "close",
    "pay": "refund",
    "place": "cancel",
    "publish": "unpublish",
    "register": "unregister",
    "reserve": "release",
    "schedule": "cancel",
    "start": "cancel",
    "submit": "withdraw",
    "subscribe": "unsubscribe",
    "take": "return",
}
_MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class _Point:
    """One write of the saga's function: a service, what it does, where, and what it writes."""

    service: str
    action: str
    line: int
    entities: frozenset[str]
    local: bool  # the coordinator's own data, written in its own code


def find_sagas(
    program: Program, owner_of: Mapping[str, str], operations: Mapping[str, Operation]
) -> tuple[Saga, ...]:
    """Sagas for the functions whose writes span services, sorted by name."""
    owners = {
        f: frozenset(o for e in es if program.is_service(o := owner_of.get(e, "")))
        for f, es in program.writes().items()
    }
    names = _function_names(program)
    sagas: list[Saga] = []
    for function in sorted(owners):
        spanned = owners[function]
        coordinator = program.service(function)
        if len(spanned) < 2 or not program.is_service(coordinator):
            continue
        if any(spanned <= owners.get(c, frozenset()) for c in program.callees.get(function, ())):
            continue
        points = _points(program, owner_of, operations, function, coordinator, 0, set())
        steps = _steps(points, function)
        if len({s.service for s in steps}) < 2:
            continue
        sagas.append(
            Saga(
                name=pascal(words(function.rsplit(".", 1)[-1])) + "Saga",
                coordinator=coordinator,
                function=function,
                steps=tuple(_compensated(steps, program, names)),
                line=program.lines.get(function, 0),
            )
        )
    return tuple(sorted(_unique_names(sagas)))


def _points(
    program: Program,
    owner_of: Mapping[str, str],
    operations: Mapping[str, Operation],
    function: str,
    coordinator: str,
    depth: int,
    seen: set[str],
) -> list[_Point]:
    seen = seen | {function}
    points: list[tuple[int, int, _Point]] = []
    for a in program.accesses:
        if a.caller != function or a.mode is not AccessMode.WRITE:
            continue
        owner = owner_of.get(a.entity, "")
        if not program.is_service(owner):
            continue
        if owner == coordinator:
            action = camel(words(function.rsplit(".", 1)[-1]))
        else:
            op = operations.get(f"{function}@write")
            action = op.operation_id if op else camel(["update", *words(entity_name(a.entity))])
        points.append((a.line, 0, _Point(owner, action, a.line, frozenset({a.entity}), True)))
    for callee in sorted(program.callees.get(function, ())):
        spanned = {
            o for e in program.writes_of(callee) if program.is_service(o := owner_of.get(e, ""))
        }
        if not spanned or callee in seen:
            continue
        line = min(c.line for c in program.calls if c.caller == function and c.callee == callee)
        service = program.service(callee)
        written = program.writes_of(callee)
        if service != coordinator and program.is_service(service):
            op = operations.get(callee)
            action = op.operation_id if op else camel(words(callee.rsplit(".", 1)[-1]))
            points.append((line, 1, _Point(service, action, line, written, False)))
        elif spanned == {coordinator} or depth >= _MAX_DEPTH:
            action = camel(words(callee.rsplit(".", 1)[-1]))
            points.append((line, 1, _Point(coordinator, action, line, written, False)))
        else:  # our own helper writing elsewhere: its writes are this saga's steps
            inner = _points(program, owner_of, operations, callee, coordinator, depth + 1, seen)
            points.extend((line, 1, _at_line(p, line)) for p in inner)
    return [p for _, _, p in sorted(points, key=lambda t: (t[0], t[1], t[2].service))]


def _at_line(point: _Point, line: int) -> _Point:
    """The same write, taken at another line (where the saga's function calls the helper)."""
    return _Point(point.service, point.action, line, point.entities, point.local)


def _steps(points: list[_Point], function: str) -> list[SagaStep]:
    steps: list[SagaStep] = []
    for p in points:
        if steps and steps[-1].service == p.service and (steps[-1].action == p.action or p.local):
            last = steps[-1]
            merged = tuple(sorted(set(last.entities) | p.entities))
            steps[-1] = SagaStep(last.service, last.action, "", line=last.line, entities=merged)
            continue
        entities = tuple(sorted(p.entities))
        steps.append(SagaStep(p.service, p.action, "", line=p.line, entities=entities))
    return steps


def _compensated(
    steps: list[SagaStep], program: Program, names: Mapping[str, list[str]]
) -> list[SagaStep]:
    done = []
    for i, step in enumerate(steps):
        if i == len(steps) - 1:  # the pivot: nothing after it can fail and need undoing
            done.append(step)
            continue
        compensation, function = _compensation(words(step.action), step.service, program, names)
        done.append(
            SagaStep(
                step.service,
                step.action,
                compensation,
                compensation_function=function,
                line=step.line,
                entities=step.entities,
            )
        )
    return done


def _compensation(
    parts: list[str], service: str, program: Program, names: Mapping[str, list[str]]
) -> tuple[str, str]:
    """The operation undoing a step, and the monolith function already doing it, if any.

    The inverse verb on the same object (`reserve_stock` -> `release_stock`) when the service
    has that function; else its function starting with the inverse verb (`charge` ->
    `refund_payment`), shortest name first; else the name the service should implement.
    """
    inverse = _INVERSE.get(parts[0]) if parts else None
    if inverse is None:
        return camel(["undo", *parts]), ""
    wanted = [inverse, *parts[1:]]
    exact = [q for q in names.get(snake(wanted), []) if program.service(q) == service]
    if exact:
        return camel(wanted), exact[0]
    near = sorted(
        (
            q
            for key, qs in names.items()
            if key.split("_")[0] == inverse
            for q in qs
            if program.service(q) == service
        ),
        key=lambda q: (len(q.rsplit(".", 1)[-1]), q),
    )
    if near:
        return camel(words(near[0].rsplit(".", 1)[-1])), near[0]
    return camel(wanted), ""


def _function_names(program: Program) -> dict[str, list[str]]:
    """Function name -> qualified functions of that name, sorted."""
    found: dict[str, list[str]] = defaultdict(list)
    for qualname in sorted(program.signatures):
        found[snake(words(qualname.rsplit(".", 1)[-1]))].append(qualname)
    return found


def _unique_names(sagas: list[Saga]) -> list[Saga]:
    counts: dict[str, int] = defaultdict(int)
    for s in sagas:
        counts[s.name] += 1
    unique = []
    for s in sagas:
        if counts[s.name] > 1:
            # prefixed by the function's class or module: `DiscountDelete.delete` ->
            # `DiscountDeleteSaga`, the word they share said once
            owner = s.function.rsplit(".", 2)[-2] if s.function.count(".") >= 1 else ""
            name = pascal(qualified_words(f"{owner}.{s.name}"))
            s = Saga(name, s.coordinator, s.function, s.steps, s.line)
        unique.append(s)
    return unique
