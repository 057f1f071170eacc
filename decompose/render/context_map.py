"""The context map: `Plan` -> `ContextMap`, services as boxes, API calls and events as arrows,
laid out in layers (a service above the services it depends on) for a server-rendered SVG.

Arrows come from `context_edges`: a synchronous call labelled with its operations, an event
labelled with its events, or a code dependency nothing classified, labelled with its counts.
The layout is computed here, in integers, so the same plan gives the same picture: services in
one dependency cycle share a layer, layers are ordered by the barycentre of their neighbours,
arrows joining the same two boxes take lanes side by side, an arrow that would cross a box
bends around it, and labels go where they overlap the fewest boxes and labels.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from decompose.model.plan import Plan, Service
from decompose.render.context_edges import (
    CODE,
    EVENT,
    KIND_ORDER,
    SYNC,
    MapEdge,
    cyclic_edges,
    depends,
    layer_weights,
    map_edges,
    ranked,
)
from decompose.render.digraph import layer_rows
from decompose.render.format import format_int, plural
from decompose.render.links import ServiceLink, link_for

BOX_HEIGHT = 56
ROW_GAP = 136  # room between rows for arrows and their labels
COLUMN_GAP = 150
MIN_COLUMN_GAP = 48
PAGE_WIDTH = 1100  # the report's content width, in pixels, less the map's margins
MARGIN = 28
ROW_LIMIT = 6  # boxes in one row before a layer wraps
# Arrows drawn at most, heaviest first: past this a map is a hairball, and the matrix is the
# better picture.
ARROW_LIMIT = 40
_NAME_CHAR = 9.2  # average advance of the 15px bold name font, in pixels
_META_CHAR = 6.9  # and of the 12px meta line
_LANE = 30  # between arrows joining the same two boxes
_BENDS = (
    0.22,
    -0.22,
    0.4,
    -0.4,
    0.6,
    -0.6,
    0.9,
    -0.9,
    1.3,
    -1.3,
)  # tried in turn, as a share of the arrow length
# Where along an arrow (in twentieths) its label may go, best first.
_LABEL_STOPS = (10, 8, 12, 6, 14, 9, 11, 7, 13, 5, 15, 4, 16, 3, 17)
_LABEL_CHAR = 6.4  # advance of the 11.5px label font
_LINE = 14  # between the lines of a label

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
class LabelLine:
    """One line of an arrow's label, placed."""

    text: str
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class MapArrow:
    """One arrow: an API call, an event, or a code dependency nothing classified."""

    path: str  # SVG path data
    kind: str  # "sync", "event" or "code"
    lines: tuple[LabelLine, ...]
    width: str  # stroke width
    in_cycle: bool
    leak: bool  # from the shared kernel into a service: a library must not depend on one
    marker: str  # id of the arrowhead
    title: str
    curve: tuple[float, float, float, float, float, float]  # for the extent of the map


@dataclass(frozen=True, slots=True)
class ContextMap:
    """The laid-out map."""

    width: int
    height: int
    view_box: str  # "x y width height": arrows bending around boxes may reach past them
    boxes: tuple[MapBox, ...]
    arrows: tuple[MapArrow, ...]
    description: str
    note: str  # what the map leaves out
    has_leaks: bool  # some arrow leaves the shared kernel
    has_sync: bool
    has_events: bool
    has_code: bool
    has_cycles: bool


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
    edges = map_edges(plan, kernel)
    cyclic = cyclic_edges(edges, kernel)
    # Heaviest first, so the weightiest arrows are kept and their labels get the best places.
    drawn = ranked(edges)[:ARROW_LIMIT]
    boxes = _layout(services, shared, layer_weights(drawn, kernel))
    placed: list[_Rect] = []
    lanes = _lanes(drawn)
    arrows = [
        _arrow(e, boxes[e.source], boxes[e.target], lanes[e], e in cyclic, boxes, placed)
        for e in drawn
    ]
    x0, y0, x1, y1 = _extent(boxes.values(), arrows, placed)
    width, height = x1 - x0, y1 - y0
    by_name = {s.name: s for s in plan.services}
    kinds = {e.kind for e in drawn}
    return ContextMap(
        width=round(width),
        height=round(height),
        view_box=f"{x0} {y0} {width} {height}",
        boxes=tuple(_map_box(boxes[n], by_name[n], links, edges) for n in sorted(boxes)),
        arrows=tuple(sorted(arrows, key=lambda a: (a.title, a.path))),
        description=_description(services, drawn, len(cyclic & set(drawn))),
        has_leaks=any(a.leak for a in arrows),
        has_sync=SYNC in kinds,
        has_events=EVENT in kinds,
        has_code=any(e.kind == CODE and e.source not in kernel for e in drawn),
        has_cycles=any(a.in_cycle for a in arrows),
        note=_note(plan, shared, len(drawn), len(edges)),
    )


