"""parse: every bad file becomes a recorded failure; the cache parses only what changed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from decompose import parse as parsing
from decompose.discover import discover
from decompose.extract import extract_module
from decompose.extract import resolve as resolving
from decompose.model import Failure, ModuleFacts
from decompose.parse import MAX_FILE_BYTES, FactCache, parse_files
from tests.conftest import Tree


def run(root: Path, cache: FactCache | None = None, jobs: int = 1):  # type: ignore[no-untyped-def]
    found = discover(root)
    return parse_files(found.root, found.files, extract_module, jobs=jobs, cache=cache)


BAD = {
    "py2.py": ("import os\nprint 'hello'\n", 2, "syntax error"),
    "raise2.py": ("def f():\n    raise ValueError, 'bad'\n", 2, "syntax error"),
    "long2.py": ("MASK = 0777\nBIG = 10L\n", 1, "syntax error"),
    "latin.py": (b"# coding: utf-8\nname = '\xe9t\xe9'\n", 2, "cannot decode"),
    "cookie.py": (b"# -*- coding: klingon -*-\nx = 1\n", 1, "cannot decode"),
    "nul.py": (b"x = 1\ny = 2\0\n", 2, "NUL byte"),
    "deep.py": ("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n", 1, "nested too deeply"),
    "deepops.py": ("x = " + "1 + " * 50000 + "1\n", 0, "nested too deeply"),
    "huge.py": ("x = 1\n" * (MAX_FILE_BYTES // 6 + 10), 0, "likely generated code"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_recorded_with_line_and_reason(make_tree: Tree, name: str) -> None:
    content, line, reason = BAD[name]
    root = make_tree({"good.py": "def f():\n    return 1\n", name: content})
    result = run(root)
    assert [r.module for r in result.results] == ["good"]
    (failure,) = result.failures
    assert (failure.path, failure.line) == (name, line)
    assert reason in failure.reason


def test_empty_file_is_a_module_with_no_facts(make_tree: Tree) -> None:
    root = make_tree({"empty.py": ""})
    (facts,) = run(root).results
    assert isinstance(facts, ModuleFacts)
    assert facts.definitions == () and facts.calls == ()


def test_process_pool_gives_the_same_results_as_one_process(make_tree: Tree) -> None:
    files = {f"m{i}.py": f"def f{i}():\n    return len([{i}])\n" for i in range(40)}
    files["bad.py"] = "print 'x'\n"
    root = make_tree(files)
    one, pool = run(root, jobs=1), run(root, jobs=2)
    assert one.results == pool.results and one.failures == pool.failures


def test_cache_parses_nothing_when_nothing_changed(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree(
        {"a.py": "def f():\n    g()\n", "b.py": "def g():\n    pass\n", "c.py": "print 'x'\n"}
    )
    cache = FactCache(tmp_path / "cache", "test")
    first = run(root, cache)
    assert (first.parsed, first.cached) == (3, 0)
    again = run(root, cache)
    assert (again.parsed, again.cached) == (0, 3)
    assert again.results == first.results and again.failures == first.failures
    (root / "a.py").write_text("def f():\n    return 2\n")
    changed = run(root, cache)
    assert (changed.parsed, changed.cached) == (1, 2)
    assert changed.results[0].calls == ()


def test_cache_is_keyed_by_options(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree({"a.py": "x = 1\n"})
    run(root, FactCache(tmp_path / "cache", "one"))
    assert run(root, FactCache(tmp_path / "cache", "two")).parsed == 1


def test_corrupt_cache_entry_is_ignored(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree({"a.py": "x = 1\n"})
    cache = FactCache(tmp_path / "cache", "k")
    run(root, cache)
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"garbage")
    result = run(root, cache)
    assert result.parsed == 1 and not isinstance(result.results[0], Failure)


def crashing_extractor(tree: object, source: object) -> object:
    """Kills its worker on one file, as libcst's native parser does on some inputs."""
    import os

    if getattr(source, "path", "") == "boom.py":
        os._exit(3)
    return extract_module(tree, source)  # type: ignore[arg-type]


def test_a_crashed_worker_costs_one_file_not_the_run(make_tree: Tree) -> None:
    files = {f"m{i}.py": f"def f{i}():\n    return {i}\n" for i in range(40)}
    files["boom.py"] = "x = 1\n"
    root = make_tree(files)
    found = discover(root)
    result = parse_files(found.root, found.files, crashing_extractor, jobs=2)
    assert len(result.results) == 40
    (failure,) = result.failures
    assert failure.path == "boom.py" and "crashed" in failure.reason


def crashing_on_two(tree: object, source: object) -> object:
    import os

    if getattr(source, "path", "").startswith("boom"):
        os._exit(3)
    return extract_module(tree, source)  # type: ignore[arg-type]


