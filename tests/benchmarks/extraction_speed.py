"""Extraction speed on real code: the bare libcst parse against our cold, warm and one-change runs.

    python -m tests.benchmarks.extraction_speed [--project NAME==VERSION ...] [--path DIR ...]
        [--corpus NAME==VERSION,NAME==VERSION,...] [--jobs N] [--repeat K]
        [--max-memory-mb MB] [--timeout S]

Without --project, --path or --corpus it measures the pinned `DEFAULT_PROJECTS`, downloaded from
PyPI with pip (sdist, else wheel) into `<temp dir>/decompose-bench/extraction_speed/` and unpacked
there. `--corpus` measures several projects as one code base (their top-level packages side by
side, as in site-packages); `--corpus million` is `MILLION_LINES`, 1.2M non-empty lines.
Each project's discovered files (default excludes) are copied to a fresh temporary folder, so
nothing is ever written into the repository or into a folder given with --path. On those files,
with the same number of worker processes, it measures:

1. the bare parse: `libcst.parse_module` on every file's bytes, in a process pool with the same
   worker count and batching as `parse_files`, nothing else;
2. the cold extraction: `parse_files(..., extract_module, cache=<fresh cache>)`, then
   `resolve_calls(results, cache, key)` as `api.analyze` calls it (reported apart and
   together);
3. the unchanged re-run: the same with the warm cache (expected to parse 0 files, and to load
   the resolved calls from the cache instead of solving);
4. the one-change re-run: a comment appended to one file, the same again (expected: 1 file
   parsed, and the whole code base solved again).

Each extraction also checks that every result is the facts of the file it stands for (a cache
keyed by content alone would serve one file's facts for another with the same bytes).

Each measurement runs in a fresh process, so the peak RSS of the measuring process and of its
pool workers (`getrusage` SELF / CHILDREN) belong to that measurement alone; the whole run's
peak (all its processes at the same moment) is sampled from /proc meanwhile. Timings are the
medians of --repeat runs. Targets (issue 3, "Speed and scale"): cold extraction <= 2.5 x the bare
parse, unchanged re-run <= 5% of the cold run, peak memory < 1 GB per million lines.

A project that cannot be downloaded or measured prints one line and the others go on; a
measurement that overruns its memory cap or timeout (or whose `resolve_calls` raises) shows as
n/a with its reason. The exit code is 0 when at least one project's figures were printed.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import math
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing import forkserver, get_context
from multiprocessing.connection import Connection
from pathlib import Path

import libcst as cst

from decompose import __version__
from decompose import parse as parsing
from decompose.discover import Discovery, discover
from decompose.extract import extract_module, resolve_calls
from decompose.model import Failure, SourceFile
from decompose.parse import MAX_FILE_BYTES, FactCache, parse_files

DEFAULT_PROJECTS = ("wagtail==7.0.1", "Django==5.2.7")
# `--corpus million`: pure-Python projects whose packages, side by side, hold 1.2M non-empty
# lines: the code base of a million lines that "peak memory under 1 GB" is measured on
MILLION_LINES = (
    "sympy==1.14.0",
    "SQLAlchemy==2.0.44",
    "Twisted==25.5.0",
    "Django==5.2.7",
    "Pygments==2.19.2",
    "networkx==3.5",
    "Sphinx==8.2.3",
    "wagtail==7.0.1",
    "docutils==0.22.2",
)
_SOURCE_FOLDERS = ("", "src", "lib")  # where an unpacked project keeps its packages
# folders of an sdist that are no part of what it installs
_NOT_PACKAGES = frozenset({"tests", "test", "docs", "doc", "scripts", "examples", "utils", "tools"})
BENCH_FOLDER = Path(tempfile.gettempdir()) / "decompose-bench"
TARGET_COLD_RATIO = 2.5
TARGET_RERUN_RATIO = 0.05
TARGET_MB_PER_MILLION_LINES = 1024.0
CHANGE_MARK = "# decompose-bench: one-change re-run"
# parse_files' batch size, so the bare parse hands the pool the same units of work
BATCH = int(getattr(parsing, "_BATCH", 16))
DEFAULT_MEMORY_MB = 4096  # per measuring process and per worker: 4x the 1M-line budget
DEFAULT_TIMEOUT_S = 600.0  # per measurement; the issue asks for "well under a minute"
_MB = 1024 * 1024
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
_PIP_TIMEOUT_S = 600
SAMPLE_S = 0.05  # how often the whole-run RSS is sampled
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
NAN = float("nan")


class BenchError(Exception):
    """A project that could not be fetched or measured: one line for the user."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one measurement may use before it is stopped and reported as an error."""

    memory_mb: int = DEFAULT_MEMORY_MB  # address space of each process (0: no limit)
    timeout_s: float = DEFAULT_TIMEOUT_S


