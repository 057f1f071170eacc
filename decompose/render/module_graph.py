"""The module graph and search data: `Plan` -> the JSON the report's script draws and searches.

Positions come from `layout`, computed here once; the script only pans, zooms and picks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from decompose.model.plan import Plan, Service
from decompose.render.explain import Explanation, Tie, edge_weights, explain_modules
from decompose.render.format import format_counts, format_int, plural
from decompose.render.layout import Disc, layout
from decompose.render.links import ServiceLink, link_for, ordered_services
from decompose.render.splits import qualified

# Past this many modules the graph opens on the service-level view.
AGGREGATE_LIMIT = 300
# Candidates to move the graph's panel lists before anything is picked.
MOVER_LIMIT = 10


def build_graph_data(plan: Plan, links: Mapping[str, ServiceLink]) -> dict[str, Any]:
    """Everything the report's script needs: services, modules, edges, explanations, symbols."""
    services = [s for s in ordered_services(plan.services) if s.modules]
    lines = dict(plan.module_lines)
    service_index = {s.name: i for i, s in enumerate(services)}
    modules = sorted(m for s in services for m in s.modules)
    module_index = {m: i for i, m in enumerate(modules)}
    strength = _strengths(plan, module_index)
    positions, discs = layout(services, strength)
    explanations = explain_modules(plan)
    return {
        "aggregate": len(modules) > AGGREGATE_LIMIT,
        "services": [_service_data(s, links, discs[s.name]) for s in services],
        "modules": _module_data(modules, services, service_index, positions, lines, explanations),
        "edges": [
            [module_index[s], module_index[t], round(w, 2)]
            for (s, t), w in sorted(strength.items())
            if w > 0
        ],
        "serviceEdges": _service_edges(plan, service_index),
        "symbols": _symbols(plan, module_index),
        "movers": _movers(explanations, module_index),
    }


def _strengths(plan: Plan, index: Mapping[str, int]) -> dict[tuple[str, str], float]:
    w_call, w_import, w_base = edge_weights(plan)
    return {
        (e.source, e.target): e.calls * w_call + e.imports * w_import + e.inheritance * w_base
        for e in plan.module_edges
        if e.source in index and e.target in index and e.source != e.target
    }


def _service_data(service: Service, links: Mapping[str, ServiceLink], disc: Disc) -> dict[str, Any]:
    link = link_for(service.name, links)
    return {
        "name": service.name,
        "anchor": link.anchor,
        "colour": link.colour,
        "tint": link.tint,
        "shared": service.is_shared,
        "meta": f"{plural(len(service.modules), 'module')} · {format_int(service.lines)} lines",
        "x": round(disc.x, 1),
        "y": round(disc.y, 1),
        "r": round(disc.radius, 1),
    }


def _module_data(
    modules: Sequence[str],
    services: Sequence[Service],
    service_index: Mapping[str, int],
    positions: Mapping[str, tuple[float, float]],
    lines: Mapping[str, int],
    explanations: Mapping[str, Explanation],
) -> list[dict[str, Any]]:
    owner = {m: s.name for s in services for m in s.modules}
    rows = []
    for m in modules:
        x, y = positions[m]
        size = lines.get(m, 0)
        rows.append(
            {
                "name": m,
                "service": service_index[owner[m]],
                "lines": format_int(size),
                "x": round(x, 1),
                "y": round(y, 1),
                "r": round(min(9.0, 3.0 + math.sqrt(size) / 5), 1),
                "why": _explanation_data(explanations.get(m), service_index),
            }
        )
    return rows


def _explanation_data(
    explanation: Explanation | None, service_index: Mapping[str, int]
) -> dict[str, Any]:
    if explanation is None:
        return {"summary": "", "own": [], "ownTitle": "", "pull": None}
    pull = explanation.pull
    own_title = f"Strongest ties in {explanation.service}"
    if explanation.own_amount:
        own_title += f" ({explanation.own_amount})"
    return {
        "summary": explanation.summary,
        "ownTitle": own_title,
        "own": [_tie_data(t) for t in explanation.own],
        "pull": None
        if pull is None
        else {
            "service": service_index.get(pull.service, -1),
            "name": pull.service,
            "title": f"Strongest pull elsewhere: {pull.service} ({pull.amount})",
            "ties": [_tie_data(t) for t in pull.ties],
        },
    }


def _tie_data(tie: Tie) -> list[str]:
    return [tie.module, tie.how]


def _service_edges(plan: Plan, service_index: Mapping[str, int]) -> list[list[Any]]:
    rows = []
    for service in plan.services:
        for dep in service.dependencies:
            if service.name in service_index and dep.target in service_index and dep.count:
                rows.append(
                    [
                        service_index[service.name],
                        service_index[dep.target],
                        dep.count,
                        f"{service.name} uses {dep.target}: "
                        + format_counts(dep.calls, dep.imports),
                    ]
                )
    return sorted(rows)


def _movers(explanations: Mapping[str, Explanation], module_index: Mapping[str, int]) -> list[int]:
    """Modules pulled harder toward another service than toward their own, hardest first."""
    pulled = [e for e in explanations.values() if e.pulled_away > 0 and e.module in module_index]
    ranked = sorted(pulled, key=lambda e: (-e.pulled_away, e.module))
    return [module_index[e.module] for e in ranked[:MOVER_LIMIT]]


def _symbols(plan: Plan, module_index: Mapping[str, int]) -> list[list[Any]]:
    """Searchable symbols (qualified names) and their module's index."""
    found: dict[str, int] = {}
    for service in plan.services:
        for qualname in service.classes:
            module = _module_of(qualname, module_index)
            if module is not None:
                found[qualname] = module_index[module]
    # The symbols of split modules are named in the plan too.
    for split in plan.splits:
        if split.module in module_index:
            moved = [symbol for _, symbols in split.moves for symbol in symbols]
            for symbol in (*split.stays, *moved):
                name = qualified(split.module, symbol)
                if name != split.module:
                    found[name] = module_index[split.module]
    return [[name, found[name]] for name in sorted(found)]


def _module_of(qualname: str, module_index: Mapping[str, int]) -> str | None:
    parts = qualname.split(".")
    for end in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in module_index:
            return candidate
    return None


def embed_json(data: object) -> str:
    """JSON for a `<script type="application/json">` element: no `</`, no `<!--` inside."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
