"""The saved plan: the single source every other output is rendered from.

Format history (bump FORMAT_VERSION on every change a reader could notice):
- 1: modules, services with dependencies, shared kernel, couplings, weights and seed,
  failures, statistics.
- 2: `module_graph`: every module's lines and the structural edges between modules (calls,
  imports, inheritance), for the dependency matrix and the module graph of the report.
- 3: `metrics` (the chosen partition's quality, the trade-off frontier by number of services,
  the selection criterion, the transactions figure with its reason, the constraints and their
  cost), `services[].stability`, `splits` (modules split at symbol level), `explanations`
  (per module: strongest edges to its service, strongest pull elsewhere), `notes` (signals
  skipped and why).
- 4: `interfaces`: entity ownership (owner, readers, writers, fields), every cross-service
  dependency classified (query, command, event, read model, violation) with its source
  locations, the services' operations and events, cycles of synchronous dependencies with
  their fixes, sagas with compensations, and the migration order.
  Additive, still 4 (readers default it to zero): `statistics.dynamic`, code loaded or run by
  a name computed at run time, followed to analysed code or not (the report warns).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from decompose.model.clustering import ConstraintReport, FrontierPoint, Metrics, Pull
from decompose.model.contracts import ServiceInterfaces
from decompose.model.contracts_json import interfaces_from_dict, interfaces_to_dict
from decompose.model.source import Failure

FORMAT_VERSION = 4
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
    stability: float | None = None  # share of runs keeping its modules together; None: shared


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
class Split:
    """A module whose symbols belong to different services: which symbols go where."""

    module: str
    service: str  # where the module itself stays
    stays: tuple[str, ...]
    moves: tuple[tuple[str, tuple[str, ...]], ...]  # service -> symbols moving there


@dataclass(frozen=True, slots=True)
class ModuleExplanation:
    """What binds a module to its service and what pulls it towards another one."""

    module: str
    service: str
    bind_weight: float
    binds: tuple[Pull, ...]  # strongest edges to modules of its own service
    rival: str | None  # the other service pulling hardest, if any
    rival_weight: float
    pulls: tuple[Pull, ...]  # strongest edges to the rival


@dataclass(frozen=True, slots=True)
class PlanMetrics:
    """Quality of the chosen partition, the frontier it was chosen from, and the constraints."""

    chosen: Metrics
    frontier: tuple[FrontierPoint, ...]
    selection: str  # the criterion that chose, in words
    transactions_note: str  # why `transactions_kept` is what it is
    constraints: ConstraintReport | None = None


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
    # dynamic loading or execution (get_model, import_string, import_module, eval, exec...):
    # sites followed to analysed code, and sites the analysis could not follow
    dynamic_followed: int = 0
    dynamic_unfollowed: int = 0

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
    metrics: PlanMetrics | None = None
    splits: tuple[Split, ...] = ()  # sorted by module
    explanations: tuple[ModuleExplanation, ...] = ()  # sorted by module
    notes: tuple[str, ...] = ()
    interfaces: ServiceInterfaces = ServiceInterfaces()
    format_version: int = FORMAT_VERSION

    def explanation_of(self, module: str) -> ModuleExplanation | None:
        """The explanation of one module, if the plan has it."""
        return next((e for e in self.explanations if e.module == module), None)

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
            "dynamic": {
                "followed": plan.statistics.dynamic_followed,
                "unfollowed": plan.statistics.dynamic_unfollowed,
            },
        },
        "metrics": None if plan.metrics is None else _plan_metrics_to_dict(plan.metrics),
        "splits": [
            {
                "module": s.module,
                "service": s.service,
                "stays": list(s.stays),
                "moves": {service: list(symbols) for service, symbols in s.moves},
            }
            for s in plan.splits
        ],
        "explanations": {e.module: _explanation_to_dict(e) for e in plan.explanations},
        "notes": list(plan.notes),
        "interfaces": interfaces_to_dict(plan.interfaces),
    }


def _metrics_to_dict(m: Metrics) -> dict[str, Any]:
    return {
        "services": m.services,
        "modularity": round(m.modularity, 4),
        "structural_modularity": round(m.structural_modularity, 4),
        "turbomq": round(m.turbomq, 4),
        "icp": round(m.icp, 4),
        "ifn": round(m.ifn, 4),
        "ned": round(m.ned, 4),
        "transactions_kept": None if m.transactions_kept is None else round(m.transactions_kept, 4),
    }


def _plan_metrics_to_dict(m: PlanMetrics) -> dict[str, Any]:
    constraints = m.constraints
    return {
        "chosen": _metrics_to_dict(m.chosen),
        "frontier": [{**_metrics_to_dict(p.metrics), "chosen": p.chosen} for p in m.frontier],
        "selection": m.selection,
        "transactions_note": m.transactions_note,
        "constraints": None
        if constraints is None
        else {
            "pins": dict(constraints.pins),
            "must_link": [list(p) for p in constraints.must_link],
            "cannot_link": [list(p) for p in constraints.cannot_link],
            "unconstrained": _metrics_to_dict(constraints.unconstrained),
            "moved": constraints.moved,
        },
    }


def _pull_to_dict(p: Pull) -> dict[str, Any]:
    return {"module": p.module, "weight": round(p.weight, 4), "signals": dict(p.signals)}


def _explanation_to_dict(e: ModuleExplanation) -> dict[str, Any]:
    return {
        "service": e.service,
        "bind_weight": round(e.bind_weight, 4),
        "binds": [_pull_to_dict(p) for p in e.binds],
        "rival": e.rival,
        "rival_weight": round(e.rival_weight, 4),
        "pulls": [_pull_to_dict(p) for p in e.pulls],
    }


def _service_to_dict(service: Service) -> dict[str, Any]:
    return {
        "name": service.name,
        "modules": list(service.modules),
        "lines": service.lines,
        "terms": list(service.terms),
        "classes": list(service.classes),
        "is_shared": service.is_shared,
        "stability": None if service.stability is None else round(service.stability, 4),
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
                stability=None if s["stability"] is None else float(s["stability"]),
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
            dynamic_followed=int(stats.get("dynamic", {}).get("followed", 0)),
            dynamic_unfollowed=int(stats.get("dynamic", {}).get("unfollowed", 0)),
        ),
        metrics=None if data["metrics"] is None else _plan_metrics_from_dict(data["metrics"]),
        splits=tuple(
            Split(
                str(s["module"]),
                str(s["service"]),
                tuple(s["stays"]),
                tuple((str(k), tuple(v)) for k, v in sorted(s["moves"].items())),
            )
            for s in data["splits"]
        ),
        explanations=tuple(
            _explanation_from_dict(m, e) for m, e in sorted(data["explanations"].items())
        ),
        notes=tuple(str(n) for n in data["notes"]),
        interfaces=interfaces_from_dict(data["interfaces"]),
    )


def _metrics_from_dict(d: Mapping[str, Any]) -> Metrics:
    kept = d["transactions_kept"]
    return Metrics(
        services=int(d["services"]),
        modularity=float(d["modularity"]),
        structural_modularity=float(d["structural_modularity"]),
        turbomq=float(d["turbomq"]),
        icp=float(d["icp"]),
        ifn=float(d["ifn"]),
        ned=float(d["ned"]),
        transactions_kept=None if kept is None else float(kept),
    )


def _plan_metrics_from_dict(d: Mapping[str, Any]) -> PlanMetrics:
    c = d["constraints"]
    return PlanMetrics(
        chosen=_metrics_from_dict(d["chosen"]),
        frontier=tuple(
            FrontierPoint(_metrics_from_dict(p), bool(p["chosen"])) for p in d["frontier"]
        ),
        selection=str(d["selection"]),
        transactions_note=str(d["transactions_note"]),
        constraints=None
        if c is None
        else ConstraintReport(
            pins=tuple(sorted((str(k), str(v)) for k, v in c["pins"].items())),
            must_link=tuple((str(a), str(b)) for a, b in c["must_link"]),
            cannot_link=tuple((str(a), str(b)) for a, b in c["cannot_link"]),
            unconstrained=_metrics_from_dict(c["unconstrained"]),
            moved=int(c["moved"]),
        ),
    )


def _pull_from_dict(d: Mapping[str, Any]) -> Pull:
    signals = tuple(sorted((str(k), float(v)) for k, v in d["signals"].items()))
    return Pull(str(d["module"]), float(d["weight"]), signals)


def _explanation_from_dict(module: str, d: Mapping[str, Any]) -> ModuleExplanation:
    return ModuleExplanation(
        module=module,
        service=str(d["service"]),
        bind_weight=float(d["bind_weight"]),
        binds=tuple(_pull_from_dict(p) for p in d["binds"]),
        rival=None if d["rival"] is None else str(d["rival"]),
        rival_weight=float(d["rival_weight"]),
        pulls=tuple(_pull_from_dict(p) for p in d["pulls"]),
    )