@dataclass(frozen=True, slots=True)
class Run:
    """One measurement, made in its own process: seconds, files parsed, failures, peak RSS."""

    parse_s: float
    resolve_s: float = 0.0
    parsed: int = 0
    failures: tuple[str, ...] = ()  # the reason class of each failed file
    misfiled: int = 0  # results that are not the facts of the file they stand for
    base_mb: float = 0.0  # RSS of the measuring process before the task (imports done)
    parent_mb: float = 0.0  # peak RSS of the measuring process
    parsed_mb: float = 0.0  # its peak RSS when parse_files returned (the facts, before resolve)
    worker_mb: float = 0.0  # largest peak RSS of its pool workers (0 without a pool)
    # peak of the RSS summed over every process of the measurement at one moment (it, its
    # forkserver and pool workers), sampled from outside every SAMPLE_S: what the run needs
    total_mb: float = 0.0
    error: str = ""  # why the measurement (or part of it) did not finish

    @property
    def total_s(self) -> float:
        """Parse (with facts) plus resolve."""
        return self.parse_s + self.resolve_s


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything measured on one project; times are medians over the repeats."""

    name: str
    jobs: int
    repeat: int
    files: int
    lines: int  # non-empty lines
    changed_file: str
    discover_s: float
    bare: Run
    cold: Run
    rerun: Run
    one_change: Run
    rerun_parsed: tuple[int, ...]  # per repeat; 0 expected
    one_change_parsed: tuple[int, ...]  # per repeat; 1 expected
    failure_classes: tuple[tuple[str, int], ...]  # (stage: reason class, files), sorted

    @property
    def errors(self) -> tuple[tuple[str, str], ...]:
        """(measurement, error) of every measurement that did not finish."""
        runs = {"bare": self.bare, "cold": self.cold, "re-run": self.rerun}
        runs["one-change"] = self.one_change
        return tuple((what, run.error) for what, run in runs.items() if run.error)

    @property
    def failures(self) -> int:
        """Files the cold extraction recorded as failures (parse or extract)."""
        return len(self.cold.failures)

    @property
    def cold_ratio(self) -> float:
        """Cold extraction (parse, facts, resolve) over the bare parse."""
        return _ratio(self.cold.total_s, self.bare.parse_s)

    @property
    def rerun_ratio(self) -> float:
        """Unchanged re-run over the cold extraction."""
        return _ratio(self.rerun.total_s, self.cold.total_s)

    @property
    def mb_per_100k_lines(self) -> float:
        """Peak RSS of the cold run (parent + every worker), per 100k non-empty lines."""
        return _ratio((self.cold.parent_mb + self.jobs * self.cold.worker_mb) * 100_000, self.lines)

    @property
    def growth_mb_per_100k_lines(self) -> float:
        """What the process holding every file's facts grew by in the cold run, per 100k lines."""
        return _ratio((self.cold.parent_mb - self.cold.base_mb) * 100_000, self.lines)

    @property
    def total_mb_per_million_lines(self) -> float:
        """The sampled whole-run peak of the cold run (every process at once) for 1M lines:
        scaled down from a code base of 1M lines or more; below, what the parent would grow
        by for the missing lines added (the workers and the parent's start do not grow)."""
        if self.lines >= 1_000_000:
            return _ratio(self.cold.total_mb * 1_000_000, self.lines)
        missing = (1_000_000 - self.lines) / 100_000
        return self.cold.total_mb + self.growth_mb_per_100k_lines * missing

    @property
    def projected_mb(self) -> float:
        """Peak for 1M lines: the parent's growth scaled linearly, its start and the workers as
        measured (a worker holds one file's tree at a time: it does not grow with the code)."""
        growth = self.growth_mb_per_100k_lines * 10
        return self.cold.base_mb + growth + self.jobs * self.cold.worker_mb


