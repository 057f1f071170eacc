"""Tests of the render stage: files written, determinism, escaping, empty plans, safe output."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decompose.errors import OutputError
from decompose.model import (
    Coupling,
    Failure,
    Plan,
    Service,
    ServiceDependency,
    SharedReason,
    Statistics,
    plan_from_json,
    plan_to_json,
)
from decompose.render import render_html, render_markdown, write_outputs
from decompose.render.markdown import escape_markdown
from decompose.render.output import write_files
from decompose.render.view import build_report

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
    """Collects start tags and heading levels of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


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
    assert render_html(shuffled) == render_html(plan)
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


def test_html_report_is_self_contained_with_ordered_headings() -> None:
    html = render_html(bookshop_plan())
    page = outline(html)
    assert page.headings.count(1) == 1
    assert page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    assert not [t for t, _ in page.tags if t in {"script", "link", "img", "iframe"}]
    for _, attrs in page.tags:
        for name in ("href", "src"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value
    assert "http://" not in html and "https://" not in html and "@import" not in html
    assert "@media print" in html


def test_services_get_distinct_colours_and_anchors_that_exist() -> None:
    html = render_html(bookshop_plan())
    page = outline(html)
    ids = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    cards = [attrs for tag, attrs in page.tags if tag == "article"]
    assert len(cards) == 3
    assert len({attrs["style"] for attrs in cards}) == 3
    for _, attrs in page.tags:
        href = attrs.get("href")
        if href:
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
    assert "<script" not in html
    assert "<img" not in html
    assert "</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = outline(html)
    assert not [t for t, _ in page.tags if t in {"script", "img"}]
    assert all("onerror" not in attrs for _, attrs in page.tags)


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
    assert not [t for t, _ in page.tags if t in {"script", "img", "iframe"}]


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
