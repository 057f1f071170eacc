"""View model of the Lambda functions of a starter repository: one per operation and per event.

Everything a function's handler, its SAM resource, its sample event and its test need is
decided here, names sanitised, schemas and examples serialised, so the templates only place
the values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlencode

from decompose.model.contracts import Event, Operation, SchemaField, SourceRef
from decompose.render.scaffold.contracts import event_schema
from decompose.render.scaffold.interfaces import SAGA
from decompose.render.scaffold.names import dotted, pascal, prose, snake, unique
from decompose.render.scaffold.samples import example, path_parameters, request_schema

_SAFE_SEGMENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")


def to_json(data: Any) -> str:
    """JSON text as every generated data file has it: sorted keys, two-space indent, newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class Route:
    """An operation's path, made safe: literal segments URL-safe, parameters identifiers."""

    path: str  # OpenAPI and SAM form: /products/{product_id}
    route: str  # Powertools form: /products/<product_id>
    parameters: tuple[str, ...]
    resource: str  # the first literal segment, as the kind of item the path addresses


def route_of(path: str, fallback: str) -> Route:
    """The safe form of `path`; `fallback` names the resource when the path has no literal."""
    literal: list[str] = []
    sam: list[str] = []
    powertools: list[str] = []
    parameters: list[str] = []
    for segment in path.split("/"):
        if segment.startswith("{") and segment.endswith("}") and len(segment) > 2:
            name = unique([*parameters, snake(segment[1:-1], "param")], "_")[-1]
            parameters.append(name)
            sam.append(f"{{{name}}}")
            powertools.append(f"<{name}>")
            continue
        cleaned = "".join(c for c in segment if c in _SAFE_SEGMENT).strip(".")
        if cleaned:
            literal.append(cleaned)
            sam.append(cleaned)
            powertools.append(cleaned)
    resource = snake(literal[0], "item") if literal else snake(fallback, "item")
    return Route(
        path="/" + "/".join(sam),
        route="/" + "/".join(powertools),
        parameters=tuple(parameters),
        resource=resource,
    )


@dataclass(frozen=True, slots=True)
class EventRef:
    """An event a function publishes."""

    name: str  # the detail-type, as in the contract
    file: str  # stem of its example under events/published/


@dataclass(frozen=True, slots=True)
class ApiFunction:
    """A function behind one route of the service's HTTP API."""

    name: str  # folder under functions/, test module suffix, sample event stem
    logical_id: str
    operation_id: str
    handler: str  # Python name of the domain-logic function
    summary: str
    description: str  # of its SAM resource (at most 256 characters)
    method: str  # GET or POST
    method_lower: str
    path: str
    route: str
    parameters: tuple[str, ...]  # path parameters
    resource: str
    is_query: bool
    has_key: bool
    monolith_function: str  # "" for an operation the plan proposes
    stands_for: str  # what in the monolith it replaces
    move_here: str  # what its domain-logic stub is to receive
    proposed: bool  # named by a saga, done by no monolith function yet
    no_content: bool  # no caller uses its result: it answers 204
    callers: tuple[str, ...]  # "module:function line N"
    consumers: tuple[str, ...]
    publishes: tuple[EventRef, ...]
    schema_json: str  # functions/<name>/schemas.json
    sample_json: str  # events/<name>.json: an HTTP API event
    sample_key: str  # the item key the sample addresses ("" without path parameters)
    invalid_json: str  # an HTTP API event the handler must refuse with 400 ("" if none)


@dataclass(frozen=True, slots=True)
class ConsumerFunction:
    """A function subscribed to one event of another service."""

    name: str
    logical_id: str
    rule_id: str  # the event source's id under the function, in template.yaml
    queue_id: str  # its dead-letter queue
    handler: str
    description: str
    event: str  # detail-type
    publisher: str  # the publishing service
    source: str  # EventBridge source
    version: int
    entity: str
    kind: str  # the item kind its copy of the data is stored under
    triggers: tuple[str, ...]
    schema_json: str
    sample_json: str  # events/<name>.json: an EventBridge event
    invalid_json: str  # an EventBridge event whose detail breaks the schema ("" if none)


