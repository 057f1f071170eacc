"""Call-graph accuracy on the micro-benchmark in tests/callgraph_cases.

Each case folder goes through discover -> parse -> extract -> resolve; the PyCG-format graph
is compared edge by edge (caller -> callee) with the expected `callgraph.json`. Precision and
recall are micro-averaged over edges, per category and overall.

    python -m tests.benchmarks.callgraph_accuracy [--verbose] [CASES_FOLDER]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from decompose.callgraph import pycg_graph
from decompose.discover import discover
from decompose.extract import extract_module, resolve_calls
from decompose.parse import parse_files

CASES = Path(__file__).resolve().parent.parent / "callgraph_cases"

Edge = tuple[str, str]


@dataclass(frozen=True, slots=True)
class CaseResult:
    """Expected and produced edges of one case."""

    category: str
    name: str
    expected: frozenset[Edge]
    produced: frozenset[Edge]
    missing_keys: tuple[str, ...] = ()  # scopes expected as keys but not produced
    extra_keys: tuple[str, ...] = ()

    @property
    def correct(self) -> int:
        """Edges both expected and produced."""
        return len(self.expected & self.produced)

    @property
    def passed(self) -> bool:
        """The produced graph is exactly the expected one, keys included."""
        return self.expected == self.produced and not self.missing_keys and not self.extra_keys


@dataclass(frozen=True, slots=True)
class Score:
    """Micro-averaged precision and recall over a set of cases."""

    cases: int
    passed: int
    expected: int
    produced: int
    correct: int

    @property
    def precision(self) -> float:
        """Correct edges over produced edges."""
        return self.correct / self.produced if self.produced else 1.0

    @property
    def recall(self) -> float:
        """Correct edges over expected edges."""
        return self.correct / self.expected if self.expected else 1.0


def case_folders(root: Path = CASES) -> list[Path]:
    """Every case folder (one holding a callgraph.json), sorted."""
    return sorted(p.parent for p in root.glob("*/*/callgraph.json"))


def produce_graph(folder: Path) -> dict[str, list[str]]:
    """Our PyCG-format call graph of one case folder."""
    found = discover(folder, excludes=())
    parsed = parse_files(found.root, found.files, extract_module, jobs=1)
    _, calls = resolve_calls(parsed.results)
    return pycg_graph(parsed.results, calls)


def _edges(graph: dict[str, list[str]]) -> frozenset[Edge]:
    return frozenset((caller, callee) for caller, callees in graph.items() for callee in callees)


def run_case(folder: Path) -> CaseResult:
    """Compare one case's produced graph with its expected one."""
    expected = json.loads((folder / "callgraph.json").read_text(encoding="utf-8"))
    produced = produce_graph(folder)
    return CaseResult(
        category=folder.parent.name,
        name=folder.name,
        expected=_edges(expected),
        produced=_edges(produced),
        missing_keys=tuple(sorted(set(expected) - set(produced))),
        extra_keys=tuple(sorted(set(produced) - set(expected))),
    )


def run_cases(root: Path = CASES) -> list[CaseResult]:
    """Every case of the benchmark, in folder order."""
    return [run_case(folder) for folder in case_folders(root)]


def score(results: Sequence[CaseResult]) -> Score:
    """Micro-averaged precision and recall of these cases."""
    return Score(
        cases=len(results),
        passed=sum(r.passed for r in results),
        expected=sum(len(r.expected) for r in results),
        produced=sum(len(r.produced) for r in results),
        correct=sum(r.correct for r in results),
    )


def table(results: Sequence[CaseResult]) -> str:
    """Precision and recall per category and overall, as a text table."""
    categories = sorted({r.category for r in results})
    header = (
        f"{'category':<18} {'cases':>5} {'exact':>5} {'edges':>6} {'precision':>9} {'recall':>7}"
    )
    rows = [header, "-" * len(header)]
    for category in [*categories, "overall"]:
        chosen = [r for r in results if category in ("overall", r.category)]
        s = score(chosen)
        if category == "overall":
            rows.append("-" * len(header))
        rows.append(
            f"{category:<18} {s.cases:>5} {s.passed:>5} {s.expected:>6} "
            f"{s.precision:>9.3f} {s.recall:>7.3f}"
        )
    return "\n".join(rows)


def failures(results: Sequence[CaseResult]) -> str:
    """The cases whose graph differs from the expected one, with what is missing or extra."""
    out = []
    for r in results:
        if r.passed:
            continue
        out.append(f"{r.category}/{r.name}")
        for caller, callee in sorted(r.expected - r.produced):
            out.append(f"    missing  {caller} -> {callee}")
        for caller, callee in sorted(r.produced - r.expected):
            out.append(f"    extra    {caller} -> {callee}")
        for key in r.missing_keys:
            out.append(f"    missing key {key}")
        for key in r.extra_keys:
            out.append(f"    extra key   {key}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table (and the failing cases with --verbose); 0 when every case passes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=Path, default=CASES)
    parser.add_argument("-v", "--verbose", action="store_true", help="list failing cases")
    args = parser.parse_args(argv)
    results = run_cases(args.cases)
    print(table(results))
    if args.verbose and not all(r.passed for r in results):
        print()
        print(failures(results))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
