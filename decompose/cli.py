"""The `decompose` command: parses options, calls `api`, prints what it wrote.

Exit codes: 0 ok, 1 findings, 2 usage, configuration or input error.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from decompose import __version__, api
from decompose.config import build_options
from decompose.errors import DecomposeError

F = TypeVar("F", bound=Callable[..., Any])


def _common(func: F) -> F:
    func = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(func)
    func = click.option("--debug", is_flag=True, help="Show the traceback of an error.")(func)
    return func


class _RichProgress:
    """Stage-by-stage progress on stderr."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total or 1)
        self._task = self._progress.add_task(name, total=total or 1)
        if total is None:
            self._progress.update(self._task, completed=1)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)


@contextmanager
def _errors(debug: bool) -> Iterator[None]:
    try:
        yield
    except DecomposeError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"decompose: {exc.slug} error: {exc}", err=True)
        sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="decompose")
def main() -> None:
    """Read a Python monolith and propose how to cut it into microservices."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Output folder [default: reports/<name of PATH>].",
)
@click.option(
    "--source-root",
    "source_roots",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Folder module names are relative to (repeatable) [default: PATH, or "
    "PATH/src in a src layout].",
)
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="GLOB",
    help="Also skip files matching GLOB (repeatable; tests and migrations are skipped by default).",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="SIGNAL=W",
    help="Weight of a clustering signal (repeatable), e.g. path=0.",
)
@click.option("--seed", type=int, default=None, help="Random seed of the clustering [default: 42].")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes [default: all cores].",
)
@click.option("--no-cache", is_flag=True, help="Parse every file again.")
@click.option(
    "--scaffold",
    "scaffold_repos",
    is_flag=True,
    help="Also write one starter repository per service, under OUT/services.",
)
@_common
def analyze(
    path: Path,
    out: Path | None,
    source_roots: tuple[Path, ...],
    excludes: tuple[str, ...],
    weights: tuple[str, ...],
    seed: int | None,
    jobs: int,
    no_cache: bool,
    scaffold_repos: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Analyse the code in PATH and write the plan, the report and the summary."""
    with _errors(debug):
        options = build_options(
            path,
            out,
            source_roots=source_roots,
            excludes=excludes,
            weights=weights,
            seed=seed,
            jobs=jobs,
            use_cache=not no_cache,
        )
        console = Console(stderr=True, quiet=quiet)
        columns = (TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            result = api.analyze(options, _RichProgress(bar))
        if not quiet:
            _print_summary(result)
        if scaffold_repos:
            made = api.scaffold_plan(result.plan, options.out / api.SCAFFOLD_FOLDER)
            if not quiet:
                _print_scaffold(made)


def _print_summary(result: api.AnalysisResult) -> None:
    plan = result.plan
    out = Console(markup=False, highlight=False)  # names come from the analysed code
    table = Table(title=f"{plan.target}: {len(plan.services)} services", title_justify="left")
    for column in ("service", "modules", "lines", "depends on"):
        table.add_column(column, justify="right" if column in ("modules", "lines") else "left")
    for service in plan.services:
        deps = ", ".join(f"{d.target} ({d.count})" for d in service.dependencies)
        table.add_row(service.name, str(len(service.modules)), str(service.lines), deps or "-")
    out.print(table)
    stats = plan.statistics
    out.print(
        f"{stats.modules} modules, {stats.lines} lines, calls resolved "
        f"{stats.resolution_rate:.0%}, {len(plan.failures)} files not analysed; "
        f"parsed {result.parsed}, from cache {result.cached}"
    )
    contracts: dict[Path, int] = {}
    for path in result.written:
        folder = next((p for p in path.parents if p.name == api.CONTRACTS_FOLDER), None)
        if folder is None:
            click.echo(f"Wrote {path}")
        else:
            contracts[folder] = contracts.get(folder, 0) + 1
    for folder, count in sorted(contracts.items()):
        click.echo(f"Wrote {count} contract files under {folder}")


@main.command()
@click.argument("plan", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Output folder [default: the plan's folder].",
)
@_common
def report(plan: Path, out: Path | None, quiet: bool, debug: bool) -> None:
    """Re-render the report of a saved PLAN without reading the code again."""
    with _errors(debug):
        written = api.report(plan, out)
        if not quiet:
            for path in written:
                click.echo(f"Wrote {path}")


@main.command()
@click.argument("plan", type=click.Path(path_type=Path))
@click.argument("expected", type=click.Path(path_type=Path))
@click.option(
    "--min-mojofm",
    type=click.FloatRange(0, 1),
    default=None,
    help="Exit 1 when MoJoFM is below this.",
)
@_common
def compare(plan: Path, expected: Path, min_mojofm: float | None, quiet: bool, debug: bool) -> None:
    """Compare PLAN with an EXPECTED decomposition (TOML/JSON globs to domains, or a plan)."""
    with _errors(debug):
        result = api.compare(plan, expected)
        if not quiet:
            click.echo(f"MoJoFM  {result.mojofm:.3f}")
            click.echo(f"ARI     {result.ari:.3f}")
            click.echo(f"modules compared: {result.common}")
            if result.only_in_candidate:
                click.echo(f"not in EXPECTED: {', '.join(result.only_in_candidate)}")
            click.echo(f"modules to move: {len(result.moves)}")
            for move in result.moves:
                click.echo(f"  {move.module}: {move.from_cluster} -> {move.to_cluster}")
        if min_mojofm is not None and result.mojofm < min_mojofm:
            sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pycg", "json", "dot", "graphml"]),
    default="pycg",
    show_default=True,
    help="pycg: PyCG's callgraph.json; json: nodes and edges with kinds and lines.",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File [default: stdout].")
@click.option("--source-root", "source_roots", multiple=True, type=click.Path(path_type=Path))
@click.option("--exclude", "excludes", multiple=True, metavar="GLOB")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0)
@_common
def graph(
    path: Path,
    fmt: str,
    output: Path | None,
    source_roots: tuple[Path, ...],
    excludes: tuple[str, ...],
    jobs: int,
    quiet: bool,
    debug: bool,
) -> None:
    """Export the call graph of the code in PATH (resolved statically)."""
    with _errors(debug):
        options = build_options(path, None, source_roots=source_roots, excludes=excludes, jobs=jobs)
        text = api.graph(options, fmt, output)
        if output is None:
            click.echo(text, nl=False)
        elif not quiet:
            click.echo(f"Wrote {output}", err=True)


@main.command()
@click.argument("plan", type=click.Path(path_type=Path))
@click.argument("module")
@_common
def explain(plan: Path, module: str, quiet: bool, debug: bool) -> None:
    """Why MODULE is in its service: its strongest ties there, its strongest pull elsewhere."""
    with _errors(debug):
        found, shared_because = api.explain(plan, module)
        if quiet:
            return
        click.echo(f"{found.module} -> {found.service}")
        if shared_because:
            click.echo(f"  shared: {shared_because}")
        click.echo(f"  bound to {found.service} (affinity {found.bind_weight:.2f}):")
        for pull in found.binds or ():
            click.echo(f"    {pull.module}  {pull.weight:.2f}  ({_signals(pull.signals)})")
        if not found.binds:
            click.echo("    nothing: no edge to another module of its service")
        if found.rival is None:
            click.echo("  no pull toward another service")
            return
        click.echo(f"  strongest pull: {found.rival} (affinity {found.rival_weight:.2f}):")
        for pull in found.pulls:
            click.echo(f"    {pull.module}  {pull.weight:.2f}  ({_signals(pull.signals)})")


def _signals(signals: tuple[tuple[str, float], ...]) -> str:
    return ", ".join(f"{name} {value:.2f}" for name, value in signals)


@main.command()
@click.argument("plan", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Folder of the repositories [default: services/ beside PLAN].",
)
@click.option("--force", is_flag=True, help="Overwrite generated files you have edited.")
@_common
def scaffold(plan: Path, out: Path | None, force: bool, quiet: bool, debug: bool) -> None:
    """Write one starter repository per service of a saved PLAN (AWS SAM, serverless)."""
    with _errors(debug):
        made = api.scaffold(plan, out, force=force)
        if not quiet:
            _print_scaffold(made)


def _print_scaffold(made: api.ScaffoldResult) -> None:
    repositories = ", ".join(p.name for p in made.repositories) or "none"
    click.echo(
        f"Scaffolded {len(made.repositories)} repositories ({repositories}): "
        f"wrote {len(made.written)} files, {len(made.unchanged)} unchanged"
    )
    for path in made.written:
        click.echo(f"Wrote {path}")
    for path in made.removed:
        click.echo(f"Removed {path} (no longer generated, never edited)")
    for path in made.conflicts:
        click.echo(f"Kept {path}: you edited it; the new version is in {path}.new")
    for path in made.orphans:
        click.echo(f"Kept {path}: no longer generated, but you edited it")