def where(ref: SourceRef) -> str:
    """A place in the monolith, as the READMEs and docstrings name it."""
    return prose(f"{ref.function or ref.module + ' (module level)'} line {ref.line}")


def stands_for(op: Operation) -> str:
    """What in the monolith an operation replaces, in a few words."""
    if op.origin == SAGA:
        return "a workflow step the plan names (no monolith function does it yet)"
    if op.origin == "read":
        return f"direct reads of this service's data by {', '.join(op.consumers)}"
    if op.origin == "write":
        return f"the writes to this service's data made in {op.function}"
    return op.function


def move_here(op: Operation) -> str:
    """What goes into an operation's domain-logic stub, for its MOVE HERE line."""
    if op.origin == SAGA:
        return "the code of this workflow step (no monolith function does it yet)."
    if op.origin == "read":
        return "the queries of this service's data that its callers (above) run directly."
    if op.origin == "write":
        return f"the writes to this service's data that {op.function} makes."
    return f"the body of {op.function} from the monolith."


def event_source(service: str) -> str:
    """The EventBridge `source` of a service's events."""
    return service


def build_api_functions(
    operations: Sequence[Operation],
    published: Sequence[Event],
    publishers: Mapping[str, Sequence[Event]],
    taken: list[str],
) -> tuple[ApiFunction, ...]:
    """One function per operation; `publishers` maps a monolith function to its events.

    Every function may publish any of the service's events (`published`); those the monolith
    function is seen to trigger are named. `taken` holds the function names already used in
    the repository and is extended.
    """
    publishes = {e.name: event_schema(e) for e in published}
    result = []
    for op in operations:
        name = _claim(taken, snake(op.operation_id, "operation"))
        route = route_of(op.path, op.operation_id)
        events = publishers.get(op.function, ()) if op.function else ()
        schema = request_schema(_with_safe_path(op, route))
        sample = example(schema)
        result.append(
            ApiFunction(
                name=name,
                logical_id=pascal(name, "Operation") + "Function",
                operation_id=prose(op.operation_id),
                handler=_handler(op.operation_id),
                summary=prose(op.summary),
                description=prose(f"{op.operation_id}: {op.method.upper()} {route.path}", 250),
                method=op.method.upper(),
                method_lower=op.method.lower(),
                path=route.path,
                route=route.route,
                parameters=route.parameters,
                resource=route.resource,
                is_query=op.method.upper() == "GET",
                has_key=bool(route.parameters),
                monolith_function=dotted(op.function) if op.origin != "write" else "",
                stands_for=prose(stands_for(op)),
                move_here=prose(move_here(op)),
                proposed=op.origin == SAGA,
                no_content=not op.result_used and op.method.upper() != "GET",
                callers=tuple(where(c) for c in op.callers[:8]),
                consumers=tuple(prose(c) for c in op.consumers),
                publishes=tuple(EventRef(e.name, event_file(e)) for e in events),
                schema_json=to_json({"request": schema, "publishes": publishes}),
                sample_json=to_json(_http_event(op.method.upper(), route, sample)),
                sample_key=_key(route, sample),
                invalid_json=_invalid_http(op.method.upper(), route, sample, schema),
            )
        )
    return tuple(result)


def _with_safe_path(op: Operation, route: Route) -> Operation:
    # Parameters take the sanitised names the path gives them.
    renamed = {snake(p, "param"): p for p in path_parameters(op.path)}
    originals = {original: safe for safe, original in renamed.items()}
    fields = tuple(_renamed(f, originals) for f in op.parameters)
    return replace(op, path=route.path, parameters=fields)


def _renamed(field: SchemaField, safe_names: Mapping[str, str]) -> SchemaField:
    return replace(field, name=safe_names.get(field.name, field.name))


# Module-level names of a handler module, which a domain-logic function must not shadow.
_HANDLER_NAMES = frozenset(
    "Any Decimal Draft202012Validator Key KEYS KIND Logger Outcome Path PUBLISHES REQUEST "
    "Response SCHEMAS app boto3 bus dataclass field handle json lambda_handler logger os "
    "table uuid4".split()
)


def _handler(operation_id: str) -> str:
    name = snake(operation_id, "operation")
    return f"{name}_logic" if name in _HANDLER_NAMES else name


