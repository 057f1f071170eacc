"""Markdown summary: `Plan` -> `summary.md` for a pull request or a wiki page."""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import escape

from decompose.model.plan import Plan
from decompose.render.view import Report, build_report

TEMPLATE = "summary.md.j2"

# Characters Markdown (CommonMark and GitHub tables) gives a meaning to; a backslash makes each
# literal. "&" would start an entity, "#", "~" a heading or strike-through.
_SIGNIFICANT = re.compile(r"([\\`*_\[\]<>|&#~])")
# Everything Python's splitlines() breaks on; renderers differ on which of these end a line.
_LINE_BREAK = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")


def escape_markdown(text: object) -> str:
    """`text` as literal Markdown inline text, safe inside a table cell (one line, no bare |)."""
    return _SIGNIFICANT.sub(r"\\\1", _LINE_BREAK.sub(" ", str(text)))


def escape_html(text: object) -> str:
    """`text` for raw HTML lines inside the Markdown (a <summary>): Markdown escapes fail there."""
    return str(escape(_LINE_BREAK.sub(" ", str(text))))


@cache
def _environment() -> Environment:
    # No autoescape: HTML escaping is wrong for Markdown; the `md` filter escapes instead.
    env = Environment(
        loader=PackageLoader("decompose", "templates/report"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["html"] = escape_html
    return env


def render_markdown(plan: Plan) -> str:
    """The report's content as Markdown; same plan, same text."""
    return render_report_markdown(build_report(plan))


def render_report_markdown(report: Report) -> str:
    """The Markdown of an already built report."""
    return _environment().get_template(TEMPLATE).render(report=report)
