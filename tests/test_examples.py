"""End to end on the bundled examples: accuracy, determinism, freshness of `reports/`."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import decompose.discover as discover_module
from decompose.cli import main
from tests.regenerate_reports import EXAMPLES, NO_HISTORY, OUTPUTS, ROOT, files_under, regenerate

# MoJoFM each example must reach with path names hidden (--weight path=0).
MIN_MOJOFM = {"tiny_bookshop": 0.95, "django_marketplace": 0.95, "layered_shop": 0.95}


def analyze(target: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "analyze",
            str(target),
            "--out",
            str(out),
            "--jobs",
            "1",
            "-q",
            *(arg for weight in NO_HISTORY for arg in ("--weight", weight)),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", EXAMPLES)
def test_domains_are_found_without_path_names(name: str, tmp_path: Path) -> None:
    example = ROOT / "examples" / name
    analyze(example, tmp_path, "--weight", "path=0")
    result = CliRunner().invoke(
        main, ["compare", str(tmp_path / "plan.json"), str(example / "expected_domains.toml")]
    )
    assert result.exit_code == 0, result.output
    mojofm = float(result.output.split()[1])
    print(f"{name}: {result.output}")
    assert mojofm >= MIN_MOJOFM[name], result.output


def test_two_runs_give_identical_bytes(tmp_path: Path) -> None:
    example = ROOT / "examples" / "layered_shop"
    analyze(example, tmp_path / "one", "--no-cache")
    analyze(example, tmp_path / "two")
    analyze(example, tmp_path / "two")  # second run served from the cache
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_discovery_order_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = ROOT / "examples" / "django_marketplace"
    analyze(example, tmp_path / "sorted", "--no-cache")
    real = discover_module._git_files

    def shuffled(root: Path) -> list[str] | None:
        files = real(root) or discover_module._walk_files(root, [])
        random.Random(7).shuffle(files)
        return files

    monkeypatch.setattr(discover_module, "_git_files", shuffled)
    analyze(example, tmp_path / "shuffled", "--no-cache")
    for name in OUTPUTS:
        sorted_bytes = (tmp_path / "sorted" / name).read_bytes()
        assert sorted_bytes == (tmp_path / "shuffled" / name).read_bytes()


def test_reports_folder_is_fresh(tmp_path: Path) -> None:
    regenerate(tmp_path)
    stale = []
    for name in EXAMPLES:  # every file: contracts too, and none left from an older plan
        fresh, kept = files_under(tmp_path / name), files_under(ROOT / "reports" / name)
        stale += [
            f"reports/{name}/{f}"
            for f in sorted(fresh.keys() | kept.keys())
            if fresh.get(f) != kept.get(f)
        ]
    assert not stale, f"stale: {stale[:10]}; run `python -m tests.regenerate_reports`"


def test_report_rerenders_a_saved_plan_identically(tmp_path: Path) -> None:
    analyze(ROOT / "examples" / "tiny_bookshop", tmp_path / "a")
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "a" / "plan.json"), "--out", str(tmp_path / "b")]
    )
    assert result.exit_code == 0, result.output
    for name in OUTPUTS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
