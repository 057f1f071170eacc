"""The contracts folder on disk: rewritten when generated again, never losing an edit.

`contracts/.decompose-manifest.json` records the sha256 of every contract written (the same
manifest as the starter repositories, `scaffold.manifest`). On the next `analyze` or `report`:
a contract still as written is rewritten; one the user edited stays, the new version beside it
as `<file>.new`; the contracts of a service that no longer exists are removed when unedited and
kept (listed) when edited. Without this, renamed services would leave stale contracts behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from decompose import __version__
from decompose.render.contracts import CONTRACTS_FOLDER
from decompose.render.output import write_files
from decompose.render.scaffold.manifest import decide, remove_files, sha256


@dataclass(frozen=True, slots=True)
class ContractsWritten:
    """What writing the contracts did, as absolute paths."""

    written: tuple[Path, ...]  # created or rewritten (`.new` files and the manifest included)
    unchanged: tuple[Path, ...]
    conflicts: tuple[Path, ...]  # edited by the user: kept, the new version beside as `.new`
    removed: tuple[Path, ...]
    orphans: tuple[Path, ...]  # edited, of a service gone: kept


def write_contracts(
    out_dir: Path, contracts: Mapping[str, str], plan_text: str
) -> ContractsWritten:
    """Write `contracts` ("contracts/<service>/..." -> text) under `out_dir`."""
    root = out_dir.resolve()
    prefix = CONTRACTS_FOLDER + "/"
    files = {name.removeprefix(prefix): text for name, text in contracts.items()}
    plan_hash = sha256(plan_text.encode("utf-8"))
    found = decide(
        root, CONTRACTS_FOLDER, CONTRACTS_FOLDER, files, __version__, plan_hash, force=False
    )
    written = write_files(root, found.write) if found.write else ()
    removed = remove_files(root, found.remove)
    return ContractsWritten(
        written=written,
        unchanged=tuple(sorted(root / p for p in found.unchanged)),
        conflicts=tuple(sorted(root / p for p in found.conflicts)),
        removed=removed,
        orphans=tuple(sorted(root / p for p in found.orphans)),
    )
