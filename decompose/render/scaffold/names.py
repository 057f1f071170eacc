"""Names and literals from the analysed code, made safe for paths, identifiers and source text.

Every name in a starter repository comes from the monolith (services, entities, functions,
events), so each goes through one of these before it reaches a path, a CloudFormation logical
id, a Python identifier or a quoted string: whatever the code calls things, a name can never
leave the output folder, break a template or inject code.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
import unicodedata
from collections.abc import Iterable

# Longest folder or file stem made from a name; the total path stays well inside every OS limit.
MAX_SEGMENT = 48
# Longest CloudFormation logical id prefix made from a name (the limit is 255).
MAX_LOGICAL = 64
# Folder names Windows refuses whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def words(name: str) -> list[str]:
    """The ASCII words of a name: "OrderLine", "order_line", "order-line" -> order, line."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return [w.lower() for w in _WORD.findall(ascii_text)]


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _bounded(joined: str, name: str, limit: int, separator: str) -> str:
    # A name cut short keeps a digest of the whole, so two long names stay apart.
    if len(joined) <= limit:
        return joined
    return joined[: limit - 9].rstrip(separator) + separator + _digest(name)


def slug(name: str, fallback: str = "service") -> str:
    """A folder name: lower-case ASCII words joined by "-", never empty, "." or "..".

    A name with no ASCII word (all punctuation, or another script) becomes the fallback
    followed by a digest of the name, so distinct names still get distinct folders.
    """
    parts = words(name)
    if not parts:
        return f"{fallback}-{_digest(name)}" if name else fallback
    joined = _bounded("-".join(parts), name, MAX_SEGMENT, "-")
    return f"{joined}-{fallback}" if joined in _RESERVED else joined


def snake(name: str, fallback: str = "item") -> str:
    """A Python identifier (and folder name): lower-case words joined by "_"."""
    parts = words(name)
    if not parts:
        return f"{fallback}_{_digest(name)}" if name else fallback
    joined = _bounded("_".join(parts), name, MAX_SEGMENT, "_")
    if joined[0].isdigit():
        joined = f"{fallback}_{joined}"
    if keyword.iskeyword(joined) or keyword.issoftkeyword(joined) or joined in _RESERVED:
        joined += "_"
    return joined


def pascal(name: str, fallback: str = "Item") -> str:
    """A CloudFormation logical id or state name part: capitalised ASCII words, no separator."""
    parts = words(name)
    if not parts:
        return f"{fallback}{_digest(name).upper()}" if name else fallback
    joined = _bounded("".join(p.capitalize() for p in parts), name, MAX_LOGICAL, "")
    return f"{fallback}{joined}" if joined[0].isdigit() else joined


def upper_snake(name: str) -> str:
    """An environment variable name: SNAKE_CASE, starting with a letter."""
    return snake(name, "value").rstrip("_").upper()


def unique(names: Iterable[str], separator: str = "-") -> list[str]:
    """The names in order, the second and later copies of one suffixed 2, 3...

    Case is ignored when comparing, as macOS and Windows do for file names.
    """
    seen: set[str] = set()
    result: list[str] = []
    for name in names:
        candidate, number = name, 1
        while candidate.lower() in seen:
            number += 1
            candidate = f"{name}{separator}{number}"
        seen.add(candidate.lower())
        result.append(candidate)
    return result


def quoted(text: str) -> str:
    """A double-quoted string literal valid in Python, YAML and TOML alike.

    JSON's escapes are a subset of all three, except that YAML and TOML want characters past
    the Basic Multilingual Plane as one \\U escape, not a surrogate pair.
    """
    dumped = json.dumps(text, ensure_ascii=True)
    return _SURROGATE_PAIR.sub(_join_surrogates, dumped)


def _join_surrogates(match: re.Match[str]) -> str:
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def prose(text: str, limit: int = 300) -> str:
    """One line of plain text for a comment, a docstring or a Markdown table cell.

    Control characters and line breaks become spaces; backslashes, quotes, backticks, pipes
    and angle brackets (which could end a docstring, start an escape, break a table or open
    HTML) become harmless look-alikes.
    """
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    for bad, good in (("\\", "/"), ('"', "'"), ("`", "'"), ("|", "/"), ("<", "("), (">", ")")):
        cleaned = cleaned.replace(bad, good)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3].rstrip() + "..."


def dotted(name: str) -> str:
    """A dotted Python name (module or qualified symbol) as plain text for docs and comments."""
    return prose(name, 200)
