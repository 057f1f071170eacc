"""The benchmark scripts run end to end on a tiny generated project (no timing, no network)."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from decompose.model import Failure, SourceFile
from tests.benchmarks import extraction_speed as bench
from tests.benchmarks.extraction_speed import (
    Figures,
    Limits,
    Run,
    isolated,
    measure_project,
    misfiled,
)


def tiny_project(root: Path, modules: int = 3) -> Path:
    """A package of a few modules calling each other, one with a syntax error."""
    package = root / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for i in range(modules):
        previous = f"from shop.m{i - 1} import f{i - 1}\n" if i else ""
        call = f"f{i - 1}()" if i else "len([])"
        body = f"{previous}\n\ndef f{i}():\n    return {call}\n\n\nclass C{i}:\n    pass\n"
        (package / f"m{i}.py").write_text(body, encoding="utf-8")
    (package / "legacy.py").write_text("print 'python 2'\n", encoding="utf-8")
    return root


def test_measure_project_reports_every_figure(tmp_path: Path) -> None:
    source = tiny_project(tmp_path / "src")
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}

    figures = measure_project("tiny", source, jobs=1, repeat=1)

    assert isinstance(figures, Figures)
    assert figures.files == 5 and figures.lines > 0
    assert figures.rerun_parsed == (0,)
    assert figures.one_change_parsed == (1,)
    assert figures.cold.misfiled == figures.rerun.misfiled == figures.one_change.misfiled == 0
    assert figures.cold.parsed == figures.files
    assert figures.failures == 1
    assert ("parse: syntax error", 1) in figures.failure_classes
    assert ("bare: ParserSyntaxError", 1) in figures.failure_classes
    for run in (figures.bare, figures.cold, figures.rerun, figures.one_change):
        assert isinstance(run, Run)
        assert run.total_s > 0 and run.parent_mb > 0
    assert 0 < figures.cold.parsed_mb <= figures.cold.parent_mb
    assert figures.cold_ratio > 0 and figures.rerun_ratio > 0 and figures.projected_mb > 0
    assert figures.changed_file.startswith("shop/")
    # the measured folder is never written to
    assert {p: p.read_bytes() for p in source.rglob("*") if p.is_file()} == before


def test_pool_workers_peaks_are_measured(tmp_path: Path) -> None:
    # more files than one batch, so both the bare parse and parse_files use a pool
    source = tiny_project(tmp_path / "src", modules=bench.BATCH + 4)

    figures = measure_project("pooled", source, jobs=2, repeat=1)

    assert figures.bare.worker_mb > 0 and figures.cold.worker_mb > 0
    assert figures.rerun_parsed == (0,) and figures.one_change_parsed == (1,)


def test_main_prints_the_table_and_goes_on_past_a_bad_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tiny_project(tmp_path / "src")

    code = bench.main(
        ["--project", "no-version", "--path", str(source), "--jobs", "1", "--repeat", "1"]
    )

    out = capsys.readouterr().out
    assert code == 0
    assert (
        out.splitlines()[0]
        == "no-version: skipped: no-version: give a pinned project, NAME==VERSION"
    )
    for label in ("bare libcst parse s", "ratio cold/bare", "ratio re-run/cold", "peak RSS MB"):
        assert label in out
    assert "PASS" in out or "MISS" in out
    assert "parse: syntax error 1" in out


def test_main_without_figures_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert bench.main(["--path", str(tmp_path / "missing")]) == 1
    assert "is not a folder" in capsys.readouterr().out


def _sleep(seconds: float) -> Run:
    time.sleep(seconds)
    return Run(seconds)


def _allocate(megabytes: int) -> Run:
    block = bytearray(megabytes * 1024 * 1024)
    return Run(float(len(block)))


def test_a_measurement_that_overruns_becomes_an_error_not_a_crash() -> None:
    slow = isolated(_sleep, 60.0, limits=Limits(timeout_s=1.0))
    assert slow.error.startswith("timed out") and math.isnan(slow.total_s)

    greedy = isolated(_allocate, 2048, limits=Limits(memory_mb=512))
    assert "MemoryError" in greedy.error

    fine = isolated(_sleep, 0.0, limits=Limits(memory_mb=512))
    assert fine.error == "" and fine.parent_mb > 0


class _Facts:
    def __init__(self, path: str) -> None:
        self.path = path


def test_misfiled_counts_results_standing_for_another_file() -> None:
    files = [SourceFile(p, p[:-3], "0" * 64, 1) for p in ("a.py", "b.py", "c.py")]
    failed = [Failure("b.py", 1, "syntax error: x")]

    assert misfiled(files, failed, [_Facts("a.py"), _Facts("c.py")]) == 0
    assert misfiled(files, failed, [_Facts("a.py"), _Facts("a.py")]) == 1
    assert misfiled(files, [], [_Facts("a.py"), _Facts("b.py")]) == 1
    assert misfiled(files, [], [object(), object(), object()]) == 0


def test_a_corpus_puts_the_packages_of_several_projects_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unpacked(spec: str, folder: Path = tmp_path) -> Path:
        name = spec.partition("==")[0]
        project = tmp_path / "unpacked" / name
        layout = {"a": "src/a", "b": "lib/b"}.get(name, name)
        for package in (layout, "tests", "examples", "docs"):
            (project / package).mkdir(parents=True, exist_ok=True)
            (project / package / "__init__.py").write_text("", encoding="utf-8")
        (project / "setup.py").write_text("", encoding="utf-8")
        return project

    monkeypatch.setattr(bench, "fetch", unpacked)
    home = bench.corpus(["a==1", "b==2", "c==3"], tmp_path / "bench")
    assert sorted(p.name for p in home.iterdir() if p.is_dir()) == ["a", "b", "c"]
    assert bench.parse_args(["--corpus", "million"]).corpus == [list(bench.MILLION_LINES)]
    assert bench.parse_args(["--corpus", "a==1,b==2"]).project == []
