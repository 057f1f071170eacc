"""Stage 2, parse: `SourceFile`s -> per-file results of a libcst-based extractor, or `Failure`s.

Files are parsed with libcst in a process pool; each worker hands the tree straight to the
extractor it was given, so only plain facts cross the process boundary. A content-hash cache
(keyed by file content, tool version and the extractor's options) makes a re-run parse only
what changed. A file that does not parse becomes a `Failure` with its line, never a crash.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Generic, TypeVar

import libcst as cst

from decompose import __version__
from decompose.errors import DecomposeError
from decompose.memory import collector_paused
from decompose.model import Failure, SourceFile

R = TypeVar("R")
Extractor = Callable[[cst.Module, SourceFile], R]

# Files larger than this are generated code in practice; parsing one costs gigabytes.
MAX_FILE_BYTES = 2_000_000
_BATCH = 16
KEPT_RESULTS = 4  # whole-code-base results kept in a cache (one per state of the code)
_LONG_LINE = 1_000
_MANY_BRACKETS = 20_000


class WorkerError(DecomposeError):
    """No worker process could start: nothing can be parsed in parallel."""

    slug = "workers"


@dataclass(frozen=True, slots=True)
class ParseResult(Generic[R]):
    """The extractor's results (sorted by path) and the files that failed."""

    results: tuple[R, ...]
    failures: tuple[Failure, ...]
    parsed: int  # files actually parsed in this run (the rest came from the cache)
    cached: int
    # what the results stand for (every file's content and place, which failed, the tool
    # version and options): the key of what is computed from all of them; "" without a cache
    key: str = ""


