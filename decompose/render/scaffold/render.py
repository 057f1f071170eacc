"""Templates -> files: the tree under `decompose/templates/service/` mirrors a repository.

A template's path is the path of the file it makes, plus `.j2`. A segment in braces names a
collection of the view (`{api}`, `{consumer}`, `{published}`, `{workflow}`): the template is
rendered once per item, with the item under that name and its `name` (or `file`) in the path.
A leading `dot-` stands for the dot of a hidden file or folder (`dot-gitignore` makes
`.gitignore`), which package data would otherwise drop. A template that renders to nothing
(all its content is conditional) makes no file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from decompose.render.scaffold.names import prose, quoted
from decompose.render.scaffold.view import Repository

TEMPLATES = "templates/service"
SUFFIX = ".j2"
DOT = "dot-"
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


@cache
def environment() -> Environment:
    """The Jinja environment of the repository templates (text, not HTML: no autoescape)."""
    env = Environment(
        loader=PackageLoader("decompose", TEMPLATES),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Every string from the analysed code reaches a file through one of these two.
    env.filters["q"] = quoted
    env.filters["prose"] = prose
    return env


def template_names() -> tuple[str, ...]:
    """Every template of a repository, sorted."""
    return tuple(sorted(n for n in environment().list_templates() if n.endswith(SUFFIX)))


def collections(repo: Repository) -> Mapping[str, tuple[tuple[str, Any], ...]]:
    """Placeholder -> (the name it takes in a path, the item) for each item of the view."""
    return {
        "api": tuple((f.name, f) for f in repo.api),
        "consumer": tuple((f.name, f) for f in repo.consumers),
        "published": tuple((e.file, e) for e in repo.published),
        "workflow": tuple((w.name, w) for w in repo.workflows),
    }


def render_repository(repo: Repository) -> dict[str, str]:
    """Relative path -> text of every templated file of one repository."""
    env = environment()
    items = collections(repo)
    files: dict[str, str] = {}
    for name in template_names():
        template = env.get_template(name)
        for path, context in _expand(name[: -len(SUFFIX)], items):
            text = template.render(repo=repo, **context)
            if text.strip():
                files[_undot(path)] = text
    return files


def _expand(
    path: str, items: Mapping[str, tuple[tuple[str, Any], ...]]
) -> Iterable[tuple[str, dict[str, Any]]]:
    found = _PLACEHOLDER.search(path)
    if found is None:
        yield path, {}
        return
    key = found.group(1)
    for name, item in items[key]:
        yield path.replace(found.group(0), name), {key: item}


def _undot(path: str) -> str:
    parts = PurePosixPath(path).parts
    return "/".join("." + p[len(DOT) :] if p.startswith(DOT) else p for p in parts)
