"""View model of one starter repository: `Plan` + `ServiceInterfaces` -> `Repository`.

The templates under `decompose/templates/service/` loop over these rows and test their flags;
every name is sanitised and every choice (which functions publish, which services are called,
what the README says) is made here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose import __version__
from decompose.model.contracts import Event, Operation, ServiceInterfaces
from decompose.model.plan import Plan, Service
from decompose.render.scaffold import interfaces as ask
from decompose.render.scaffold.contracts import event_contract, event_schema
from decompose.render.scaffold.functions import (
    ApiFunction,
    ConsumerFunction,
    build_api_functions,
    build_consumer_functions,
    event_file,
    event_source,
    to_json,
    where,
)
from decompose.render.scaffold.names import dotted, pascal, prose, slug, snake, unique, upper_snake
from decompose.render.scaffold.samples import example
from decompose.render.scaffold.workflows import Endpoint, Workflow, build_workflow, endpoint_for

PYTHON_RUNTIME = "python3.13"
# Pinned so that a fresh repository's tests pass as they did when this version was released;
# the layer's pins are what the functions run with, the dev pins add the tools.
LAYER_REQUIREMENTS = ("aws-lambda-powertools==3.37.0", "jsonschema==4.26.0")
DEV_REQUIREMENTS = (
    "aws-lambda-powertools==3.37.0",
    "boto3==1.44.8",
    "cfn-lint==1.51.0",
    "jsonschema==4.26.0",
    "moto[dynamodb,events,sqs]==5.2.5",
    "pytest==9.2.0",
    "ruff==0.17.6",
)
_LISTED = 8  # classes and vocabulary named in the responsibility paragraph


@dataclass(frozen=True, slots=True)
class EntityRow:
    """An entity the service owns."""

    name: str
    short: str
    table: str
    kind: str  # the item kind it is stored under in the service's table
    readers: str
    writers: str


@dataclass(frozen=True, slots=True)
class PublishedEvent:
    """An event the service publishes."""

    name: str
    file: str
    contract: str  # its JSON Schema, under contracts/
    version: int
    entity: str
    origin: str
    consumers: str
    triggers: tuple[str, ...]
    functions: tuple[str, ...]  # the functions that publish it ("" none yet)
    example_json: str


@dataclass(frozen=True, slots=True)
class RemoteApi:
    """Another service's API this one calls: the parameter carrying its URL."""

    service: str
    parameter: str
    variable: str  # environment variable of every function
    default: str
    description: str
    operations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DependencyRow:
    """A classified dependency, as the README lists it."""

    other: str
    kind: str
    name: str
    reason: str
    locations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MigrationView:
    """The service's step in the strangler-fig migration."""

    order: int
    modules: tuple[str, ...]
    operations: tuple[str, ...]
    events: tuple[str, ...]
    remaining_couplings: int
    reason: str


@dataclass(frozen=True, slots=True)
class Repository:
    """Everything the templates of one service's repository show."""

    folder: str
    service: str
    title: str
    stack: str  # the default stack name
    description: str  # of the stack
    key_description: str
    layer_description: str
    api_description: str
    responsibility: str
    source: str
    modules: tuple[str, ...]
    lines: int
    moves_in: tuple[str, ...]  # split symbols moving here ("module:Name")
    moves_out: tuple[str, ...]  # symbols of its modules moving elsewhere ("module:Name -> x")
    entities: tuple[EntityRow, ...]
    api: tuple[ApiFunction, ...]
    consumers: tuple[ConsumerFunction, ...]
    published: tuple[PublishedEvent, ...]
    workflows: tuple[Workflow, ...]
    own_endpoint: bool  # a workflow calls the service's own API
    remote_apis: tuple[RemoteApi, ...]
    calls_out: tuple[DependencyRow, ...]
    calls_in: tuple[DependencyRow, ...]
    migration: MigrationView | None
    shared_modules: tuple[str, ...]
    target: str
    tool_version: str
    runtime: str
    layer_requirements: tuple[str, ...]
    dev_requirements: tuple[str, ...]
    contracts: tuple[str, ...]  # files under contracts/


def repository_folders(plan: Plan) -> dict[str, str]:
    """Service name -> its repository's folder under the output folder, for each service."""
    names = [s.name for s in plan.services if not s.is_shared]
    return dict(zip(names, unique([slug(n) for n in names]), strict=True))


