"""Compare a proposed decomposition with an expected one: MoJo, MoJoFM, ARI and the moves.

A clustering is a mapping from object (a dotted module name) to cluster name. Every measure
is computed on the objects both clusterings share; the others are ignored.

References:
- Tzerpos & Holt, "MoJo: A distance metric for software clusterings", WCRE 1999.
- Wen & Tzerpos, "An optimal algorithm for MoJo distance", IWPC 2003.
- Wen & Tzerpos, "An effectiveness measure for software clustering algorithms", IWPC 2004.
- Hubert & Arabie, "Comparing partitions", Journal of Classification 2, 1985.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

__all__ = [
    "Comparison",
    "ExpectedDomains",
    "Move",
    "adjusted_rand_index",
    "compare_partitions",
    "load_expected",
    "mojo",
    "mojofm",
    "moves_needed",
]

_GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True, slots=True, order=True)
class Move:
    """One object that must change cluster to turn clustering A into clustering B."""

    module: str
    from_cluster: str  # its cluster in A
    to_cluster: str  # its cluster in B


@dataclass(frozen=True, slots=True)
class Comparison:
    """How far a candidate clustering is from an expected one, on their shared objects."""

    mojofm: float
    ari: float
    moves: tuple[Move, ...]
    common: int
    only_in_candidate: tuple[str, ...]
    only_in_expected: tuple[str, ...]


def _common(a: Mapping[str, str], b: Mapping[str, str]) -> list[str]:
    return sorted(a.keys() & b.keys())


def _best_tags(
    a: Mapping[str, str], b: Mapping[str, str], objects: Sequence[str]
) -> dict[str, list[str]]:
    """A cluster -> the B clusters it shares the most objects with (sorted names)."""
    overlaps: dict[str, Counter[str]] = {}
    for obj in objects:
        overlaps.setdefault(a[obj], Counter())[b[obj]] += 1
    best: dict[str, list[str]] = {}
    for cluster, row in sorted(overlaps.items()):
        top = max(row.values())
        best[cluster] = sorted(tag for tag, count in row.items() if count == top)
    return best


def _maximum_matching(candidates: Sequence[Sequence[str]]) -> list[str | None]:
    """An exact maximum-cardinality matching of left vertices (indices) to right vertices."""
    chosen: list[str | None] = [None] * len(candidates)
    owner: dict[str, int] = {}
    for root in range(len(candidates)):
        _augment(root, candidates, chosen, owner)
    return chosen


def _augment(
    root: int,
    candidates: Sequence[Sequence[str]],
    chosen: list[str | None],
    owner: dict[str, int],
) -> None:
    """Grow the matching by one edge if an augmenting path starts at `root` (Kuhn's method)."""
    # Breadth-first rather than recursive: thousands of singleton clusters must not hit the
    # recursion limit.
    reached_from: dict[str, int] = {}
    queue = deque([root])
    while queue:
        left = queue.popleft()
        for right in candidates[left]:
            if right in reached_from:
                continue
            reached_from[right] = left
            if right not in owner:
                _flip_path(right, reached_from, chosen, owner)
                return
            queue.append(owner[right])


def _flip_path(
    free_right: str,
    reached_from: Mapping[str, int],
    chosen: list[str | None],
    owner: dict[str, int],
) -> None:
    current: str | None = free_right
    while current is not None:
        left = reached_from[current]
        previous = chosen[left]
        chosen[left] = current
        owner[current] = left
        current = previous


def _groups(a: Mapping[str, str], b: Mapping[str, str], objects: Sequence[str]) -> dict[str, str]:
    """A cluster -> the B cluster (group) it is sent to by the optimal MoJo tag assignment.

    Wen & Tzerpos 2003: mno = moves + joins = (n - sum of the overlaps used) + (l_A - g), where
    g is the number of non-empty groups. Sending a cluster to a B cluster it shares fewer than
    its maximum with costs at least one more move and saves at most one join, so each cluster
    only needs to consider its maximal overlaps, and g is then a maximum matching between A's
    clusters and their maximal-overlap B clusters.
    """
    best = _best_tags(a, b, objects)
    clusters = list(best)
    matched = _maximum_matching([best[c] for c in clusters])
    # An unmatched cluster joins a group that already exists: every one of its maximal tags is
    # matched, or the matching would not be maximum.
    return {c: m if m is not None else best[c][0] for c, m in zip(clusters, matched, strict=True)}


def _moves(
    a: Mapping[str, str], b: Mapping[str, str], objects: Sequence[str], groups: Mapping[str, str]
) -> tuple[Move, ...]:
    return tuple(Move(obj, a[obj], b[obj]) for obj in objects if b[obj] != groups[a[obj]])


def mojo(a: Mapping[str, str], b: Mapping[str, str]) -> int:
    """One-directional MoJo distance mno(A, B): fewest Move and Join operations from A to B."""
    objects = _common(a, b)
    groups = _groups(a, b, objects)
    joins = len(groups) - len(set(groups.values()))
    return len(_moves(a, b, objects, groups)) + joins


def moves_needed(a: Mapping[str, str], b: Mapping[str, str]) -> tuple[Move, ...]:
    """The objects the optimal MoJo transformation of A into B moves, sorted by module."""
    objects = _common(a, b)
    return _moves(a, b, objects, _groups(a, b, objects))


def _max_mojo(sizes: Iterable[int]) -> int:
    """max over every partition A' of mno(A', B), given the sizes of B's clusters.

    Wen & Tzerpos 2004: max mno(forall A, B) = n - l + l - g = n - g, where g is found by
    walking B's cluster sizes in ascending order and counting one more group each time a
    cluster is larger than the count so far.
    """
    ordered = sorted(sizes)
    groups = 0
    for size in ordered:
        if size > groups:
            groups += 1
    return sum(ordered) - groups


def mojofm(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """MoJoFM(A, B) = 1 - mno(A, B) / max mno(forall A', B), a fraction in [0, 1]."""
    objects = _common(a, b)
    if len(objects) <= 1:
        return 1.0
    worst = _max_mojo(Counter(b[obj] for obj in objects).values())
    if worst == 0:
        return 1.0
    return 1.0 - mojo(a, b) / worst


def _pairs(counts: Iterable[int]) -> int:
    return sum(count * (count - 1) // 2 for count in counts)


def adjusted_rand_index(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Hubert & Arabie's adjusted Rand index of A and B, from the contingency table."""
    objects = _common(a, b)
    together = _pairs(Counter((a[obj], b[obj]) for obj in objects).values())
    pairs_a = _pairs(Counter(a[obj] for obj in objects).values())
    pairs_b = _pairs(Counter(b[obj] for obj in objects).values())
    total = _pairs([len(objects)])
    # (index - expected) / (mean - expected) with expected = pairs_a * pairs_b / total and
    # mean = (pairs_a + pairs_b) / 2, both sides scaled by 2 * total to stay in integers.
    numerator = 2 * (total * together - pairs_a * pairs_b)
    denominator = total * (pairs_a + pairs_b) - 2 * pairs_a * pairs_b
    # The denominator is pairs_a * (total - pairs_b) + pairs_b * (total - pairs_a): zero only
    # when both are all-singletons or both are one cluster (or n <= 1), i.e. identical.
    if denominator == 0:
        return 1.0
    return numerator / denominator


def compare_partitions(candidate: Mapping[str, str], expected: Mapping[str, str]) -> Comparison:
    """Score `candidate` against `expected` (MoJoFM is directed: candidate -> expected)."""
    return Comparison(
        mojofm=mojofm(candidate, expected),
        ari=adjusted_rand_index(candidate, expected),
        moves=moves_needed(candidate, expected),
        common=len(candidate.keys() & expected.keys()),
        only_in_candidate=tuple(sorted(candidate.keys() - expected.keys())),
        only_in_expected=tuple(sorted(expected.keys() - candidate.keys())),
    )


def _is_glob(pattern: str) -> bool:
    return not _GLOB_CHARACTERS.isdisjoint(pattern)


@dataclass(frozen=True, slots=True)
class ExpectedDomains:
    """An expected decomposition: dotted module names or fnmatch globs -> domain."""

    source: Path
    patterns: tuple[tuple[str, str], ...]  # (name or glob, domain), sorted

    def assign(self, modules: Iterable[str]) -> dict[str, str]:
        """Each matched module -> its domain; exact names beat globs, longer globs beat shorter."""
        exact = dict(self.patterns)
        globs = [(p, d) for p, d in self.patterns if _is_glob(p)]
        out: dict[str, str] = {}
        for module in sorted(set(modules)):
            domain = exact.get(module)
            if domain is None:
                domain = _best_glob(module, globs)
            if domain is not None:
                out[module] = domain
        return out

    def unmatched(self, modules: Iterable[str]) -> tuple[str, ...]:
        """The modules no name or glob assigns a domain, sorted."""
        names = set(modules)
        return tuple(sorted(names - self.assign(names).keys()))


def _best_glob(module: str, globs: Sequence[tuple[str, str]]) -> str | None:
    """The domain of the longest matching glob (ties: the lexicographically smallest)."""
    # fnmatchcase, not fnmatch: module names are case-sensitive on every platform.
    matching = [(-len(p), p, d) for p, d in globs if fnmatchcase(module, p)]
    return min(matching)[2] if matching else None


def load_expected(path: Path) -> ExpectedDomains:
    """Read expected domains from TOML (`[modules]`), JSON (`{"modules": ...}`) or a saved plan."""
    path = Path(path)
    text = _read_text(path)
    is_json = _looks_like_json(path, text)
    data = _parse_json(path, text) if is_json else _parse_toml(path, text)
    modules = _modules_table(path, data, is_json)
    return ExpectedDomains(source=path, patterns=tuple(sorted(modules.items())))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise ValueError(f"{path}: cannot read file: {exc.strerror or exc}") from exc


def _looks_like_json(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".json", ".toml"):
        return suffix == ".json"
    # A TOML document cannot start with "{", so sniffing unknown suffixes is unambiguous.
    return text.lstrip().startswith("{")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _parse_json(path: Path, text: str) -> object:
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: invalid JSON: {_one_line(exc)}") from exc
    return data


def _parse_toml(path: Path, text: str) -> object:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML: {_one_line(exc)}") from exc


def _modules_table(path: Path, data: object, is_json: bool) -> dict[str, str]:
    table_name = '"modules" object' if is_json else "[modules] table"
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object at the top level")
    modules = data.get("modules")
    if modules is None:
        raise ValueError(f"{path}: no {table_name}")
    if not isinstance(modules, dict):
        raise ValueError(f"{path}: {table_name} must map module names to domains")
    if not modules:
        raise ValueError(f"{path}: {table_name} is empty")
    return {str(key): _domain(path, str(key), value, is_json) for key, value in modules.items()}


def _domain(path: Path, key: str, value: object, is_json: bool) -> str:
    if isinstance(value, dict) and not is_json:
        # An unquoted dotted key (shop.orders = "x") makes nested tables in TOML.
        raise ValueError(
            f'{path}: modules.{key} is a table, not a domain; quote dotted names: "{key}.x" = ...'
        )
    if not isinstance(value, str):
        raise ValueError(f"{path}: domain of {key!r} must be a string, not {type(value).__name__}")
    if not key or not value:
        raise ValueError(f"{path}: empty module name or domain in {key!r} = {value!r}")
    return value