# --- measurements, each run in a fresh process ---------------------------------------------


def bare_parse(root: Path, paths: Sequence[str], jobs: int) -> Run:
    """`libcst.parse_module` on every file, batched and pooled as `parse_files` does."""
    batches = [list(paths[i : i + BATCH]) for i in range(0, len(paths), BATCH)]
    start = time.perf_counter()
    failed = _map_batches(partial(_parse_bare_batch, root), batches, jobs)
    seconds = time.perf_counter() - start
    return Run(parse_s=seconds, failures=tuple(f for batch in failed for f in batch))


def extraction(root: Path, files: Sequence[SourceFile], cache_dir: Path, jobs: int) -> Run:
    """Our extraction as `api.analyze` chains it: `parse_files` with the cache, `resolve_calls`."""
    cache = FactCache(cache_dir, options_key="bench")
    start = time.perf_counter()
    result = parse_files(root, files, extract_module, jobs=jobs, cache=cache)
    middle = time.perf_counter()
    parsed_mb = _own_peak_mb()
    failures = tuple(reason_class(f) for f in result.failures)
    wrong = misfiled(files, result.failures, result.results)
    try:
        resolve_calls(result.results, cache, result.key)
    except (Exception, MemoryError, RecursionError) as exc:  # keep the parse figures
        error = f"resolve_calls: {exc!r}"
        return Run(
            middle - start, NAN, result.parsed, failures, wrong, parsed_mb=parsed_mb, error=error
        )
    end = time.perf_counter()
    return Run(middle - start, end - middle, result.parsed, failures, wrong, parsed_mb=parsed_mb)


def misfiled(
    files: Sequence[SourceFile], failures: Sequence[Failure], results: Sequence[object]
) -> int:
    """Results whose `path` is not the file they stand for (a cache serving another file's
    facts), counted position by position: `parse_files` sorts results by their file's path."""
    failed = {f.path for f in failures}
    expected = sorted(f.path for f in files if f.path not in failed)
    served: list[str | None] = [getattr(r, "path", None) for r in results]
    if any(path is None for path in served):
        return 0  # results without a path: nothing to check
    wrong = sum(a != b for a, b in zip(served, expected, strict=False))
    return wrong + abs(len(served) - len(expected))


def _parse_bare_batch(root: Path, batch: Sequence[str]) -> list[str]:
    """Parse each file and drop the tree; the reason class of each file that failed."""
    failed = []
    for rel in batch:
        try:
            data = (root / rel).read_bytes()
            if len(data) > MAX_FILE_BYTES:  # parse_files skips these too
                failed.append("bare: skipped (over MAX_FILE_BYTES)")
                continue
            cst.parse_module(data)
        except Exception as exc:  # a failing file is a figure, not an error
            failed.append(f"bare: {exc.__class__.__name__}")
    return failed


def _map_batches(
    work: Callable[[Sequence[str]], list[str]], batches: Sequence[Sequence[str]], jobs: int
) -> list[list[str]]:
    """The same scheduling as `parse_files`: in-process for one worker or batch, else a pool."""
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers == 1 or len(batches) <= 1:
        return list(map(work, batches))
    workers = min(workers, len(batches))
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver")) as pool:
        futures = [(batch, pool.submit(work, batch)) for batch in batches]
        done = []
        for batch, future in futures:
            try:
                done.append(future.result())
            except BrokenProcessPool:
                done.append(["bare: worker process died"] * len(batch))
        return done


