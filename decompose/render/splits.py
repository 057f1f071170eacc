"""Module splits: `Plan` -> `SplitRow`s, modules whose symbols belong to different services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import Plan
from decompose.render.links import ServiceLink, link_for


@dataclass(frozen=True, slots=True)
class SplitMove:
    """Symbols of a split module that move to another service."""

    target: ServiceLink
    symbols: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SplitRow:
    """A module cut in parts: what stays with its service and what moves where."""

    module: str
    service: ServiceLink
    stays: tuple[str, ...]  # the first `STAYS_SHOWN`: what moves matters, what stays is context
    stays_more: int
    moves: tuple[SplitMove, ...]


MODULE_BODY = "(module body)"
STAYS_SHOWN = 10


def build_splits(plan: Plan, links: Mapping[str, ServiceLink]) -> tuple[SplitRow, ...]:
    """Every split the plan proposes, by module, symbols named relative to their module."""
    return tuple(
        SplitRow(
            module=s.module,
            service=link_for(s.service, links),
            stays=_names(s.module, s.stays)[:STAYS_SHOWN],
            stays_more=max(0, len(s.stays) - STAYS_SHOWN),
            moves=tuple(
                SplitMove(link_for(target, links), _names(s.module, symbols))
                for target, symbols in sorted(s.moves)
            ),
        )
        for s in sorted(plan.splits, key=lambda s: s.module)
    )


def qualified(module: str, symbol: str) -> str:
    """A split's symbol as a qualified name, whether the plan gave it qualified or not."""
    return symbol if symbol == module or symbol.startswith(module + ".") else f"{module}.{symbol}"


def _names(module: str, symbols: tuple[str, ...]) -> tuple[str, ...]:
    short = {qualified(module, s).removeprefix(module).lstrip(".") or MODULE_BODY for s in symbols}
    return tuple(sorted(short))