def test_crashes_are_isolated_with_a_few_pools_not_one_per_lost_file(
    make_tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    real = parsing.ProcessPoolExecutor

    def counting(*args: Any, **kwargs: Any) -> Any:
        pools.append(kwargs.get("max_workers", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(parsing, "ProcessPoolExecutor", counting)
    # the two killers come first: every other batch is still queued when a worker dies
    files = {f"m{i:03}.py": f"def f{i}():\n    return {i}\n" for i in range(300)}
    files.update({"boom1.py": "x = 1\n", "boom2.py": "y = 2\n"})
    root = make_tree(files)
    found = discover(root)
    result = parse_files(found.root, found.files, crashing_on_two, jobs=2)
    assert len(result.results) == 300
    assert sorted(f.path for f in result.failures) == ["boom1.py", "boom2.py"]
    assert all("crashed" in f.reason for f in result.failures)
    # was one pool per lost file (302); now the lost batches run on in parallel
    assert len(pools) <= 12


def test_identical_files_do_not_share_cached_facts(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree({"a/__init__.py": "", "b/__init__.py": "", "c/x.py": "", "c/y.py": ""})
    cache = FactCache(tmp_path / "cache", "k")
    cold = run(root, cache)
    warm = run(root, cache)
    assert warm.cached == 4
    assert [r.module for r in warm.results] == [r.module for r in cold.results]
    assert [r.module for r in warm.results] == ["a", "b", "c.x", "c.y"]


def test_results_key_follows_every_file_and_failure(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree({"a.py": "def f():\n    pass\n", "b.py": "x = 1\n"})
    cache = FactCache(tmp_path / "cache", options_key="test")
    first, again = run(root, cache).key, run(root, cache).key
    assert first and first == again
    other = FactCache(tmp_path / "cache", options_key="other")
    assert other.key_of(discover(root).files, ()) != first
    (root / "b.py").write_text("x = 2\n")
    changed = run(root, cache).key
    (root / "b.py").write_text("print 'x'\n")
    failing = run(root, cache).key
    assert len({first, changed, failing}) == 3
    files = discover(root).files
    assert cache.key_of(files, {"b.py"}) == failing != cache.key_of(files, ())
    assert run(root).key == ""  # no cache, nothing to key


def test_resolved_calls_are_cached_and_never_stale(
    make_tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree({"a.py": "def f():\n    pass\n", "b.py": "from a import f\nf()\n"})
    cache = FactCache(tmp_path / "cache", options_key="test")
    parsed = run(root, cache)
    _, cold = resolving.resolve_calls(parsed.results, cache, parsed.key)
    assert [c.callee for c in cold] == ["a.f"]

    def no_solving(*args: object) -> None:
        raise AssertionError("solved again")

    with monkeypatch.context() as patch:
        patch.setattr(resolving, "_solve", no_solving)
        parsed = run(root, cache)
        table, warm = resolving.resolve_calls(parsed.results, cache, parsed.key)
    assert warm == cold and table.module_of("a.f") == "a"
    (root / "b.py").write_text("from a import f\ndef g():\n    f()\n")
    parsed = run(root, cache)
    _, changed = resolving.resolve_calls(parsed.results, cache, parsed.key)
    assert [(c.caller, c.callee) for c in changed] == [("b.g", "a.f")]


def test_cached_facts_of_a_real_code_base_load_back_equal(tmp_path: Path) -> None:
    # the cache writes slotted dataclasses as calls of their class: every fact must survive
    root = Path(__file__).parent.parent / "examples" / "layered_shop"
    cache = FactCache(tmp_path / "cache", "test")
    first = run(root, cache, jobs=2)
    again = run(root, cache)
    assert again.parsed == 0 and again.results == first.results


def test_cache_entries_follow_the_tool_code_not_only_its_version(
    make_tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree({"a.py": "x = 1\n"})
    run(root, FactCache(tmp_path / "cache", "k"))
    monkeypatch.setattr(parsing, "code_version", lambda: "0.1.0+edited")
    assert run(root, FactCache(tmp_path / "cache", "k")).parsed == 1


def test_only_the_newest_whole_code_base_results_are_kept(tmp_path: Path) -> None:
    cache = FactCache(tmp_path / "cache", "k")
    keys = [f"calls-{i}" for i in range(parsing.KEPT_RESULTS + 3)]
    for age, key in enumerate(keys):
        cache.store(key, key)
        entry = tmp_path / "cache" / "results" / f"{key}.pickle"
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))  # ordered on any file system
    kept = [key for key in keys if cache.load(key) is not None]
    assert kept == keys[-parsing.KEPT_RESULTS :]


UNGUARDED = """\
    from pathlib import Path
    from decompose.discover import discover
    from decompose.extract import extract_module
    from decompose.parse import parse_files

    found = discover(Path(__file__).parent / "tree")
    result = parse_files(found.root, found.files, extract_module, jobs=2)
    print("parsed", len(result.results))
"""


def test_workers_that_cannot_start_fail_fast_with_one_error(tmp_path: Path) -> None:
    """A script without a `__main__` guard under forkserver: every worker re-runs the script
    and dies. One clear error after the first pool, not one dead pool per file (minutes)."""
    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(40):
        (tree / f"m{i}.py").write_text(f"def f{i}():\n    return {i}\n")
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(UNGUARDED))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env
    )
    assert time.monotonic() - start < 60
    assert done.returncode != 0 and "parsed" not in done.stdout
    # the one error; multiprocessing's resource tracker may warn about the dead workers after it
    errors = [line for line in done.stderr.splitlines() if line.startswith("decompose.parse.")]
    assert len(errors) == 1
    assert errors[0].startswith("decompose.parse.WorkerError: no worker process could start")
    assert '__name__ == "__main__"' in errors[0]
