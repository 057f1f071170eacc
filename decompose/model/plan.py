"""The saved plan: the single source every other output is rendered from.

Format history (bump FORMAT_VERSION on every change a reader could notice):
- 1: modules, services with dependencies, shared kernel, couplings, weights and seed,
  failures, statistics.
- 2: `module_graph`: every module's lines and the structural edges between modules (calls,
  imports, inheritance), for the dependency matrix and the module graph of the report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from decompose.model.source import Failure

FORMAT_VERSION = 2
SHARED_SERVICE = "shared"


@dataclass(frozen=True, slots=True, order=True)
class ServiceDependency:
    """Calls and imports from one service's code into another's."""

    target: str
    calls: int
    imports: int

    @property
    def count(self) -> int:
        """Calls and imports together."""
        return self.calls + self.imports


@dataclass(frozen=True, slots=True)
class Service:
    """A proposed service (or the shared kernel library)."""

    name: str
    modules: tuple[str, ...]
    lines: int
    terms: tuple[str, ...]  # the vocabulary the name was chosen from, strongest first
    classes: tuple[str, ...]  # the main classes defined in the service, largest first
    dependencies: tuple[ServiceDependency, ...]
    is_shared: bool = False


@dataclass(frozen=True, slots=True, order=True)
class Coupling:
    """One module-to-module dependency that crosses a service boundary."""

    source_module: str
    target_module: str
    source_service: str
    target_service: str
    calls: int
    imports: int


@dataclass(frozen=True, slots=True, order=True)
class ModuleEdge:
    """Structural dependencies of one module on another, whatever their services."""

    source: str
    target: str
    calls: int
    imports: int
    inheritance: int


@dataclass(frozen=True, slots=True, order=True)
class SharedReason:
    """Why a module went to the shared kernel."""

    module: str
    reason: str


@dataclass(frozen=True, slots=True)
class Statistics:
    """Size of the analysed code and quality of the facts."""

    files: int
    modules: int
    lines: int
    definitions: int
    calls_internal: int
    calls_builtin: int
    calls_external: int
    calls_unresolved: int
    modularity: float

    @property
    def resolution_rate(self) -> float:
        """Share of call sites resolved to something named."""
        total = self.calls_internal + self.calls_builtin + self.calls_external
        total += self.calls_unresolved
        return 1.0 if total == 0 else 1.0 - self.calls_unresolved / total


@dataclass(frozen=True, slots=True)
class Plan:
    """A proposed decomposition of one code base."""

    target: str
    tool_version: str
    seed: int
    weights: tuple[tuple[str, float], ...]
    algorithm: str
    services: tuple[Service, ...]
    modules: tuple[tuple[str, str], ...]  # module -> service name, sorted by module
    shared: tuple[SharedReason, ...]
    couplings: tuple[Coupling, ...]
    failures: tuple[Failure, ...]
    statistics: Statistics
    module_lines: tuple[tuple[str, int], ...] = ()  # sorted by module
    module_edges: tuple[ModuleEdge, ...] = ()  # sorted
    format_version: int = FORMAT_VERSION

    def service_of(self) -> dict[str, str]:
        """Module -> service name."""
        return dict(self.modules)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data."""
    return {
        "format_version": plan.format_version,
        "tool_version": plan.tool_version,
        "target": plan.target,
        "seed": plan.seed,
        "weights": dict(plan.weights),
        "algorithm": plan.algorithm,
        "modules": dict(plan.modules),
        "services": [_service_to_dict(s) for s in plan.services],
        "shared_kernel": [{"module": s.module, "reason": s.reason} for s in plan.shared],
        "couplings": [
            {
                "source_module": c.source_module,
                "target_module": c.target_module,
                "source_service": c.source_service,
                "target_service": c.target_service,
                "calls": c.calls,
                "imports": c.imports,
            }
            for c in plan.couplings
        ],
        "failures": [
            {"path": f.path, "line": f.line, "reason": f.reason, "stage": f.stage}
            for f in plan.failures
        ],
        "module_graph": {
            "lines": dict(plan.module_lines),
            "edges": [
                [e.source, e.target, e.calls, e.imports, e.inheritance] for e in plan.module_edges
            ],
        },
        "statistics": {
            "files": plan.statistics.files,
            "modules": plan.statistics.modules,
            "lines": plan.statistics.lines,
            "definitions": plan.statistics.definitions,
            "calls": {
                "internal": plan.statistics.calls_internal,
                "builtin": plan.statistics.calls_builtin,
                "external": plan.statistics.calls_external,
                "unresolved": plan.statistics.calls_unresolved,
                "resolution_rate": round(plan.statistics.resolution_rate, 4),
            },
            "modularity": round(plan.statistics.modularity, 4),
        },
    }


