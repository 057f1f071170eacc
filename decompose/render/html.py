"""HTML report: `Plan` -> one self-contained `index.html` (inline CSS and script, no requests).

The page carries a Content-Security-Policy that allows no request at all and runs only the
report's own script, named by its hash: should a string from the analysed code ever slip past
the escaping, the browser still would not run it.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from decompose.model.plan import Plan
from decompose.render.view import Report, build_report

TEMPLATE = "index.html.j2"
SCRIPT = "index/script.js"


@cache
def _environment() -> Environment:
    # Autoescape is on for every .j2 template this environment loads; code-derived strings
    # are never marked safe (the plan data is JSON escaped for its <script> element in Python),
    # so a module name can't inject markup into the report.
    return Environment(
        loader=PackageLoader("decompose", "templates/report"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def script_hash() -> str:
    """The CSP source of the report's script: its SHA-256, as the page includes it."""
    text = _environment().get_template(SCRIPT).render()
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def render_html(plan: Plan) -> str:
    """The report as one self-contained HTML page; same plan, same text."""
    return render_report_html(build_report(plan))


def render_report_html(report: Report) -> str:
    """The page of an already built report."""
    template = _environment().get_template(TEMPLATE)
    return template.render(report=report, script_hash=script_hash())
