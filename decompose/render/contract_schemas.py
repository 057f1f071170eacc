"""Schemas shared by the contracts: event payloads, properties, entity components.

`SchemaField`s (from `derive`) become JSON Schema: JSON Schema 2020-12 files for events, the
payloads of AsyncAPI messages and the bodies of OpenAPI operations. Unknown types stay
unknown: the property gets a description saying so and no `type`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from decompose.model.contracts import Event, Ownership, SchemaField

CONTENT_TYPE = "application/json"
DOC_VERSION = "1.0.0"  # of every generated document: the first proposal of each contract
EVENTS_FOLDER = "events"
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
UNKNOWN = "type unknown: the monolith does not say"


def event_schema_id(event: Event) -> str:
    """The stable `$id` of an event's schema: urn:decompose:<service>:events:<Event>:v<N>."""
    return f"urn:decompose:{event.service}:events:{event.name}:v{event.version}"


def event_schema_path(event: Event) -> str:
    """Where an event's schema goes, relative to its publisher's contract folder."""
    return f"{EVENTS_FOLDER}/{event.name}.v{event.version}.schema.json"


def event_schema(event: Event) -> dict[str, Any]:
    """The JSON Schema 2020-12 of an event's payload (its `data`, EventBridge's `detail`)."""
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA,
        "$id": event_schema_id(event),
        **payload_schema(event, None),
    }
    return schema


def payload_schema(event: Event, entities: EntityNames | None) -> dict[str, Any]:
    """An event's payload as an object schema (no `$schema`/`$id`: it may be embedded)."""
    schema: dict[str, Any] = {
        "title": event.name,
        "description": event_description(event),
        "type": "object",
        "properties": {f.name: field_schema(f, entities) for f in event.payload},
    }
    required = sorted(f.name for f in event.payload if f.required)
    if required:
        schema["required"] = required
    if event.entity:
        schema["x-entity"] = event.entity
    return schema


def event_description(event: Event) -> str:
    """What an event is and where the monolith makes it happen, in one or two sentences."""
    where = _functions(event)
    at = f" ({where})" if where else ""
    if event.origin == "task":
        text = (
            f"Command message {event.service} sends to {', '.join(event.consumers)}, which run "
            f"what a Celery task did in the monolith{at}."
        )
    elif event.origin == "signal":
        about = f" about {event.entity.rsplit('.', 1)[-1]}" if event.entity else ""
        text = f"{event.service} publishes it{about} where the monolith sends a signal{at}."
    else:
        changed = event.entity.rsplit(".", 1)[-1] or "its data"
        text = f"{event.service} publishes it when {changed} changes{at}."
    if not event.payload_known:
        text += " The payload is unknown: the signal's arguments are not analysed."
    return text


def _functions(event: Event) -> str:
    names = sorted({t.function or t.module for t in event.triggers})
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def field_schema(f: SchemaField, entities: EntityNames | None) -> dict[str, Any]:
    """One property's schema; an entity object becomes a `$ref` where components exist."""
    if not f.type:
        return {"description": f.description or UNKNOWN}
    if f.type == "object" and f.entity:
        return _entity_schema(f.entity, entities, f.description)
    schema: dict[str, Any] = {"type": f.type}
    if f.format:
        schema["format"] = f.format
    if f.type == "array":
        if f.entity:
            schema["items"] = _entity_schema(f.entity, entities, "")
        elif f.items:
            schema["items"] = {"type": f.items}
        else:
            schema["items"] = {"description": UNKNOWN}
    if f.reference:
        schema["x-references"] = f.reference
    if f.description:
        schema["description"] = f.description
    return schema


def _entity_schema(entity: str, entities: EntityNames | None, note: str) -> dict[str, Any]:
    if entities is not None and entity in entities.names:
        return {"$ref": f"#/components/schemas/{entities.names[entity]}"}
    text = f"a {entity.rsplit('.', 1)[-1]} ({entity})"
    return {"type": "object", "description": f"{text}; {note}" if note else text}


class EntityNames:
    """Component names of the owned entities: class names, qualified where two collide."""

    def __init__(self, ownership: Sequence[Ownership]) -> None:
        self.ownership = {o.entity: o for o in ownership}
        short: dict[str, list[str]] = {}
        for o in ownership:
            short.setdefault(o.entity.rsplit(".", 1)[-1], []).append(o.entity)
        self.names: dict[str, str] = {}
        for name, entities in short.items():
            for entity in entities:
                qualified = entity.replace(".", "_") if len(entities) > 1 else name
                self.names[entity] = qualified