def isolated(task: Callable[..., Run], *args: object, limits: Limits | None = None) -> Run:
    """Run `task(*args)` in a fresh (spawned) process, with its peaks; errors become a `Run`."""
    limit = limits or Limits()
    context = get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, task, args, limit.memory_mb))
    process.start()
    send.close()
    total = 0.0
    try:
        deadline = time.monotonic() + limit.timeout_s
        while not receive.poll(SAMPLE_S):
            total = max(total, group_rss_mb(process.pid))
            if time.monotonic() > deadline or not process.is_alive():
                break
        if receive.poll(0):
            outcome: Run = replace(receive.recv(), total_mb=total)
        elif process.is_alive():
            outcome = Run(NAN, NAN, error=f"timed out after {limit.timeout_s:.0f} s")
        else:
            raise EOFError
    except EOFError:
        process.join()
        outcome = Run(NAN, NAN, error=_death(process.exitcode))
    finally:
        _kill_group(process.pid)  # its pool workers too, if it is still running
        process.join()
    return outcome


def group_rss_mb(pgid: int | None) -> float:
    """The RSS summed over the processes of a process group now, in MB (0 without /proc)."""
    if pgid is None:
        return 0.0
    pages = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rpartition(b")")[2].split()
            # after the command: state, ppid, pgrp, ... rss is field 24 of stat (index 21 here)
            if int(fields[2]) == pgid:
                pages += int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
    return pages * _PAGE / _MB


def _child(
    conn: Connection, task: Callable[..., Run], args: tuple[object, ...], memory_mb: int
) -> None:
    """The body of a measuring process: own process group, memory cap, measure, report."""
    os.setpgrp()
    if memory_mb > 0:
        cap = memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        base_mb, _ = _peaks_mb()
        run = task(*args)
        parent_mb, worker_mb = _peaks_mb()
        conn.send(replace(run, base_mb=base_mb, parent_mb=parent_mb, worker_mb=worker_mb))
    except BaseException as exc:  # report anything to the parent rather than die silently
        conn.send(Run(NAN, NAN, error=f"{exc!r}"))
    finally:
        conn.close()


def _kill_group(pgid: int | None) -> None:
    """End the measuring process's group (it and its pool workers) if it is still there."""
    if pgid is None:
        return
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return


def _death(exitcode: int | None) -> str:
    if exitcode == -signal.SIGKILL:
        return "the measuring process was killed (SIGKILL: out of memory?)"
    return f"the measuring process died (exit code {exitcode})"


def _peaks_mb() -> tuple[float, float]:
    """Peak RSS of this process and of the largest of its descendants, in MB.

    `parse_files` forks its workers from multiprocessing's forkserver, which reaps them; the
    workers' peaks reach RUSAGE_CHILDREN only once the forkserver itself is stopped and waited
    for, hence its `_stop` (private: without it the worker figure is 0).
    """
    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if callable(stop):
        stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * _RSS_UNIT / _MB
    return _own_peak_mb(), children


def _own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _RSS_UNIT / _MB


# --- one project ------------------------------------------------------------------------------


def measure_project(
    name: str,
    source: Path,
    *,
    jobs: int,
    repeat: int,
    limits: Limits | None = None,
    log: Callable[[str], None] | None = None,
) -> Figures:
    """Every measurement on a copy of `source`'s discovered files; medians over `repeat` runs.

    After a repeat in which a measurement failed (out of memory, timed out, crashed) the next
    repeats are skipped: they would only fail again.
    """
    say = log or (lambda _message: None)
    with tempfile.TemporaryDirectory(prefix="decompose-bench-") as tmp:
        original = discover(source)
        found = copy_discovered(original, Path(tmp) / "project")
        if not found.files:
            raise BenchError(f"{source}: no Python file to measure (after excludes)")
        changed = max(found.files, key=lambda f: (f.lines, f.path)).path
        repeats: list[_Repeat] = []
        for i in range(repeat):
            say(f"{name}: run {i + 1}/{repeat}")
            cache = Path(tmp) / f"cache-{i}"
            repeats.append(_measure_once(found, changed, cache, jobs, limits or Limits(), i))
            if repeats[-1].failed and i + 1 < repeat:
                say(f"{name}: a measurement failed: no more repeats")
                break
    classes = Counter(reason_class(f) for f in original.failures)
    classes.update(repeats[0].cold.failures)
    classes.update(repeats[0].bare.failures)
    return Figures(
        name=name,
        jobs=jobs,
        repeat=repeat,
        files=len(found.files),
        lines=sum(f.lines for f in found.files),
        changed_file=changed,
        discover_s=statistics.median(r.discover_s for r in repeats),
        bare=median_run([r.bare for r in repeats]),
        cold=median_run([r.cold for r in repeats]),
        rerun=median_run([r.rerun for r in repeats]),
        one_change=median_run([r.one_change for r in repeats]),
        rerun_parsed=tuple(r.rerun.parsed for r in repeats),
        one_change_parsed=tuple(r.one_change.parsed for r in repeats),
        failure_classes=tuple(sorted(classes.items())),
    )


