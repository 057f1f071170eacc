"""Tests of the render stage: files written, determinism, escaping, empty plans, safe output."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.digraph import feedback_order, shortest_path, strongly_connected
from decompose.errors import OutputError
from decompose.model import (
    ConstraintReport,
    Coupling,
    Cycle,
    CycleBreak,
    Dependency,
    DependencyKind,
    Event,
    Failure,
    FrontierPoint,
    Metrics,
    ModuleEdge,
    ModuleExplanation,
    Operation,
    Plan,
    PlanMetrics,
    Service,
    ServiceDependency,
    ServiceInterfaces,
    SharedReason,
    SourceRef,
    Split,
    Statistics,
    plan_from_json,
    plan_to_json,
)
from decompose.model import Pull as PullEdge
from decompose.render import render_html, render_markdown, write_outputs
from decompose.render.explain import explain_modules
from decompose.render.links import service_links
from decompose.render.markdown import escape_markdown
from decompose.render.matrix import MODULE_LIMIT
from decompose.render.module_graph import build_graph_data, embed_json
from decompose.render.output import write_files
from decompose.render.view import build_report

TEMPLATES = Path(__file__).resolve().parent.parent / "decompose" / "templates" / "report"

EVIL = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script>",
    "a|b",
)


def make_plan(
    services: dict[str, list[str]] | None = None,
    deps: dict[str, dict[str, tuple[int, int]]] | None = None,
    shared: dict[str, str] | None = None,
    failures: list[tuple[str, int, str]] | None = None,
    terms: tuple[str, ...] = ("order", "cart"),
    classes: tuple[str, ...] = ("Order",),
    target: str = "bookshop",
) -> Plan:
    """A small plan: service name -> modules, service -> target -> (calls, imports)."""
    services = {} if services is None else services
    deps = deps or {}
    shared = shared or {}
    service_list = [
        Service(
            name=name,
            modules=tuple(sorted(modules)),
            lines=10 * len(modules),
            terms=terms,
            classes=classes,
            dependencies=tuple(
                sorted(ServiceDependency(t, c, i) for t, (c, i) in deps.get(name, {}).items())
            ),
        )
        for name, modules in services.items()
    ]
    if shared:
        service_list.append(
            Service("shared", tuple(sorted(shared)), 5 * len(shared), (), (), (), is_shared=True)
        )
    module_map = {m: name for name, modules in services.items() for m in modules}
    module_map.update({m: "shared" for m in shared})
    first = {name: sorted(modules)[0] for name, modules in services.items() if modules}
    couplings = tuple(
        sorted(
            Coupling(first[s], first[t], s, t, c, i)
            for s, targets in deps.items()
            for t, (c, i) in targets.items()
            if s in first and t in first
        )
    )
    return Plan(
        target=target,
        tool_version="0.1.0",
        seed=42,
        weights=(("call", 1.0), ("import", 0.5), ("semantic", 0.25)),
        algorithm="louvain",
        services=tuple(service_list),
        modules=tuple(sorted(module_map.items())),
        shared=tuple(sorted(SharedReason(m, r) for m, r in shared.items())),
        couplings=couplings,
        failures=tuple(sorted(Failure(p, line, r) for p, line, r in failures or [])),
        statistics=Statistics(
            files=len(module_map),
            modules=len(module_map),
            lines=1234,
            definitions=56,
            calls_internal=70,
            calls_builtin=10,
            calls_external=10,
            calls_unresolved=10,
            modularity=0.4123,
        ),
    )


def bookshop_plan() -> Plan:
    return make_plan(
        services={
            "catalog": ["bookshop.books"],
            "orders": ["bookshop.orders", "bookshop.payments"],
            "inventory": ["bookshop.inventory"],
        },
        deps={
            "orders": {"catalog": (4, 1), "inventory": (2, 1), "shared": (1, 1)},
            "inventory": {"orders": (1, 0)},
        },
        shared={"bookshop": "imported by every domain"},
        failures=[("bookshop/legacy.py", 3, "Missing parentheses in call to 'print'")],
    )


def evil_plan() -> Plan:
    a, b, c, d = EVIL
    return make_plan(
        services={a: [f"pkg.{b}", "pkg.ok"], b: [f"pkg.{c}"], d: [f"pkg.{d}"]},
        deps={a: {b: (1, 1), d: (2, 0)}, b: {a: (1, 0)}},
        shared={f"pkg.{a}": f"reason {b} {d}"},
        failures=[(f"{a}.py", 1, f"{b} {c} {d} `tick` *x* _y_ [z](u)")],
        terms=EVIL,
        classes=EVIL,
        target=a,
    )


class _Outline(HTMLParser):
    """Collects start tags, heading levels and script contents of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return parser


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def cells(row: str) -> int:
    """Number of cells in a GitHub table row: pipes not escaped by a backslash, minus one."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def assert_tables_well_formed(markdown: str) -> None:
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        if re.fullmatch(r"\|(-+:?\|)+", line):
            header = lines[index - 1]
            width = cells(header)
            assert width == line.count("|") - 1
            for row in lines[index + 1 :]:
                if not row.startswith("|"):
                    break
                assert cells(row) == width, row
                assert row.endswith(" |"), row


# --- files -----------------------------------------------------------------------------------


def test_write_outputs_writes_three_files_and_plan_round_trips(tmp_path: Path) -> None:
    plan = bookshop_plan()
    out = tmp_path / "out" / "report"

    written = write_outputs(plan, out)

    assert written == tuple(sorted(written))
    assert [p.name for p in written] == ["index.html", "plan.json", "summary.md"]
    assert all(p.parent == out.resolve() for p in written)
    text = (out / "plan.json").read_text(encoding="utf-8")
    assert text == plan_to_json(plan)
    assert plan_from_json(text) == plan
    assert (out / "index.html").read_bytes() == render_html(plan).encode("utf-8")
    assert (out / "summary.md").read_bytes() == render_markdown(plan).encode("utf-8")
    assert sorted(os.listdir(out)) == ["index.html", "plan.json", "summary.md"]  # no temp files


def test_write_outputs_overwrites_previous_outputs(tmp_path: Path) -> None:
    write_outputs(make_plan(target="first"), tmp_path)
    write_outputs(make_plan(target="second"), tmp_path)
    assert plan_from_json((tmp_path / "plan.json").read_text(encoding="utf-8")).target == "second"
    assert sorted(os.listdir(tmp_path)) == ["index.html", "plan.json", "summary.md"]


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_outputs(bookshop_plan(), tmp_path)
    finally:
        os.umask(old)
    assert (tmp_path / "index.html").stat().st_mode & 0o777 == 0o644


def test_rendered_outputs_are_deterministic(tmp_path: Path) -> None:
    plan = bookshop_plan()
    assert render_html(plan) == render_html(plan)
    assert render_markdown(plan) == render_markdown(plan)
    # A plan read back from its JSON renders identically, as `decompose report` relies on.
    again = plan_from_json(plan_to_json(plan))
    assert render_html(again) == render_html(plan)
    assert render_markdown(again) == render_markdown(plan)
    write_outputs(plan, tmp_path / "a")
    write_outputs(again, tmp_path / "b")
    for name in ("index.html", "plan.json", "summary.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_order_of_dependencies_in_the_plan_does_not_change_the_report() -> None:
    plan = bookshop_plan()
    shuffled = Plan(
        **{
            **{f: getattr(plan, f) for f in Plan.__dataclass_fields__},
            "services": tuple(
                Service(
                    s.name,
                    s.modules[::-1],
                    s.lines,
                    s.terms,
                    s.classes,
                    s.dependencies[::-1],
                    s.is_shared,
                )
                for s in plan.services
            ),
            "couplings": plan.couplings[::-1],
            "shared": plan.shared[::-1],
        }
    )
    # The plan stores them sorted; the map sorts them again, whatever order it is given.
    assert build_report(shuffled).context_map == build_report(plan).context_map
    assert render_markdown(shuffled) == render_markdown(plan)


# --- HTML content ----------------------------------------------------------------------------


def test_html_report_shows_the_plan() -> None:
    html = render_html(bookshop_plan())
    assert html.startswith("<!DOCTYPE html>\n")
    assert html.endswith("</html>\n")
    assert "<h1>bookshop</h1>" in html
    for text in ("catalog", "orders", "inventory", "bookshop.payments", "imported by every domain"):
        assert text in html
    assert "Missing parentheses in call to &#39;print&#39;" in html
    assert "louvain" in html and "42" in html and "0.412" in html
    assert "90.0%" in html  # call resolution
    assert 'class="tag">cycle<' in html  # orders <-> inventory


def assert_only_own_scripts(page: _Outline) -> dict[str, object]:
    """The page runs its own script and carries one JSON block; nothing else. Returns the data."""
    assert [attrs for attrs, _ in page.scripts] == [
        {"type": "application/json", "id": "plan-data"},
        {},
    ]
    (_, data), (_, code) = page.scripts
    assert code == (TEMPLATES / "index" / "script.js").read_text(encoding="utf-8")
    parsed: dict[str, object] = json.loads(data)
    return parsed


def test_html_report_is_self_contained_with_ordered_headings() -> None:
    html = render_html(bookshop_plan())
    page = outline(html)
    assert page.headings.count(1) == 1
    assert page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    assert not [t for t, _ in page.tags if t in {"link", "img", "iframe", "object", "embed"}]
    assert_only_own_scripts(page)
    for _, attrs in page.tags:
        for name in ("href", "src", "xlink:href"):
            value = attrs.get(name)
            # In-page anchors, and links to the contracts and starter repositories written
            # beside the report: nothing the page loads, nothing off the machine.
            assert value is None or value.startswith(("#", "contracts/", "services/")), value
            assert ":" not in (value or ""), value
    assert "http://" not in html and "https://" not in html and "@import" not in html
    assert "@media print" in html


def test_content_security_policy_allows_only_the_reports_own_script() -> None:
    page = outline(render_html(bookshop_plan()))
    policy = next(
        attrs["content"]
        for tag, attrs in page.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None
    assert "default-src 'none'" in policy
    code = page.scripts[1][1]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_every_section_is_in_the_navigation_and_headed() -> None:
    html = render_html(bookshop_plan())
    page = outline(html)
    sections = [attrs["id"] for tag, attrs in page.tags if tag == "section"]
    nav = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href")]
    assert sections == [
        "overview",
        "context-map",
        "services",
        "shared-kernel",
        "cycles",
        "dependencies",
        "matrix",
        "module-graph",
        "module-search",
        "failures",
        "settings",
    ]
    assert nav[1 : 1 + len(sections)] == [f"#{s}" for s in sections]  # after the skip link
    # Interactive parts are reachable by keyboard and labelled.
    canvas = next(attrs for tag, attrs in page.tags if tag == "canvas")
    assert canvas["tabindex"] == "0" and canvas["aria-label"]
    search = next(attrs for tag, attrs in page.tags if tag == "input")
    assert search["id"] == "search-input"
    assert ("label", {"for": "search-input"}) in page.tags
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    # Every picture is labelled (a group when it holds links and focusable arrows, whose own
    # labels a screen reader then reads), or hidden when the text beside it says all.
    assert svgs and all(
        (a.get("role") in ("img", "group") and a.get("aria-labelledby"))
        or a.get("aria-hidden") == "true"
        for a in svgs
    )
    assert any(a.get("role") == "group" and "map" in a.get("class", "") for a in svgs)


def test_sections_without_data_are_left_out() -> None:
    page = outline(render_html(make_plan()))
    sections = [attrs["id"] for tag, attrs in page.tags if tag == "section"]
    assert "context-map" not in sections and "matrix" not in sections
    assert "#context-map" not in [attrs.get("href") for _, attrs in page.tags]
    assert "overview" in sections and "cycles" in sections


def test_services_get_distinct_colours_and_anchors_that_exist() -> None:
    html = render_html(bookshop_plan())
    page = outline(html)
    ids = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    cards = [attrs for tag, attrs in page.tags if tag == "article" and attrs["class"] == "card"]
    assert len(cards) == 3
    assert len({attrs["style"] for attrs in cards}) == 3
    for _, attrs in page.tags:
        href = attrs.get("href")
        if href and href.startswith("#"):
            assert href[1:] in ids, href


def test_dependencies_on_a_cycle_of_any_length_are_marked() -> None:
    plan = make_plan(
        services={"a": ["a"], "b": ["b"], "c": ["c"], "d": ["d"]},
        deps={"a": {"b": (1, 0), "d": (5, 0)}, "b": {"c": (1, 0)}, "c": {"a": (1, 1)}},
    )
    rows = build_report(plan).dependencies
    assert [(r.source.name, r.target.name, r.in_cycle) for r in rows] == [
        ("a", "d", False),
        ("c", "a", True),
        ("a", "b", True),
        ("b", "c", True),
    ]
    assert rows[0].counts == "5 calls · 0 imports"
    assert rows[1].counts == "1 call · 1 import"


def test_long_coupling_lists_start_collapsed() -> None:
    services = {f"s{i}": [f"m{i}"] for i in range(8)}
    deps = {f"s{i}": {f"s{j}": (1, 1) for j in range(8) if j != i} for i in range(8)}
    html = render_html(make_plan(services=services, deps=deps))
    assert "56 module couplings" in html
    assert "<details>\n<summary>56 module couplings" in html
    short = render_html(bookshop_plan())
    assert "<details open>\n<summary>" in short


# --- escaping --------------------------------------------------------------------------------


def test_html_escapes_every_code_derived_string() -> None:
    html = render_html(evil_plan())
    page = outline(html)
    data = assert_only_own_scripts(page)
    # The payloads are in the data, intact once parsed, but never as markup in the page.
    assert EVIL[0] in json.dumps(data, ensure_ascii=False)
    markup = html.replace(page.scripts[0][1], "")
    assert "<img" not in markup
    assert markup.count("<script") == 2 and html.count("</script>") == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not [t for t, _ in page.tags if t in {"img", "iframe"}]
    assert all("onerror" not in attrs for _, attrs in page.tags)


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!--<script>",
        "</SCRIPT >",
        "\u2028\u2029 \" \\ ' &amp; <![CDATA[",
    ],
)
def test_embedded_json_cannot_end_its_script_element(text: str) -> None:
    embedded = embed_json({"name": text, "list": [text]})
    assert "</" not in embedded and "<!--" not in embedded
    assert json.loads(embedded) == {"name": text, "list": [text]}


def test_markdown_escapes_and_keeps_tables_well_formed() -> None:
    markdown = render_markdown(evil_plan())
    # Only the template's own <details>/<summary> tags are raw; every "<" from the plan is escaped.
    assert set(re.findall(r"(?<!\\)</?([a-z]+)", markdown)) <= {"details", "summary"}
    assert "\\<script\\>alert(1)" in markdown
    assert not re.search(r"(?<!\\)`", markdown)
    assert "\\|" in markdown
    # Markdown escapes mean nothing inside raw HTML lines: those get HTML escapes.
    for line in markdown.splitlines():
        if line.startswith("<summary>"):
            assert "<" not in line.removeprefix("<summary>").removesuffix("</summary>"), line
    assert "<summary>&lt;script&gt;alert(1)&lt;/script&gt;: 2 modules</summary>" in markdown
    rows = table_rows(markdown)
    assert rows
    assert_tables_well_formed(markdown)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3, unique=True))
def test_any_names_stay_escaped(names: list[str]) -> None:
    plan = make_plan(
        services={name: [f"m.{name}"] for name in names},
        deps={names[0]: {n: (1, 1) for n in names[1:]}},
        shared={"m.shared": names[-1]},
        failures=[(names[0], 1, names[-1])],
        terms=tuple(names),
        classes=tuple(names),
        target=names[0],
    )
    markdown = render_markdown(plan)
    assert_tables_well_formed(markdown)
    assert set(re.findall(r"(?<!\\)<(/?[a-z]+)", markdown)) <= {
        "details",
        "/details",
        "summary",
        "/summary",
    }
    page = outline(render_html(plan))
    assert not [t for t, _ in page.tags if t in {"img", "iframe"}]
    assert_only_own_scripts(page)


def test_escape_markdown() -> None:
    assert escape_markdown("a|b") == "a\\|b"
    assert escape_markdown("<b>") == "\\<b\\>"
    assert escape_markdown("`x` *y* _z_ [w]") == "\\`x\\` \\*y\\* \\_z\\_ \\[w\\]"
    assert escape_markdown("back\\slash") == "back\\\\slash"
    assert escape_markdown("two\nlines\r\n here") == "two lines here"


def test_markdown_summary_shows_the_plan() -> None:
    markdown = render_markdown(bookshop_plan())
    assert markdown.startswith("# bookshop: proposed microservices\n")
    assert markdown.endswith("\n") and not markdown.endswith("\n\n\n")
    assert "| **orders** | 20 | 2 |" in markdown
    assert "| orders | catalog | 4 | 1 | 5 |" in markdown
    assert "| bookshop | imported by every domain |" in markdown
    assert "| bookshop/legacy.py | 3 | parse |" in markdown
    assert_tables_well_formed(markdown)
    # the table names classes by module and class; the module lists below name modules in full
    named = render_markdown(
        make_plan(services={"orders": ["shop.orders.views"]}, classes=("shop.orders.views.Cart",))
    )
    assert "| **orders** | 10 | 1 | views.Cart |" in named
    assert "shop.orders.views.Cart" not in named


# --- empty plan ------------------------------------------------------------------------------


def test_empty_plan_renders(tmp_path: Path) -> None:
    plan = make_plan()
    html = render_html(plan)
    markdown = render_markdown(plan)
    assert "No services were proposed." in html
    assert "Every file was read." in html
    assert "No services were proposed." in markdown
    assert_tables_well_formed(markdown)
    written = write_outputs(plan, tmp_path)
    assert len(written) == 3
    assert plan_from_json((tmp_path / "plan.json").read_text(encoding="utf-8")) == plan


def test_zero_statistics_do_not_divide_by_zero() -> None:
    plan = make_plan()
    zero = Plan(
        **{
            **{f: getattr(plan, f) for f in Plan.__dataclass_fields__},
            "statistics": Statistics(0, 0, 0, 0, 0, 0, 0, 0, float("nan")),
            "services": (Service("empty", (), 0, (), (), ()),),
        }
    )
    html = render_html(zero)
    assert "100.0%" in html  # nothing to resolve
    assert "n/a" in html


# --- safe output -----------------------------------------------------------------------------


def test_write_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="not inside the output folder"):
        write_files(out, {"ok.txt": "fine", "../escaped.txt": "nope"})
    with pytest.raises(OutputError):
        write_files(out, {str(tmp_path / "absolute.txt"): "nope"})
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "absolute.txt").exists()
    assert not out.exists()


def test_write_outputs_refuses_a_symlink_leading_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("precious", encoding="utf-8")
    (out / "index.html").symlink_to(victim)
    with pytest.raises(OutputError, match="victim.html"):
        write_outputs(bookshop_plan(), out)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(out)) == ["index.html"]


def test_failure_mid_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "new" / "out"
    real_fdopen = os.fdopen
    opened: list[int] = []

    class FailingStream:
        def __init__(self, stream: object) -> None:
            self.stream = stream

        def __enter__(self) -> FailingStream:
            return self

        def __exit__(self, *args: object) -> None:
            self.stream.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            self.stream.write(data[: len(data) // 2])  # type: ignore[attr-defined]
            raise OSError(28, "No space left on device")

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        opened.append(fd)
        stream = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
        # The first file goes through; the second fails halfway.
        return stream if len(opened) == 1 else FailingStream(stream)

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OutputError) as info:
        write_outputs(bookshop_plan(), out)
    message = str(info.value)
    assert "\n" not in message
    assert str(out.resolve()) in message and "No space left on device" in message
    assert not out.exists()  # the folders it created are gone too
    assert not (tmp_path / "new").exists()
    assert os.listdir(tmp_path) == []


def test_failure_keeps_previous_outputs_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_outputs(make_plan(target="before"), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_replace = os.replace
    calls: list[str] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(str(dst))
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match="Permission denied"):
        write_outputs(make_plan(target="after"), tmp_path)
    monkeypatch.setattr(os, "replace", real_replace)
    assert calls
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_failure_removes_the_folders_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "b" is both a file and the folder of "b/c/x.txt": moving the file into place fails.
    with pytest.raises(OutputError, match="out/b: Is a directory"):
        write_files(tmp_path / "out", {"a/ok.txt": "1", "b/c/x.txt": "2", "b": "3"})
    assert os.listdir(tmp_path) == []

    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.name == "c":
            raise PermissionError(13, "Permission denied")
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with pytest.raises(OutputError, match="cannot create folder .*/c: Permission denied"):
        write_files(tmp_path / "out", {"a/ok.txt": "1", "b/c/x.txt": "2"})
    assert os.listdir(tmp_path) == []


def test_out_dir_that_is_a_file_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "report"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="report"):
        write_outputs(bookshop_plan(), blocker)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


# --- sections built from the module graph ----------------------------------------------------


def graph_plan(
    services: dict[str, list[str]],
    edges: list[tuple[str, str, int, int, int]],
    shared: dict[str, str] | None = None,
    classes: tuple[str, ...] = (),
) -> Plan:
    """A plan whose dependencies, couplings and module graph all follow from `edges`."""
    shared = shared or {}
    owner = {m: name for name, modules in services.items() for m in modules}
    owner.update({m: "shared" for m in shared})
    deps: dict[tuple[str, str], list[int]] = {}
    couplings = []
    for a, b, calls, imports, _ in edges:
        if owner[a] != owner[b]:
            counts = deps.setdefault((owner[a], owner[b]), [0, 0])
            counts[0] += calls
            counts[1] += imports
            couplings.append(Coupling(a, b, owner[a], owner[b], calls, imports))
    names = sorted(set(owner.values()))
    return Plan(
        target="graph",
        tool_version="0.1.0",
        seed=42,
        weights=(("call", 1.0), ("import", 0.5), ("inheritance", 0.5)),
        algorithm="louvain",
        services=tuple(
            Service(
                name,
                tuple(sorted(m for m in owner if owner[m] == name)),
                10 * sum(1 for m in owner if owner[m] == name),
                (),
                tuple(c for c in classes if owner.get(c.rsplit(".", 1)[0]) == name),
                tuple(
                    ServiceDependency(t, c, i)
                    for (s, t), (c, i) in sorted(deps.items())
                    if s == name
                ),
                is_shared=name == "shared",
            )
            for name in names
        ),
        modules=tuple(sorted(owner.items())),
        shared=tuple(sorted(SharedReason(m, r) for m, r in shared.items())),
        couplings=tuple(sorted(couplings)),
        failures=(),
        statistics=Statistics(len(owner), len(owner), 10 * len(owner), 1, 1, 0, 0, 0, 0.5),
        module_lines=tuple(sorted((m, 10) for m in owner)),
        module_edges=tuple(sorted(ModuleEdge(*e) for e in edges)),
    )


SHOP = graph_plan(
    services={
        "orders": ["shop.orders", "shop.checkout"],
        "catalog": ["shop.books", "shop.prices"],
        "stock": ["shop.stock"],
    },
    edges=[
        ("shop.checkout", "shop.orders", 5, 1, 0),
        ("shop.orders", "shop.books", 3, 1, 0),
        ("shop.checkout", "shop.prices", 1, 1, 0),
        ("shop.books", "shop.prices", 4, 1, 1),
        ("shop.stock", "shop.books", 2, 1, 0),
        ("shop.orders", "shop.stock", 1, 0, 0),
        ("shop.stock", "shop.orders", 1, 0, 0),
        ("shop.orders", "shop.util", 6, 1, 0),
        ("shop.util", "shop.stock", 0, 1, 0),
    ],
    shared={"shop.util": "used by every domain"},
    classes=("shop.books.Book", "shop.orders.Order"),
)


def test_context_map_puts_services_above_what_they_use() -> None:
    view = build_report(SHOP).context_map
    assert view is not None
    boxes = {b.link.name: b for b in view.boxes}
    assert set(boxes) == {"orders", "catalog", "stock", "shared"}
    # orders and stock use each other: the lighter direction points up; both use catalog.
    assert boxes["catalog"].y > boxes["orders"].y and boxes["catalog"].y > boxes["stock"].y
    assert boxes["shared"].y == max(b.y for b in view.boxes)
    assert boxes["shared"].link.is_shared
    for a in view.boxes:  # no two boxes overlap
        for b in view.boxes:
            if a is not b:
                apart = a.x + a.width <= b.x or b.x + b.width <= a.x
                apart = apart or a.y + a.height <= b.y or b.y + b.height <= a.y
                assert apart, (a.link.name, b.link.name)
    titles = sorted(a.title for a in view.arrows)
    # Dependencies on the kernel are not drawn; the kernel's own dependency is, as a leak.
    assert not any("depends on shared" in t for t in titles)
    leaks = [a for a in view.arrows if a.leak]
    assert [a.title for a in leaks] == [
        "The shared kernel depends on stock: 1 import (a library must not)"
    ]
    cyclic = sorted(a.title for a in view.arrows if a.in_cycle)
    assert cyclic == [
        "orders depends on stock: 1 call, no operation or event classified (part of a cycle)",
        "stock depends on orders: 1 call, no operation or event classified (part of a cycle)",
    ]
    assert {a.kind for a in view.arrows} == {"code"}
    assert view.has_leaks and "not drawn" in view.note
    x, y, width, height = map(int, view.view_box.split())
    assert all(
        x <= line.x <= x + width and y <= line.y <= y + height
        for a in view.arrows
        for line in a.lines
    )


def test_context_map_draws_only_the_heaviest_arrows_of_a_dense_plan() -> None:
    names = [f"s{i}" for i in range(12)]
    edges = [
        (f"{a}.m", f"{b}.m", 1 + (i * 7 + j) % 5, 1, 0)
        for i, a in enumerate(names)
        for j, b in enumerate(names)
        if a != b
    ]
    view = build_report(graph_plan({n: [f"{n}.m"] for n in names}, edges)).context_map
    assert view is not None
    assert len(view.arrows) == 40
    assert "Only the 40 heaviest of 132 arrows are drawn" in view.note


def shop_with_interfaces(operations: int = 1) -> Plan:
    """SHOP with classified dependencies: orders calls catalog, stock subscribes to orders."""
    ops = tuple(
        Operation(
            "catalog",
            f"getBook{i}",
            DependencyKind.QUERY,
            "GET",
            f"/books{i}",
            f"shop.books.get_book{i}",
            (),
            (),
            False,
            (SourceRef("shop.orders", "f", 1),),
            ("orders",),
        )
        for i in range(operations)
    )
    events = (
        Event("orders", "OrderPlaced", "shop.orders.Order", "lifecycle", (), (), ("stock",)),
        Event("orders", "OrderCancelled", "shop.orders.Order", "signal", (), (), ("stock",)),
    )
    return dataclasses.replace(SHOP, interfaces=ServiceInterfaces(operations=ops, events=events))


def test_context_map_draws_calls_and_events_labelled_with_their_names() -> None:
    view = build_report(shop_with_interfaces()).context_map
    assert view is not None
    arrows = {(a.kind, a.title.split(" ")[0]): a for a in view.arrows}
    call = arrows[("sync", "orders")]
    assert [line.text for line in call.lines] == ["getBook0"]
    assert call.marker == "head-sync" and "calls the API of catalog" in call.title
    event = arrows[("event", "orders")]
    # Events go from the publisher to the subscriber, named by their events.
    assert [line.text for line in event.lines] == ["OrderCancelled", "OrderPlaced"]
    assert event.title.startswith("orders publishes 2 events that stock consumes")
    assert event.marker == "head-event" and not event.in_cycle
    # The code dependency carried by the event and the call is not drawn a second time.
    assert not any(
        a.kind == "code" and a.title.startswith("stock depends on orders") for a in view.arrows
    )
    assert view.has_sync and view.has_events
    html = render_html(shop_with_interfaces())
    assert "synchronous API call, labelled with its operations" in html
    assert "event, from publisher to subscriber" in html
    assert 'marker-end="url(#head-event)"' in html and "<tspan" in html


def test_a_long_contract_card_folds_past_its_first_operations() -> None:
    plan = shop_with_interfaces(operations=11)
    contracts = build_report(plan).contracts
    assert contracts is not None
    card = next(c for c in contracts.cards if c.link.name == "catalog")
    assert [op.operation_id for op in card.operations.shown] == [f"getBook{i}" for i in range(8)]
    assert card.operations.more == "3 more operations" and len(card.operations.every) == 11
    html = render_html(plan)
    assert '<details class="fold"><summary>3 more operations</summary>' in html
    assert "getBook10" in html and "getBook10" in render_markdown(plan)  # folded, never dropped
    ten = build_report(shop_with_interfaces(operations=10)).contracts
    assert ten is not None  # two more are shown, not folded
    assert all(not c.operations.rest and not c.published.rest for c in ten.cards)


def test_sync_cycles_start_with_the_links_that_break_them_all() -> None:
    ref = SourceRef("shop.orders", "shop.orders.f", 3)

    def plan(cycles: int) -> Plan:
        loop = Cycle(("orders", "stock"), (ref, ref), "event", "turn the lightest link", (1, 2))
        breaks = (CycleBreak("orders", "stock", 1, cycles, "stock publishes <events>"),)
        calls = (Dependency("orders", "stock", DependencyKind.QUERY, "getStock", "", (ref,)),)
        interfaces = ServiceInterfaces(dependencies=calls, cycles=(loop,) * cycles, breaks=breaks)
        return dataclasses.replace(SHOP, interfaces=interfaces)

    html = render_html(plan(6))
    assert "Break them all: 1 link to turn into events" in html
    assert "stock publishes &lt;events&gt;" in html and "<td>6 of 6</td>" in html
    assert '<details class="cycle-list">' in html  # six cycles: the list starts collapsed
    assert '<details class="cycle-list" open>' in render_html(plan(2))
    assert "Break them all: 1 link to turn into events" in render_markdown(plan(6))


def test_context_map_labels_many_operations_with_a_count_and_lists_all_in_the_title() -> None:
    view = build_report(shop_with_interfaces(operations=5)).context_map
    assert view is not None
    call = next(a for a in view.arrows if a.kind == "sync")
    assert [line.text for line in call.lines] == ["getBook0", "getBook1", "+3 more"]
    assert all(f"getBook{i}" in call.title for i in range(5))
    # Every arrow and label stays inside the drawing.
    x, y, width, height = map(int, view.view_box.split())
    for arrow in view.arrows:
        for line in arrow.lines:
            assert x <= line.x <= x + width and y <= line.y <= y + height
    plan = shop_with_interfaces(5)
    shuffled = dataclasses.replace(
        plan,
        interfaces=ServiceInterfaces(
            operations=plan.interfaces.operations[::-1], events=plan.interfaces.events[::-1]
        ),
    )
    # The plan stores them sorted; the map sorts them again, whatever order it is given.
    assert build_report(shuffled).context_map == build_report(plan).context_map


def test_service_cards_show_responsibility_data_interface_and_links() -> None:
    report = build_report(shop_with_interfaces())
    cards = {c.link.name: c.interface for c in report.services}
    catalog, orders, stock = cards["catalog"], cards["orders"], cards["stock"]
    assert catalog.operations.items == ("GET /books0 getBook0",)
    assert catalog.responsibility.endswith("answers 1 operation for orders.")
    assert orders.published.items == ("OrderCancelled", "OrderPlaced")
    assert stock.consumed.items == ("OrderCancelled from orders", "OrderPlaced from orders")
    assert [f.href for f in catalog.contracts] == [
        "contracts/catalog/openapi.yaml",
        "contracts/catalog/asyncapi.yaml",
    ]
    assert catalog.repository is not None
    assert catalog.repository.href == "services/catalog/README.md"
    html = render_html(shop_with_interfaces())
    assert 'href="services/catalog/README.md"' in html and "GET /books0 getBook0" in html


def test_dynamic_code_not_followed_is_a_warning() -> None:
    stats = dataclasses.replace(SHOP.statistics, dynamic_followed=4, dynamic_unfollowed=3)
    plan = dataclasses.replace(SHOP, statistics=stats)
    report = build_report(plan)
    assert any("3 places load or run code by a name computed" in a.text for a in report.alerts)
    figure = next(f for f in report.figures if f.label == "Dynamic code")
    assert figure.warn and figure.value == "3" and "4 followed" in figure.note
    assert plan_from_json(plan_to_json(plan)).statistics == stats
    assert not any("computed" in a.text for a in build_report(SHOP).alerts)


def test_cycles_list_the_couplings_and_the_lightest_link() -> None:
    report = build_report(SHOP)
    assert len(report.cycles) == 1
    cycle = report.cycles[0]
    assert cycle.title == "orders ⇄ stock"
    # one call each way: the tie goes to the order of the names, orders before stock
    assert [link.name for link in cycle.path] == ["stock", "orders", "stock"]
    rows = [(r.source.name, r.target.name, r.to_break) for r in (*cycle.links, *cycle.others)]
    assert rows == [("stock", "orders", True), ("orders", "stock", False)]
    assert cycle.others[0].steps[0].source_module == "shop.orders"
    assert "Break the link stock → orders" in cycle.advice and cycle.others_open
    # The kernel's dependency on a service is reported apart, never as a cycle.
    assert [(r.source.name, r.target.name) for r in report.kernel_leaks] == [("shared", "stock")]
    assert [a.anchor for a in report.alerts] == ["cycles", "cycles"]


def test_the_kernel_calling_its_users_back_is_no_leak_but_an_import_is() -> None:
    """A page base class in the kernel calls the hooks each service's pages override: the
    library calling its users back, as the kernel's own rule counts it. Importing a service's
    code is a leak, said so with what to do."""
    plan = graph_plan(
        services={"a": ["a.m", "a.n"], "b": ["b.m"]},
        edges=[
            ("a.m", "k.m", 2, 1, 0),
            ("b.m", "k.m", 1, 1, 0),
            ("k.m", "a.m", 6, 0, 0),
            ("k.m", "b.m", 1, 1, 0),
        ],  # fmt: skip
        shared={"k.m": "framework glue"},
    )
    report = build_report(plan)
    assert [(r.source.name, r.target.name) for r in report.kernel_leaks] == [("shared", "b")]
    assert report.context_map is not None
    leaks = [a.title for a in report.context_map.arrows if a.leak]
    assert leaks == ["The shared kernel depends on b: 1 call · 1 import (a library must not)"]
    (alert,) = [a.text for a in report.alerts if "kernel" in a.text]
    assert alert.startswith("The shared kernel imports code of 1 service (b)")
    assert "becomes a call to that service's API" in alert


def test_cycles_of_three_services_and_none_through_the_kernel() -> None:
    plan = graph_plan(
        services={"a": ["a.m"], "b": ["b.m"], "c": ["c.m"], "d": ["d.m"]},
        edges=[
            ("a.m", "b.m", 5, 1, 0),
            ("b.m", "c.m", 4, 1, 0),
            ("c.m", "a.m", 1, 0, 0),
            ("d.m", "k.m", 1, 1, 0),
            ("k.m", "d.m", 1, 1, 0),
        ],
        shared={"k.m": "leaf utility"},
    )
    report = build_report(plan)
    assert [c.title for c in report.cycles] == ["a, b, c"]
    assert [link.name for link in report.cycles[0].path] == ["c", "a", "b", "c"]
    flagged = {(r.source.name, r.target.name) for r in report.dependencies if r.in_cycle}
    assert flagged == {("a", "b"), ("b", "c"), ("c", "a")}


def test_a_tangle_of_services_names_the_few_links_to_break_and_folds_the_rest() -> None:
    # a hub everyone calls, which calls back into two of them lightly: two links break it all
    names = ["hub", "a", "b", "c", "d", "e", "f", "g"]
    edges = [(f"{n}.m", "hub.m", 9, 2, 0) for n in names[1:]]
    edges += [(f"{n}.m", f"{m}.m", 3, 1, 0) for n, m in zip(names[1:], names[2:], strict=False)]
    edges += [("hub.m", "a.m", 1, 0, 0), ("hub.m", "c.m", 0, 1, 0)]
    plan = graph_plan({n: [f"{n}.m"] for n in names}, edges)
    (cycle,) = build_report(plan).cycles
    assert [(r.source.name, r.target.name) for r in cycle.links] == [("hub", "a"), ("hub", "c")]
    assert all(r.to_break for r in cycle.links) and not any(r.to_break for r in cycle.others)
    assert len(cycle.others) == 13 and not cycle.others_open  # folded
    assert cycle.others_title == "The other 13 links, which can stay"
    assert cycle.advice.startswith("Break these 2 links and no cycle is left")
    html = render_html(plan)
    assert "<summary>The other 13 links, which can stay</summary>" in html
    assert "To break: hub → a (1 call), hub → c (1 import)." in render_markdown(plan)


def test_matrix_orders_modules_by_service_and_highlights_crossings() -> None:
    matrix = build_report(SHOP).matrix
    assert matrix is not None
    assert [link.name for link in matrix.services] == ["catalog", "orders", "stock", "shared"]
    cells = {
        (row.link.name, column.name): cell
        for row in matrix.rows
        for column, cell in zip(matrix.services, row.cells, strict=True)
    }
    assert cells[("catalog", "catalog")].kind == "inside"
    assert cells[("catalog", "catalog")].value == "6"  # 4 calls, 1 import, 1 base class
    assert cells[("orders", "catalog")].kind == "cross"
    assert cells[("orders", "catalog")].title == "orders uses catalog: 4 calls · 2 imports"
    assert cells[("catalog", "orders")].kind == "empty"
    dsm = matrix.modules
    assert dsm is not None
    assert [label.module for label in dsm.labels] == [
        "shop.books",
        "shop.prices",
        "shop.checkout",
        "shop.orders",
        "shop.stock",
        "shop.util",
    ]
    assert len(dsm.cells) == 9
    assert sum(c.cross for c in dsm.cells) == 7
    assert [b.link.name for b in dsm.bands] == ["catalog", "orders", "stock", "shared"]


def test_matrix_of_modules_is_left_out_past_the_limit() -> None:
    modules = [f"m{i:03d}" for i in range(MODULE_LIMIT + 1)]
    plan = graph_plan({"a": modules[:100], "b": modules[100:]}, [("m000", "m150", 1, 0, 0)])
    matrix = build_report(plan).matrix
    assert matrix is not None and matrix.modules is None
    assert f"at most {MODULE_LIMIT} modules" in matrix.note
    assert [cell.value for cell in matrix.rows[0].cells] == ["", "1"]


def test_explanations_name_the_ties_that_hold_and_the_pull_elsewhere() -> None:
    why = explain_modules(SHOP)
    checkout = why["shop.checkout"]
    assert checkout.service == "orders"
    assert [(t.module, t.how) for t in checkout.own] == [
        ("shop.orders", "uses · 5 calls · 1 import")
    ]
    assert checkout.pull is not None and checkout.pull.service == "catalog"
    assert checkout.summary.startswith("78.6% of its ties to service code are with orders")
    # Ties to the shared kernel hold a module nowhere: orders is held by its own service.
    orders = why["shop.orders"]
    assert orders.pull is not None and orders.pull.service == "catalog"
    assert "go to the shared kernel" in orders.summary
    assert why["shop.util"].summary == "In the shared kernel: used by every domain."
    assert why["shop.util"].reason == "used by every domain"


def test_a_module_pulled_harder_elsewhere_is_a_candidate_to_move() -> None:
    plan = graph_plan(
        services={"a": ["a.one", "a.two"], "b": ["b.one"]},
        edges=[
            ("a.two", "b.one", 9, 1, 0),
            ("a.two", "a.one", 1, 0, 0),
            ("a.one", "b.one", 0, 1, 0),
        ],
    )
    why = explain_modules(plan)["a.two"]
    assert why.pulled_away > 0
    assert "A candidate to move" in why.summary
    data = build_graph_data(plan, service_links(plan.services))
    # b.one has no tie inside its own service at all: it is pulled hardest.
    assert [data["modules"][i]["name"] for i in data["movers"]] == ["b.one", "a.two"]
    lonely = graph_plan({"a": ["a.one", "a.two"]}, [("a.one", "a.one", 1, 0, 0)])
    assert "through the vocabulary" in explain_modules(lonely)["a.two"].summary


def test_graph_data_places_every_module_and_indexes_symbols() -> None:
    data = build_graph_data(SHOP, service_links(SHOP.services))
    modules = [m["name"] for m in data["modules"]]
    assert modules == sorted(m for m, _ in SHOP.modules)
    assert [s["name"] for s in data["services"]] == ["catalog", "orders", "stock", "shared"]
    positions = {(m["x"], m["y"]) for m in data["modules"]}
    assert len(positions) == len(modules)  # no two modules on one spot
    for m in data["modules"]:  # each module inside its service's disc
        disc = data["services"][m["service"]]
        assert (m["x"] - disc["x"]) ** 2 + (m["y"] - disc["y"]) ** 2 <= disc["r"] ** 2
    assert data["symbols"] == [
        ["shop.books.Book", modules.index("shop.books")],
        ["shop.orders.Order", modules.index("shop.orders")],
    ]
    assert len(data["edges"]) == 9 and not data["aggregate"]
    assert build_graph_data(SHOP, service_links(SHOP.services)) == data


def test_digraph_helpers() -> None:
    adjacency = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert strongly_connected(adjacency, adjacency) == [("a", "b", "c"), ("d",), ("e",)]
    assert shortest_path(adjacency, "a", "d") == ("a", "b", "c", "d")
    assert shortest_path(adjacency, "d", "a") == ()
    weight = {("a", "b"): 5.0, ("b", "c"): 4.0, ("c", "a"): 1.0, ("c", "d"): 1.0}
    order = feedback_order("abcd", weight)
    backwards = [(s, t) for s, t in weight if order.index(s) > order.index(t)]
    assert backwards == [("c", "a")]  # the lightest edge of the cycle


def metrics(services: int, modularity: float) -> Metrics:
    return Metrics(services, modularity, modularity - 0.1, 2.0, 0.3, 4.0, 0.1)


def enriched_plan() -> Plan:
    """SHOP with what the clustering adds: frontier, stability, splits, explanations, notes."""
    frontier = tuple(FrontierPoint(metrics(k, 0.3 + k / 20), k == 3) for k in (2, 3, 4))
    return dataclasses.replace(
        SHOP,
        services=tuple(
            dataclasses.replace(s, stability=None if s.is_shared else 0.5 + i / 10)
            for i, s in enumerate(SHOP.services)
        ),
        metrics=PlanMetrics(
            chosen=frontier[1].metrics,
            frontier=frontier,
            selection="highest modularity",
            transactions_note="transactions are not extracted yet",
            constraints=ConstraintReport(
                (("shop.stock", "stock"),), (), (("shop.books", "shop.orders"),), metrics(3, 0.5), 2
            ),
        ),
        splits=(
            Split("shop.orders", "orders", ("Order",), (("catalog", ("price_of", "Discount")),)),
        ),
        explanations=(
            ModuleExplanation(
                "shop.checkout",
                "orders",
                1.5,
                (PullEdge("shop.orders", 1.5, (("call", 1.0), ("semantic", 0.5))),),
                "catalog",
                2.25,
                (PullEdge("shop.prices", 2.25, (("call", 2.0), ("path", 0.25))),),
            ),
        ),
        notes=("git co-change skipped: not a git repository",),
    )


def test_tradeoffs_chart_every_measure_the_frontier_has() -> None:
    report = build_report(enriched_plan())
    view = report.tradeoffs
    assert view is not None
    # transactions_kept is None everywhere: no chart for it.
    assert [c.label for c in view.charts] == [
        "Modularity",
        "Structural modularity",
        "TurboMQ",
        "Calls crossing services",
        "Interface size",
        "Extreme sizes",
    ]
    modularity = view.charts[0]
    assert [p.chosen for p in modularity.points] == [False, True, False]
    ys = [p.y for p in modularity.points]
    assert ys == sorted(ys, reverse=True)  # rising values go up the chart
    assert modularity.chosen_x == modularity.points[1].x
    assert [text for _, text in modularity.x_labels] == ["2", "3", "4"]
    assert [(r.services, r.chosen) for r in view.rows] == [("2", False), ("3", True), ("4", False)]
    assert view.rows[1].values[0] == "0.45"
    assert view.notes[0] == "transactions are not extracted yet"
    assert "2 modules placed differently" in view.notes[1]
    assert build_report(SHOP).tradeoffs is None


def test_a_split_lists_what_moves_whole_and_what_stays_in_short() -> None:
    plan = enriched_plan()
    (split,) = plan.splits
    stays = tuple(f"shop.orders.Kept{i}" for i in range(13))
    bigger = dataclasses.replace(plan, splits=(dataclasses.replace(split, stays=stays),))
    (row,) = build_report(bigger).splits
    assert (len(row.stays), row.stays_more) == (10, 3)
    moves = [(m.target.name, m.symbols) for m in row.moves]
    assert moves == [("catalog", ("Discount", "price_of"))]  # what moves is listed whole
    assert '<span class="hint">and 3 more</span>' in render_html(bigger)


def test_splits_stability_and_notes_are_shown() -> None:
    report = build_report(enriched_plan())
    assert [(r.module, r.service.name, r.stays, r.stays_more) for r in report.splits] == [
        ("shop.orders", "orders", ("Order",), 0)
    ]
    assert [(m.target.name, m.symbols) for m in report.splits[0].moves] == [
        ("catalog", ("Discount", "price_of"))
    ]
    assert [(c.link.name, c.stability, c.unstable) for c in report.services] == [
        ("catalog", "50.0%", True),
        ("orders", "60.0%", True),
        ("stock", "80.0%", False),
    ]
    html = render_html(enriched_plan())
    sections = [a["id"] for t, a in outline(html).tags if t == "section"]
    assert sections[2:6] == ["services", "tradeoffs", "shared-kernel", "splits"]
    assert "git co-change skipped: not a git repository" in html
    assert "stability 50.0%" in html
    plain = render_html(SHOP)
    assert 'id="tradeoffs"' not in plain and 'id="splits"' not in plain
    assert "stability" not in plain.split('id="services"')[1].split("</section>")[0]


def test_the_plans_own_explanations_come_first() -> None:
    why = explain_modules(enriched_plan())
    checkout = why["shop.checkout"]
    assert checkout.summary.startswith("Pulled toward catalog with affinity 2.25")
    assert "A candidate to move" in checkout.summary
    assert [(t.module, t.how) for t in checkout.own] == [
        ("shop.orders", "affinity 1.5: call 1 · semantic 0.5")
    ]
    assert checkout.pull is not None and checkout.pull.amount == "affinity 2.25"
    assert checkout.pulled_away > 0
    # Modules the plan does not explain fall back on the module edges.
    assert why["shop.orders"].own_amount.endswith("of its ties")


# --- scale and determinism -------------------------------------------------------------------


def synthetic_plan(modules: int = 1000, edges: int = 5000, services: int = 20) -> Plan:
    """A large plan: modules spread over services, edges mostly inside a service."""
    rng = random.Random(7)
    names = [f"app{i % services}.pkg{i // services % 7}.module_{i:04d}" for i in range(modules)]
    groups: dict[str, list[str]] = {}
    for i, name in enumerate(names):
        groups.setdefault(f"service-{i % services:02d}", []).append(name)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < edges:
        a = rng.choice(names)
        same = rng.random() < 0.8
        b = rng.choice(groups[f"service-{names.index(a) % services:02d}"] if same else names)
        if a != b:
            pairs.add((a, b))
    shared = {n: "used by every domain" for n in names[:: max(1, modules // 40)]}
    for name in shared:
        for group in groups.values():
            if name in group:
                group.remove(name)
    counted = [
        (a, b, rng.randint(0, 6), rng.randint(0, 2), rng.randint(0, 1)) for a, b in sorted(pairs)
    ]
    return graph_plan(groups, counted, shared=shared)


def test_a_thousand_module_report_stays_small_and_deterministic() -> None:
    plan = synthetic_plan()
    assert len(plan.modules) == 1000 and len(plan.module_edges) == 5000
    html = render_html(plan)
    assert len(html.encode("utf-8")) < 5_000_000
    assert render_html(plan) == html
    again = plan_from_json(plan_to_json(plan))
    assert render_html(again) == html
    page = outline(html)
    data = assert_only_own_scripts(page)
    assert data["aggregate"] is True
    assert "The module-by-module matrix is drawn for at most" in html
    assert "heaviest are listed; plan.json has all" in html


# --- templates -------------------------------------------------------------------------------


def test_templates_hold_no_logic_and_mark_only_the_json_safe() -> None:
    tags = re.compile(r"{%-?\s*(\w+)")
    expressions = re.compile(r"{{-?\s*(.*?)\s*-?}}")
    allowed_tags = {"for", "endfor", "if", "elif", "else", "endif", "include", "from"}
    allowed_tags |= {"macro", "endmacro"}
    safe = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        text = path.read_text(encoding="utf-8")
        assert set(tags.findall(text)) <= allowed_tags, path.name
        for expression in expressions.findall(text):
            if "|safe" in expression.replace(" ", ""):
                safe.append((path.name, expression))
            # A name, a macro call on a name, or a filter: no arithmetic, no calls of methods.
            assert re.fullmatch(r"[\w.]+(\([\w.]+\))?(\s*\|\s*\w+)?", expression), (
                path.name,
                expression,
            )
    assert safe == [("index.html.j2", "report.graph.data|safe")]
    for path in (TEMPLATES / "index").glob("*.[cj]s"):
        text = path.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text and "{#" not in text, path.name
