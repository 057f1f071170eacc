"""Request schemas of operations, and example values that satisfy a JSON Schema.

The examples feed the sample events under `events/` (for `sam local invoke` and the generated
tests) and the placeholder payloads of the domain-logic stubs, so that a fresh repository's
handlers run end to end before any code has moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from decompose.model.contracts import Operation
from decompose.render.scaffold.contracts import JSON_SCHEMA, field_schema

_FORMAT_EXAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "email": "someone@example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com/",
    "decimal": "1.00",
}
_TYPE_EXAMPLES: Mapping[str, Any] = {
    "integer": 1,
    "number": 1,
    "boolean": True,
    "object": {},
    "array": [],
    "null": None,
}


def path_parameters(path: str) -> tuple[str, ...]:
    """The names between braces in an OpenAPI path, in order."""
    return tuple(part[1:-1] for part in path.split("/") if part.startswith("{"))


def request_schema(op: Operation) -> dict[str, Any]:
    """The JSON Schema of an operation's request: path, query or body parameters in one object."""
    in_path = set(path_parameters(op.path))
    fields = {f.name: f for f in op.parameters}
    properties = {name: field_schema(field) for name, field in sorted(fields.items())}
    for name in sorted(in_path - set(fields)):
        properties[name] = {"type": "string"}
    required = sorted({f.name for f in op.parameters if f.required} | in_path)
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA,
        "title": f"{op.operation_id} request",
        "type": "object",
        "properties": properties,
    }
    if required:
        schema["required"] = required
    return schema


def example(schema: Mapping[str, Any], name: str = "value") -> Any:
    """A value valid against `schema` (the common keywords; `$ref`s are not followed)."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("examples"):
        return schema["examples"][0]
    for combined in ("oneOf", "anyOf", "allOf"):
        if schema.get(combined):
            return example(schema[combined][0], name)
    kind = _type_of(schema)
    if kind == "object" or (not kind and "properties" in schema):
        return _object_example(schema)
    if kind == "array":
        items = schema.get("items")
        minimum = int(schema.get("minItems", 0))
        return [example(items, name) for _ in range(max(minimum, 1))] if items else []
    if kind == "string" or not kind:
        return _string_example(schema, name)
    if kind in ("integer", "number"):
        return max(1, int(schema.get("minimum", 1)))
    return _TYPE_EXAMPLES.get(kind, f"example-{name}")


def _type_of(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return str(kinds[0]) if kinds else "null"
    return str(kind)


def _object_example(schema: Mapping[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    return {key: example(value, key) for key, value in sorted(properties.items())}


def _string_example(schema: Mapping[str, Any], name: str) -> str:
    text = _FORMAT_EXAMPLES.get(str(schema.get("format", "")), f"example-{name}")
    minimum = int(schema.get("minLength", 0))
    maximum = int(schema.get("maxLength", len(text)))
    return text.ljust(minimum, "x")[: max(maximum, minimum)]