@dataclass(frozen=True, slots=True)
class _Repeat:
    bare: Run
    cold: Run
    rerun: Run
    one_change: Run
    discover_s: float  # discover after the one change: what every run pays before parse

    @property
    def failed(self) -> bool:
        return any(r.error for r in (self.bare, self.cold, self.rerun, self.one_change))


def _measure_once(
    found: Discovery, changed: str, cache: Path, jobs: int, limits: Limits, index: int
) -> _Repeat:
    """One of each measurement, each in its own process; the cache is fresh for the cold run."""
    measure = partial(isolated, limits=limits)
    root = found.root
    bare = measure(bare_parse, root, [f.path for f in found.files], jobs)
    cold = measure(extraction, root, found.files, cache, jobs)
    rerun = measure(extraction, root, found.files, cache, jobs)
    with _appended(root / changed, f"\n{CHANGE_MARK} {index}\n"):
        start = time.perf_counter()
        files = discover(root).files
        discover_s = time.perf_counter() - start
        one_change = measure(extraction, root, files, cache, jobs)
    return _Repeat(bare, cold, rerun, one_change, discover_s)


def copy_discovered(found: Discovery, dest: Path) -> Discovery:
    """Copy the discovered files (only them) to `dest` and discover the copy."""
    for source in found.files:
        target = dest / source.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found.root / source.path, target)
    return discover(dest)


@contextmanager
def _appended(path: Path, text: str) -> Iterator[None]:
    """Append `text` to a file for the duration of a `with` block, then restore the file."""
    original = path.read_bytes()
    path.write_bytes(original + text.encode())
    try:
        yield
    finally:
        path.write_bytes(original)


def median_run(runs: Sequence[Run]) -> Run:
    """Median of each figure over the runs that finished; peaks are the maxima.

    When none finished, the first run's partial figures and error; when some did, their
    medians, with the others' error noted.
    """
    good = [r for r in runs if not r.error]
    if not good:
        return runs[0]
    error = ""
    if len(good) < len(runs):
        failed = next(r for r in runs if r.error)
        error = f"{len(runs) - len(good)} of {len(runs)} runs failed: {failed.error}"
    return _medians(good, error)


def _medians(runs: Sequence[Run], error: str) -> Run:
    return Run(
        parse_s=statistics.median(r.parse_s for r in runs),
        resolve_s=statistics.median(r.resolve_s for r in runs),
        parsed=max(r.parsed for r in runs),
        failures=runs[0].failures,
        misfiled=max(r.misfiled for r in runs),
        base_mb=min(r.base_mb for r in runs),
        parent_mb=max(r.parent_mb for r in runs),
        parsed_mb=max(r.parsed_mb for r in runs),
        worker_mb=max(r.worker_mb for r in runs),
        total_mb=max(r.total_mb for r in runs),
        error=error,
    )


def reason_class(failure: Failure) -> str:
    """`stage: kind` of a failure, without its file-specific detail (exception class kept)."""
    head, _, rest = failure.reason.partition(":")
    if head in ("extraction error", "parser error"):
        head = f"{head}: {rest.strip().partition(':')[0]}"
    elif head.startswith("duplicate module name"):
        head = "duplicate module name"
    return f"{failure.stage}: {head.partition(' (')[0]}"


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else NAN


# --- fetching projects ---------------------------------------------------------------------


