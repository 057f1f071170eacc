"""Hybrid granularity: split a module whose top-level symbols pull toward different domains.

On the symbol graph (calls, imports and base classes between top-level classes, functions and
module code; counts weigh 1 + ln(count), each kind by its signal weight), each symbol's pull
toward a domain is its edge weight to symbols of other modules in that domain. A class or
function moves to another domain when its pull there is at least MIN_PULL and exceeds its pull
toward its module's domain plus its ties to the symbols of its module that stay. The module's
own top-level code always stays, and so does at least one class or function: a module whose
every symbol leaves belongs elsewhere as a whole, which is the module-level clustering's call.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

from decompose.model import SHARED_DOMAIN, ModuleGraph, SymbolKind, SymbolSplit

MIN_PULL = 2.0  # about two call sites' worth: one stray call does not split a module


def split_modules(
    graph: ModuleGraph, domain_of: Mapping[str, int], weights: Mapping[str, float]
) -> tuple[dict[str, int], tuple[SymbolSplit, ...]]:
    """Every symbol's domain (its module's unless split off), and the splits."""
    module_of = {s.qualname: s.module for s in graph.symbols}
    links: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for edge in graph.symbol_edges:
        w = weights.get(edge.kind.value, 0.0) * (1.0 + math.log(max(edge.weight, 1.0)))
        if w > 0 and edge.source in module_of and edge.target in module_of:
            links[edge.source][edge.target] += w
            links[edge.target][edge.source] += w
    by_module: dict[str, list[str]] = defaultdict(list)
    for s in graph.symbols:
        by_module[s.module].append(s.qualname)
    kinds = {s.qualname: s.kind for s in graph.symbols}
    symbol_domain: dict[str, int] = {}
    splits = []
    for module, symbols in sorted(by_module.items()):
        home = domain_of.get(module, SHARED_DOMAIN)
        moves = {} if home == SHARED_DOMAIN else _movers(module, symbols, home, links, module_of,
                                                         domain_of, kinds)  # fmt: skip
        for symbol in symbols:
            symbol_domain[symbol] = moves.get(symbol, home)
        if moves:
            going: dict[int, list[str]] = defaultdict(list)
            for symbol, target in sorted(moves.items()):
                going[target].append(symbol)
            stays = tuple(sorted(s for s in symbols if s not in moves))
            splits.append(
                SymbolSplit(
                    module, home, stays, tuple((d, tuple(ss)) for d, ss in sorted(going.items()))
                )
            )
    return symbol_domain, tuple(splits)


def _movers(
    module: str,
    symbols: list[str],
    home: int,
    links: Mapping[str, Mapping[str, float]],
    module_of: Mapping[str, str],
    domain_of: Mapping[str, int],
    kinds: Mapping[str, SymbolKind],
) -> dict[str, int]:
    movable = [s for s in symbols if kinds[s] is not SymbolKind.MODULE]
    if len(movable) < 2:
        return {}
    pull: dict[str, dict[int, float]] = {}
    for s in movable:
        toward: dict[int, float] = defaultdict(float)
        for other, w in links.get(s, {}).items():
            if module_of[other] != module:
                d = domain_of.get(module_of[other], SHARED_DOMAIN)
                if d != SHARED_DOMAIN:
                    toward[d] += w
        pull[s] = toward
    own = set(symbols)
    moves: dict[str, int] = {}
    for _ in range(len(movable)):  # moving one symbol can loosen another's ties: repeat
        changed = False
        for s in movable:
            if s in moves:
                continue
            ties = sum(w for o, w in links.get(s, {}).items() if o in own and o not in moves)
            rivals = {d: w for d, w in pull[s].items() if d != home}
            if not rivals:
                continue
            target = min(rivals, key=lambda d: (-rivals[d], d))
            if rivals[target] >= MIN_PULL and rivals[target] > pull[s].get(home, 0.0) + ties:
                moves[s] = target
                changed = True
        if not changed:
            break
    if len(moves) == len(movable):
        return {}
    return moves
