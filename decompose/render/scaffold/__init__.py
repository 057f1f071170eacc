"""Scaffold: `Plan` (+ its `ServiceInterfaces`) -> one starter repository per service.

`view` decides what each repository holds (`Repository`, with `functions` and `workflows`),
`render` lays it out through the templates under `decompose/templates/service/`, `manifest`
decides what a run may write over, and `output.write_files` writes it. The shared kernel is no
service: it becomes the layer of every repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from decompose import __version__
from decompose.model.contracts import ServiceInterfaces
from decompose.model.plan import Plan
from decompose.render.output import write_files
from decompose.render.scaffold.contracts import contract_files
from decompose.render.scaffold.interfaces import with_saga_operations
from decompose.render.scaffold.manifest import (
    MANIFEST,
    Decisions,
    check_relative,
    decide,
    remove_files,
    sha256,
)
from decompose.render.scaffold.render import render_repository
from decompose.render.scaffold.view import build_repository, repository_folders

__all__ = ["MANIFEST", "ScaffoldResult", "render_repositories", "write_scaffold"]

CONTRACTS = "contracts"


@dataclass(frozen=True, slots=True)
class ScaffoldResult:
    """What a scaffold run did, every path absolute and sorted."""

    repositories: tuple[Path, ...]
    written: tuple[Path, ...]  # created or rewritten (manifests included)
    unchanged: tuple[Path, ...]
    conflicts: tuple[Path, ...]  # edited by the user: kept, the new version beside as .new
    removed: tuple[Path, ...]  # generated before, not any more, never edited
    orphans: tuple[Path, ...]  # generated before, not any more, edited: kept


def render_repositories(plan: Plan, interfaces: ServiceInterfaces) -> dict[str, dict[str, str]]:
    """Repository folder -> (relative path -> text), for every service but the shared kernel."""
    folders = repository_folders(plan)
    interfaces = with_saga_operations(interfaces)
    repositories: dict[str, dict[str, str]] = {}
    for service in plan.services:
        if service.is_shared:
            continue
        contracts = {
            f"{CONTRACTS}/{check_relative(path)}": text
            for path, text in contract_files(interfaces, service.name).items()
        }
        folder = folders[service.name]
        repo = build_repository(plan, interfaces, service, folder, tuple(sorted(contracts)))
        repositories[folder] = {**render_repository(repo), **contracts}
    return repositories


def write_scaffold(
    plan: Plan,
    plan_bytes: bytes,
    out: Path,
    *,
    interfaces: ServiceInterfaces | None = None,
    force: bool = False,
) -> ScaffoldResult:
    """Write the repositories of `plan` (read from `plan_bytes`) under `out`.

    Everything is rendered before the disk is touched; files edited since the last run are
    kept (see `manifest`) unless `force`.
    """
    root = out.resolve()
    plan_hash = sha256(plan_bytes)
    names = {v: k for k, v in repository_folders(plan).items()}
    decisions = Decisions()
    repositories = render_repositories(plan, plan.interfaces if interfaces is None else interfaces)
    for folder, files in sorted(repositories.items()):
        found = decide(root, folder, names[folder], files, __version__, plan_hash, force=force)
        decisions.write.update(found.write)
        decisions.unchanged.extend(found.unchanged)
        decisions.conflicts.extend(found.conflicts)
        decisions.remove.extend(found.remove)
        decisions.orphans.extend(found.orphans)
    written = write_files(root, decisions.write) if decisions.write else ()
    removed = remove_files(root, decisions.remove)
    return ScaffoldResult(
        repositories=tuple(sorted(root / f for f in names)),
        written=written,
        unchanged=tuple(sorted(root / p for p in decisions.unchanged)),
        conflicts=tuple(sorted(root / p for p in decisions.conflicts)),
        removed=removed,
        orphans=tuple(sorted(root / p for p in decisions.orphans)),
    )
