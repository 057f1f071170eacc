"""What the services expose and exchange: the input of every contract and starter repository.

`derive` classifies each dependency that crosses a service boundary (with the source locations
that justify it) and fills a `ServiceInterfaces`; `render` writes AsyncAPI, JSON Schema and
OpenAPI files from it, and `scaffold` writes one starter repository per service.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DependencyKind(StrEnum):
    """How a cross-service dependency is to be carried once the services are apart."""

    QUERY = "query"  # caller uses returned data -> synchronous API operation (GET)
    COMMAND = "command"  # caller asks the owner to change its data -> API operation (POST)
    EVENT = "event"  # caller reacts to the owner's change -> subscribes to the owner's event
    READ_MODEL = "read_model"  # reader keeps a local copy fed by the owner's events
    VIOLATION = "violation"  # code writes an entity another service owns


@dataclass(frozen=True, slots=True, order=True)
class SourceRef:
    """A place in the monolith's code that justifies a decision."""

    module: str
    function: str  # qualified name of the enclosing function ("" for module level)
    line: int


@dataclass(frozen=True, slots=True, order=True)
class SchemaField:
    """One property of a payload or parameter schema.

    `type` is a JSON Schema type name ("string", "integer", "number", "boolean", "object",
    "array") or "" when the analysis cannot know it; `format` e.g. "date-time"; `reference`
    names the entity an id refers to (foreign keys become id references).
    """

    name: str
    type: str
    required: bool
    format: str = ""
    reference: str = ""
    description: str = ""
    items: str = ""  # type "array": the JSON Schema type of its elements ("" when unknown)
    entity: str = ""  # type "object" (or array items "object"): the entity whose fields it holds


@dataclass(frozen=True, slots=True, order=True)
class Operation:
    """A synchronous operation on a service's API: one per monolith function called across."""

    service: str  # the owner, which exposes it
    operation_id: str  # camelCase, unique in the service, e.g. "getProduct", "reserveStock"
    kind: DependencyKind  # QUERY or COMMAND
    method: str  # "GET" or "POST"
    path: str  # "/products/{product_id}"
    function: str  # qualified monolith function it stands for
    parameters: tuple[SchemaField, ...]
    response: tuple[SchemaField, ...]  # empty when the function's return is unknown or None
    response_known: bool  # False: the schema says the type is unknown, never invents one
    callers: tuple[SourceRef, ...]
    consumers: tuple[str, ...]  # services that call it
    summary: str = ""  # first line of the function's docstring
    # "call": a monolith function called across the boundary; "read": proposed to replace
    # direct reads of the owner's entity; "write": proposed to replace direct writes to it
    # (`function` is then the foreign code whose write moves behind the operation)
    origin: str = "call"
    result_used: bool = True  # False: no caller uses what it returns (responds 204)


@dataclass(frozen=True, slots=True, order=True)
class Event:
    """A domain event published by the service that owns the changed entity.

    Origin "task" is an existing Celery task called across the boundary, carried as an
    asynchronous command message: `service` sends it (the EventBridge source), `consumers`
    run the task, and `name` is the task's name in the imperative ("SendOrderConfirmation").
    """

    service: str  # publisher (the owner)
    name: str  # PascalCase, past tense: "OrderPlaced", "StockReserved", "ProductUpdated"
    entity: str  # qualified entity class, "" for events that are no entity change
    origin: str  # "lifecycle", "command", "signal", "task"
    payload: tuple[SchemaField, ...]
    triggers: tuple[SourceRef, ...]  # where the monolith makes the change or sends the signal
    consumers: tuple[str, ...]  # services that subscribe
    version: int = 1
    # False: the payload is not known (a custom signal's arguments are not analysed); the
    # schema says so instead of inventing properties
    payload_known: bool = True


