"""Regeneration without losing work: what to write, keep, set beside or remove.

Each repository carries `.decompose-manifest.json`: the tool version, the hash of the plan it
came from, and the sha256 of every file generated. On the next run a file whose content still
has its recorded hash is ours to rewrite; one that differs was edited, so it stays and the new
version goes beside it as `<file>.new`, unless `force`. A file no longer generated is removed
if it was never edited, and kept (reported) if it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from decompose.errors import OutputError

MANIFEST = ".decompose-manifest.json"
MANIFEST_VERSION = 1  # 1: tool_version, plan_sha256, service, files, new_files
NEW_SUFFIX = ".new"


def sha256(data: bytes) -> str:
    """Hex digest of bytes."""
    return hashlib.sha256(data).hexdigest()


def manifest_text(
    service: str,
    tool_version: str,
    plan_hash: str,
    files: Mapping[str, str],
    new: Mapping[str, str],
) -> str:
    """The manifest of one repository: hashes of the generated files and of the `.new` ones."""
    data = {
        "format_version": MANIFEST_VERSION,
        "generator": "decompose",
        "tool_version": tool_version,
        "plan_sha256": plan_hash,
        "service": service,
        "files": {path: sha256(text.encode("utf-8")) for path, text in sorted(files.items())},
        "new_files": dict(sorted(new.items())),
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass
class Decisions:
    """What one run does to the output folder, relative paths from the output folder."""

    write: dict[str, str] = field(default_factory=dict)  # path -> text
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # edited files kept; `.new` beside
    remove: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # edited, no longer generated, kept


def check_relative(path: str) -> str:
    """`path` if it is a plain relative path that stays where it is put; an error otherwise."""
    pure = PurePosixPath(path)
    bad = {"", ".", ".."}
    if pure.is_absolute() or "\\" in path or "\0" in path or any(p in bad for p in pure.parts):
        raise OutputError(f"refusing to write {path!r}: not a plain relative path")
    return str(pure)


def decide(
    root: Path,
    folder: str,
    service: str,
    files: Mapping[str, str],
    tool_version: str,
    plan_hash: str,
    *,
    force: bool,
) -> Decisions:
    """Decisions for the repository `folder` under `root`, whose generated files are `files`."""
    base = root / folder
    old = _read_manifest(root, base)
    recorded: Mapping[str, str] = old.get("files", {})
    decisions = Decisions()
    new_files: dict[str, str] = {}
    for rel, text in sorted(files.items()):
        path = f"{folder}/{check_relative(rel)}"
        current = _hash_of(root, path)
        wanted = sha256(text.encode("utf-8"))
        if current is None or force or current == recorded.get(rel):
            if current == wanted:
                decisions.unchanged.append(path)
            else:
                decisions.write[path] = text
        elif current == wanted:
            decisions.unchanged.append(path)
        else:
            decisions.conflicts.append(path)
            decisions.write[path + NEW_SUFFIX] = text
            new_files[rel + NEW_SUFFIX] = wanted
    for rel, digest in sorted(recorded.items()):
        if rel not in files:
            _retire(root, f"{folder}/{check_relative(rel)}", digest, decisions)
    for rel, digest in sorted(old.get("new_files", {}).items()):
        if rel not in new_files:  # its conflict is resolved: the stale suggestion goes
            _retire(root, f"{folder}/{check_relative(rel)}", digest, decisions, quiet=True)
    manifest = manifest_text(service, tool_version, plan_hash, files, new_files)
    path = f"{folder}/{MANIFEST}"
    if _hash_of(root, path) == sha256(manifest.encode("utf-8")):
        decisions.unchanged.append(path)
    else:
        decisions.write[path] = manifest
    return decisions


def _retire(root: Path, path: str, digest: str, decisions: Decisions, quiet: bool = False) -> None:
    current = _hash_of(root, path)
    if current is None:
        return
    if current == digest:
        decisions.remove.append(path)
    elif not quiet:
        decisions.orphans.append(path)


def _read_manifest(root: Path, base: Path) -> dict[str, Any]:
    # A missing or unreadable manifest makes every existing file the user's.
    path = base / MANIFEST
    try:
        _inside(root, path)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    files = data.get("files")
    new = data.get("new_files")
    return {
        "files": _string_map(files),
        "new_files": _string_map(new),
    }


def _string_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _hash_of(root: Path, path: str) -> str | None:
    target = root / path
    if not target.is_file():
        return None
    _inside(root, target)
    try:
        return sha256(target.read_bytes())
    except OSError as exc:
        raise OutputError(f"cannot read {target}: {exc.strerror or exc}") from exc


def _inside(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise OutputError(f"refusing to touch {resolved}: not inside the output folder {root}")
    return resolved


def remove_files(root: Path, paths: list[str]) -> tuple[Path, ...]:
    """Delete files (checked to be inside `root`) and the folders they leave empty."""
    removed = []
    for rel in sorted(paths):
        target = _inside(root, root / rel)
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot remove {target}: {exc.strerror or exc}") from exc
        removed.append(target)
        parent = target.parent
        while parent != root.resolve() and parent.is_relative_to(root.resolve()):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return tuple(removed)
