"""Render stage: `Plan` -> the saved plan, the HTML report and the Markdown summary.

`view` turns the plan into formatted rows, the templates under `decompose/templates/report/`
lay them out, and `output` owns every file written.
"""

from decompose.render.html import render_html
from decompose.render.markdown import render_markdown
from decompose.render.output import write_outputs

__all__ = ["render_html", "render_markdown", "write_outputs"]
