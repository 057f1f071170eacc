"""The context map: `Plan` -> `ContextMap`, services as boxes and their dependencies as arrows,
laid out in layers (a service above the services it depends on) for a server-rendered SVG.

The layout is computed here, in integers, so the same plan gives the same picture: services in
one dependency cycle share a layer, layers are ordered by the barycentre of their neighbours,
and an arrow that would cross a box bends around it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from decompose.model.plan import Plan, Service
from decompose.render.digraph import layer_rows, strongly_connected
from decompose.render.format import format_counts, format_int, plural
from decompose.render.links import ServiceLink, link_for

BOX_HEIGHT = 56
ROW_GAP = 104  # room between rows for arrows and their labels
COLUMN_GAP = 88
MARGIN = 28
ROW_LIMIT = 6  # boxes in one row before a layer wraps
# Arrows drawn at most, heaviest first: past this a map is a hairball, and the matrix is the
# better picture.
ARROW_LIMIT = 40
_NAME_CHAR = 9.2  # average advance of the 15px bold name font, in pixels
_META_CHAR = 6.9  # and of the 12px meta line
_PAIR_BEND = 16  # how far the two arrows of a two-way dependency bow apart
_BENDS = (0.22, -0.22, 0.4, -0.4, 0.6, -0.6)  # tried in turn, as a share of the arrow length
_LABEL_STOPS = (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75)  # where along an arrow its label may go
_LABEL_CHAR = 6.4  # advance of the 11.5px label font

_Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True, slots=True)
class MapBox:
    """One service on the map."""

    link: ServiceLink
    x: int
    y: int
    width: int
    height: int
    centre: int
    name_y: int  # baselines of the two lines of text
    meta_y: int
    meta: str  # "12 modules · 666 lines"
    label: str  # what a screen reader and the hover title say


@dataclass(frozen=True, slots=True)
class MapArrow:
    """One dependency of a service on another."""

    path: str  # SVG path data
    label: str
    label_x: int
    label_y: int
    width: str  # stroke width
    in_cycle: bool
    leak: bool  # from the shared kernel into a service: a library must not depend on one
    title: str


@dataclass(frozen=True, slots=True)
class ContextMap:
    """The laid-out map."""

    width: int
    height: int
    boxes: tuple[MapBox, ...]
    arrows: tuple[MapArrow, ...]
    description: str
    note: str  # what the map leaves out
    has_leaks: bool  # some arrow leaves the shared kernel


@dataclass(slots=True)
class _Box:
    name: str
    x: float
    y: float
    width: float
    height: float
    shared: bool = False

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


def build_context_map(plan: Plan, links: Mapping[str, ServiceLink]) -> ContextMap | None:
    """The context map of the plan's services; None when there is no service to draw."""
    services = [s for s in plan.services if not s.is_shared]
    if not services:
        return None
    shared = next((s for s in plan.services if s.is_shared), None)
    kernel = {shared.name} if shared else set()
    names = {s.name for s in plan.services}
    pairs = _dependencies(plan.services, names)
    cyclic = _cyclic_pairs({p: w for p, w in pairs.items() if not kernel & set(p)})
    # Heaviest first, so the weightiest arrows are kept and their labels get the best places.
    ranked = sorted((p for p in pairs if p[1] not in kernel), key=lambda p: (-sum(pairs[p]), p))
    drawn = ranked[:ARROW_LIMIT]
    boxes = _layout(services, shared, {p: sum(pairs[p]) for p in drawn if p[0] not in kernel})
    placed: list[_Rect] = []
    arrows = [
        _arrow(boxes[s], boxes[t], pairs[(s, t)], (t, s) in pairs, (s, t) in cyclic, boxes, placed)
        for s, t in drawn
    ]
    width = max(b.x + b.width for b in boxes.values()) + MARGIN
    height = max(b.y + b.height for b in boxes.values()) + MARGIN
    by_name = {s.name: s for s in plan.services}
    return ContextMap(
        width=round(width),
        height=round(height),
        boxes=tuple(_map_box(boxes[n], by_name[n], links, pairs) for n in sorted(boxes)),
        arrows=tuple(sorted(arrows, key=lambda a: a.title)),
        description=_description(services, len(arrows), len(cyclic)),
        has_leaks=any(a.leak for a in arrows),
        note=_note(shared, pairs, len(drawn), len(ranked)),
    )