def build_repository(
    plan: Plan,
    interfaces: ServiceInterfaces,
    service: Service,
    folder: str,
    contracts: tuple[str, ...],
) -> Repository:
    """The view of `service`'s repository."""
    name = service.name
    keys = _service_keys(plan)
    published = ask.published_events(interfaces, name)
    taken: list[str] = []
    operations = ask.service_operations(interfaces, name)
    api = build_api_functions(operations, published, _publishers(published), taken)
    consumers = build_consumer_functions(ask.consumed_events(interfaces, name), published, taken)
    workflows = _workflows(interfaces, name, keys)
    return Repository(
        folder=folder,
        service=prose(name),
        title=prose(name.replace("_", " ").replace("-", " ").title()),
        stack=folder,
        description=prose(
            f"The {name} service of {plan.target}, as proposed by decompose {__version__}: "
            "its own table, key, API, events and workflows.",
            1000,
        ),
        key_description=prose(f"Encrypts the data of the {name} service", 1000),
        layer_description=prose(f"Dependencies shared by the functions of the {name} service", 250),
        api_description=prose(f"The API of the {name} service", 1000),
        responsibility=_responsibility(plan, service, interfaces),
        source=event_source(name),
        modules=tuple(dotted(m) for m in service.modules),
        lines=service.lines,
        moves_in=_moves_in(plan, name),
        moves_out=_moves_out(plan, name),
        entities=_entities(interfaces, name),
        api=api,
        consumers=consumers,
        published=tuple(_published(e, api) for e in published),
        workflows=workflows,
        own_endpoint=any(e.own for w in workflows for e in w.endpoints),
        remote_apis=_remote_apis(interfaces, name, keys),
        calls_out=_dependencies(interfaces, name, outgoing=True),
        calls_in=_dependencies(interfaces, name, outgoing=False),
        migration=_migration(interfaces, name),
        shared_modules=_shared_modules(plan),
        target=prose(plan.target),
        tool_version=__version__,
        runtime=PYTHON_RUNTIME,
        layer_requirements=LAYER_REQUIREMENTS,
        dev_requirements=DEV_REQUIREMENTS,
        contracts=contracts,
    )


def _service_keys(plan: Plan) -> dict[str, str]:
    names = [s.name for s in plan.services]
    return dict(zip(names, unique([pascal(n, "Service") for n in names], ""), strict=True))


def _key(keys: Mapping[str, str], service: str) -> str:
    # A service the plan does not list (a step of a saga on the shared kernel, say) still
    # gets a name, the same in every template that refers to it.
    return keys.get(service) or pascal(service, "Service")


def _publishers(events: tuple[Event, ...]) -> dict[str, list[Event]]:
    found: dict[str, list[Event]] = {}
    for event in events:
        for function in sorted({t.function for t in event.triggers if t.function}):
            found.setdefault(function, []).append(event)
    return found


def _published(event: Event, api: tuple[ApiFunction, ...]) -> PublishedEvent:
    return PublishedEvent(
        name=event.name,
        file=event_file(event),
        contract=event_contract(event),
        version=event.version,
        entity=dotted(event.entity),
        origin=prose(event.origin),
        consumers=prose(", ".join(event.consumers)),
        triggers=tuple(where(t) for t in event.triggers),
        functions=tuple(f.name for f in api if any(p.name == event.name for p in f.publishes)),
        example_json=to_json(example(event_schema(event))),
    )


def _responsibility(plan: Plan, service: Service, interfaces: ServiceInterfaces) -> str:
    owned = [o.entity.rsplit(".", 1)[-1] for o in interfaces.ownership if o.owner == service.name]
    classes = [c.rsplit(".", 1)[-1] for c in service.classes[:_LISTED]]
    parts = [f"The {service.name} service is responsible for"]
    terms = list(service.terms[:_LISTED])
    parts.append(", ".join(terms) if terms else f"what the code of {service.name} does")
    text = " ".join(parts) + "."
    if owned:
        text += f" It owns the data of {', '.join(sorted(owned))}, and no other service writes it."
    if classes:
        text += f" Its main classes in {plan.target} are {', '.join(classes)}."
    text += (
        f" Its code comes from {len(service.modules)} modules ({service.lines} lines) of "
        f"{plan.target}; other services reach it only through its API and its events."
    )
    return prose(text, 2000)


