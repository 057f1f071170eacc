"""The use cases behind the commands; the only module that knows the order of the stages.

discover -> parse (+ extract in the workers) -> resolve -> link -> cluster -> derive -> render
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from decompose import callgraph, render
from decompose import compare as comparing
from decompose.cluster import cluster_modules
from decompose.config import Options
from decompose.derive import derive_plan
from decompose.discover import discover
from decompose.errors import InputError
from decompose.extract import extract_module, resolve_calls
from decompose.extract.data_resolve import resolve_data
from decompose.history import read_history
from decompose.link import build_graph
from decompose.model import (
    ModuleExplanation,
    Plan,
    PlanFormatError,
    plan_from_json,
    plan_to_json,
)
from decompose.parse import FactCache, parse_files
from decompose.render.contract_output import write_contracts
from decompose.render.contracts import CONTRACTS_FOLDER as CONTRACTS_FOLDER  # re-exported for cli
from decompose.render.contracts import render_contracts
from decompose.render.output import write_files
from decompose.render.scaffold import ScaffoldResult as ScaffoldResult  # re-exported for cli
from decompose.render.scaffold import write_scaffold

CACHE_FOLDER = ".cache"
SCAFFOLD_FOLDER = "services"  # where `analyze --scaffold` and `scaffold` put the repositories


class Progress(Protocol):
    """What the pipeline tells its user while it runs."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A stage starts; `total` is the number of steps when known."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""


class _Silent:
    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, steps: int = 1) -> None:
        return None


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """The plan of an `analyze` run, the files written, and what the cache saved."""

    plan: Plan
    written: tuple[Path, ...]
    parsed: int
    cached: int


def analyze(options: Options, progress: Progress | None = None) -> AnalysisResult:
    """Run the whole pipeline on `options.target` and write the outputs to `options.out`."""
    shown = progress or _Silent()
    shown.stage("discover")
    found = discover(options.target, options.source_roots, options.excludes)
    shown.stage("parse", len(found.files))
    cache = None
    if options.use_cache:
        cache = FactCache(options.out / CACHE_FOLDER / "facts", options_key="facts-v1")
    parsed = parse_files(
        found.root,
        found.files,
        extract_module,
        jobs=options.jobs,
        cache=cache,
        progress=shown.advance,
    )
    if not parsed.results:
        raise InputError(f"{options.target}: no Python file could be parsed")
    shown.stage("link")
    weights = dict(options.weights)
    table, calls = resolve_calls(parsed.results, cache, parsed.key)
    uses_git = weights.get("cochange", 0.0) > 0 or weights.get("authors", 0.0) > 0
    history = read_history(found.root) if uses_git else None
    data = resolve_data({f.module: f.data for f in parsed.results}, table, calls)
    graph = build_graph(
        parsed.results, table, calls, weights, history, options.cochange_max_files, data
    )
    shown.stage("cluster")
    clustering = cluster_modules(graph, weights, options.seed, options.constraints)
    shown.stage("derive")
    plan = derive_plan(
        target=found.root.name,
        facts=parsed.results,
        graph=graph,
        clustering=clustering,
        weights=weights,
        failures=(*found.failures, *parsed.failures),
        files=len(found.files),
        calls=calls,
        data=data,
    )
    shown.stage("render")
    written = _write_outputs(plan, options.out)
    return AnalysisResult(plan, written, parsed.parsed, parsed.cached)


def graph(options: Options, fmt: str, out: Path | None) -> str:
    """The call graph of `options.target` in `fmt`; written to `out` when given, else returned."""
    if fmt not in callgraph.FORMATS:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(callgraph.FORMATS)}")
    found = discover(options.target, options.source_roots, options.excludes)
    parsed = parse_files(found.root, found.files, extract_module, jobs=options.jobs)
    if not parsed.results:
        raise InputError(f"{options.target}: no Python file could be parsed")
    _, calls = resolve_calls(parsed.results)
    text = callgraph.render(fmt, parsed.results, calls, found.root.name)
    if out is not None:
        write_files(out.parent, {out.name: text})
    return text


def _write_outputs(plan: Plan, out: Path) -> tuple[Path, ...]:
    """The plan, the report and the contracts, all validated and rendered before any is written."""
    contracts = render_contracts(plan)
    written = render.write_outputs(plan, out)
    done = write_contracts(out, contracts, plan_to_json(plan))
    return tuple(sorted((*written, *done.written, *done.unchanged)))


def load_plan(path: Path) -> Plan:
    """A plan saved by `analyze`; an input error names the file and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the plan: {exc}") from exc
    try:
        return plan_from_json(text)
    except PlanFormatError as exc:
        raise InputError(f"{path}: {exc}") from exc


def report(plan_path: Path, out: Path | None = None) -> tuple[Path, ...]:
    """Re-render the outputs of a saved plan (beside it unless `out` is given)."""
    plan = load_plan(plan_path)
    return _write_outputs(plan, out or plan_path.parent)


def compare(plan_path: Path, expected_path: Path) -> comparing.Comparison:
    """Compare a plan with an expected decomposition or with another plan."""
    plan = load_plan(plan_path)
    try:
        expected = comparing.load_expected(expected_path)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    candidate = plan.service_of()
    return comparing.compare_partitions(candidate, expected.assign(candidate))


def explain(plan_path: Path, module: str) -> tuple[ModuleExplanation, str]:
    """Why `module` is in its service, from a saved plan, and why it is shared ("" when it is
    not in the shared kernel); an input error for an unknown module."""
    plan = load_plan(plan_path)
    found = plan.explanation_of(module)
    if found is None:
        raise InputError(
            f"{plan_path}: no module {module!r} in the plan: give a dotted module name"
        )
    return found, next((s.reason for s in plan.shared if s.module == module), "")


def scaffold(plan_path: Path, out: Path | None = None, force: bool = False) -> ScaffoldResult:
    """One starter repository per service of a saved plan, under `out` (default: beside it)."""
    plan = load_plan(plan_path)
    try:
        data = plan_path.read_bytes()
    except OSError as exc:
        raise InputError(f"{plan_path}: cannot read the plan: {exc}") from exc
    return write_scaffold(plan, data, out or plan_path.parent / SCAFFOLD_FOLDER, force=force)


def scaffold_plan(plan: Plan, out: Path, force: bool = False) -> ScaffoldResult:
    """The starter repositories of a plan just made, as `analyze` saved it."""
    return write_scaffold(plan, plan_to_json(plan).encode("utf-8"), out, force=force)
