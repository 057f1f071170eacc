"""Stage 1, discover: a folder -> sorted `SourceFile`s and the `Failure`s met on the way.

Walks the target (the git-tracked and untracked-but-not-ignored files when the target is inside
a git work tree, otherwise the file system without following symlinked folders), skips virtual
environments, build output and the configured excludes, and names each file's dotted module
relative to the deepest source root that holds it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from decompose.errors import InputError
from decompose.model import Failure, SourceFile

# Folders that never hold the code under analysis.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "env",
        ".env",
        "virtualenv",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        ".eggs",
        "htmlcov",
    }
)
DEFAULT_EXCLUDES: tuple[str, ...] = (
    "tests",
    "test",
    "testing",
    "test_*.py",
    "*_test.py",
    "tests.py",
    "conftest.py",
    "migrations",
    # copies of third-party libraries kept in the tree (pip's `_vendor`, indico's `vendor`):
    # someone else's code, not a domain of this one; calls into it count as external
    "vendor",
    "_vendor",
    "vendored",
    "third_party",
)


@dataclass(frozen=True, slots=True)
class Discovery:
    """What discover found: the files to analyse and the ones it could not take."""

    root: Path
    source_roots: tuple[Path, ...]
    files: tuple[SourceFile, ...]
    failures: tuple[Failure, ...]


def default_source_roots(target: Path) -> tuple[Path, ...]:
    """`PATH/src` for a src layout; the folder above the top package when PATH is a package
    itself (`decompose analyze site-packages/oscar`: its modules are `oscar.*`, as its own
    absolute imports name them); else PATH itself."""
    if (target / "__init__.py").is_file():
        top = target
        while (top.parent / "__init__.py").is_file() and top.parent != top:
            top = top.parent
        return (top.parent,)
    src = target / "src"
    if src.is_dir():
        return (src,)
    return (target,)


def discover(
    target: Path,
    source_roots: Sequence[Path] = (),
    excludes: Sequence[str] = DEFAULT_EXCLUDES,
) -> Discovery:
    """Find the Python files under `target` and name their modules."""
    root = _check_target(target)
    roots = tuple(sorted({r.resolve() for r in source_roots} or set(default_source_roots(root))))
    for r in roots:
        if not r.is_dir():
            raise InputError(f"source root {r} is not a folder: give --source-root a folder")
    failures: list[Failure] = []
    candidates = _git_files(root)
    if candidates is None:
        candidates = _walk_files(root, failures)
    by_module: dict[str, SourceFile] = {}
    for rel in sorted(candidates):
        if _excluded(rel, excludes):
            continue
        source = _read_source(root, rel, roots, failures)
        if source is None:
            continue
        if source.module in by_module:
            other = by_module[source.module].path
            failures.append(
                Failure(rel, 0, f"duplicate module name {source.module} (also {other})", "discover")
            )
            continue
        by_module[source.module] = source
    if not by_module and not failures:
        raise InputError(f"{target} holds no Python file to analyse (after excludes)")
    return Discovery(root, roots, tuple(sorted(by_module.values())), tuple(sorted(failures)))


def _check_target(target: Path) -> Path:
    if not target.exists():
        raise InputError(f"{target} does not exist: give the folder of the code to analyse")
    if not target.is_dir():
        raise InputError(f"{target} is not a folder: give the folder of the code to analyse")
    return target.resolve()


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored .py files, or None outside a git work tree."""
    try:
        proc = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
                "--",
                "*.py",
            ],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = [n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    kept = []
    for name in sorted(set(names)):
        parts = PurePosixPath(name).parts
        if any(p in SKIPPED_DIRS or p.endswith(".egg-info") for p in parts[:-1]):
            continue
        if (root / name).is_file() or (root / name).is_symlink():
            kept.append(name)
    return kept


def _walk_files(root: Path, failures: list[Failure]) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d in SKIPPED_DIRS or d.endswith(".egg-info"):
                continue
            if (here / d).is_symlink():
                rel = (here / d).relative_to(root).as_posix()
                failures.append(Failure(rel, 0, _symlink_reason(here / d), "discover"))
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            if f.endswith(".py"):
                found.append((here / f).relative_to(root).as_posix())
    return found


def _symlink_reason(path: Path) -> str:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "symlink loop or dangling symlinked folder: not followed"
    if path.parent.resolve() == target or target in path.parent.resolve().parents:
        return "symlink loop (points to an enclosing folder): not followed"
    return "symlinked folder: not followed (analyse its target separately)"


def _excluded(rel: str, excludes: Iterable[str]) -> bool:
    """A pattern without '/' matches any path component; one with '/' the whole path."""
    parts = PurePosixPath(rel).parts
    for pattern in excludes:
        if "/" in pattern:
            if fnmatch.fnmatchcase(rel, pattern):
                return True
        elif any(fnmatch.fnmatchcase(p, pattern) for p in parts):
            return True
    return False


def _read_source(
    root: Path, rel: str, roots: tuple[Path, ...], failures: list[Failure]
) -> SourceFile | None:
    path = root / rel
    try:
        if path.is_symlink():
            resolved = path.resolve(strict=True)
            if root not in resolved.parents:
                failures.append(
                    Failure(rel, 0, "symlink to a file outside the target: skipped", "discover")
                )
                return None
        data = path.read_bytes()
    except OSError as exc:
        failures.append(Failure(rel, 0, f"unreadable: {exc.strerror or exc}", "discover"))
        return None
    except RuntimeError as exc:  # symlink loop on Python < 3.13
        failures.append(Failure(rel, 0, f"unreadable: {exc}", "discover"))
        return None
    module, is_package = module_name(path, root, roots)
    lines = sum(1 for line in data.splitlines() if line.strip())
    return SourceFile(rel, module, hashlib.sha256(data).hexdigest(), lines, is_package)


def module_name(path: Path, root: Path, roots: Sequence[Path]) -> tuple[str, bool]:
    """The dotted module name of `path` relative to the deepest source root holding it."""
    holders = [r for r in roots if r == path.parent or r in path.parents]
    base = max(holders, key=lambda r: len(r.parts)) if holders else root
    parts = list(path.relative_to(base).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    if not parts:  # an __init__.py directly in a source root
        parts = [base.name or "root"]
    return ".".join(parts), is_package
