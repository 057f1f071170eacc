"""Why each module is where it is: `Plan` -> one `Explanation` per module, worded for a reader.

The plan's own explanations come first: what binds a module to its service and what pulls it
toward another, in the combined affinity the clustering used (every signal). A module the plan
has no explanation for (a plan written before they existed, or a module left out of the
affinity) is explained from the structural module edges instead: its calls, imports and base
classes in both directions, weighted like the clustering weighted them.

Either way the shared kernel is no rival: it becomes a library every service may use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from decompose.model.plan import SHARED_SERVICE, ModuleExplanation, Plan
from decompose.render.format import format_counts, format_float, format_percent

# How many ties an explanation lists for its own service and for the strongest other one.
TIE_LIMIT = 3
# The clustering's default weights, for a plan that recorded none of these signals.
_DEFAULT_WEIGHTS = {"call": 1.0, "import": 0.5, "inheritance": 0.5}


@dataclass(frozen=True, slots=True)
class Tie:
    """What links a module to one other module."""

    module: str
    how: str  # "uses · 3 calls · 1 import", or "affinity 2.4: call 2 · semantic 0.4"
    strength: float


@dataclass(frozen=True, slots=True)
class Pull:
    """How strongly a module is tied to one other service, and through which modules."""

    service: str
    amount: str  # "35.0% of its ties" or "affinity 1.3"
    ties: tuple[Tie, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why one module belongs to its service."""

    module: str
    service: str
    summary: str
    own: tuple[Tie, ...]  # strongest ties inside its own service
    own_amount: str
    pull: Pull | None  # strongest pull toward another service
    reason: str  # why it is in the shared kernel; "" for a module of a service
    pulled_away: float  # how much harder another service pulls than its own (0 if none does)


def edge_weights(plan: Plan) -> tuple[float, float, float]:
    """Weights of calls, imports and base classes as the plan's clustering used them."""
    recorded = dict(plan.weights)
    weights = tuple(
        recorded.get(name, _DEFAULT_WEIGHTS[name]) for name in ("call", "import", "inheritance")
    )
    # All three switched off would make every tie weigh nothing: count edges instead.
    return (weights[0], weights[1], weights[2]) if any(weights) else (1.0, 1.0, 1.0)


def explain_modules(plan: Plan) -> dict[str, Explanation]:
    """An explanation for every module of the plan, by module name."""
    service_of = plan.service_of()
    reasons = {r.module: r.reason for r in plan.shared}
    kernel = {s.name for s in plan.services if s.is_shared} | {SHARED_SERVICE}
    given = {e.module: e for e in plan.explanations}
    ties = _ties(plan, service_of)
    explained: dict[str, Explanation] = {}
    for module, service in sorted(service_of.items()):
        reason = reasons.get(module, "")
        if module in given:
            explained[module] = _from_plan(given[module], service, reason)
        else:
            explained[module] = _from_edges(module, service, ties.get(module, {}), reason, kernel)
    return explained


# --- from the plan's explanations ------------------------------------------------------------


def _from_plan(given: ModuleExplanation, service: str, reason: str) -> Explanation:
    bind, rival = given.bind_weight, given.rival_weight
    pull = None
    if given.rival is not None and rival > 0:
        pull = Pull(given.rival, f"affinity {format_float(rival)}", _affinities(given, True))
    return Explanation(
        module=given.module,
        service=service,
        summary=_plan_summary(service, bind, given.rival, rival, reason),
        own=_affinities(given, False),
        own_amount=f"affinity {format_float(bind)}" if given.binds else "",
        pull=pull,
        reason=reason,
        pulled_away=(rival - bind) / (rival + bind) if rival > bind and not reason else 0.0,
    )


def _affinities(given: ModuleExplanation, rival: bool) -> tuple[Tie, ...]:
    return tuple(
        Tie(
            module=p.module,
            how=f"affinity {format_float(p.weight)}: "
            + " · ".join(f"{name} {format_float(part)}" for name, part in p.signals if part),
            strength=p.weight,
        )
        for p in (given.pulls if rival else given.binds)[:TIE_LIMIT]
    )


