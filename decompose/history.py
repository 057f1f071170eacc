"""Read the git history of the analysed folder: a path -> `History` (commits, authors, files).

Runs beside `discover`; `link` turns the history into co-change and shared-author edges. Outside
a git work tree (an unpacked archive, a copied folder) the history is empty and says so, and the
git signals are skipped with that note in the plan.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from decompose.model.history import Commit, History

MAX_COMMITS = 5000  # the newest commits are enough to see what changes together
_MARK = "\x01"


def read_history(root: Path, max_commits: int = MAX_COMMITS) -> History:
    """The newest `max_commits` non-merge commits touching `root`, or an empty history."""
    command = [
        "git", "-c", "core.quotepath=off", "-C", str(root), "log", "--no-merges",
        "--no-renames", "--relative", "--name-only", f"--max-count={max_commits}",
        f"--format={_MARK}%H %ae", "--", ".",
    ]  # fmt: skip
    try:
        proc = subprocess.run(command, capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        return History((), False, f"git history not read ({exc.__class__.__name__})")
    if proc.returncode != 0:
        return History((), False, "not inside a git work tree")
    commits = parse_log(proc.stdout.decode("utf-8", "surrogateescape"))
    if not commits:
        return History((), False, "no commit touches the analysed folder")
    return History(commits, True, f"{len(commits)} commit{'' if len(commits) == 1 else 's'} read")


def parse_log(text: str) -> tuple[Commit, ...]:
    """Commits from `git log --name-only --format=<MARK>%H %ae` output."""
    commits = []
    for block in text.split(_MARK)[1:]:
        head, _, rest = block.partition("\n")
        sha, _, author = head.partition(" ")
        files = sorted({line for line in rest.splitlines() if line.strip()})
        py = tuple(f for f in files if f.endswith(".py"))
        commits.append(Commit(sha, author.strip().lower(), len(files), py))
    return tuple(commits)