@dataclass(frozen=True, slots=True, order=True)
class Dependency:
    """One classified dependency from a service to another, with its justification."""

    source: str  # the depending service
    target: str  # the service depended on (the owner)
    kind: DependencyKind
    name: str  # the operation_id or event name it becomes
    reason: str  # one sentence: why this classification
    locations: tuple[SourceRef, ...]
    origin: str = ""  # "call", "read", "write", "signal" or "task": what the monolith does
    entity: str = ""  # the entity read or written, for data dependencies
    events: tuple[str, ...] = ()  # events that carry it (read models, commands' events)


@dataclass(frozen=True, slots=True, order=True)
class Ownership:
    """An entity, its one owning service, and who else touches it."""

    entity: str
    owner: str
    table: str
    writers: tuple[str, ...]  # other services writing it (violations to resolve)
    readers: tuple[str, ...]  # other services reading it
    module: str = ""  # the module defining the entity
    orm: str = ""  # "django" or "sqlalchemy"
    fields: tuple[SchemaField, ...] = ()  # its data as the owner's schema (FKs as id references)
    reason: str = ""  # why this owner, in one sentence


@dataclass(frozen=True, slots=True, order=True)
class Cycle:
    """A cycle of synchronous dependencies between services, and how to break it."""

    services: tuple[str, ...]  # in order; the last depends on the first
    chain: tuple[SourceRef, ...]  # the calls behind each link, in the same order
    fix: str  # "merge" or "event"
    detail: str  # e.g. "turn inventory -> order into the OrderPlaced event"
    weights: tuple[int, ...] = ()  # source locations behind each link, in the same order


@dataclass(frozen=True, slots=True, order=True)
class CycleBreak:
    """A link of synchronous calls to turn into events: with every such link turned, the
    synchronous calls between services form no cycle."""

    source: str
    target: str
    weight: int  # source locations behind the link
    cycles: int  # how many of the listed cycles pass through it
    detail: str  # how to turn it into events


@dataclass(frozen=True, slots=True, order=True)
class SagaStep:
    """One step of a multi-service workflow, with what undoes it."""

    service: str
    action: str  # operation_id of the step
    compensation: str  # operation_id that undoes it ("" for the last, pivot step)
    compensation_function: str = ""  # a monolith function that already undoes it, if any
    line: int = 0  # where the saga's function takes the step
    entities: tuple[str, ...] = ()  # entities the step writes


@dataclass(frozen=True, slots=True, order=True)
class Saga:
    """A multi-step flow writing entities of several services, as a workflow to orchestrate."""

    name: str  # PascalCase, e.g. "PlaceOrderSaga"
    coordinator: str  # the service that runs it (the one owning the starting function)
    function: str  # the monolith function the flow starts in
    steps: tuple[SagaStep, ...]
    line: int = 0  # where the function is defined


@dataclass(frozen=True, slots=True, order=True)
class MigrationStep:
    """One step of the strangler-fig extraction."""

    order: int
    service: str
    modules: tuple[str, ...]  # what moves out of the monolith (split symbols as module:Name)
    operations: tuple[str, ...]  # calls that become API calls to it
    events: tuple[str, ...]  # dependencies that become events
    remaining_couplings: int  # cross-boundary couplings still inside the monolith afterwards
    reason: str
    calls_out: tuple[str, ...] = ()  # "service.operationId" it calls back in the monolith
    remaining_lines: int = 0  # lines of service code still in the monolith afterwards


@dataclass(frozen=True, slots=True)
class ServiceInterfaces:
    """Every service's API and events, the classified dependencies, and the way there."""

    operations: tuple[Operation, ...] = ()
    events: tuple[Event, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    ownership: tuple[Ownership, ...] = ()
    cycles: tuple[Cycle, ...] = ()
    breaks: tuple[CycleBreak, ...] = ()  # the fewest, lightest links breaking every cycle
    sagas: tuple[Saga, ...] = ()
    migration: tuple[MigrationStep, ...] = ()
    notes: tuple[str, ...] = ()  # what the analysis could not decide, and limits hit
