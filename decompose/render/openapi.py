"""OpenAPI 3.1: the synchronous operations other services call on one service.

One operation per monolith function called across the boundary, plus the queries and commands
replacing direct access to the service's data; entities returned whole become components.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from decompose.model.contracts import DependencyKind, Operation, SchemaField, ServiceInterfaces
from decompose.render.contract_schemas import CONTENT_TYPE, DOC_VERSION, EntityNames, field_schema


def openapi_document(
    interfaces: ServiceInterfaces, service: str, entities: EntityNames | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the operations other services call on one service."""
    entities = entities or EntityNames(interfaces.ownership)
    paths: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    for op in interfaces.operations:
        if op.service == service:
            paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, entities, used)
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": f"{service} API",
            "version": DOC_VERSION,
            "description": (
                f"Synchronous operations other services call on {service}, proposed by "
                "decompose from the monolith's code: one per function called across the "
                "boundary, plus queries and commands replacing direct access to its data."
            ),
        },
        "paths": paths,
    }
    schemas = _component_schemas(sorted(used), entities)
    if schemas:
        doc["components"] = {"schemas": schemas}
    return doc


def _operation(op: Operation, entities: EntityNames, used: set[str]) -> dict[str, Any]:
    def schema(f: SchemaField) -> dict[str, Any]:
        _note_entities(f, used)
        return field_schema(f, entities)

    body: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary or op.operation_id,
        "description": _operation_description(op),
        "tags": [op.service],
        "x-kind": str(op.kind),
        "x-origin": op.origin,
        "x-consumers": list(op.consumers),
        "x-callers": [f"{c.module}:{c.line} ({c.function or 'module level'})" for c in op.callers],
    }
    if op.function:
        body["x-monolith-function"] = op.function
    in_path = [part[1:-1] for part in op.path.split("/") if part.startswith("{")]
    if op.method == "GET" and op.parameters:
        body["parameters"] = [
            {
                "name": p.name,
                "in": "path" if p.name in in_path else "query",
                "required": p.name in in_path or p.required,
                "schema": schema(p),
            }
            for p in op.parameters
        ]
    elif op.parameters:
        body["requestBody"] = {
            "required": True,
            "content": {CONTENT_TYPE: {"schema": _object(op.parameters, schema)}},
        }
    body["responses"] = _responses(op, schema)
    return body


def _object(fields: Sequence[SchemaField], schema: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: schema(f) for f in fields},
    }
    required = sorted(f.name for f in fields if f.required)
    if required:
        result["required"] = required
    return result


def _responses(op: Operation, schema: Any) -> dict[str, Any]:
    if not op.result_used:
        return {"204": {"description": "Done. No caller in the monolith uses a result."}}
    if not op.response_known:
        unknown = {"schema": {"description": "unknown: the function's return has no annotation"}}
        return {
            "200": {
                "description": "What the monolith function returns (type unknown).",
                "content": {CONTENT_TYPE: unknown},
            }
        }
    if not op.response:
        return {"204": {"description": "Done; the function returns nothing."}}
    return {
        "200": {
            "description": "What the monolith function returns.",
            "content": {CONTENT_TYPE: {"schema": _object(op.response, schema)}},
        }
    }


def _operation_description(op: Operation) -> str:
    kind = "Query" if op.kind is DependencyKind.QUERY else "Command"
    parts = [f"{kind} for {', '.join(op.consumers)}."]
    if op.function and op.origin == "call":
        parts.append(f"Stands for `{op.function}` in the monolith.")
    unknown = [p.name for p in op.parameters if not p.type]
    if unknown:
        parts.append(f"Types unknown (not annotated): {', '.join(unknown)}.")
    return " ".join(parts)


def _note_entities(f: SchemaField, used: set[str]) -> None:
    if f.entity:
        used.add(f.entity)


def _component_schemas(used: Sequence[str], entities: EntityNames) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for entity in used:
        if entity not in entities.names:
            continue
        record = entities.ownership[entity]
        schema: dict[str, Any] = {
            "type": "object",
            "description": f"{entity}, owned by {record.owner}",
            "properties": {f.name: field_schema(f, entities) for f in record.fields},
        }
        required = sorted(f.name for f in record.fields if f.required)
        if required:
            schema["required"] = required
        schemas[entities.names[entity]] = schema
    return schemas
