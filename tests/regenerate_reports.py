"""Regenerate `reports/<example>/` from `examples/`: `python -m tests.regenerate_reports`.

The reports are what a user sees after the README's quickstart (default options), except
the git signals: the examples' history is this repository's, which changes with every commit
of the project, so they are analysed with `cochange=0` and `authors=0` to stay reproducible.
`tests/test_examples.py` fails when they are stale.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from decompose import api
from decompose.config import build_options

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("django_marketplace", "layered_shop", "tiny_bookshop")
OUTPUTS = ("index.html", "plan.json", "summary.md")
NO_HISTORY = ("cochange=0", "authors=0")


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative POSIX path -> bytes), the parse cache left out."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(folder).parts
    }


def regenerate(out_root: Path) -> list[Path]:
    """Analyse every example with default options into `out_root/<example>/`."""
    written: list[Path] = []
    for name in EXAMPLES:
        options = build_options(
            ROOT / "examples" / name, out_root / name, weights=NO_HISTORY, jobs=1, use_cache=False
        )
        written.extend(api.analyze(options).written)
    return written


if __name__ == "__main__":
    for example in EXAMPLES:  # from scratch: no contract of a renamed service stays behind
        shutil.rmtree(ROOT / "reports" / example, ignore_errors=True)
    for path in regenerate(ROOT / "reports"):
        print(f"Wrote {path.relative_to(ROOT)}")
    sys.exit(0)
