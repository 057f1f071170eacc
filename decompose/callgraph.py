"""Call-graph exports: `ModuleFacts` + resolved calls -> PyCG JSON, node/edge JSON, DOT, GraphML.

Pure functions from the facts of `extract` and the calls of `resolve_calls` to text; which
files get written, and when, is the caller's business (`api`). No graph library is used, so
the exports stay byte-identical for the same input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from decompose.extract import CallKind, ResolvedCall
from decompose.model import DefinitionKind, ModuleFacts

# Version of the `json` export; bump on any change of its shape.
# 1: nodes (id, kind, module, line) and edges (source, target, kind, lines); stats.
JSON_FORMAT_VERSION = 1
FORMATS = ("pycg", "json", "dot", "graphml")


@dataclass(frozen=True, slots=True, order=True)
class Node:
    """A caller or callee of the call graph."""

    id: str
    kind: str  # module, function, method, lambda, class, builtin, external, unresolved
    module: str = ""  # the analysed module defining it ("" outside the analysed code)
    line: int = 0


@dataclass(frozen=True, slots=True, order=True)
class CallEdge:
    """Calls from one scope to one callee, with the lines of the call sites."""

    source: str
    target: str
    kind: CallKind
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CallGraph:
    """The call graph of the analysed code: every scope and callee, every caller->callee."""

    nodes: tuple[Node, ...]
    edges: tuple[CallEdge, ...]

    def stats(self) -> dict[str, int]:
        """Call edges per kind, and how many scopes the graph has."""
        counts = {kind.value: 0 for kind in CallKind}
        for edge in self.edges:
            counts[edge.kind.value] += 1
        counts["scopes"] = sum(1 for n in self.nodes if n.module)
        return counts


def build_call_graph(
    facts: Sequence[ModuleFacts], calls: Iterable[ResolvedCall], *, unresolved: bool = False
) -> CallGraph:
    """Nodes and edges from the facts and the resolved calls (unresolved ones if asked)."""
    nodes: dict[str, Node] = {}
    for mod in facts:
        nodes[mod.module] = Node(mod.module, "module", mod.module, 1)
        kinds = {d.qualname: d.kind for d in mod.definitions}
        for sig in mod.signatures:
            kind = kinds.get(sig.qualname)
            label = "lambda" if kind is None else kind.value
            nodes[sig.qualname] = Node(sig.qualname, label, mod.module, sig.line)
        for d in mod.definitions:
            if d.kind is DefinitionKind.CLASS:
                nodes[d.qualname] = Node(d.qualname, "class", mod.module, d.line)
    lines: dict[tuple[str, str, CallKind], set[int]] = {}
    for call in calls:
        if call.kind is CallKind.UNRESOLVED and not unresolved:
            continue
        lines.setdefault((call.caller, call.callee, call.kind), set()).add(call.line)
        if call.callee not in nodes:
            nodes[call.callee] = Node(call.callee, call.kind.value, call.callee_module)
    edges = tuple(sorted(CallEdge(s, t, k, tuple(sorted(ls))) for (s, t, k), ls in lines.items()))
    return CallGraph(tuple(sorted(nodes.values())), edges)


def pycg_graph(facts: Sequence[ModuleFacts], calls: Iterable[ResolvedCall]) -> dict[str, list[str]]:
    """PyCG's `callgraph.json`: each module, function, method and lambda -> sorted callees.

    Class instantiations without an analysed `__init__`, calls of what external code returned
    (`requests.get(url).json()`), external constructors and unresolved calls are left out.
    """
    graph: dict[str, set[str]] = {}
    classes: set[str] = set()
    for mod in facts:
        graph.setdefault(mod.module, set())
        for sig in mod.signatures:
            graph.setdefault(sig.qualname, set())
        classes.update(d.qualname for d in mod.definitions if d.kind is DefinitionKind.CLASS)
    for call in calls:
        if call.kind is CallKind.UNRESOLVED or not call.exact or call.callee in classes:
            continue
        if call.callee.endswith(".__init__") and call.kind is not CallKind.INTERNAL:
            continue  # PyCG names external classes, not their constructors
        graph.setdefault(call.caller, set()).add(call.callee)
    return {caller: sorted(graph[caller]) for caller in sorted(graph)}


def to_pycg_json(facts: Sequence[ModuleFacts], calls: Iterable[ResolvedCall]) -> str:
    """The PyCG format as text: sorted keys, 2-space indentation, a final newline."""
    return json.dumps(pycg_graph(facts, calls), indent=2, sort_keys=True) + "\n"


def to_json(graph: CallGraph) -> str:
    """Nodes with kinds and lines, edges with kinds and call-site lines, and counts."""
    data = {
        "format_version": JSON_FORMAT_VERSION,
        "nodes": [
            {"id": n.id, "kind": n.kind, "module": n.module, "line": n.line} for n in graph.nodes
        ],
        "edges": [
            {"source": e.source, "target": e.target, "kind": e.kind.value, "lines": list(e.lines)}
            for e in graph.edges
        ],
        "stats": graph.stats(),
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_SHAPES = {
    "module": "folder",
    "class": "component",
    "builtin": "plaintext",
    "external": "note",
    "unresolved": "plaintext",
}


def to_dot(graph: CallGraph, name: str = "callgraph") -> str:
    """Graphviz DOT: one node per scope or callee, one edge per caller->callee."""
    out = [f"digraph {_dot_id(name)} {{", "  node [shape=box, fontname=Helvetica];"]
    for node in graph.nodes:
        shape = _DOT_SHAPES.get(node.kind, "box")
        attrs = f"label={_dot_id(node.id)}, shape={shape}, kind={_dot_id(node.kind)}"
        out.append(f"  {_dot_id(node.id)} [{attrs}];")
    for edge in graph.edges:
        lines = ",".join(str(n) for n in edge.lines)
        style = ", style=dashed" if edge.kind is not CallKind.INTERNAL else ""
        attrs = f"kind={_dot_id(edge.kind.value)}, lines={_dot_id(lines)}{style}"
        out.append(f"  {_dot_id(edge.source)} -> {_dot_id(edge.target)} [{attrs}];")
    out.append("}")
    return "\n".join(out) + "\n"


def to_graphml(graph: CallGraph) -> str:
    """GraphML with node kind/module/line and edge kind/lines/count attributes."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
        '  <key id="module" for="node" attr.name="module" attr.type="string"/>',
        '  <key id="line" for="node" attr.name="line" attr.type="int"/>',
        '  <key id="ekind" for="edge" attr.name="kind" attr.type="string"/>',
        '  <key id="lines" for="edge" attr.name="lines" attr.type="string"/>',
        '  <key id="count" for="edge" attr.name="count" attr.type="int"/>',
        '  <graph id="callgraph" edgedefault="directed">',
    ]
    for node in graph.nodes:
        out.append(f"    <node id={quoteattr(node.id)}>")
        out.append(f'      <data key="kind">{escape(node.kind)}</data>')
        out.append(f'      <data key="module">{escape(node.module)}</data>')
        out.append(f'      <data key="line">{node.line}</data>')
        out.append("    </node>")
    for i, edge in enumerate(graph.edges):
        ends = f"source={quoteattr(edge.source)} target={quoteattr(edge.target)}"
        out.append(f'    <edge id="e{i}" {ends}>')
        out.append(f'      <data key="ekind">{escape(edge.kind.value)}</data>')
        out.append(f'      <data key="lines">{",".join(str(n) for n in edge.lines)}</data>')
        out.append(f'      <data key="count">{len(edge.lines)}</data>')
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def render(
    fmt: str, facts: Sequence[ModuleFacts], calls: Sequence[ResolvedCall], name: str = "callgraph"
) -> str:
    """The call graph in one of `FORMATS`."""
    if fmt == "pycg":
        return to_pycg_json(facts, calls)
    graph = build_call_graph(facts, calls, unresolved=True)
    if fmt == "json":
        return to_json(graph)
    if fmt == "dot":
        return to_dot(graph, name)
    if fmt == "graphml":
        return to_graphml(graph)
    raise ValueError(f"unknown call-graph format {fmt!r}: use one of {', '.join(FORMATS)}")