def _claim(taken: list[str], name: str) -> str:
    claimed = unique([*taken, name], "_")[-1]
    taken.append(claimed)
    return claimed


def event_file(event: Event) -> str:
    """Stem of the files about an event: its name in snake case, and version past 1."""
    stem = snake(event.name, "event")
    return stem if event.version == 1 else f"{stem}_v{event.version}"


def _http_event(method: str, route: Route, sample: Mapping[str, Any]) -> dict[str, Any]:
    path_values = {p: str(sample.get(p, f"example-{p}")) for p in route.parameters}
    raw_path = route.path
    for name, value in path_values.items():
        raw_path = raw_path.replace(f"{{{name}}}", quote(value, safe=""))
    rest = {k: v for k, v in sample.items() if k not in path_values}
    query = {k: _text(v) for k, v in rest.items()} if method == "GET" else {}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {route.path}",
        "rawPath": raw_path,
        "rawQueryString": urlencode(sorted(query.items())),
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "example",
            "domainName": "example.execute-api.eu-west-1.amazonaws.com",
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.1",
                "userAgent": "sam-local",
            },
            "requestId": "example-request",
            "routeKey": f"{method} {route.path}",
            "stage": "$default",
            "time": "01/Jan/2024:00:00:00 +0000",
            "timeEpoch": 1704067200000,
        },
        "isBase64Encoded": False,
    }
    if path_values:
        event["pathParameters"] = path_values
    if query:
        event["queryStringParameters"] = query
    if method != "GET":
        event["body"] = json.dumps(rest, sort_keys=True)
    return event


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _key(route: Route, sample: Mapping[str, Any]) -> str:
    if not route.parameters:
        return ""
    values = [str(sample.get(p, f"example-{p}")) for p in route.parameters]
    return f"{route.resource}#{'/'.join(values)}"


def _invalid_http(
    method: str, route: Route, sample: Mapping[str, Any], schema: Mapping[str, Any]
) -> str:
    if method != "GET":
        event = _http_event(method, route, sample)
        event["body"] = "this is not JSON"
        return to_json(event)
    in_query = [r for r in schema.get("required", ()) if r not in route.parameters]
    if not in_query:
        return ""
    missing = {k: v for k, v in sample.items() if k != in_query[0]}
    return to_json(_http_event(method, route, missing))


def build_consumer_functions(
    events: Sequence[Event], published: Sequence[Event], taken: list[str]
) -> tuple[ConsumerFunction, ...]:
    """One function per consumed event; `published` and `taken` as for `build_api_functions`."""
    publishes = {e.name: event_schema(e) for e in published}
    result = []
    for event in events:
        name = _claim(taken, snake(f"on_{event_file(event)}", "on_event"))
        logical = pascal(name, "Consumer")
        schema = event_schema(event)
        detail = example(schema)
        entity = event.entity.rsplit(".", 1)[-1]
        result.append(
            ConsumerFunction(
                name=name,
                logical_id=logical + "Function",
                rule_id=pascal(event.name, "Event") + "Rule",
                queue_id=logical + "DeadLetterQueue",
                handler=name,
                description=prose(f"Reacts to {event.name} of the {event.service} service", 250),
                event=event.name,
                publisher=event.service,
                source=event_source(event.service),
                version=event.version,
                entity=dotted(event.entity),
                kind=snake(entity or event.name, "event"),
                triggers=tuple(where(t) for t in event.triggers),
                schema_json=to_json({"consumes": {event.name: schema}, "publishes": publishes}),
                sample_json=to_json(_bridge_event(event, detail)),
                invalid_json=_invalid_bridge(event, schema),
            )
        )
    return tuple(result)


def _bridge_event(event: Event, detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "00000000-0000-4000-8000-000000000001",
        "detail-type": event.name,
        "source": event_source(event.service),
        "account": "123456789012",
        "time": "2024-01-01T00:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": detail,
    }


def _invalid_bridge(event: Event, schema: Mapping[str, Any]) -> str:
    if schema.get("type") != "object":
        return ""
    broken = _bridge_event(event, ["not", "an", "object"])
    broken["id"] = "00000000-0000-4000-8000-000000000002"
    return to_json(broken)
