"""The command line: exit codes and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from decompose.cli import main
from decompose.model import FORMAT_VERSION
from tests.conftest import Tree

APP = {
    "shop/__init__.py": '"""Shop."""\n',
    "shop/orders.py": """
        from shop.payments import charge

        def place_order(total: int) -> str:
            return charge(total)
        """,
    "shop/payments.py": """
        def charge(amount: int) -> str:
            return f"charged {amount}"
        """,
    "legacy.py": "print 'old'\n",
}


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_analyze_writes_plan_report_and_summary(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree(APP)
    code, output = invoke("analyze", str(root), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert code == 0, output
    assert "Wrote" in output and "services" in output
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert plan["format_version"] == FORMAT_VERSION
    assert set(plan["modules"]) == {"shop", "shop.orders", "shop.payments"}
    assert plan["failures"] == [
        {"path": "legacy.py", "line": 1, "reason": plan["failures"][0]["reason"], "stage": "parse"}
    ]
    assert plan["seed"] == 42 and plan["weights"]["path"] > 0
    assert {"name", "modules", "lines", "dependencies"} <= set(plan["services"][0])
    assert "legacy.py" in (tmp_path / "out" / "index.html").read_text()
    assert "legacy.py" in (tmp_path / "out" / "summary.md").read_text()


def test_default_output_folder_is_reports_slash_name(
    make_tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(APP)
    monkeypatch.chdir(tmp_path)
    code, output = invoke("analyze", str(root), "--jobs", "1", "-q")
    assert code == 0, output
    assert (tmp_path / "reports" / "project" / "plan.json").is_file()


def test_weights_and_seed_are_recorded(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree(APP)
    out = tmp_path / "out"
    code, _ = invoke(
        "analyze", str(root), "--out", str(out), "--weight", "path=0", "--seed", "7", "-q"
    )
    assert code == 0
    plan = json.loads((out / "plan.json").read_text())
    assert plan["weights"]["path"] == 0 and plan["seed"] == 7


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["analyze", "{missing}"], "does not exist"),
        (["analyze", "{file}"], "is not a folder"),
        (["analyze", "{empty}"], "holds no Python file"),
        (["analyze", "{root}", "--weight", "path"], "expected SIGNAL=WEIGHT"),
        (["analyze", "{root}", "--weight", "colour=1"], "unknown signal"),
        (["analyze", "{root}", "--weight", "call=much"], "is not a number"),
        (["analyze", "{root}", "--weight", "call=-1"], ">= 0"),
        (["analyze", "{root}", "--frobnicate"], "No such option"),
        (["report", "{file}"], "no format_version"),
        (["report", "{missing}"], "cannot read"),
        (["compare", "{file}", "{file}"], "no format_version"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    make_tree: Tree, tmp_path: Path, args: list[str], needle: str
) -> None:
    root = make_tree(APP)
    (tmp_path / "empty").mkdir()
    (tmp_path / "file.json").write_text("{}")
    paths = {
        "missing": str(tmp_path / "nope"),
        "file": str(tmp_path / "file.json"),
        "empty": str(tmp_path / "empty"),
        "root": str(root),
    }
    args = [a.format(**paths) for a in args] + ["--out", str(tmp_path / "o")] * (
        args[0] == "analyze"
    )
    code, output = invoke(*args)
    assert code == 2, output
    assert needle in output
    assert "Traceback" not in output


def test_unknown_configuration_key_is_named(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree({**APP, "pyproject.toml": "[tool.decompose]\nweigths = {path = 0}\n"})
    code, output = invoke("analyze", str(root), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "unknown key 'weigths'" in output


def test_configuration_sets_weights_and_excludes(make_tree: Tree, tmp_path: Path) -> None:
    config = '[tool.decompose]\nextend-exclude = ["legacy.py"]\nweights = {path = 0}\nseed = 3\n'
    root = make_tree({**APP, "pyproject.toml": config})
    code, _ = invoke("analyze", str(root), "--out", str(tmp_path / "o"), "-q")
    assert code == 0
    plan = json.loads((tmp_path / "o" / "plan.json").read_text())
    assert plan["failures"] == [] and plan["weights"]["path"] == 0 and plan["seed"] == 3


def test_compare_prints_mojofm_ari_and_moves(make_tree: Tree, tmp_path: Path) -> None:
    root = make_tree(APP)
    invoke("analyze", str(root), "--out", str(tmp_path / "o"), "-q")
    expected = tmp_path / "expected.toml"
    expected.write_text(
        '[modules]\n"shop.orders" = "orders"\n"shop.payments" = "payments"\n"shop" = "shared"\n'
    )
    code, output = invoke("compare", str(tmp_path / "o" / "plan.json"), str(expected))
    assert code == 0, output
    assert "MoJoFM" in output and "ARI" in output and "modules to move" in output
    plan = str(tmp_path / "o" / "plan.json")
    assert invoke("compare", plan, plan, "--min-mojofm", "1")[0] == 0
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[modules]\n"shop*" = "one"\n')
    code, output = invoke("compare", plan, str(wrong), "--min-mojofm", "1")
    assert code == (0 if "MoJoFM  1.000" in output else 1), output


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(tmp_path / "nope"), "--debug"])
    assert result.exit_code == 2


@pytest.mark.parametrize("fmt", ["pycg", "json", "dot", "graphml"])
def test_graph_exports_the_call_graph(make_tree: Tree, tmp_path: Path, fmt: str) -> None:
    root = make_tree(APP)
    target = tmp_path / f"graph.{fmt}"
    code, output = invoke("graph", str(root), "--format", fmt, "-o", str(target), "-j", "1")
    assert code == 0, output
    text = target.read_text()
    assert "shop.orders.place_order" in text and "shop.payments.charge" in text
    if fmt == "pycg":
        graph = json.loads(text)
        assert graph["shop.orders.place_order"] == ["shop.payments.charge"]
        assert graph["shop.payments.charge"] == []


def test_graph_prints_to_stdout_and_rejects_a_missing_folder(
    make_tree: Tree, tmp_path: Path
) -> None:
    code, output = invoke("graph", str(make_tree(APP)), "-j", "1")
    assert code == 0 and json.loads(output)["shop.orders"] == []
    code, output = invoke("graph", str(tmp_path / "nope"))
    assert code == 2 and "does not exist" in output
