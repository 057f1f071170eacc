"""Starter repositories of the examples and of django-oscar, checked as their team would.

For every example (and django-oscar, downloaded from PyPI into the temp folder; skipped
offline unless CI=true): cfn-lint, at the version pinned in pyproject.toml, on every
template.yaml with no error and no warning; the checks cfn-lint cannot make (`problems_of`:
every CodeUri, ContentUri and DefinitionUri exists, every state machine parses and goes from
state to state); ruff on the generated code; generating twice gives the same bytes; and each
repository's own tests pass in a fresh virtual environment. That environment is made once per
session with the union of the repositories' dev requirements (the network is needed once;
pip's cache serves later runs). On two cores the whole file takes about three minutes: the
repositories' own tests about 100 s, the environment 30-40 s, cfn-lint about 30 s.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose import api
from decompose.cli import main
from decompose.config import build_options
from decompose.model.plan import Plan
from tests.regenerate_reports import EXAMPLES, NO_HISTORY, ROOT
from tests.test_scaffold import all_files, hostile_plan, problems_of, scaffold, shop_plan

IN_CI = os.environ.get("CI") == "true"
REAL_PROJECT = "django-oscar==3.2.5"
CACHE = Path(tempfile.gettempdir()) / "decompose-scaffold-tests"
PROJECTS = (*EXAMPLES, "django-oscar", "shop", "odd-names")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def _run(command: list[str], cwd: Path | None = None, timeout: int = 900) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == 0, f"{' '.join(command[:4])}... in {cwd}:\n{output[-6000:]}"
    return output


# -- the repositories ---------------------------------------------------------------------------


def _odd_names_plan() -> Plan:
    # Names every contract accepts but awkward everywhere else: a keyword, a Windows device,
    # dots, another script and emoji, a very long name.
    names = ("class", "con", "..", "Ünïcödé😀", "y" * 300)
    return hostile_plan(names, "item_id", "/{name}/{{item_id}}")


def _plan_of(name: str, work: Path) -> Path:
    if name == "django-oscar":
        target = _oscar_source()
        options = build_options(target, work / "plan", jobs=2)
    else:
        options = build_options(
            ROOT / "examples" / name, work / "plan", weights=NO_HISTORY, jobs=1, use_cache=False
        )
    api.analyze(options)
    return work / "plan" / "plan.json"


def _oscar_source() -> Path:
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    if not list(wheels.glob("*.whl")):
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        command += ["--disable-pip-version-check", "-q", REAL_PROJECT, "-d", str(wheels)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            _unavailable(f"cannot download {REAL_PROJECT}: {exc}")
        if done.returncode != 0 or not list(wheels.glob("*.whl")):
            _unavailable(f"cannot download {REAL_PROJECT}: {done.stderr.strip()[-300:]}")
    source = CACHE / "source"
    if not (source / "oscar").is_dir():
        shutil.rmtree(source, ignore_errors=True)
        with zipfile.ZipFile(next(wheels.glob("*.whl"))) as wheel:
            wheel.extractall(source)
    return source


@pytest.fixture(scope="session")
def repositories(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Project name -> the folder of its repositories, each made once per session."""
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            work = tmp_path_factory.mktemp(name)
            if name == "shop":
                scaffold(shop_plan(), work / "repos")
            elif name == "odd-names":
                scaffold(_odd_names_plan(), work / "repos")
            else:
                api.scaffold(_plan_of(name, work), work / "repos")
            made[name] = work / "repos"
        return made[name]

    return get


@pytest.fixture(scope="session")
def repository_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of one fresh virtual environment with every repository's dev requirements."""
    from decompose.render.scaffold.view import DEV_REQUIREMENTS

    folder = tmp_path_factory.mktemp("repository-venv")
    requirements = folder / "requirements.txt"
    requirements.write_text("\n".join(sorted(set(DEV_REQUIREMENTS))) + "\n", encoding="utf-8")
    python = folder / "venv" / "bin" / "python"
    _run([sys.executable, "-m", "venv", str(folder / "venv")])
    command = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    done = subprocess.run(
        [*command, "-r", str(requirements)], capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        _unavailable(f"cannot install the repositories' dev requirements: {done.stderr[-500:]}")
    return python


# -- the checks ---------------------------------------------------------------------------------


def _pinned_cfn_lint() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'"cfn-lint==([^"]+)"', text)
    assert found, "pyproject.toml pins no cfn-lint version"
    return found.group(1)