def fetch(spec: str, folder: Path = BENCH_FOLDER) -> Path:
    """The unpacked source of `NAME==VERSION` from PyPI (sdist, else wheel), cached in `folder`.

    In a subfolder of its own: other benchmark scripts share `folder` with their own layout.
    """
    name, _, version = spec.partition("==")
    if not name or not version:
        raise BenchError(f"{spec}: give a pinned project, NAME==VERSION")
    home = folder / "extraction_speed" / f"{name.lower()}-{version}"
    unpacked = home / "unpacked"
    done = home / ".unpacked"
    if not done.exists():
        archive = _download(spec, home / "download")
        shutil.rmtree(unpacked, ignore_errors=True)
        _unpack(archive, unpacked)
        done.touch()
    entries = [p for p in unpacked.iterdir() if not p.name.endswith((".dist-info", ".data"))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked


def corpus(specs: Sequence[str], folder: Path = BENCH_FOLDER) -> Path:
    """One folder holding the top-level packages of every project of `specs`, side by side
    (as in site-packages): measured as one code base. Built once, cached in `folder`."""
    digest = hashlib.sha256("\0".join(specs).encode()).hexdigest()[:12]
    home = folder / "extraction_speed" / f"corpus-{len(specs)}-{digest}"
    done = home / ".built"
    if not done.exists():
        shutil.rmtree(home, ignore_errors=True)
        for spec in specs:
            packages = top_packages(fetch(spec, folder))
            if not packages:
                raise BenchError(f"{spec}: no top-level package found")
            for package in packages:
                shutil.copytree(package, home / package.name, dirs_exist_ok=True)
        done.touch()
    return home


def top_packages(project: Path) -> list[Path]:
    """The importable packages of an unpacked project: folders with an `__init__.py` at its
    root or in its `src/` or `lib/` folder (an sdist's tests, docs, examples left out)."""
    found = []
    for name in _SOURCE_FOLDERS:
        base = project / name if name else project
        if base.is_dir():
            found += [p for p in sorted(base.iterdir()) if (p / "__init__.py").is_file()]
    return [p for p in found if p.name not in _NOT_PACKAGES]


def _download(spec: str, folder: Path) -> Path:
    """`pip download --no-deps`: the sdist if pip can get one, else a wheel."""
    folder.mkdir(parents=True, exist_ok=True)
    problem = "no archive"
    for flags in (("--no-binary", ":all:"), ("--only-binary", ":all:")):
        found = _archives(folder)
        if found:
            return found[0]
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", *flags]
        try:
            proc = subprocess.run(
                [*command, spec, "-d", str(folder)],
                capture_output=True,
                text=True,
                timeout=_PIP_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            problem = str(exc)
            continue
        if proc.returncode != 0:
            problem = _last_line(proc.stderr) or f"pip exited with {proc.returncode}"
    found = _archives(folder)
    if found:
        return found[0]
    raise BenchError(f"{spec}: download failed: {problem}")


def _archives(folder: Path) -> list[Path]:
    suffixes = (".tar.gz", ".tgz", ".tar.bz2", ".zip", ".whl")
    return sorted(p for p in folder.iterdir() if p.name.endswith(suffixes))


def _unpack(archive: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    try:
        if archive.name.endswith((".zip", ".whl")):
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(dest)
        else:
            with tarfile.open(archive) as tf:
                if hasattr(tarfile, "data_filter"):
                    tf.extractall(dest, filter="data")
                else:  # Python < 3.11.4
                    tf.extractall(dest)
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
        raise BenchError(f"{archive.name}: cannot unpack: {exc}") from exc


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# --- the printed table -------------------------------------------------------------------------


def format_table(figures: Sequence[Figures]) -> str:
    """The figures of every project side by side, one metric a row, with PASS/MISS verdicts."""
    rows: list[tuple[str, Callable[[Figures], str]]] = [
        ("files", lambda f: f"{f.files}"),
        ("non-empty lines", lambda f: f"{f.lines}"),
        ("failures (parse + extract, cold run)", lambda f: f"{f.failures}"),
        ("discover s (walk + hash; every run pays it)", lambda f: _num(f.discover_s, 2)),
        ("bare libcst parse s", lambda f: _num(f.bare.parse_s, 2)),
        ("  lines/s (all workers)", lambda f: _num(_ratio(f.lines, f.bare.parse_s), 0)),
        ("  lines/s per worker", lambda f: _num(_ratio(f.lines, f.bare.parse_s * f.jobs), 0)),
        ("cold extraction s (parse+facts + resolve)", lambda f: _num(f.cold.total_s, 2)),
        ("  parse_files with extract_module s", lambda f: _num(f.cold.parse_s, 2)),
        ("  resolve_calls s", lambda f: _num(f.cold.resolve_s, 2)),
        ("  lines/s", lambda f: _num(_ratio(f.lines, f.cold.total_s), 0)),
        (
            f"ratio cold/bare (target <= {TARGET_COLD_RATIO})",
            lambda f: _verdict(f.cold_ratio, f.cold_ratio <= TARGET_COLD_RATIO),
        ),
        ("unchanged re-run s (cache + resolve)", lambda f: _num(f.rerun.total_s, 3)),
        ("  files parsed (want 0)", lambda f: _counts(f.rerun_parsed)),
        ("  facts of another file served (want 0)", lambda f: f"{f.rerun.misfiled}"),
        (
            f"ratio re-run/cold (target <= {TARGET_RERUN_RATIO})",
            lambda f: _verdict(f.rerun_ratio, f.rerun_ratio <= TARGET_RERUN_RATIO, 3),
        ),
        ("one-change re-run s", lambda f: _num(f.one_change.total_s, 3)),
        ("  files parsed (want 1)", lambda f: _counts(f.one_change_parsed)),
        ("  facts of another file served (want 0)", lambda f: f"{f.one_change.misfiled}"),
        ("peak RSS MB bare: parent / worker", lambda f: _peaks(f.bare)),
        ("peak RSS MB cold: parent / worker", lambda f: _peaks(f.cold)),
        ("  cold parent when parse_files returned (facts)", lambda f: _num(f.cold.parsed_mb)),
        ("  cold whole run at once (sampled, all processes)", lambda f: _num(f.cold.total_mb)),
        (
            f"  cold whole run for 1M lines (< {TARGET_MB_PER_MILLION_LINES:.0f})",
            lambda f: _verdict(
                f.total_mb_per_million_lines,
                f.total_mb_per_million_lines < TARGET_MB_PER_MILLION_LINES,
                0,
            ),
        ),
        ("peak RSS MB re-run: parent / worker", lambda f: _peaks(f.rerun)),
        ("  cold (parent + jobs x worker) MB per 100k lines", lambda f: _num(f.mb_per_100k_lines)),
        ("  cold parent growth MB per 100k lines", lambda f: _num(f.growth_mb_per_100k_lines)),
        (
            f"  projected MB for 1M lines (< {TARGET_MB_PER_MILLION_LINES:.0f})",
            # a model for smaller code; at a million lines the whole run is measured above
            # (this sum of peaks would count the workers and the solver, which never overlap)
            lambda f: (
                "measured"
                if f.lines >= 1_000_000
                else _verdict(f.projected_mb, f.projected_mb < TARGET_MB_PER_MILLION_LINES, 0)
            ),
        ),
    ]
    header = ["metric", *(f.name for f in figures)]
    body = [[label, *(cell(f) for f in figures)] for label, cell in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [_row(header, widths), _row(["-" * w for w in widths], widths)]
    lines += [_row(row, widths) for row in body]
    return "\n".join(lines)


def format_failures(figures: Sequence[Figures]) -> str:
    """Failures by reason class, per project (a broken parser or extractor shows here), and
    the measurements that did not finish."""
    lines = ["failures by reason class (discover, cold run, bare parse):"]
    for f in figures:
        listed = ", ".join(f"{cls} {n}" for cls, n in f.failure_classes) or "none"
        lines.append(f"  {f.name}: {listed}")
    errors = [(f.name, what, error) for f in figures for what, error in f.errors]
    if errors:
        lines.append("measurements that did not finish (n/a above):")
        lines += [f"  {name} {what}: {error}" for name, what, error in errors]
    return "\n".join(lines)


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first, *rest = cells
    right = (cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True))
    return "  ".join([first.ljust(widths[0]), *right])


def _num(value: float, digits: int = 0) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.{digits}f}"


def _verdict(value: float, ok: bool, digits: int = 2) -> str:
    return "n/a" if math.isnan(value) else f"{_num(value, digits)} {'PASS' if ok else 'MISS'}"


def _counts(counts: Iterable[int]) -> str:
    distinct = sorted(set(counts))
    return str(distinct[0]) if len(distinct) == 1 else "/".join(map(str, counts))


def _peaks(run: Run) -> str:
    if run.error and not run.parent_mb:
        return "n/a"
    return f"{run.parent_mb:.0f} / {run.worker_mb:.0f}"


def _header(jobs: int, repeat: int, limits: Limits) -> str:
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    cap = f"{limits.memory_mb} MB" if limits.memory_mb > 0 else "none"
    return (
        f"extraction speed, {when}: jobs={jobs}, medians of {repeat} run(s), "
        f"memory cap {cap}/process, timeout {limits.timeout_s:.0f} s; decompose {__version__}, "
        f"libcst {_version('libcst')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s)"
    )


def _notes() -> str:
    return (
        "notes: ratios use the cold total (parse_files + resolve_calls); discover is in no\n"
        "figure but discover s. Peaks: parent = the process running the stage, worker = the\n"
        "largest pool worker. Projection = parent at start + its growth per 100k lines x 10\n"
        "+ jobs x worker (a worker holds one file's tree at a time: it does not grow with the\n"
        "code base; the parent's growth is every file's facts). Whole run = the largest sum of\n"
        f"the RSS of all the measurement's processes at one moment, sampled every {SAMPLE_S} s;\n"
        "for 1M lines: scaled from 1M lines or more, else + the parent's growth for the rest."
    )


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


# --- command line ------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; without --project and --path, the default projects."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.extraction_speed",
        description="Bare libcst parse vs decompose's cold, unchanged and one-change runs.",
    )
    parser.add_argument("--project", action="append", default=[], metavar="NAME==VERSION")
    parser.add_argument("--path", action="append", default=[], type=Path, metavar="DIR")
    parser.add_argument(
        "--corpus",
        action="append",
        default=[],
        metavar="SPEC,SPEC,...",
        help='projects measured together as one code base ("million": MILLION_LINES)',
    )
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: all cores)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--max-memory-mb",
        type=int,
        default=DEFAULT_MEMORY_MB,
        help="address-space cap of each measuring process and worker (0: none)",
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per measurement"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.corpus = [
        list(MILLION_LINES) if text == "million" else [s for s in text.split(",") if s]
        for text in args.corpus
    ]
    if not args.project and not args.path and not args.corpus:
        args.project = list(DEFAULT_PROJECTS)
    args.jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every project asked for, print the table; 0 when some figures were printed."""
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    targets: list[tuple[str, Callable[[], Path]]] = [
        (spec, partial(fetch, spec)) for spec in args.project
    ]
    targets += [(str(path), partial(_local, path)) for path in args.path]
    targets += [(f"corpus of {len(specs)}", partial(corpus, specs)) for specs in args.corpus]
    limits = Limits(args.max_memory_mb, args.timeout)
    measure = partial(measure_project, jobs=args.jobs, repeat=args.repeat, limits=limits, log=log)
    figures = []
    for name, locate in targets:
        try:
            figures.append(measure(name, locate()))
        except Exception as exc:  # one line per project, then the next one
            print(f"{name}: skipped: {_last_line(str(exc)) or exc.__class__.__name__}")
    if not figures:
        return 1
    print(_header(args.jobs, args.repeat, limits))
    print(format_table(figures))
    print(format_failures(figures))
    print(_notes())
    return 0


def _local(path: Path) -> Path:
    if not path.is_dir():
        raise BenchError(f"{path} is not a folder")
    return path


if __name__ == "__main__":
    # Run through the module's real name so that pickled functions name an importable module.
    from tests.benchmarks import extraction_speed

    raise SystemExit(extraction_speed.main())