def _extent(
    boxes: Iterable[_Box], arrows: Iterable[MapArrow], labels: Iterable[_Rect]
) -> tuple[int, int, int, int]:
    """The rectangle holding every box, curve and label, with a margin, in whole pixels."""
    rects = [(b.x, b.y, b.x + b.width, b.y + b.height) for b in boxes] + list(labels)
    for arrow in arrows:
        rects.extend((x, y, x, y) for x, y in _curve_points(arrow.curve))
    return (
        math.floor(min(r[0] for r in rects)) - MARGIN,
        math.floor(min(r[1] for r in rects)) - MARGIN,
        math.ceil(max(r[2] for r in rects)) + MARGIN,
        math.ceil(max(r[3] for r in rects)) + MARGIN,
    )


def _curve_points(
    curve: tuple[float, float, float, float, float, float], steps: int = 20
) -> list[tuple[float, float]]:
    x0, y0, cx, cy, x1, y1 = curve
    points = []
    for step in range(steps + 1):
        t = step / steps
        points.append(
            (
                (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1,
                (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1,
            )
        )
    return points


def _lanes(edges: Sequence[MapEdge]) -> dict[MapEdge, tuple[int, int]]:
    """Each arrow's lane among the arrows joining the same two boxes: (index, count)."""
    pairs: dict[tuple[str, str], list[MapEdge]] = defaultdict(list)
    for e in edges:
        pairs[(min(e.source, e.target), max(e.source, e.target))].append(e)
    lanes: dict[MapEdge, tuple[int, int]] = {}
    for group in pairs.values():
        group.sort(key=lambda e: (KIND_ORDER[e.kind], e.source, e.target))
        for index, e in enumerate(group):
            lanes[e] = (index, len(group))
    return lanes


def _layout(
    services: Sequence[Service], shared: Service | None, weight: Mapping[tuple[str, str], int]
) -> dict[str, _Box]:
    rows = _fold(layer_rows([s.name for s in services], weight, ROW_LIMIT))
    size = {s.name: _box_size(s) for s in services}
    boxes: dict[str, _Box] = {}
    gaps = [_gap([size[n][0] for n in row]) for row in rows]
    widths = [
        sum(size[n][0] for n in row) + gap * (len(row) - 1)
        for row, gap in zip(rows, gaps, strict=True)
    ]
    inner = max([*widths, 360.0 if shared else 0.0])
    for index, row in enumerate(rows):
        x = MARGIN + (inner - widths[index]) / 2
        y = MARGIN + index * (BOX_HEIGHT + ROW_GAP)
        for name in row:
            boxes[name] = _Box(name, round(x), y, size[name][0], BOX_HEIGHT)
            x += size[name][0] + gaps[index]
    if shared is not None:
        y = MARGIN + len(rows) * (BOX_HEIGHT + ROW_GAP)
        boxes[shared.name] = _Box(shared.name, MARGIN, y, round(inner), BOX_HEIGHT, shared=True)
    return boxes


def _gap(widths: Sequence[float]) -> float:
    """Room between the boxes of a row: COLUMN_GAP for labels, narrowed (never below
    MIN_COLUMN_GAP) so the row fits a page, where a wider map would be shrunk to unreadable."""
    if len(widths) < 2:
        return COLUMN_GAP
    room = (PAGE_WIDTH - sum(widths)) / (len(widths) - 1)
    return float(round(max(MIN_COLUMN_GAP, min(COLUMN_GAP, room))))


def _fold(rows: list[list[str]]) -> list[list[str]]:
    """Rows refolded into a squarer grid, in the same reading order, when the layering made a
    tall column (services tangled in long chains of cycles): a map one box wide and twenty
    high is unreadable, and its layers mean little then."""
    count = sum(len(row) for row in rows)
    most = max(3, math.ceil(1.2 * math.sqrt(count)))
    if len(rows) <= most or count >= 1.5 * len(rows):
        return rows
    names = [name for row in rows for name in row]
    width = min(ROW_LIMIT, math.ceil(count / most))
    return [names[i : i + width] for i in range(0, count, width)]


def _box_size(service: Service) -> tuple[float, float]:
    meta = _meta(service)
    width = max(len(service.name) * _NAME_CHAR, len(meta) * _META_CHAR) + 32
    return float(max(120, math.ceil(width))), float(BOX_HEIGHT)


def _meta(service: Service) -> str:
    return f"{plural(len(service.modules), 'module')} · {format_int(service.lines)} lines"


def _bends(source: _Box, target: _Box, lane: tuple[int, int], length: float) -> list[float]:
    """Bends to try, in pixels to the left of travel, for an arrow in its lane."""
    index, count = lane
    # Lanes are counted in the frame of the pair's first box by name, so the arrows of both
    # directions share one set of lanes; an arrow travelling the other way flips the sign.
    sign = 1.0 if source.name < target.name else -1.0
    if abs(target.centre[1] - source.centre[1]) < 1:
        # Side by side in one row: arc over (and under) the boxes, so the label sits in the
        # gap between rows rather than squeezed between the boxes.
        arc = source.height * 0.9 + 0.12 * length
        if count == 1:
            first = [arc, -arc]
        else:
            side = 1.0 if index % 2 == 0 else -1.0
            first = [sign * side * (arc + (index // 2) * _LANE)]
    else:
        first = [sign * (index - (count - 1) / 2) * _LANE]
    return first + [first[0] + f * length for f in _BENDS]


def _arrow(
    edge: MapEdge,
    source: _Box,
    target: _Box,
    lane: tuple[int, int],
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
    best: tuple[int, tuple[float, float, float, float, float, float]] | None = None
    for bend in _bends(source, target, lane, length):
        cx, cy = (sx + tx) / 2 + nx * bend, (sy + ty) / 2 + ny * bend
        start = _border_point(source, cx, cy, sx)
        end = _border_point(target, cx, cy)
        curve = (*start, cx, cy, *end)
        hits = sum(1 for b in others if _curve_hits(curve, b))
        if best is None or hits < best[0]:
            best = (hits, curve)
        if hits == 0:
            break
    assert best is not None
    x0, y0, cx, cy, x1, y1 = best[1]
    leak = source.shared and (edge.kind != CODE or edge.imports > 0)  # see `kernel_leaks`
    texts = edge.label
    label_x, label_y = _label_point(best[1], texts, boxes.values(), placed)
    top = label_y - (len(texts) - 1) * _LINE / 2
    if edge.kind == CODE:
        width = min(4.0, 1.0 + 0.5 * math.log2(1 + edge.calls + edge.imports))
    else:
        width = min(6.0, 1.5 + 1.0 * math.log2(1 + len(edge.names)))
    marker = "head-cycle" if in_cycle or leak else f"head-{edge.kind}"
    return MapArrow(
        path=f"M{x0:.0f} {y0:.0f} Q{cx:.0f} {cy:.0f} {x1:.0f} {y1:.0f}",
        kind=edge.kind,
        lines=tuple(LabelLine(t, label_x, round(top + i * _LINE)) for i, t in enumerate(texts)),
        width=f"{width:.1f}",
        in_cycle=in_cycle,
        leak=leak,
        marker=marker,
        title=edge.title(in_cycle, leak),
        curve=best[1],
    )


def _label_point(
    curve: tuple[float, float, float, float, float, float],
    lines: Sequence[str],
    boxes: Iterable[_Box],
    placed: list[_Rect],
) -> tuple[int, int]:
    """The point along the curve where the label covers the least of boxes and labels."""
    half_w = max(len(t) for t in lines) * _LABEL_CHAR / 2 + 3
    half_h = len(lines) * _LINE / 2 + 1
    obstacles = [(b.x - 2, b.y - 2, b.x + b.width + 2, b.y + b.height + 2) for b in boxes]
    points = _curve_points(curve)
    best: tuple[float, int, _Rect, tuple[int, int]] | None = None
    for rank, step in enumerate(_LABEL_STOPS):
        x, y = points[step]
        rect = (x - half_w, y - half_h, x + half_w, y + half_h)
        # Covering a box hides a service's name: worse than covering another label.
        score = 3 * sum(_overlap_area(rect, r) for r in obstacles)
        score += 2 * sum(_overlap_area(rect, r) for r in placed)
        if best is None or (score, rank) < best[:2]:
            best = (score, rank, rect, (round(x), round(y)))
        if score == 0:
            break
    assert best is not None
    placed.append(best[2])
    return best[3]


def _overlap_area(a: _Rect, b: _Rect) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


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
    edges: Sequence[MapEdge],
) -> MapBox:
    meta = _meta(service)
    uses = sorted({depends(e)[1] for e in edges if depends(e)[0] == service.name})
    used = sorted({depends(e)[0] for e in edges if depends(e)[1] == service.name})
    label = f"{service.name}: {meta}"
    if service.is_shared:
        label = f"Shared kernel (a library, not a service): {meta}"
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


def _description(services: Sequence[Service], drawn: Sequence[MapEdge], cyclic: int) -> str:
    calls = sum(1 for e in drawn if e.kind == SYNC)
    events = sum(1 for e in drawn if e.kind == EVENT)
    code = len(drawn) - calls - events
    parts = [
        f"{plural(calls, 'arrow')} of synchronous API calls",
        f"{plural(events, 'arrow')} of events",
    ]
    if code:
        parts.append(f"{plural(code, 'plain code dependency', 'plain code dependencies')}")
    text = f"Context map: {plural(len(services), 'service')}, " + ", ".join(parts)
    if cyclic:
        text += f"; {plural(cyclic, 'arrow')} in cycles"
    return text + "."


def _note(plan: Plan, shared: Service | None, drawn: int, drawable: int) -> str:
    notes = []
    if drawn < drawable:
        notes.append(
            f"Only the {format_int(drawn)} heaviest of {format_int(drawable)} arrows are "
            "drawn; the contracts and the matrix below show every one."
        )
    users = sorted(
        s.name
        for s in plan.services
        if shared is not None and any(d.target == shared.name for d in s.dependencies)
    )
    if users:
        notes.append(
            "Dependencies on the shared kernel are not drawn: it becomes a library, not a "
            f"service. {plural(len(users), 'service')} use it."
        )
    return " ".join(notes)
