"""The call graph: accuracy on the micro-benchmark, and its export formats."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from decompose.callgraph import (
    FORMATS,
    build_call_graph,
    pycg_graph,
    render,
    to_dot,
    to_graphml,
    to_json,
    to_pycg_json,
)
from decompose.discover import discover
from decompose.extract import CallKind, ResolvedCall, extract_module, resolve_calls
from decompose.model import ModuleFacts
from decompose.parse import parse_files
from tests.benchmarks.callgraph_accuracy import CASES, case_folders, run_cases, score

# -- accuracy ------------------------------------------------------------------------------


@pytest.mark.skipif(not case_folders(), reason="no call-graph cases")
def test_accuracy_on_the_micro_benchmark() -> None:
    overall = score(run_cases(CASES))
    assert overall.precision >= 0.99, overall
    assert overall.recall >= 0.96, overall


def test_benchmark_counts_edges_micro_averaged(tmp_path: Path) -> None:
    case = tmp_path / "demo" / "one"
    case.mkdir(parents=True)
    (case / "main.py").write_text("def f():\n    pass\n\nf()\nprint()\n")
    expected = {"main": ["main.f", "main.g"], "main.f": []}
    (case / "callgraph.json").write_text(json.dumps(expected))
    (result,) = run_cases(tmp_path)
    s = score([result])
    assert (s.expected, s.produced, s.correct) == (2, 2, 1)
    assert (s.precision, s.recall, s.passed) == (0.5, 0.5, 0)


# -- exports -------------------------------------------------------------------------------

SOURCE = """
import os

def helper():
    return os.getcwd()

class Shop:
    def __init__(self):
        self.name = "a<b>&'c\\""

    def run(self):
        return [helper() for _ in range(2)]

act = lambda: Shop().run()
act()
unknown()
"""


def analysed(tmp_path: Path) -> tuple[tuple[ModuleFacts, ...], tuple[ResolvedCall, ...]]:
    (tmp_path / "main.py").write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    found = discover(tmp_path, excludes=())
    parsed = parse_files(found.root, found.files, extract_module, jobs=1)
    _, calls = resolve_calls(parsed.results)
    return parsed.results, calls


def test_pycg_graph_keys_every_scope_and_names_callees(tmp_path: Path) -> None:
    facts, calls = analysed(tmp_path)
    assert pycg_graph(facts, calls) == {
        "main": ["main.<lambda1>"],
        "main.<lambda1>": ["main.Shop.__init__", "main.Shop.run"],
        "main.Shop.__init__": [],
        "main.Shop.run": ["<builtin>.range", "main.helper"],
        "main.helper": ["os.getcwd"],
    }


def test_pycg_text_is_sorted_with_a_final_newline(tmp_path: Path) -> None:
    facts, calls = analysed(tmp_path)
    text = to_pycg_json(facts, calls)
    assert text.endswith("}\n")
    assert json.loads(text) == pycg_graph(facts, calls)
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_json_export_has_kinds_lines_and_unresolved_calls(tmp_path: Path) -> None:
    facts, calls = analysed(tmp_path)
    data = json.loads(to_json(build_call_graph(facts, calls, unresolved=True)))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["main.Shop"]["kind"] == "class"
    assert nodes["main.<lambda1>"]["kind"] == "lambda"
    assert nodes["main.Shop.run"] == {
        "id": "main.Shop.run",
        "kind": "method",
        "module": "main",
        "line": 11,
    }
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert edges[("main.helper", "os.getcwd")] == {
        "source": "main.helper",
        "target": "os.getcwd",
        "kind": "external",
        "lines": [5],
    }
    assert edges[("main", "?unknown")]["kind"] == "unresolved"
    assert data["stats"]["unresolved"] == 1
    assert data["format_version"] == 1


def test_dot_escapes_quotes_and_backslashes() -> None:
    graph = build_call_graph(
        [],
        [
            ResolvedCall('a"b', "c\\d", CallKind.EXTERNAL, 3, "m", ""),
            ResolvedCall('a"b', "m.f", CallKind.INTERNAL, 4, "m", "m"),
        ],
    )
    text = to_dot(graph)
    assert text.startswith('digraph "callgraph" {')
    assert '"a\\"b" -> "c\\\\d" [kind="external", lines="3", style=dashed];' in text
    assert '"a\\"b" -> "m.f" [kind="internal", lines="4"];' in text


def test_graphml_is_well_formed_and_escaped(tmp_path: Path) -> None:
    facts, calls = analysed(tmp_path)
    graph = build_call_graph(
        facts, [*calls, ResolvedCall("main", "<&'\">", CallKind.EXTERNAL, 1, "main", "")]
    )
    root = ET.fromstring(to_graphml(graph))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    assert "<&'\">" in ids and "main.<lambda1>" in ids
    edges = root.findall(".//g:edge", ns)
    assert len(edges) == len(graph.edges)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_deterministic(tmp_path: Path, fmt: str) -> None:
    facts, calls = analysed(tmp_path)
    first = render(fmt, facts, calls)
    assert first == render(fmt, tuple(reversed(facts)), tuple(reversed(calls)))


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(ValueError, match="pycg, json, dot, graphml"):
        render("svg", [], [])


def test_inexact_external_calls_stay_out_of_pycg() -> None:
    calls = [
        ResolvedCall("m", "requests.get", CallKind.EXTERNAL, 1, "m", ""),
        ResolvedCall("m", "requests.get().json", CallKind.EXTERNAL, 2, "m", "", exact=False),
        ResolvedCall("m", "<builtin>.object.__init__", CallKind.BUILTIN, 3, "m", ""),
    ]
    assert pycg_graph([], calls) == {"m": ["requests.get"]}


def test_json_export_counts_scopes(tmp_path: Path) -> None:
    facts, calls = analysed(tmp_path)
    stats = build_call_graph(facts, calls).stats()
    assert stats["scopes"] == 6  # main, helper, Shop, Shop.__init__, Shop.run, <lambda1>
    assert stats[CallKind.UNRESOLVED.value] == 0  # left out unless asked for