def _service_to_dict(service: Service) -> dict[str, Any]:
    return {
        "name": service.name,
        "modules": list(service.modules),
        "lines": service.lines,
        "terms": list(service.terms),
        "classes": list(service.classes),
        "is_shared": service.is_shared,
        "dependencies": [
            {"service": d.target, "calls": d.calls, "imports": d.imports}
            for d in service.dependencies
        ],
    }


def plan_to_json(plan: Plan) -> str:
    """The plan as JSON text: sorted keys, two-space indent, final newline."""
    return json.dumps(plan_to_dict(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class PlanFormatError(ValueError):
    """The text is not a plan this version can read."""


def plan_from_json(text: str) -> Plan:
    """Read a plan written by `plan_to_json`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or "format_version" not in data:
        raise PlanFormatError("no format_version: not a decompose plan")
    if data["format_version"] != FORMAT_VERSION:
        raise PlanFormatError(
            f"format_version {data['format_version']} is not supported (expected {FORMAT_VERSION})"
        )
    try:
        return _plan_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFormatError(f"malformed plan: {exc!r}") from exc


def _plan_from_dict(data: Mapping[str, Any]) -> Plan:
    stats = data["statistics"]
    calls = stats["calls"]
    return Plan(
        format_version=int(data["format_version"]),
        tool_version=str(data["tool_version"]),
        target=str(data["target"]),
        seed=int(data["seed"]),
        weights=tuple(sorted((str(k), float(v)) for k, v in data["weights"].items())),
        algorithm=str(data["algorithm"]),
        modules=tuple(sorted((str(k), str(v)) for k, v in data["modules"].items())),
        services=tuple(
            Service(
                name=s["name"],
                modules=tuple(s["modules"]),
                lines=int(s["lines"]),
                terms=tuple(s["terms"]),
                classes=tuple(s["classes"]),
                is_shared=bool(s["is_shared"]),
                dependencies=tuple(
                    ServiceDependency(d["service"], int(d["calls"]), int(d["imports"]))
                    for d in s["dependencies"]
                ),
            )
            for s in data["services"]
        ),
        shared=tuple(SharedReason(s["module"], s["reason"]) for s in data["shared_kernel"]),
        couplings=tuple(
            Coupling(
                c["source_module"],
                c["target_module"],
                c["source_service"],
                c["target_service"],
                int(c["calls"]),
                int(c["imports"]),
            )
            for c in data["couplings"]
        ),
        failures=tuple(
            Failure(f["path"], int(f["line"]), f["reason"], f.get("stage", "parse"))
            for f in data["failures"]
        ),
        module_lines=tuple(
            sorted((str(m), int(n)) for m, n in data["module_graph"]["lines"].items())
        ),
        module_edges=tuple(
            ModuleEdge(str(s), str(t), int(c), int(i), int(h))
            for s, t, c, i, h in data["module_graph"]["edges"]
        ),
        statistics=Statistics(
            files=int(stats["files"]),
            modules=int(stats["modules"]),
            lines=int(stats["lines"]),
            definitions=int(stats["definitions"]),
            calls_internal=int(calls["internal"]),
            calls_builtin=int(calls["builtin"]),
            calls_external=int(calls["external"]),
            calls_unresolved=int(calls["unresolved"]),
            modularity=float(stats["modularity"]),
        ),
    )
