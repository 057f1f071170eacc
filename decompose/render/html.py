"""HTML report: `Plan` -> one self-contained `index.html` (inline CSS, no scripts, no requests)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from decompose.model.plan import Plan
from decompose.render.view import build_report

TEMPLATE = "index.html.j2"


@cache
def _environment() -> Environment:
    # Autoescape is on for every .j2 template this environment loads; code-derived strings
    # are never marked safe, so a module name can't inject markup into the report.
    return Environment(
        loader=PackageLoader("decompose", "templates/report"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(plan: Plan) -> str:
    """The report as one self-contained HTML page; same plan, same text."""
    return _environment().get_template(TEMPLATE).render(report=build_report(plan))