def test_cfn_lint_is_the_pinned_version() -> None:
    try:
        installed = importlib.metadata.version("cfn-lint")
    except importlib.metadata.PackageNotFoundError:
        _unavailable("cfn-lint is not installed (pip install -e '.[dev]')")
    assert installed == _pinned_cfn_lint()


@pytest.mark.parametrize("name", PROJECTS)
def test_templates_pass_cfn_lint_without_a_warning(
    name: str, repositories: Callable[[str], Path]
) -> None:
    try:
        importlib.metadata.version("cfn-lint")
    except importlib.metadata.PackageNotFoundError:
        _unavailable("cfn-lint is not installed (pip install -e '.[dev]')")
    templates = sorted(str(p) for p in repositories(name).glob("*/template.yaml"))
    assert templates
    # The console script of the environment running the tests: the pinned version.
    entry = "import sys; from cfnlint.runner import main; sys.exit(main())"
    output = _run([sys.executable, "-c", entry, "--", *templates])
    assert output == ""


@pytest.mark.parametrize("name", PROJECTS)
def test_what_cfn_lint_does_not_see(name: str, repositories: Callable[[str], Path]) -> None:
    for repo in sorted(repositories(name).iterdir()):
        assert problems_of(repo) == [], repo.name


@pytest.mark.parametrize("name", (*EXAMPLES, "django-oscar"))  # from a saved plan
def test_generating_twice_gives_identical_bytes(
    name: str, repositories: Callable[[str], Path], tmp_path: Path
) -> None:
    first = repositories(name)
    api.scaffold(first.parent / "plan" / "plan.json", tmp_path / "again")
    assert all_files(tmp_path / "again") == all_files(first)


@pytest.mark.parametrize("name", PROJECTS)
def test_generated_code_passes_ruff(
    name: str, repositories: Callable[[str], Path], repository_python: Path
) -> None:
    for repo in sorted(repositories(name).iterdir()):
        _run([str(repository_python), "-m", "ruff", "check", "--no-cache", "."], cwd=repo)
        if name != "odd-names":  # a 300-character name cannot be formatted in 100 columns
            _run(
                [str(repository_python), "-m", "ruff", "format", "--check", "--no-cache", "."],
                cwd=repo,
            )


@pytest.mark.parametrize("name", PROJECTS)
def test_repository_tests_pass_in_a_fresh_environment(
    name: str, repositories: Callable[[str], Path], repository_python: Path
) -> None:
    repos = sorted(repositories(name).iterdir())
    command = [str(repository_python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        outputs = list(pool.map(lambda repo: _run(command, cwd=repo), repos))
    for repo, output in zip(repos, outputs, strict=True):
        assert " passed" in output.splitlines()[-1], f"{repo.name}: {output[-2000:]}"


def test_the_examples_have_services_to_scaffold(repositories: Callable[[str], Path]) -> None:
    for name in EXAMPLES:
        assert len(list(repositories(name).iterdir())) >= 2, name


def test_analyze_can_scaffold_too(tmp_path: Path) -> None:
    command = ["analyze", str(ROOT / "examples" / "tiny_bookshop"), "-o", str(tmp_path)]
    command += ["--jobs", "1", "--scaffold", *(a for w in NO_HISTORY for a in ("--weight", w))]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    assert "Scaffolded" in result.output
    manifests = sorted((tmp_path / api.SCAFFOLD_FOLDER).glob("*/.decompose-manifest.json"))
    assert len(manifests) >= 2
    plan_hash = hashlib.sha256((tmp_path / "plan.json").read_bytes()).hexdigest()
    assert all(json.loads(m.read_text("utf-8"))["plan_sha256"] == plan_hash for m in manifests)
