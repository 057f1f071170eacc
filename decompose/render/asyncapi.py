"""AsyncAPI 3.0: the events one service publishes (send) and consumes (receive).

One channel per event, keyed "<publisher>.<Event>", its message carrying the EventBridge
routing (`x-eventbridge`: source = publisher, detail-type = event), the CloudEvents context
attributes as headers, and the payload schema as a component.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from decompose.model.contracts import Event, ServiceInterfaces
from decompose.render.contract_schemas import (
    CONTENT_TYPE,
    DOC_VERSION,
    event_description,
    event_schema_id,
    payload_schema,
)

_UNSAFE = re.compile(r"[^\w.\-]")


def asyncapi_document(interfaces: ServiceInterfaces, service: str) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the events one service publishes and consumes."""
    published = [e for e in interfaces.events if e.service == service]
    consumed = [e for e in interfaces.events if service in e.consumers and e.service != service]
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    receive_names = _receive_names(consumed)
    for event in [*published, *consumed]:
        key = _key(event)
        channels[key] = {
            "address": f"{event.service}.{event.name}.v{event.version}",
            "title": event.name,
            "description": event_description(event),
            "messages": {event.name: {"$ref": f"#/components/messages/{key}"}},
        }
        messages[key] = _message(event, key)
        schemas[key] = payload_schema(event, None)
        mine = event.service == service
        op_id = f"publish{event.name}" if mine else receive_names[key]
        operations[op_id] = {
            "action": "send" if mine else "receive",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{event.name}"}],
            "summary": _operation_summary(event, mine),
        }
    doc: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"{service} events",
            "version": DOC_VERSION,
            "description": (
                f"Events {service} publishes and consumes, proposed by decompose from the "
                "monolith's code. Messages travel on Amazon EventBridge (x-eventbridge: source "
                "and detail-type) as CloudEvents 1.0 (the headers)."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
    }
    if messages:
        doc["components"] = {"messages": messages, "schemas": schemas}
    return doc


def _key(event: Event) -> str:
    """Channel, message and schema id of an event: "<publisher>.<Event>", safe as a key."""
    return _UNSAFE.sub("-", f"{event.service}.{event.name}")


def _receive_names(consumed: Sequence[Event]) -> dict[str, str]:
    counts: dict[str, int] = {}
    for e in consumed:
        counts[e.name] = counts.get(e.name, 0) + 1
    names = {}
    for e in consumed:
        publisher = "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", e.service))
        names[_key(e)] = (
            f"receive{e.name}" if counts[e.name] == 1 else f"receive{publisher}{e.name}"
        )
    return names


def _message(event: Event, key: str) -> dict[str, Any]:
    return {
        "name": event.name,
        "title": event.name,
        "summary": event_description(event),
        "contentType": CONTENT_TYPE,
        "headers": _cloudevents(event),
        "payload": {"$ref": f"#/components/schemas/{key}"},
        "x-eventbridge": {"source": event.service, "detail-type": event.name},
    }


def _cloudevents(event: Event) -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "CloudEvents 1.0 context attributes (ce- prefixed headers in binary mode; on "
            "EventBridge, id and source are the event's own and type is its detail-type)"
        ),
        "required": ["id", "source", "specversion", "type"],
        "properties": {
            "id": {"type": "string", "description": "unique per event; consumers deduplicate"},
            "source": {"type": "string", "const": event.service},
            "specversion": {"type": "string", "const": "1.0"},
            "type": {"type": "string", "const": event.name},
            "dataschema": {"type": "string", "const": event_schema_id(event)},
            "datacontenttype": {"type": "string", "const": CONTENT_TYPE},
            "time": {"type": "string", "format": "date-time"},
        },
    }


def _operation_summary(event: Event, mine: bool) -> str:
    if mine:
        where = ", ".join(f"{t.function or t.module}:{t.line}" for t in event.triggers[:3])
        more = f" and {len(event.triggers) - 3} more" if len(event.triggers) > 3 else ""
        return f"Sent where the monolith changes it: {where}{more}" if where else "Sent"
    return f"Received from {event.service}"
