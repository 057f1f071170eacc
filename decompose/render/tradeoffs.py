"""The trade-off frontier: `PlanMetrics` -> `Tradeoffs`, one small chart per quality measure
against the number of services, the chosen cut marked, plus the table, the criterion that chose
and what the user's constraints cost. Charts are laid out here for a server-rendered SVG."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from decompose.model import Metrics, Plan
from decompose.render.format import format_float, format_int, format_percent, plural

# Size of one chart and its plotting area, in pixels.
WIDTH = 260
HEIGHT = 168
_LEFT, _RIGHT, _TOP, _BOTTOM = 46, 14, 12, 30


@dataclass(frozen=True, slots=True)
class Measure:
    """One quality measure: how to read it off the metrics, and which way is better."""

    key: str
    label: str
    better: str  # "higher" or "lower"
    meaning: str
    read: Callable[[Metrics], float | None]
    percent: bool = False


MEASURES = (
    Measure(
        "modularity",
        "Modularity",
        "higher",
        "Newman's Q on the combined affinity: the measure the clustering optimises",
        lambda m: m.modularity,
    ),
    Measure(
        "structural_modularity",
        "Structural modularity",
        "higher",
        "cohesion inside services minus coupling between them, on dependencies only",
        lambda m: m.structural_modularity,
    ),
    Measure(
        "turbomq",
        "TurboMQ",
        "higher",
        "Bunch's sum of cluster factors: each service's inner edges against its outer ones",
        lambda m: m.turbomq,
    ),
    Measure(
        "icp",
        "Calls crossing services",
        "lower",
        "inter-call percentage: share of calls that cross a service boundary",
        lambda m: m.icp,
        percent=True,
    ),
    Measure(
        "ifn",
        "Interface size",
        "lower",
        "mean number of symbols a service exposes to the others",
        lambda m: m.ifn,
    ),
    Measure(
        "ned",
        "Extreme sizes",
        "lower",
        "share of classes in services of fewer than 5 or more than 20 classes (Mono2Micro's "
        "NED; on a big code base most services hold more than 20)",
        lambda m: m.ned,
        percent=True,
    ),
    Measure(
        "transactions_kept",
        "Transactions kept whole",
        "higher",
        "share of transactions whose data stays inside one service",
        lambda m: m.transactions_kept,
        percent=True,
    ),
)


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """A candidate number of services on one chart."""

    x: int
    y: int
    chosen: bool
    title: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One measure against the number of services."""

    anchor: str
    label: str
    better: str
    meaning: str
    points: tuple[ChartPoint, ...]
    line: str  # SVG polyline points
    chosen_x: int  # where the chosen cut is, for its marker line
    y_labels: tuple[tuple[int, str], ...]  # (y, text) at the top and bottom of the scale
    x_labels: tuple[tuple[int, str], ...]  # (x, text) under the first, chosen and last points
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int
    tick_x: int  # right edge of the y-axis labels
    label_y: int  # baseline of the x-axis labels


@dataclass(frozen=True, slots=True)
class FrontierRow:
    """One candidate cut in the table."""

    services: str
    values: tuple[str, ...]
    chosen: bool


@dataclass(frozen=True, slots=True)
class Tradeoffs:
    """The trade-off section."""

    width: int
    height: int
    charts: tuple[Chart, ...]
    columns: tuple[str, ...]
    rows: tuple[FrontierRow, ...]
    selection: str
    notes: tuple[str, ...]  # transactions, constraints


