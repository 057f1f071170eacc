"""Deterministic layout of the module graph: services as discs, their modules inside.

Each service's modules are laid out inside its own disc (a sunflower spiral, hubs in the
middle, refined by force-directed rounds within a fixed budget of pair evaluations); then the
discs are arranged by a small force-directed layout of their own, pulled together by the ties
between services and kept from overlapping. Pure Python, no randomness: same plan, same picture.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from decompose.model.plan import Service

SPACING = 24.0  # distance between neighbouring modules, in layout units
# Pair evaluations the force-directed refinement may spend on one service: bounds the time a
# large service costs (it then keeps its spiral).
FORCE_BUDGET = 250_000
FORCE_ROUNDS = 60
ARRANGE_ROUNDS = 300
_GOLDEN = math.pi * (3 - math.sqrt(5))
_GAP = 2.5 * SPACING  # between discs
_GRAVITY = 2.5


@dataclass(frozen=True, slots=True)
class Disc:
    """Where a service's modules sit."""

    x: float
    y: float
    radius: float


def layout(
    services: Sequence[Service], strength: Mapping[tuple[str, str], float]
) -> tuple[dict[str, tuple[float, float]], dict[str, Disc]]:
    """Positions of every module and the disc of every service, deterministic."""
    inside: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    owner = {m: s.name for s in services for m in s.modules}
    for (a, b), w in strength.items():
        if owner.get(a) is not None and owner.get(a) == owner.get(b):
            key = (a, b) if a < b else (b, a)
            inside[owner[a]][key] = inside[owner[a]].get(key, 0.0) + w
    local = {s.name: _disc_layout(sorted(s.modules), inside[s.name]) for s in services}
    radii = {name: _radius(len(points)) for name, points in local.items()}
    discs = _arrange(services, radii, _service_ties(strength, owner))
    positions = {
        m: (discs[name].x + x, discs[name].y + y)
        for name, points in local.items()
        for m, (x, y) in points.items()
    }
    return positions, discs


def _service_ties(
    strength: Mapping[tuple[str, str], float], owner: Mapping[str, str]
) -> dict[tuple[str, str], float]:
    ties: dict[tuple[str, str], float] = defaultdict(float)
    for (a, b), w in strength.items():
        sa, sb = owner.get(a), owner.get(b)
        if sa is not None and sb is not None and sa != sb:
            ties[(sa, sb) if sa < sb else (sb, sa)] += w
    return dict(ties)


def _radius(count: int) -> float:
    return SPACING * (0.6 + 0.62 * math.sqrt(max(count, 1)))


