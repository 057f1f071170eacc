"""The user's constraints: pins (module globs -> service), must-link and cannot-link pairs.

How they are honoured:
- must-link pairs and modules pinned to the same service are contracted into one unit before
  clustering, so no algorithm can separate them;
- modules pinned to different services, and cannot-link pairs, are kept apart after clustering:
  of two conflicting units in one domain, the unpinned one (else the one less tied to the rest
  of the domain) moves to the domain it has the most affinity with among those it does not
  conflict with, or to a new domain of its own;
- a constrained module is never set apart in the shared kernel, unless it is pinned to it.
A glob matching no module, or a pair naming an unknown module, is ignored with a note;
contradictory constraints (a must-link pair pinned to different services, a pair both must and
cannot link) are a configuration error naming them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

import numpy as np
from scipy import sparse

from decompose.errors import ConfigError
from decompose.model import SHARED_SERVICE, Constraints


@dataclass(slots=True)
class Resolved:
    """Constraints resolved against the analysed modules."""

    pin_of: dict[str, str] = field(default_factory=dict)  # module -> pinned service
    must_link: list[tuple[str, str]] = field(default_factory=list)
    cannot_link: list[tuple[str, str]] = field(default_factory=list)
    unit_of: dict[str, str] = field(default_factory=dict)  # module -> its unit's first module
    notes: list[str] = field(default_factory=list)

    @property
    def constrained(self) -> frozenset[str]:
        """Modules named by any constraint."""
        named = set(self.pin_of) | {m for pair in self.must_link + self.cannot_link for m in pair}
        return frozenset(named)


def resolve(constraints: Constraints, modules: Sequence[str]) -> Resolved:
    """Match the constraints to the modules; contradictions are a `ConfigError`."""
    known = set(modules)
    out = Resolved()
    for pattern, service in sorted(constraints.pins, key=lambda p: (_specificity(p[0]), p)):
        matched = [m for m in sorted(known) if fnmatchcase(m, pattern)]
        if not matched:
            out.notes.append(f"pin {pattern!r} -> {service} matches no module: ignored")
        for module in matched:
            out.pin_of.setdefault(module, service)
    for kind, pairs, target in (
        ("must-link", constraints.must_link, out.must_link),
        ("cannot-link", constraints.cannot_link, out.cannot_link),
    ):
        for a, b in pairs:
            missing = [m for m in (a, b) if m not in known]
            if missing:
                out.notes.append(f"{kind} {a} / {b}: no module {missing[0]}: ignored")
            elif a != b:
                target.append((min(a, b), max(a, b)))
    parent = {m: m for m in sorted(known)}

    def find(m: str) -> str:
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for a, b in out.must_link:
        union(a, b)
    by_pin: dict[str, list[str]] = defaultdict(list)
    for module, service in sorted(out.pin_of.items()):
        if service != SHARED_SERVICE:
            by_pin[service].append(module)
    for members in by_pin.values():
        for other in members[1:]:
            union(members[0], other)
    out.unit_of = {m: find(m) for m in sorted(known)}
    _check(out)
    return out


def _specificity(pattern: str) -> tuple[int, int]:
    """Sort key: exact names first, then longer globs (the more specific pin wins)."""
    exact = not any(c in pattern for c in "*?[")
    return (0 if exact else 1, -len(pattern))


def _check(resolved: Resolved) -> None:
    pins: dict[str, dict[str, str]] = defaultdict(dict)
    for module, service in resolved.pin_of.items():
        pins[resolved.unit_of[module]][service] = module
    for unit, services in sorted(pins.items()):
        if len(services) > 1 or (
            services and SHARED_SERVICE in services and _size(resolved, unit) > 1
        ):
            names = sorted(services)
            raise ConfigError(
                f"constraints: {services[names[0]]} and its must-link partners are pinned to "
                f"different services ({', '.join(names)}): remove a pin or a must-link pair"
            )
    for a, b in resolved.cannot_link:
        if resolved.unit_of[a] == resolved.unit_of[b]:
            raise ConfigError(
                f"constraints: {a} and {b} cannot link, but must-link pairs or a shared pin "
                "join them: remove one of the constraints"
            )


def _size(resolved: Resolved, unit: str) -> int:
    return sum(1 for u in resolved.unit_of.values() if u == unit)


def contract(
    matrix: sparse.csr_matrix, members: Sequence[str], unit_of: Mapping[str, str]
) -> tuple[sparse.csr_matrix, list[str], np.ndarray]:
    """The affinity between units: (matrix, unit names, unit index of each member)."""
    units = sorted({unit_of.get(m, m) for m in members})
    position = {u: i for i, u in enumerate(units)}
    which = np.array([position[unit_of.get(m, m)] for m in members], dtype=np.int64)
    onehot = sparse.csr_matrix(
        (np.ones(len(members)), (np.arange(len(members)), which)), shape=(len(members), len(units))
    )
    contracted = (onehot.T @ matrix @ onehot).tolil()
    contracted.setdiag(0.0)
    return contracted.tocsr(), units, which


def enforce(
    assignment: Mapping[str, int],
    resolved: Resolved,
    neighbours: Mapping[str, Mapping[str, float]],
) -> dict[str, int]:
    """Move conflicting units apart (see the module docstring); returns the new assignment."""
    placed = dict(assignment)
    units: dict[str, list[str]] = defaultdict(list)
    for module in sorted(placed):
        units[resolved.unit_of.get(module, module)].append(module)
    pin = {resolved.unit_of.get(m, m): s for m, s in resolved.pin_of.items()}
    apart: dict[str, set[str]] = defaultdict(set)
    for a, b in resolved.cannot_link:
        ua, ub = resolved.unit_of[a], resolved.unit_of[b]
        apart[ua].add(ub)
        apart[ub].add(ua)
    pinned = sorted(u for u in pin if u in units)
    for i, ua in enumerate(pinned):
        for ub in pinned[i + 1 :]:
            if pin[ua] != pin[ub]:
                apart[ua].add(ub)
                apart[ub].add(ua)
    domain_of = {u: placed[ms[0]] for u, ms in units.items()}
    for _ in range(len(units) + 1):
        conflict = _first_conflict(domain_of, apart)
        if conflict is None:
            break
        mover = _mover(conflict, pin, units, domain_of, neighbours, placed)
        domain_of[mover] = _destination(mover, units, domain_of, apart, neighbours, placed)
        for m in units[mover]:
            placed[m] = domain_of[mover]
    return placed


def _first_conflict(
    domain_of: Mapping[str, int], apart: Mapping[str, set[str]]
) -> tuple[str, str] | None:
    for a in sorted(apart):
        for b in sorted(apart[a]):
            if a < b and a in domain_of and b in domain_of and domain_of[a] == domain_of[b]:
                return a, b
    return None


def _tie(
    unit: str,
    domain: int,
    units: Mapping[str, list[str]],
    neighbours: Mapping[str, Mapping[str, float]],
    placed: Mapping[str, int],
) -> float:
    own = set(units[unit])
    return sum(
        w
        for m in units[unit]
        for other, w in neighbours.get(m, {}).items()
        if other not in own and placed.get(other) == domain
    )


def _mover(
    conflict: tuple[str, str],
    pin: Mapping[str, str],
    units: Mapping[str, list[str]],
    domain_of: Mapping[str, int],
    neighbours: Mapping[str, Mapping[str, float]],
    placed: Mapping[str, int],
) -> str:
    a, b = conflict
    if (a in pin) != (b in pin):
        return b if a in pin else a
    if a in pin:  # both pinned, to different services: the later name moves
        return b if pin[a] < pin[b] else a
    ties = {u: _tie(u, domain_of[u], units, neighbours, placed) for u in conflict}
    return min(conflict, key=lambda u: (ties[u], u == a))


def _destination(
    mover: str,
    units: Mapping[str, list[str]],
    domain_of: Mapping[str, int],
    apart: Mapping[str, set[str]],
    neighbours: Mapping[str, Mapping[str, float]],
    placed: Mapping[str, int],
) -> int:
    current = domain_of[mover]
    blocked = {domain_of[u] for u in apart.get(mover, ()) if u in domain_of} | {current}
    options = sorted(set(domain_of.values()) - blocked)
    ties = {d: _tie(mover, d, units, neighbours, placed) for d in options}
    best = max(options, key=lambda d: (ties[d], -d), default=None)
    if best is not None and ties[best] > 0:
        return best
    return max(domain_of.values()) + 1