def build_tradeoffs(plan: Plan) -> Tradeoffs | None:
    """The frontier of the plan's metrics; None when the plan carries none."""
    metrics = plan.metrics
    if metrics is None or not metrics.frontier:
        return None
    points = sorted(metrics.frontier, key=lambda p: p.metrics.services)
    measures = [m for m in MEASURES if any(m.read(p.metrics) is not None for p in points)]
    charts = tuple(
        _chart(m, [p.metrics for p in points], [p.chosen for p in points]) for m in measures
    )
    rows = tuple(
        FrontierRow(
            format_int(p.metrics.services),
            tuple(_value(m, p.metrics) for m in measures),
            p.chosen,
        )
        for p in points
    )
    notes = []
    if metrics.transactions_note:
        notes.append(metrics.transactions_note)
    constraints = metrics.constraints
    if constraints is not None:
        given = len(constraints.pins) + len(constraints.must_link) + len(constraints.cannot_link)
        notes.append(
            f"{plural(given, 'constraint')} applied ({plural(len(constraints.pins), 'pin')}, "
            f"{format_int(len(constraints.must_link))} must-link, "
            f"{format_int(len(constraints.cannot_link))} cannot-link): "
            f"{plural(constraints.moved, 'module')} placed differently than without them; "
            f"modularity {format_float(metrics.chosen.modularity)} against "
            f"{format_float(constraints.unconstrained.modularity)} unconstrained."
        )
    return Tradeoffs(
        width=WIDTH,
        height=HEIGHT,
        charts=charts,
        columns=tuple(m.label for m in measures),
        rows=rows,
        selection=metrics.selection,
        notes=tuple(notes),
    )


def _value(measure: Measure, metrics: Metrics) -> str:
    value = measure.read(metrics)
    if value is None:
        return "n/a"
    return format_percent(value) if measure.percent else format_float(value)


def _chart(measure: Measure, points: Sequence[Metrics], chosen: Sequence[bool]) -> Chart:
    xs = [p.services for p in points]
    values = [measure.read(p) for p in points]
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    if high - low < 1e-9:
        # A flat series: centre it in a narrow band, within [0, 1] for a share.
        pad = 0.05 if measure.percent else max(abs(low) * 0.1, 0.05)
        low, high = low - pad, high + pad
        if measure.percent and low < 0:
            low, high = 0.0, high - low
        if measure.percent and high > 1:
            low, high = low - (high - 1), 1.0
    x_low, x_high = min(xs), max(xs)
    right, bottom = WIDTH - _RIGHT, HEIGHT - _BOTTOM

    def to_x(services: int) -> int:
        if x_high == x_low:
            return (_LEFT + right) // 2
        return round(_LEFT + (services - x_low) / (x_high - x_low) * (right - _LEFT))

    def to_y(value: float) -> int:
        return round(bottom - (value - low) / (high - low) * (bottom - _TOP))

    drawn = [
        ChartPoint(
            to_x(x),
            to_y(v),
            c,
            f"{plural(x, 'service')}: {measure.label.lower()} {_value(measure, p)}"
            + (" (chosen)" if c else ""),
        )
        for x, v, c, p in zip(xs, values, chosen, points, strict=True)
        if v is not None
    ]
    picked = [p for p in drawn if p.chosen]
    return Chart(
        anchor=f"chart-{measure.key.replace('_', '-')}",
        label=measure.label,
        better=f"{measure.better} is better",
        meaning=measure.meaning,
        points=tuple(drawn),
        line=" ".join(f"{p.x},{p.y}" for p in drawn),
        chosen_x=picked[0].x if picked else -1,
        y_labels=(
            (_TOP + 4, _axis(measure, high)),
            (bottom, _axis(measure, low)),
        ),
        x_labels=_x_labels(xs, chosen, to_x),
        plot_top=_TOP,
        plot_bottom=bottom,
        plot_left=_LEFT,
        plot_right=right,
        tick_x=_LEFT - 6,
        label_y=bottom + 18,
    )


def _x_labels(
    xs: Sequence[int], chosen: Sequence[bool], to_x: Callable[[int], int]
) -> tuple[tuple[int, str], ...]:
    """Labels under the chosen point and the ends, the ends dropped where they would touch."""
    picked = {x for x, c in zip(xs, chosen, strict=True) if c}
    labels = {x: to_x(x) for x in picked}
    for end in (min(xs), max(xs)):
        if all(abs(to_x(end) - at) >= 26 for at in labels.values()):
            labels[end] = to_x(end)
    return tuple((labels[x], format_int(x)) for x in sorted(labels))


def _axis(measure: Measure, value: float) -> str:
    return format_percent(value) if measure.percent else format_float(value)
