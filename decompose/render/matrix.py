"""The dependency structure matrix: `Plan` -> `Matrix`, service by service (always) and module
by module (up to `MODULE_LIMIT` modules), rows depending on columns, ordered by service."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import Plan
from decompose.render.format import format_counts, format_int, plural
from decompose.render.links import ServiceLink, link_for, ordered_services

# Past this many modules only the service-level matrix is drawn: a module matrix would be
# unreadable and, at O(n²) cells of attention, not worth its bytes.
MODULE_LIMIT = 200
# Side of a cell in pixels: big for a few modules, never under a readable row of labels.
CELL_MIN, CELL_MAX, GRID_TARGET = 12, 26, 520
_LABEL_CHAR = 6.7  # advance of the 11px monospace label font
_BAND = 18  # height of the service band above the columns
_MARGIN = 8


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One service-level cell: how much the row's service uses the column's."""

    value: str  # "" when there is nothing
    title: str
    kind: str  # "inside" on the diagonal, "cross" off it, "empty"


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """A service and its cells, one per service in column order."""

    link: ServiceLink
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True, slots=True)
class Band:
    """A service's span of rows and columns in the module matrix."""

    link: ServiceLink
    x: int  # left edge of its first column
    y: int  # top edge of its first row
    size: int  # pixels
    name_x: int  # where its name starts in the band above its columns
    show_name: bool  # whether its name fits in that band


@dataclass(frozen=True, slots=True)
class RowLabel:
    """A module's row label."""

    module: str
    y: int  # baseline
    colour: str


@dataclass(frozen=True, slots=True)
class DsmCell:
    """A module-level dependency: the row's module uses the column's."""

    x: int
    y: int
    opacity: str
    cross: bool
    colour: str
    title: str


@dataclass(frozen=True, slots=True)
class ModuleMatrix:
    """The module-by-module matrix, laid out for an SVG."""

    width: int
    height: int
    mark: int  # side of one mark, a pixel less than a cell
    band_y: int  # top of the band of service names above the columns
    name_y: int  # baseline of the names in it
    label_x: int  # right edge of the row labels
    origin_x: int
    origin_y: int
    grid: int  # width and height of the grid in pixels
    bands: tuple[Band, ...]
    labels: tuple[RowLabel, ...]
    cells: tuple[DsmCell, ...]
    description: str


@dataclass(frozen=True, slots=True)
class Matrix:
    """Both matrices and a note on what is left out."""

    services: tuple[ServiceLink, ...]
    rows: tuple[MatrixRow, ...]
    modules: ModuleMatrix | None
    note: str


def build_matrix(plan: Plan, links: Mapping[str, ServiceLink]) -> Matrix | None:
    """The matrices of the plan's module edges; None when the plan has no module."""
    order = [s.name for s in ordered_services(plan.services)]
    if not order:
        return None
    service_of = plan.service_of()
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in plan.module_edges:
        if e.source in service_of and e.target in service_of and e.source != e.target:
            cell = totals[(service_of[e.source], service_of[e.target])]
            cell[0] += e.calls
            cell[1] += e.imports
            cell[2] += e.inheritance
    rows = tuple(
        MatrixRow(link_for(r, links), tuple(_service_cell(r, c, totals) for c in order))
        for r in order
    )
    modules = [m for s in ordered_services(plan.services) for m in sorted(s.modules)]
    module_matrix = None
    note = ""
    if len(modules) > MODULE_LIMIT:
        note = (
            f"The module-by-module matrix is drawn for at most {format_int(MODULE_LIMIT)} "
            f"modules; this plan has {format_int(len(modules))}, so only the service-level "
            "matrix above is shown. Every module edge is in plan.json."
        )
    elif modules:
        module_matrix = _module_matrix(plan, modules, service_of, links)
    return Matrix(tuple(link_for(n, links) for n in order), rows, module_matrix, note)


def _service_cell(row: str, column: str, totals: Mapping[tuple[str, str], list[int]]) -> MatrixCell:
    counts = totals.get((row, column))
    if not counts or not any(counts):
        return MatrixCell("", "", "empty")
    text = format_counts(*counts)
    if row == column:
        return MatrixCell(format_int(sum(counts)), f"inside {row}: {text}", "inside")
    return MatrixCell(format_int(sum(counts)), f"{row} uses {column}: {text}", "cross")


def _module_matrix(
    plan: Plan, modules: list[str], service_of: Mapping[str, str], links: Mapping[str, ServiceLink]
) -> ModuleMatrix:
    index = {m: i for i, m in enumerate(modules)}
    cell = max(CELL_MIN, min(CELL_MAX, GRID_TARGET // len(modules)))
    label_x = math.ceil(max(len(m) for m in modules) * _LABEL_CHAR) + _MARGIN
    origin_x, origin_y = label_x + 10, _BAND + 6
    grid = cell * len(modules)
    edges = [
        e
        for e in plan.module_edges
        if e.source in index and e.target in index and e.source != e.target
    ]
    strongest = max((e.calls + e.imports + e.inheritance for e in edges), default=1)
    cells = []
    for e in sorted(edges, key=lambda e: (index[e.source], index[e.target])):
        weight = e.calls + e.imports + e.inheritance
        source, target = service_of[e.source], service_of[e.target]
        cross = source != target
        opacity = 0.35 + 0.65 * math.log1p(weight) / math.log1p(strongest) if strongest else 1.0
        cells.append(
            DsmCell(
                x=origin_x + index[e.target] * cell,
                y=origin_y + index[e.source] * cell,
                opacity=f"{opacity:.2f}",
                cross=cross,
                colour=link_for(source, links).colour,
                title=f"{e.source} uses {e.target}: "
                f"{format_counts(e.calls, e.imports, e.inheritance)}"
                + (f" (from {source} into {target})" if cross else ""),
            )
        )
    bands = []
    for service in ordered_services(plan.services):
        members = [m for m in service.modules if m in index]
        if not members:
            continue
        start = min(index[m] for m in members) * cell
        size = len(members) * cell
        fits = len(service.name) * _LABEL_CHAR + 8 <= size
        link = link_for(service.name, links)
        bands.append(
            Band(link, origin_x + start, origin_y + start, size, origin_x + start + 4, fits)
        )
    labels = tuple(
        RowLabel(m, round(origin_y + (i + 0.5) * cell + 4), link_for(service_of[m], links).colour)
        for i, m in enumerate(modules)
    )
    crossing = sum(1 for c in cells if c.cross)
    return ModuleMatrix(
        width=origin_x + grid + _MARGIN,
        height=origin_y + grid + _MARGIN,
        mark=cell - 1,
        band_y=2,
        name_y=14,
        label_x=label_x,
        origin_x=origin_x,
        origin_y=origin_y,
        grid=grid,
        bands=tuple(bands),
        labels=labels,
        cells=tuple(cells),
        description=(
            f"Dependency structure matrix of {plural(len(modules), 'module')} ordered by service: "
            f"{plural(len(cells), 'dependency', 'dependencies')}, {format_int(crossing)} of them "
            "across a service boundary."
        ),
    )
