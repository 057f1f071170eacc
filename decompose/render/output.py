"""Output files: rendered text -> files in one output folder, never half-written.

Every file the render stage produces goes through `write_files`: it refuses paths that leave the
output folder, writes each file to a temporary sibling and moves it into place with `os.replace`,
and on failure removes what it wrote, so a reader never sees a half-written report.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from decompose.errors import OutputError
from decompose.model.plan import Plan, plan_to_json
from decompose.render.html import render_report_html
from decompose.render.markdown import render_report_markdown
from decompose.render.view import build_report

PLAN_FILE = "plan.json"
HTML_FILE = "index.html"
MARKDOWN_FILE = "summary.md"
_TEMPORARY_ATTEMPTS = 100


def write_outputs(plan: Plan, out_dir: Path) -> tuple[Path, ...]:
    """Write plan.json, index.html and summary.md into `out_dir`; return the paths, sorted."""
    # Render everything before touching the disk: a rendering bug leaves the folder as it was.
    report = build_report(plan)
    files = {
        PLAN_FILE: plan_to_json(plan),
        HTML_FILE: render_report_html(report),
        MARKDOWN_FILE: render_report_markdown(report),
    }
    return write_files(out_dir, files)


def write_files(out_dir: Path, files: Mapping[str, str]) -> tuple[Path, ...]:
    """Write each relative name -> UTF-8 text into `out_dir`; return the paths, sorted.

    All files are staged as temporary siblings first, so a failure while writing leaves the
    folder as it was (new folders removed too); only then is each moved into place. Should a
    move fail, the files this call added are removed; files it already replaced stay replaced.
    """
    root = out_dir.resolve()
    targets = {name: _target_path(root, name) for name in sorted(files)}
    created: list[Path] = []
    staged: dict[Path, Path] = {}
    added: list[Path] = []  # files moved into place that did not exist before
    try:
        _make_folders([root, *sorted({t.parent for t in targets.values()})], created)
        for name, target in targets.items():
            staged[target] = _write_temporary(target, files[name])
        for target, temporary in staged.items():
            existed = target.exists()
            _replace(temporary, target)
            if not existed:
                added.append(target)
    except BaseException:
        for path in [*staged.values(), *added]:
            _remove_quietly(path)
        for folder in reversed(created):
            _remove_folder_quietly(folder)
        raise
    return tuple(sorted(targets.values()))


def _target_path(root: Path, name: str) -> Path:
    # resolve() follows symlinks and "..": a name or a link pointing outside the folder is
    # caught here, before anything is written.
    target = (root / name).resolve()
    if target == root or not target.is_relative_to(root):
        raise OutputError(f"refusing to write {target}: not inside the output folder {root}")
    return target


def _make_folders(folders: list[Path], created: list[Path]) -> None:
    """Create the missing folders, appending each one made to `created`, parents first."""
    for folder in folders:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            created.extend(p for p in reversed(missing) if p.is_dir() and p not in created)
            raise OutputError(f"cannot create folder {folder}: {_reason(exc)}") from exc
        created.extend(p for p in reversed(missing) if p not in created)


def _write_temporary(target: Path, text: str) -> Path:
    temporary, fd = _open_temporary(target)
    try:
        # Bytes, not text mode: no newline translation, identical files on every platform.
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        _remove_quietly(temporary)
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc
    except BaseException:
        _remove_quietly(temporary)
        raise
    return temporary


def _open_temporary(target: Path) -> tuple[Path, int]:
    # Not tempfile.mkstemp: its files are private (0600); a report must get the usual
    # permissions, which os.open's mode gives after the umask.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TEMPORARY_ATTEMPTS):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc
    raise OutputError(f"cannot write {target}: no free temporary name next to it")


def _replace(temporary: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _remove_folder_quietly(path: Path) -> None:
    # Only empty folders go: anything else in them was not ours.
    try:
        path.rmdir()
    except OSError:
        pass
