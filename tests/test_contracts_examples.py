"""The contracts of the examples against golden files, and every contract validated, oscar too.

Golden files live in `tests/golden/contracts/<example>/`. On a mismatch the real output is
copied to `tests/artifacts/contracts/<example>/` for diffing; to accept a change run

    DECOMPOSE_UPDATE_GOLDEN=1 python -m pytest tests/test_contracts_examples.py

The django-oscar test downloads the project from PyPI into the temp dir once; offline it is
skipped, unless CI=true, where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from decompose import api
from decompose.config import build_options
from decompose.render.contract_checks import (
    asyncapi_problems,
    json_schema_problems,
    openapi_problems,
)
from decompose.render.scaffold.manifest import MANIFEST
from tests.conftest import ROOT
from tests.regenerate_reports import EXAMPLES, files_under, regenerate

GOLDEN = ROOT / "tests" / "golden" / "contracts"
ARTIFACTS = ROOT / "tests" / "artifacts" / "contracts"
UPDATE = os.environ.get("DECOMPOSE_UPDATE_GOLDEN") == "1"
IN_CI = os.environ.get("CI") == "true"
REAL_PROJECT = "django-oscar==3.2.5"
CACHE = Path(tempfile.gettempdir()) / "decompose-contract-tests"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example analysed as `reports/` is (default options, no git signals)."""
    out = tmp_path_factory.mktemp("examples")
    regenerate(out)
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_contracts_match_the_golden_files(name: str, outputs: Path) -> None:
    # the manifest holds the plan's hash: it changes with any change to the plan
    actual = {k: v for k, v in files_under(outputs / name / "contracts").items() if k != MANIFEST}
    assert actual, f"{name}: no contract written"
    golden = GOLDEN / name
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        for relative, data in actual.items():
            (golden / relative).parent.mkdir(parents=True, exist_ok=True)
            (golden / relative).write_bytes(data)
    expected = files_under(golden)
    if actual != expected:
        artifact = ARTIFACTS / name
        shutil.rmtree(artifact, ignore_errors=True)
        shutil.copytree(outputs / name / "contracts", artifact)
        changed = sorted(
            k for k in actual.keys() | expected.keys() if actual.get(k) != expected.get(k)
        )
        pytest.fail(
            f"{name}: contracts differ from tests/golden/contracts/{name} in {changed[:8]}; "
            f"the output is in {artifact.relative_to(ROOT)} (diff -r them); accept with "
            "DECOMPOSE_UPDATE_GOLDEN=1"
        )


def problems_in(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """Every contract file below `folder`, read back from disk, with what is wrong with it."""
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".yaml":
            doc: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
            check = asyncapi_problems if path.name == "asyncapi.yaml" else openapi_problems
            yield path.relative_to(folder).as_posix(), check(doc)
        elif path.suffix == ".json":
            schema = json.loads(path.read_text(encoding="utf-8"))
            yield path.relative_to(folder).as_posix(), json_schema_problems(schema)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_contract_of_the_examples_is_valid(name: str, outputs: Path) -> None:
    found = dict(problems_in(outputs / name / "contracts"))
    assert found and all(name.endswith((".yaml", ".json")) for name in found)
    assert {k: v for k, v in found.items() if v} == {}


def test_the_marketplace_contracts_carry_its_domain(outputs: Path) -> None:
    plan = json.loads((outputs / "django_marketplace" / "plan.json").read_text(encoding="utf-8"))
    interfaces = plan["interfaces"]
    owners = {o["entity"].rsplit(".", 1)[1]: o["owner"] for o in interfaces["ownership"]}
    assert owners["Order"] == owners["OrderLine"] != owners["StockItem"]
    kinds = {d["kind"] for d in interfaces["dependencies"]}
    assert {"query", "command", "event", "read_model", "violation"} <= kinds
    violations = {d["name"] for d in interfaces["dependencies"] if d["kind"] == "violation"}
    assert "allocateStock" in violations  # orders writes the stock tables at checkout
    assert "PlaceOrderSaga" in {s["name"] for s in interfaces["sagas"]}
    events = {e["name"] for e in interfaces["events"]}
    assert {"OrderPlaced", "OrderCancelled"} <= events


def _real_project() -> Path:
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    if not list(wheels.glob("*.whl")):
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        command += ["--disable-pip-version-check", "-q", REAL_PROJECT, "-d", str(wheels)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
            problem = done.stderr.strip().splitlines()[-1:] if done.returncode else ""
        except (OSError, subprocess.TimeoutExpired) as exc:
            done, problem = None, str(exc)
        if done is None or done.returncode != 0 or not list(wheels.glob("*.whl")):
            message = f"cannot download {REAL_PROJECT}: {problem}"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
    source = CACHE / "source"
    if not (source / "oscar").is_dir():
        shutil.rmtree(source, ignore_errors=True)
        with zipfile.ZipFile(next(wheels.glob("*.whl"))) as wheel:
            wheel.extractall(source)
    return source


def test_every_contract_of_django_oscar_is_valid(tmp_path: Path) -> None:
    source = _real_project()
    out = tmp_path / "oscar"
    result = api.analyze(build_options(source, out, jobs=2, use_cache=False))
    found = dict(problems_in(out / "contracts"))
    services = [s for s in result.plan.services if not s.is_shared]
    assert len(found) >= 2 * len(services) > 10
    assert {k: v for k, v in found.items() if v} == {}
