"""The grouping of modules into domains: what `cluster` hands to `derive`."""

from __future__ import annotations

from dataclasses import dataclass

SHARED_DOMAIN = -1  # the domain number of the shared kernel wherever one is needed


@dataclass(frozen=True, slots=True, order=True)
class SharedModule:
    """A module set apart in the shared kernel, with the reason."""

    module: str
    reason: str


@dataclass(frozen=True, slots=True)
class Metrics:
    """Quality of one partition of the modules into services (definitions in `cluster`)."""

    services: int
    modularity: float  # Newman's Q on the combined affinity
    structural_modularity: float  # SM: cohesion minus coupling of the dependency graph
    turbomq: float  # Bunch's TurboMQ: sum of the cluster factors
    icp: float  # inter-call percentage: share of calls that cross a service boundary
    ifn: float  # interface number: mean count of symbols a service exposes to the others
    ned: float  # non-extreme distribution: share of classes in services of < 5 or > 20 classes
    # share of transactions whose code and written entities stay in one service; None when the
    # code has no transaction scope writing an entity
    transactions_kept: float | None = None


@dataclass(frozen=True, slots=True)
class FrontierPoint:
    """One candidate number of services and the quality of the partition that has it."""

    metrics: Metrics
    chosen: bool


@dataclass(frozen=True, slots=True, order=True)
class Pull:
    """One edge of an explanation: the other module, the combined affinity, each signal's part."""

    module: str
    weight: float
    signals: tuple[tuple[str, float], ...]  # signal -> its part of `weight`, sorted by signal


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a module is where it is: what binds it to its domain, what pulls it elsewhere."""

    module: str
    domain: int  # SHARED_DOMAIN for the shared kernel
    bind_weight: float  # total affinity to the other modules of its domain
    binds: tuple[Pull, ...]  # strongest first
    rival: int | None  # the other domain with the most affinity, if any
    rival_weight: float
    pulls: tuple[Pull, ...]  # strongest edges towards the rival, strongest first


@dataclass(frozen=True, slots=True)
class SymbolSplit:
    """A module whose top-level symbols belong to different domains, split at symbol level."""

    module: str
    domain: int  # the domain the module itself stays in
    stays: tuple[str, ...]  # symbols staying (sorted)
    moves: tuple[tuple[int, tuple[str, ...]], ...]  # domain -> symbols moving there (sorted)


@dataclass(frozen=True, slots=True)
class ConstraintReport:
    """The user's constraints as applied, and what they cost against an unconstrained run."""

    pins: tuple[tuple[str, str], ...]  # module -> service name it is pinned to (sorted)
    must_link: tuple[tuple[str, str], ...]
    cannot_link: tuple[tuple[str, str], ...]
    unconstrained: Metrics
    moved: int  # modules placed differently from the unconstrained run


@dataclass(frozen=True, slots=True)
class Clustering:
    """Each module's domain (domains numbered 0..k-1 in a content-derived order), and why."""

    assignment: tuple[tuple[str, int], ...]  # sorted by module
    shared: tuple[SharedModule, ...]  # sorted; these modules are in no domain
    algorithm: str
    modularity: float
    seed: int
    names: tuple[tuple[int, str], ...] = ()  # domains named by a pin
    symbols: tuple[tuple[str, int], ...] = ()  # every symbol -> domain (SHARED_DOMAIN: shared)
    splits: tuple[SymbolSplit, ...] = ()
    stability: tuple[tuple[int, float], ...] = ()  # domain -> how often it stays together
    metrics: Metrics | None = None
    frontier: tuple[FrontierPoint, ...] = ()  # by number of services
    explanations: tuple[Explanation, ...] = ()  # sorted by module
    constraints: ConstraintReport | None = None
    notes: tuple[str, ...] = ()  # constraints ignored, and why
    transactions_note: str = ""  # how `Metrics.transactions_kept` is counted, or why it is None

    def domains(self) -> dict[int, tuple[str, ...]]:
        """Domain number -> its sorted modules."""
        out: dict[int, list[str]] = {}
        for module, domain in self.assignment:
            out.setdefault(domain, []).append(module)
        return {d: tuple(sorted(ms)) for d, ms in sorted(out.items())}


@dataclass(frozen=True, slots=True)
class Constraints:
    """What the user fixed in advance: pins, and pairs that must or must not share a service."""

    pins: tuple[tuple[str, str], ...] = ()  # module glob -> service name, in the user's order
    must_link: tuple[tuple[str, str], ...] = ()  # module pairs
    cannot_link: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.pins or self.must_link or self.cannot_link)