def _plan_summary(service: str, bind: float, rival: str | None, pulled: float, reason: str) -> str:
    if reason:
        return f"In the shared kernel: {reason.rstrip('.')}."
    if bind <= 0 and (rival is None or pulled <= 0):
        return (
            "Nothing in the combined affinity (calls, imports, base classes, vocabulary, "
            f"package) ties it to another service's module: it joined {service} on its own."
        )
    held = f"Bound to {service} with affinity {format_float(bind)}"
    if rival is None or pulled <= 0:
        return f"{held}; nothing pulls it toward another service."
    if bind >= pulled:
        return f"{held}, more than the {format_float(pulled)} pulling it toward {rival}."
    return (
        f"Pulled toward {rival} with affinity {format_float(pulled)}, more than the "
        f"{format_float(bind)} binding it to {service}: the consensus of the clustering runs "
        "or a constraint kept it here. A candidate to move."
    )


# --- from the structural module edges --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Edges:
    """The structural edges between a module and one neighbour, both directions."""

    service: str
    tie: Tie


def _ties(plan: Plan, service_of: Mapping[str, str]) -> dict[str, dict[str, _Edges]]:
    w_call, w_import, w_base = edge_weights(plan)
    # module -> neighbour -> [calls, imports, bases] out, then the same in.
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 6))
    for e in plan.module_edges:
        if e.source == e.target or e.source not in service_of or e.target not in service_of:
            continue
        out = counts[e.source][e.target]
        back = counts[e.target][e.source]
        for i, n in enumerate((e.calls, e.imports, e.inheritance)):
            out[i] += n
            back[3 + i] += n
    ties: dict[str, dict[str, _Edges]] = {}
    for module, neighbours in counts.items():
        ties[module] = {}
        for other, c in neighbours.items():
            calls, imports, bases = c[0] + c[3], c[1] + c[4], c[2] + c[5]
            uses, used = any(c[:3]), any(c[3:])
            direction = "uses and used by" if uses and used else "uses" if uses else "used by"
            tie = Tie(
                module=other,
                how=f"{direction} · {format_counts(calls, imports, bases)}",
                strength=calls * w_call + imports * w_import + bases * w_base,
            )
            ties[module][other] = _Edges(service_of[other], tie)
    return ties


def _strongest(ties: list[Tie]) -> tuple[Tie, ...]:
    return tuple(sorted(ties, key=lambda t: (-t.strength, t.module))[:TIE_LIMIT])


def _from_edges(
    module: str, service: str, ties: Mapping[str, _Edges], reason: str, kernel: set[str]
) -> Explanation:
    by_service: dict[str, list[Tie]] = defaultdict(list)
    for edges in ties.values():
        by_service[edges.service].append(edges.tie)
    strength = {s: sum(t.strength for t in ts) for s, ts in by_service.items()}
    in_kernel = service in kernel
    # The shared kernel is a library every service may use: ties to it hold a module nowhere.
    counted = {s: w for s, w in strength.items() if in_kernel or s not in kernel}
    total = sum(counted.values())
    own = counted.get(service, 0.0)
    others = sorted((s for s in counted if s != service), key=lambda s: (-counted[s], s))
    pulled = counted[others[0]] if others else 0.0
    pull = None
    if pulled > 0:
        best = others[0]
        share = format_percent(pulled / total)
        pull = Pull(best, f"{share} of its ties", _strongest(by_service[best]))
    library = 0.0 if in_kernel else sum(w for s, w in strength.items() if s in kernel)
    summary = _edges_summary(service, own, total, pull, pulled, reason)
    if library > 0:
        share = format_percent(library / (library + total))
        summary += f" {share} of all its ties go to the shared kernel, which becomes a library."
    return Explanation(
        module=module,
        service=service,
        summary=summary,
        own=_strongest(by_service.get(service, [])),
        own_amount=f"{format_percent(own / total)} of its ties" if total else "",
        pull=pull,
        reason=reason,
        pulled_away=(pulled - own) / total if total and pulled > own and not reason else 0.0,
    )


def _edges_summary(
    service: str, own: float, total: float, pull: Pull | None, pulled: float, reason: str
) -> str:
    if reason:
        return f"In the shared kernel: {reason.rstrip('.')}."
    if total <= 0:
        return (
            "No weighted call, import or base-class tie links it to another service's code: "
            f"it joined {service} through the vocabulary of its code or its package."
        )
    held = f"{format_percent(own / total)} of its ties to service code are with {service}"
    if pull is None:
        return f"{held}; none reach another service."
    share = format_percent(pulled / total)
    if own >= pulled:
        return f"{held}; the strongest pull elsewhere is {share}, toward {pull.service}."
    return (
        f"Only {held}, less than the {share} toward {pull.service}: the other signals "
        "(vocabulary, package) kept it here. A candidate to move."
    )
