"""Validation of every contract before it is written: an invalid contract is a bug, never output.

- AsyncAPI 3.0: the official JSON Schema (vendored in `decompose/schemas/`, Draft 7), plus what
  a JSON Schema cannot see: every `$ref` resolves, every operation points at a root channel,
  its messages are among that channel's, and channel addresses and message names are unique.
- OpenAPI 3.1: openapi-spec-validator (which also checks operation ids are unique and every
  path parameter is declared), after the same `$ref` check.
- JSON Schema 2020-12: the event schemas against the 2020-12 metaschema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import referencing.exceptions
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from decompose.errors import DecomposeError

ASYNCAPI_SCHEMA = "asyncapi-3.0.0.json"


class ContractError(DecomposeError):
    """A contract decompose produced is invalid: a bug in decompose, reported with the file."""

    slug = "internal"
    exit_code = 70  # EX_SOFTWARE: neither the user's input nor a finding


@cache
def asyncapi_schema() -> dict[str, Any]:
    """The vendored official AsyncAPI 3.0.0 JSON Schema."""
    text = resources.files("decompose").joinpath("schemas", ASYNCAPI_SCHEMA).read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


@cache
def _asyncapi_validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(asyncapi_schema())


def asyncapi_problems(doc: Mapping[str, Any]) -> list[str]:
    """What is wrong with an AsyncAPI 3.0 document (empty when it is valid)."""
    problems = [
        f"{_where(e.absolute_path)}: {e.message}"
        for e in sorted(_asyncapi_validator().iter_errors(doc), key=lambda e: list(e.path))
    ]
    problems += unresolved_refs(doc)
    channels = doc.get("channels", {})
    for key, op in sorted(doc.get("operations", {}).items()):
        ref = op.get("channel", {}).get("$ref", "")
        channel = ref.removeprefix("#/channels/")
        if not ref.startswith("#/channels/") or "/" in channel or channel not in channels:
            problems.append(f"operations.{key}: channel {ref!r} is no channel of the document")
            continue
        allowed = set(channels[channel].get("messages", {}))
        for message in op.get("messages", []):
            mref = message.get("$ref", "")
            prefix = f"#/channels/{channel}/messages/"
            if not mref.startswith(prefix) or mref.removeprefix(prefix) not in allowed:
                problems.append(f"operations.{key}: message {mref!r} is not one of its channel's")
    addresses = [c.get("address") for c in channels.values() if c.get("address")]
    for address in sorted({a for a in addresses if addresses.count(a) > 1}):
        problems.append(f"channels: address {address!r} is used twice")
    # EventBridge routes on (source, detail-type): two messages with the same pair collide
    routes = [
        (m.get("x-eventbridge", {}).get("source"), m.get("x-eventbridge", {}).get("detail-type"))
        for m in doc.get("components", {}).get("messages", {}).values()
    ]
    for source, kind in sorted({r for r in routes if routes.count(r) > 1}, key=str):
        problems.append(f"components.messages: {source}/{kind} is defined twice")
    return problems


def openapi_problems(doc: Mapping[str, Any]) -> list[str]:
    """What is wrong with an OpenAPI 3.1 document (empty when it is valid)."""
    problems = unresolved_refs(doc)
    if problems:
        return problems
    try:
        errors = list(OpenAPIV31SpecValidator(dict(doc)).iter_errors())
    except (OpenAPIValidationError, referencing.exceptions.Unresolvable) as exc:
        return [str(exc).splitlines()[0]]
    return [str(e.message if hasattr(e, "message") else e).splitlines()[0] for e in errors]


def json_schema_problems(schema: Mapping[str, Any]) -> list[str]:
    """What is wrong with a JSON Schema 2020-12 document (empty when it is valid)."""
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return [f"{_where(exc.absolute_path)}: {exc.message}"]
    return unresolved_refs(schema)


def unresolved_refs(doc: Mapping[str, Any]) -> list[str]:
    """Every local `$ref` ("#/...") that points nowhere; other refs are not allowed here."""
    problems = []
    for path, ref in _refs(doc, ()):
        if not ref.startswith("#"):
            problems.append(f"{_where(path)}: $ref {ref!r} leaves the document")
        elif _pointer(doc, ref[1:]) is _MISSING:
            problems.append(f"{_where(path)}: $ref {ref!r} does not resolve")
    return problems


_MISSING = object()


def _refs(node: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            else:
                yield from _refs(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _refs(value, (*path, i))


def _pointer(doc: object, pointer: str) -> object:
    node = doc
    if not pointer:
        return node
    if not pointer.startswith("/"):
        return _MISSING
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) or "(root)"
