"""The contracts inside a starter repository, from the contracts renderer.

`contracts/` of each repository holds what `decompose.render.contracts` writes for that
service (validated there), and each function carries a copy of the JSON Schemas it validates
with, made by the same code, so the handlers check exactly what the contracts say.
"""

from __future__ import annotations

from typing import Any

from decompose.model.contracts import Event, SchemaField, ServiceInterfaces
from decompose.render import contracts as renderer
from decompose.render.scaffold.names import snake

JSON_SCHEMA = renderer.JSON_SCHEMA


def event_schema(event: Event) -> dict[str, Any]:
    """The JSON Schema of an event's payload (its `detail` on EventBridge)."""
    return renderer.event_schema(event)


def field_schema(field: SchemaField) -> dict[str, Any]:
    """The JSON Schema of one field of a request, as the OpenAPI document has it."""
    return renderer.field_schema(field, None)


def event_contract(event: Event) -> str:
    """Where the JSON Schema of an event the service publishes is, under `contracts/`."""
    return _safe_path(renderer.event_schema_path(event))


def contract_files(interfaces: ServiceInterfaces, service: str) -> dict[str, str]:
    """Path under `contracts/` -> text, for one service.

    Paths are made of names from the code (event names): a segment that is not a plain file
    name is replaced by a safe one, so no contract can land outside `contracts/`.
    """
    return {
        _safe_path(path): text
        for path, text in renderer.contract_files(interfaces, service).items()
    }


def _safe_path(path: str) -> str:
    parts = path.split("/")
    return "/".join(part if _plain(part) else _safe_name(part) for part in parts)


def _plain(part: str) -> bool:
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    return bool(part) and part not in (".", "..") and set(part) <= allowed and len(part) < 100


def _safe_name(part: str) -> str:
    stem, dot, suffix = part.partition(".")
    tail = "." + suffix if dot and _plain(suffix) else ""
    return snake(stem, "contract") + tail
