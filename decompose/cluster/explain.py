"""Explanations: what binds each module to its domain, and what pulls it toward another.

Read off the combined affinity, so an explanation weighs the signals exactly as the clustering
did: the strongest edges to modules of the same domain, the domain (other than its own) with
the most affinity, and the strongest edges toward it, each with every signal's part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from decompose.cluster.affinity import Affinity
from decompose.model import SHARED_DOMAIN, Explanation, Pull

EDGES_SHOWN = 3


def explain(affinity: Affinity, domain_of: Mapping[str, int]) -> tuple[Explanation, ...]:
    """One explanation per module of the affinity (shared-kernel modules: SHARED_DOMAIN)."""
    neighbours = affinity.neighbours()
    out = []
    for module in affinity.modules:
        home = domain_of.get(module, SHARED_DOMAIN)
        per_domain: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for other, w in neighbours[module].items():
            per_domain[domain_of.get(other, SHARED_DOMAIN)].append((w, other))
        own = per_domain.pop(home, [])
        per_domain.pop(SHARED_DOMAIN, None)  # the kernel is a library, not a rival service
        totals = {d: sum(w for w, _ in edges) for d, edges in per_domain.items()}
        rival = min(totals, key=lambda d: (-totals[d], d)) if totals else None
        out.append(
            Explanation(
                module=module,
                domain=home,
                bind_weight=_round(sum(w for w, _ in own)),
                binds=_strongest(affinity, module, own),
                rival=rival,
                rival_weight=_round(totals[rival]) if rival is not None else 0.0,
                pulls=_strongest(
                    affinity, module, per_domain.get(rival, []) if rival is not None else []
                ),
            )
        )
    return tuple(out)


def _strongest(affinity: Affinity, module: str, edges: list[tuple[float, str]]) -> tuple[Pull, ...]:
    ranked = sorted(edges, key=lambda e: (-e[0], e[1]))[:EDGES_SHOWN]
    return tuple(
        Pull(
            other,
            _round(w),
            tuple(sorted((s, _round(v)) for s, v in affinity.signals(module, other).items())),
        )
        for w, other in ranked
    )


def _round(value: float) -> float:
    return float(round(value, 4))