def _disc_layout(
    modules: Sequence[str], edges: Mapping[tuple[str, str], float]
) -> dict[str, tuple[float, float]]:
    degree: dict[str, float] = defaultdict(float)
    for (a, b), w in edges.items():
        degree[a] += w
        degree[b] += w
    order = sorted(modules, key=lambda m: (-degree[m], m))
    points = {
        m: (
            SPACING * 0.6 * math.sqrt(k + 0.5) * math.cos(k * _GOLDEN),
            SPACING * 0.6 * math.sqrt(k + 0.5) * math.sin(k * _GOLDEN),
        )
        for k, m in enumerate(order)
    }
    pairs = len(order) * (len(order) - 1) // 2
    rounds = min(FORCE_ROUNDS, FORCE_BUDGET // pairs) if pairs else 0
    if rounds:
        points = _relax(order, edges, points, rounds, _radius(len(order)) - SPACING * 0.4)
    return points


def _relax(
    order: Sequence[str],
    edges: Mapping[tuple[str, str], float],
    points: dict[str, tuple[float, float]],
    rounds: int,
    limit: float,
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold rounds inside a disc of radius `limit`, with a cooling step."""
    index = {m: i for i, m in enumerate(order)}
    xs = [points[m][0] for m in order]
    ys = [points[m][1] for m in order]
    strongest = max(edges.values(), default=1.0) or 1.0
    springs = [(index[a], index[b], 0.3 + 0.7 * w / strongest) for (a, b), w in edges.items()]
    k = SPACING
    n = len(order)
    for round_ in range(rounds):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in range(n):
            xi, yi = xs[i], ys[i]
            for j in range(i + 1, n):
                ddx, ddy = xi - xs[j], yi - ys[j]
                d2 = ddx * ddx + ddy * ddy or 0.01
                f = k * k / d2
                dx[i] += ddx * f
                dy[i] += ddy * f
                dx[j] -= ddx * f
                dy[j] -= ddy * f
        for i, j, w in springs:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            d = math.sqrt(ddx * ddx + ddy * ddy) or 0.01
            f = d * w / k
            dx[i] -= ddx * f
            dy[i] -= ddy * f
            dx[j] += ddx * f
            dy[j] += ddy * f
        for i in range(n):
            # Gravity toward the middle of the disc: without it, services with few inner ties
            # are pushed into a ring along the rim.
            dx[i] -= xs[i] * _GRAVITY
            dy[i] -= ys[i] * _GRAVITY
        step = SPACING * (1 - round_ / rounds) * 0.5 + 0.5
        for i in range(n):
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > 0:
                scale = min(length, step) / length
                xs[i] += dx[i] * scale
                ys[i] += dy[i] * scale
            r = math.sqrt(xs[i] * xs[i] + ys[i] * ys[i])
            if r > limit:
                xs[i] *= limit / r
                ys[i] *= limit / r
    return {m: (xs[i], ys[i]) for i, m in enumerate(order)}


def _arrange(
    services: Sequence[Service],
    radii: Mapping[str, float],
    ties: Mapping[tuple[str, str], float],
) -> dict[str, Disc]:
    """Discs placed by their ties: start on a circle, attract along ties, never overlap."""
    names = [s.name for s in services]
    n = len(names)
    if n == 0:
        return {}
    if n == 1:
        r = radii[names[0]]
        return {names[0]: Disc(round(r, 1), round(r, 1), round(r, 1))}
    ring = sum(2 * radii[m] + _GAP for m in names) / (2 * math.pi)
    xs = [ring * math.cos(2 * math.pi * k / n) for k in range(n)]
    ys = [ring * math.sin(2 * math.pi * k / n) for k in range(n)]
    rs = [radii[m] for m in names]
    index = {m: k for k, m in enumerate(names)}
    strongest = max(ties.values(), default=1.0) or 1.0
    springs = [(index[a], index[b], w / strongest) for (a, b), w in sorted(ties.items())]
    for round_ in range(ARRANGE_ROUNDS):
        cool = 1 - round_ / ARRANGE_ROUNDS
        dx = [0.0] * n
        dy = [0.0] * n
        for i, j, w in springs:
            ddx, ddy = xs[j] - xs[i], ys[j] - ys[i]
            d = math.sqrt(ddx * ddx + ddy * ddy) or 0.01
            rest = rs[i] + rs[j] + _GAP
            f = 0.08 * w * max(0.0, d - rest) / d
            dx[i] += ddx * f
            dy[i] += ddy * f
            dx[j] -= ddx * f
            dy[j] -= ddy * f
        for i in range(n):
            # A weak pull to the middle keeps unconnected services from drifting away.
            dx[i] -= xs[i] * 0.01
            dy[i] -= ys[i] * 0.01
            for j in range(i + 1, n):
                ddx, ddy = xs[j] - xs[i], ys[j] - ys[i]
                d = math.sqrt(ddx * ddx + ddy * ddy) or 0.01
                room = rs[i] + rs[j] + _GAP
                if d < room:
                    push = (room - d) / d * 0.5
                    dx[i] -= ddx * push
                    dy[i] -= ddy * push
                    dx[j] += ddx * push
                    dy[j] += ddy * push
        limit = SPACING * 4 * cool + 1
        for i in range(n):
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > limit:
                dx[i] *= limit / length
                dy[i] *= limit / length
            xs[i] += dx[i]
            ys[i] += dy[i]
    _separate(xs, ys, rs)
    left = min(x - r for x, r in zip(xs, rs, strict=True))
    top = min(y - r for y, r in zip(ys, rs, strict=True))
    return {
        m: Disc(round(xs[k] - left, 1), round(ys[k] - top, 1), round(rs[k], 1))
        for k, m in enumerate(names)
    }


def _separate(xs: list[float], ys: list[float], rs: list[float]) -> None:
    """Push overlapping discs apart until none overlaps (or a bounded number of passes)."""
    n = len(xs)
    for _ in range(200):
        moved = False
        for i in range(n):
            for j in range(i + 1, n):
                ddx, ddy = xs[j] - xs[i], ys[j] - ys[i]
                d = math.sqrt(ddx * ddx + ddy * ddy)
                room = rs[i] + rs[j] + _GAP * 0.6
                if d < room:
                    if d < 1e-6:
                        ddx, ddy, d = 1.0, 0.0, 1.0
                    push = (room - d) / d / 2 + 1e-3
                    xs[i] -= ddx * push
                    ys[i] -= ddy * push
                    xs[j] += ddx * push
                    ys[j] += ddy * push
                    moved = True
        if not moved:
            return
