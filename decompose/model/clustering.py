"""The grouping of modules into domains: what `cluster` hands to `derive`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class SharedModule:
    """A module set apart in the shared kernel, with the reason."""

    module: str
    reason: str


@dataclass(frozen=True, slots=True)
class Clustering:
    """Each module's domain (domains numbered 0..k-1 in a content-derived order)."""

    assignment: tuple[tuple[str, int], ...]  # sorted by module
    shared: tuple[SharedModule, ...]  # sorted; these modules are in no domain
    algorithm: str
    modularity: float
    seed: int

    def domains(self) -> dict[int, tuple[str, ...]]:
        """Domain number -> its sorted modules."""
        out: dict[int, list[str]] = {}
        for module, domain in self.assignment:
            out.setdefault(domain, []).append(module)
        return {d: tuple(sorted(ms)) for d, ms in sorted(out.items())}