def _dependencies(
    services: Iterable[Service], drawn: set[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (s.name, d.target): (d.calls, d.imports)
        for s in services
        for d in s.dependencies
        if d.target != s.name and d.target in drawn and s.name in drawn and d.count > 0
    }


def _cyclic_pairs(pairs: Mapping[tuple[str, str], tuple[int, int]]) -> set[tuple[str, str]]:
    adjacency: dict[str, set[str]] = defaultdict(set)
    for s, t in pairs:
        adjacency[s].add(t)
    nodes = {n for pair in pairs for n in pair}
    component = {n: c for c in strongly_connected(nodes, adjacency) for n in c}
    return {(s, t) for s, t in pairs if component[s] == component[t]}


def _layout(
    services: Sequence[Service], shared: Service | None, weight: Mapping[tuple[str, str], int]
) -> dict[str, _Box]:
    rows = layer_rows([s.name for s in services], weight, ROW_LIMIT)
    size = {s.name: _box_size(s) for s in services}
    boxes: dict[str, _Box] = {}
    widths = [sum(size[n][0] for n in row) + COLUMN_GAP * (len(row) - 1) for row in rows]
    inner = max([*widths, 360.0 if shared else 0.0])
    for index, row in enumerate(rows):
        x = MARGIN + (inner - widths[index]) / 2
        y = MARGIN + index * (BOX_HEIGHT + ROW_GAP)
        for name in row:
            boxes[name] = _Box(name, round(x), y, size[name][0], BOX_HEIGHT)
            x += size[name][0] + COLUMN_GAP
    if shared is not None:
        y = MARGIN + len(rows) * (BOX_HEIGHT + ROW_GAP)
        boxes[shared.name] = _Box(shared.name, MARGIN, y, round(inner), BOX_HEIGHT, shared=True)
    return boxes


def _box_size(service: Service) -> tuple[float, float]:
    meta = _meta(service)
    width = max(len(service.name) * _NAME_CHAR, len(meta) * _META_CHAR) + 32
    return float(max(120, math.ceil(width))), float(BOX_HEIGHT)


def _meta(service: Service) -> str:
    return f"{plural(len(service.modules), 'module')} · {format_int(service.lines)} lines"


def _arrow(
    source: _Box,
    target: _Box,
    counts: tuple[int, int],
    two_way: bool,
    in_cycle: bool,
    boxes: Mapping[str, _Box],
    placed: list[_Rect],
) -> MapArrow:
    (sx, sy), (tx, ty) = source.centre, target.centre
    if source.shared:
        # The kernel spans the map: leave it right below the service, not from its middle.
        sx = min(max(tx, source.x + 24), source.x + source.width - 24)
    length = math.hypot(tx - sx, ty - sy) or 1.0
    # Unit normal to the left of the direction of travel.
    nx, ny = -(ty - sy) / length, (tx - sx) / length
    others = [b for b in boxes.values() if b.name not in (source.name, target.name)]
    if abs(ty - sy) < 1:
        # Side by side in one row: arc over (and, for the way back, under) the boxes, so the
        # label sits in the gap between rows rather than squeezed between the boxes.
        arc = source.height * 0.9 + 0.12 * length
        bends = [arc] if two_way else [arc, -arc]
    else:
        bends = [_PAIR_BEND] if two_way else [0.0]
    bends += [f * length for f in _BENDS]
    best: tuple[int, float, tuple[float, float, float, float, float, float]] | None = None
    for bend in bends:
        cx, cy = (sx + tx) / 2 + nx * bend, (sy + ty) / 2 + ny * bend
        start = _border_point(source, cx, cy, sx)
        end = _border_point(target, cx, cy)
        curve = (*start, cx, cy, *end)
        hits = sum(1 for b in others if _curve_hits(curve, b))
        if best is None or hits < best[0]:
            best = (hits, bend, curve)
        if hits == 0:
            break
    assert best is not None
    x0, y0, cx, cy, x1, y1 = best[2]
    calls, imports = counts
    label = format_counts(calls, imports)
    label_x, label_y = _label_point(best[2], label, boxes.values(), placed)
    leak = bool(source.shared)
    title = f"{source.name} depends on {target.name}: {label}"
    if in_cycle:
        title += " (part of a cycle)"
    if leak:
        title = f"The shared kernel depends on {target.name}: {label} (a library must not)"
    return MapArrow(
        path=f"M{x0:.0f} {y0:.0f} Q{cx:.0f} {cy:.0f} {x1:.0f} {y1:.0f}",
        label=label,
        label_x=label_x,
        label_y=label_y,
        width=f"{min(6.0, 1.25 + 0.75 * math.log2(1 + calls + imports)):.1f}",
        in_cycle=in_cycle,
        leak=leak,
        title=title,
    )


def _label_point(
    curve: tuple[float, float, float, float, float, float],
    label: str,
    boxes: Iterable[_Box],
    placed: list[_Rect],
) -> tuple[int, int]:
    """The point along the curve where the label overlaps the fewest boxes and labels."""
    x0, y0, cx, cy, x1, y1 = curve
    half_w, half_h = len(label) * _LABEL_CHAR / 2 + 3, 8.0
    obstacles = [(b.x, b.y, b.x + b.width, b.y + b.height) for b in boxes]
    best: tuple[int, _Rect, tuple[int, int]] | None = None
    for t in _LABEL_STOPS:
        x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1
        y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1
        rect = (x - half_w, y - half_h, x + half_w, y + half_h)
        score = 3 * sum(_overlap(rect, r) for r in placed)
        score += 2 * sum(_overlap(rect, r) for r in obstacles)
        if best is None or score < best[0]:
            best = (score, rect, (round(x), round(y)))
        if score == 0:
            break
    assert best is not None
    placed.append(best[1])
    return best[2]


def _overlap(a: _Rect, b: _Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _border_point(
    box: _Box, towards_x: float, towards_y: float, from_x: float | None = None
) -> tuple[float, float]:
    """Where the ray from the box's centre (or from `from_x` on its middle line) toward a
    point leaves the box."""
    cx, cy = box.centre
    if from_x is not None:
        cx = from_x
    dx, dy = towards_x - cx, towards_y - cy
    if dx == 0 and dy == 0:
        return cx, cy
    reach = box.x + box.width - cx if dx > 0 else cx - box.x
    scale = min(
        reach / abs(dx) if dx else math.inf,
        (box.height / 2) / abs(dy) if dy else math.inf,
    )
    # A few pixels off the border, so the arrowhead is not hidden under the box.
    gap = 4 / math.hypot(dx, dy)
    return cx + dx * (scale + gap), cy + dy * (scale + gap)


def _curve_hits(curve: tuple[float, float, float, float, float, float], box: _Box) -> bool:
    x0, y0, cx, cy, x1, y1 = curve
    pad = 6
    for step in range(1, 20):
        t = step / 20
        x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1
        y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1
        if (
            box.x - pad <= x <= box.x + box.width + pad
            and box.y - pad <= y <= box.y + box.height + pad
        ):
            return True
    return False


def _map_box(
    box: _Box,
    service: Service,
    links: Mapping[str, ServiceLink],
    pairs: Mapping[tuple[str, str], tuple[int, int]],
) -> MapBox:
    meta = _meta(service)
    uses = sorted(t for s, t in pairs if s == service.name)
    used = sorted(s for s, t in pairs if t == service.name)
    label = f"{service.name}: {meta}"
    if service.is_shared:
        users = plural(len(used), "service")
        label = f"Shared kernel (a library, not a service): {meta}; used by {users}"
    else:
        label += f"; depends on {', '.join(uses) or 'no other service'}"
        label += f"; used by {', '.join(used) or 'no other service'}"
    return MapBox(
        link=link_for(service.name, links),
        x=round(box.x),
        y=round(box.y),
        width=round(box.width),
        height=round(box.height),
        centre=round(box.x + box.width / 2),
        name_y=round(box.y) + 24,
        meta_y=round(box.y) + 43,
        meta=meta if not service.is_shared else f"shared kernel · {meta}",
        label=label,
    )


def _description(services: Sequence[Service], arrows: int, cyclic: int) -> str:
    text = (
        f"Context map: {plural(len(services), 'service')} and "
        f"{plural(arrows, 'dependency', 'dependencies')} between them"
    )
    if cyclic:
        text += f", {plural(cyclic, 'dependency', 'dependencies')} in cycles"
    return text + "."


def _note(
    shared: Service | None,
    pairs: Mapping[tuple[str, str], tuple[int, int]],
    drawn: int,
    drawable: int,
) -> str:
    notes = []
    if drawn < drawable:
        notes.append(
            f"Only the {format_int(drawn)} heaviest of {format_int(drawable)} dependencies are "
            "drawn; the matrix below shows every one."
        )
    users = sorted(s for s, t in pairs if shared is not None and t == shared.name)
    if users:
        notes.append(
            "Dependencies on the shared kernel are not drawn: it becomes a library, not a "
            f"service. {plural(len(users), 'service')} use it."
        )
    return " ".join(notes)