def _moves_in(plan: Plan, name: str) -> tuple[str, ...]:
    found = [
        f"{split.module}:{symbol}"
        for split in plan.splits
        for service, symbols in split.moves
        if service == name
        for symbol in symbols
    ]
    return tuple(dotted(f) for f in sorted(found))


def _moves_out(plan: Plan, name: str) -> tuple[str, ...]:
    found = [
        f"{split.module}:{symbol} -> {service}"
        for split in plan.splits
        if split.service == name
        for service, symbols in split.moves
        for symbol in symbols
    ]
    return tuple(dotted(f) for f in sorted(found))


def _entities(interfaces: ServiceInterfaces, name: str) -> tuple[EntityRow, ...]:
    owned = sorted(o for o in interfaces.ownership if o.owner == name)
    return tuple(
        EntityRow(
            name=dotted(o.entity),
            short=prose(o.entity.rsplit(".", 1)[-1]),
            table=prose(o.table),
            kind=snake(o.entity.rsplit(".", 1)[-1], "entity"),
            readers=prose(", ".join(o.readers)) or "-",
            writers=prose(", ".join(o.writers)) or "-",
        )
        for o in owned
    )


def _workflows(
    interfaces: ServiceInterfaces, name: str, keys: Mapping[str, str]
) -> tuple[Workflow, ...]:
    sagas = ask.coordinated_sagas(interfaces, name)
    folders = unique([snake(s.name, "workflow") for s in sagas], "_")

    def lookup(service: str, operation_id: str) -> Operation | None:
        return ask.find_operation(interfaces, service, operation_id)

    result = []
    for saga, folder in zip(sagas, folders, strict=True):
        endpoints: dict[str, Endpoint] = {
            step.service: endpoint_for(step.service, name, _key(keys, step.service))
            for step in saga.steps
        }
        result.append(build_workflow(saga, folder, lookup, endpoints))
    return tuple(result)


def _remote_apis(
    interfaces: ServiceInterfaces, name: str, keys: Mapping[str, str]
) -> tuple[RemoteApi, ...]:
    result = []
    for other in ask.called_services(interfaces, name):
        key = _key(keys, other)
        calls = [
            f"{o.method.upper()} {o.path} ({o.operation_id})"
            for o in ask.service_operations(interfaces, other)
            if name in o.consumers
        ]
        result.append(
            RemoteApi(
                service=prose(other),
                parameter=f"{key}ApiUrl",
                variable=f"{upper_snake(key)}_API_URL",
                default=f"https://{slug(other)}.invalid/",
                description=prose(
                    f"Base URL of the API of the {other} service (its ApiUrl output)"
                ),
                operations=tuple(prose(c) for c in calls),
            )
        )
    return tuple(result)


def _dependencies(
    interfaces: ServiceInterfaces, name: str, *, outgoing: bool
) -> tuple[DependencyRow, ...]:
    found = [d for d in interfaces.dependencies if (d.source if outgoing else d.target) == name]
    return tuple(
        DependencyRow(
            other=prose(d.target if outgoing else d.source),
            kind=prose(d.kind.value.replace("_", " ")),
            name=prose(d.name),
            reason=prose(d.reason),
            locations=tuple(where(r) for r in d.locations[:5]),
        )
        for d in sorted(found)
    )


def _migration(interfaces: ServiceInterfaces, name: str) -> MigrationView | None:
    step = next((m for m in sorted(interfaces.migration) if m.service == name), None)
    if step is None:
        return None
    return MigrationView(
        order=step.order,
        modules=tuple(dotted(m) for m in step.modules),
        operations=tuple(prose(o) for o in step.operations),
        events=tuple(prose(e) for e in step.events),
        remaining_couplings=step.remaining_couplings,
        reason=prose(step.reason),
    )


def _shared_modules(plan: Plan) -> tuple[str, ...]:
    modules = {r.module for r in plan.shared}
    for service in plan.services:
        if service.is_shared:
            modules.update(service.modules)
    return tuple(dotted(m) for m in sorted(modules))