@functools.cache
def code_version() -> str:
    """The tool's version and a digest of its source code: a checkout whose code was edited
    without a new version number never reads what the old code cached."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    try:
        for path in sorted(package.rglob("*.py")):
            digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    except OSError:  # sources not readable (a frozen install): the version alone
        return __version__
    return f"{__version__}+{digest.hexdigest()[:16]}"


class FactCache:
    """Results on disk, one pickle per (file content and place, tool version, options)."""

    def __init__(self, folder: Path, options_key: str) -> None:
        self.folder = folder
        self._salt = f"{code_version()}\0{options_key}\0{sys.version_info[:2]}"

    def _path(self, source: SourceFile) -> Path:
        # Facts name their module and path, so identical files (every empty __init__.py)
        # must not share an entry: the key holds the content and where it sits.
        ident = f"{self._salt}\0{source.sha256}\0{source.path}\0{source.module}"
        key = hashlib.sha256(f"{ident}\0{source.is_package}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, source: SourceFile) -> object | None:
        """The cached result for this file as it is now, or None."""
        return self._read(self._path(source))

    def put(self, source: SourceFile, value: object) -> None:
        """Store a result; a cache that cannot be written is only slower, never an error."""
        self._write(self._path(source), _dumps(value))

    def put_pickled(self, source: SourceFile, data: bytes) -> None:
        """Store a result pickled by a worker (the parent need not pickle it again)."""
        self._write(self._path(source), data)

    def key_of(self, files: Sequence[SourceFile], failed: Collection[str]) -> str:
        """The key of a result computed from the results of all `files` (those whose path is
        in `failed` gave none): it changes with any file, a failure, the tool or options."""
        digest = hashlib.sha256(self._salt.encode())
        for source in sorted(files, key=lambda f: f.path):
            state = "failed" if source.path in failed else "ok"
            ident = f"{source.sha256}\0{source.path}\0{source.module}\0{source.is_package}"
            digest.update(f"{ident}\0{state}\n".encode())
        return digest.hexdigest()

    def load(self, key: str) -> object | None:
        """A result stored under `key` (see `key_of`), or None."""
        return self._read(self.folder / "results" / f"{key}.pickle")

    def store(self, key: str, value: object) -> None:
        """Store a result under `key`, keeping only the newest few (each is a whole code
        base's); a cache that cannot be written is only slower."""
        folder = self.folder / "results"
        path = folder / f"{key}.pickle"
        self._write(path, _dumps(value))
        try:
            entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
            for old in entries[:-KEPT_RESULTS]:
                if old != path:
                    old.unlink()
        except OSError:
            return

    def _read(self, path: Path) -> object | None:
        try:
            value: object = pickle.loads(path.read_bytes())  # faster than from a file object
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
            return None
        except TypeError:  # a dataclass whose fields changed since the entry was written
            return None
        return value

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            return


class _Pickler(pickle.Pickler):
    """Slotted dataclasses as a call of the class with their fields: pickle's default for
    them (`__setstate__` looking up the fields of every object) makes loading the cache
    twice as slow, and an unchanged re-run is mostly loading the cache."""

    _fields: dict[type, tuple[str, ...]] = {}

    def reducer_override(self, obj: object) -> Any:  # a reduce tuple, or NotImplemented
        cls = type(obj)
        names = self._fields.get(cls)
        if names is None:
            names = self._fields[cls] = _positional_fields(cls)
        if not names:
            return NotImplemented
        return cls, tuple([getattr(obj, name) for name in names])


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _positional_fields(cls: type) -> tuple[str, ...]:
    """The fields of a slotted dataclass built from them alone; () for any other class."""
    if not dataclasses.is_dataclass(cls) or "__slots__" not in vars(cls):
        return ()
    if hasattr(cls, "__post_init__"):
        return ()
    fields = dataclasses.fields(cls)
    if any(not f.init or f.kw_only for f in fields):
        return ()
    return tuple(f.name for f in fields)


def parse_files(
    root: Path,
    files: Sequence[SourceFile],
    extractor: Extractor[R],
    *,
    jobs: int = 0,
    cache: FactCache | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParseResult[R]:
    """Parse every file and run `extractor` on its tree, in parallel, using the cache."""
    outcomes: dict[str, R | Failure] = {}
    todo: list[SourceFile] = []
    with collector_paused():
        for source in files:
            hit = cache.get(source) if cache is not None else None
            if hit is not None:
                outcomes[source.path] = hit  # type: ignore[assignment]
                if progress:
                    progress(1)
            else:
                todo.append(source)
    work = partial(_parse_batch, root, extractor)
    batches = [todo[i : i + _BATCH] for i in range(0, len(todo), _BATCH)]
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers == 1 or len(batches) <= 1:
        _collect(map(work, batches), outcomes, cache, progress)
    else:
        with collector_paused():  # the parent only loads what the workers send
            crashed = _run_pool(
                work, batches, min(workers, len(batches)), outcomes, cache, progress
            )
        if len(crashed) == len(todo) and not _workers_start():
            # Not one batch came back, and a worker cannot even run a no-op: isolating each
            # file would start one more dead pool per file (minutes). Never parsed here
            # instead: what kills the workers would then run in this process.
            raise WorkerError(
                f"no worker process could start ({len(todo)} files not parsed): a script "
                'that calls decompose must guard its entry point with `if __name__ == "__main__":` '
                "(each worker imports the main module), or run with one job (--jobs 1)"
            )
        _isolate(work, crashed, workers, outcomes, cache, progress)
    results = [v for _, v in sorted(outcomes.items()) if not isinstance(v, Failure)]
    failures = [v for _, v in sorted(outcomes.items()) if isinstance(v, Failure)]
    key = cache.key_of(files, {f.path for f in failures}) if cache is not None else ""
    return ParseResult(tuple(results), tuple(failures), len(todo), len(files) - len(todo), key)


def _run_pool(
    work: Callable[[Sequence[SourceFile]], list[tuple[SourceFile, bytes]]],
    batches: Sequence[Sequence[SourceFile]],
    workers: int,
    outcomes: dict[str, R | Failure],
    cache: FactCache | None,
    progress: Callable[[int], None] | None,
) -> list[SourceFile]:
    """Run batches in a pool; return the files of batches lost to a crashed worker."""
    lost: list[SourceFile] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver")) as pool:
        futures = [(batch, pool.submit(work, batch)) for batch in batches]
        futures.reverse()
        while futures:  # each future dropped once loaded: it holds the batch's pickled bytes
            batch, future = futures.pop()
            try:
                _collect([future.result()], outcomes, cache, progress)
            except BrokenProcessPool:
                lost.extend(batch)
    return lost


def _isolate(
    work: Callable[[Sequence[SourceFile]], list[tuple[SourceFile, bytes]]],
    lost: list[SourceFile],
    workers: int,
    outcomes: dict[str, R | Failure],
    cache: FactCache | None,
    progress: Callable[[int], None] | None,
) -> None:
    """Find the files that take a worker down, with a few pools per such file, not one per
    lost file (thousands, on a big code base).

    A crash loses every batch still in the pool, but its culprit is among the first lost: the
    `workers` batches running when it died and the one queued next. Those files run again one
    per task; a second crash points at its file the same way, among the first `workers` + 1
    lost, and each of these then runs alone. The rest runs on in batches, until none is lost.
    """

    def run(files: Sequence[SourceFile], size: int, most: int) -> list[SourceFile]:
        batches = [files[i : i + size] for i in range(0, len(files), size)]
        if not batches:
            return []
        return _run_pool(work, batches, min(most, len(batches)), outcomes, cache, progress)

    while lost:
        in_flight = (workers + 1) * _BATCH
        again = run(lost[:in_flight], 1, workers)
        while again:
            for source in again[: workers + 1]:
                if run([source], 1, 1):
                    reason = "the parser crashed on this file (worker process died)"
                    outcomes[source.path] = Failure(source.path, 0, reason)
            again = run(again[workers + 1 :], 1, workers)
        lost = run(lost[in_flight:], _BATCH, workers)


def _workers_start() -> bool:
    """Whether a pool worker can start and run a task that parses nothing."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("forkserver")) as pool:
            pool.submit(os.getpid).result()
    except (BrokenProcessPool, OSError):
        return False
    return True


def _collect(
    done: object,
    outcomes: dict[str, R | Failure],
    cache: FactCache | None,
    progress: Callable[[int], None] | None,
) -> None:
    for batch in done:  # type: ignore[attr-defined]
        for source, data in batch:
            outcomes[source.path] = pickle.loads(data)
            if cache is not None:
                cache.put_pickled(source, data)
        if progress:
            progress(len(batch))


def _parse_batch(
    root: Path, extractor: Extractor[R], batch: Sequence[SourceFile]
) -> list[tuple[SourceFile, bytes]]:
    # pickled here with the cache's pickler: the parent loads them faster than what the
    # pool would send, and writes the same bytes to the cache without pickling them again
    return [(source, _dumps(parse_one(root, source, extractor))) for source in batch]


def parse_one(root: Path, source: SourceFile, extractor: Extractor[R]) -> R | Failure:
    """Parse one file and extract from it; every problem becomes a `Failure`."""
    try:
        data = (root / source.path).read_bytes()
    except OSError as exc:
        return Failure(source.path, 0, f"unreadable: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        size = len(data) / 1_000_000
        return Failure(source.path, 0, f"skipped: {size:.1f} MB, likely generated code")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        return Failure(source.path, line, "NUL byte in source: not a Python text file")
    deep = _too_deep(data)
    if deep:
        return Failure(source.path, deep[0], deep[1])
    try:
        tree = cst.parse_module(data)
    except cst.ParserSyntaxError as exc:
        return Failure(source.path, exc.raw_line, f"syntax error: {_first_line(exc.message)}")
    except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
        return Failure(
            source.path, _error_line(exc, data), f"cannot decode: {_first_line(str(exc))}"
        )
    except RecursionError:
        return Failure(source.path, 0, "nested too deeply to parse (recursion limit)")
    except Exception as exc:  # a parser bug must not end the run
        return Failure(source.path, 0, f"parser error: {exc.__class__.__name__}: {exc}")
    try:
        return extractor(tree, source)
    except RecursionError:
        return Failure(source.path, 0, "nested too deeply to analyse (recursion limit)", "extract")
    except Exception as exc:  # an extractor bug must not end the run: report it per file
        message = f"extraction error: {exc.__class__.__name__}: {_first_line(str(exc))}"
        return Failure(source.path, 0, message, "extract")


def _too_deep(data: bytes) -> tuple[int, str] | None:
    """Nesting that would overflow libcst's native parser, checked with CPython's parser.

    libcst's parser crashes the process on very deep expressions; CPython's raises cleanly.
    Only files with a very long line or many open brackets pay for the check.
    """
    longest = max((len(line) for line in data.splitlines()), default=0)
    if longest < _LONG_LINE and data.count(b"(") + data.count(b"[") < _MANY_BRACKETS:
        return None
    try:
        ast.parse(data)
    except (RecursionError, MemoryError):
        return 0, "nested too deeply to parse (recursion limit)"
    except SyntaxError as exc:
        if "too many nested" in str(exc):
            return exc.lineno or 0, "nested too deeply to parse (too many nested parentheses)"
    except ValueError:
        return None
    return None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text.strip())


def _error_line(exc: Exception, data: bytes) -> int:
    if isinstance(exc, UnicodeDecodeError):
        return data[: exc.start].count(b"\n") + 1
    return 1
