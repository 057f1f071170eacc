"""Contracts: `Plan` -> per service, AsyncAPI 3.0, OpenAPI 3.1 and JSON Schema 2020-12 files.

Under `contracts/<service>/`: `asyncapi.yaml` (the events it publishes and consumes, with
EventBridge routing and CloudEvents attributes), `openapi.yaml` (one operation per monolith
function other services call, and the queries and commands that replace direct data access),
and `events/<Event>.v<N>.schema.json` (each event it publishes). Documents are built as plain
data first, validated (`contract_checks`), then dumped with sorted keys and no timestamps:
same plan, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from decompose.model.contracts import ServiceInterfaces
from decompose.model.plan import Plan
from decompose.render.asyncapi import asyncapi_document
from decompose.render.contract_checks import (
    ContractError,
    asyncapi_problems,
    json_schema_problems,
    openapi_problems,
)
from decompose.render.contract_schemas import (
    EVENTS_FOLDER,
    JSON_SCHEMA,
    EntityNames,
    event_schema,
    event_schema_id,
    event_schema_path,
    field_schema,
)
from decompose.render.openapi import openapi_document

CONTRACTS_FOLDER = "contracts"
ASYNCAPI_FILE = "asyncapi.yaml"
OPENAPI_FILE = "openapi.yaml"

__all__ = [
    "ASYNCAPI_FILE",
    "CONTRACTS_FOLDER",
    "EVENTS_FOLDER",
    "JSON_SCHEMA",
    "OPENAPI_FILE",
    "ContractError",
    "asyncapi_document",
    "contract_files",
    "event_schema",
    "event_schema_id",
    "event_schema_path",
    "field_schema",
    "openapi_document",
    "render_contracts",
]


def render_contracts(plan: Plan) -> dict[str, str]:
    """Every service's contract files, validated: "contracts/<service>/..." -> text."""
    files: dict[str, str] = {}
    for service in sorted(s.name for s in plan.services if not s.is_shared):
        for name, text in contract_files(plan.interfaces, service).items():
            files[f"{CONTRACTS_FOLDER}/{service}/{name}"] = text
    return files


def contract_files(interfaces: ServiceInterfaces, service: str) -> dict[str, str]:
    """One service's contract files, validated: path relative to its folder -> text.

    Raises `ContractError` naming the file when a document is invalid.
    """
    entities = EntityNames(interfaces.ownership)
    files: dict[str, tuple[dict[str, Any], str]] = {
        ASYNCAPI_FILE: (asyncapi_document(interfaces, service), "asyncapi"),
        OPENAPI_FILE: (openapi_document(interfaces, service, entities), "openapi"),
    }
    for event in interfaces.events:
        if event.service == service:
            files[event_schema_path(event)] = (event_schema(event), "json-schema")
    checks = {
        "asyncapi": asyncapi_problems,
        "openapi": openapi_problems,
        "json-schema": json_schema_problems,
    }
    texts = {}
    for name, (doc, kind) in sorted(files.items()):
        problems = checks[kind](doc)
        if problems:
            shown = "; ".join(problems[:3])
            if len(problems) > 3:
                shown += f" (and {len(problems) - 3} more)"
            raise ContractError(
                f"{CONTRACTS_FOLDER}/{service}/{name} is not a valid {kind} document: {shown}. "
                "This is a bug in decompose; please report it with the plan.json"
            )
        texts[name] = _json(doc) if name.endswith(".json") else _yaml(doc)
    return texts


# -- text ----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors or aliases, whatever objects the document shares."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(doc: Mapping[str, Any]) -> str:
    return yaml.dump(
        dict(doc),
        Dumper=_Dumper,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def _json(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
