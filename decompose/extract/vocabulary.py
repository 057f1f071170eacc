"""Words of the code's own vocabulary: identifiers split into words, minus noise."""

from __future__ import annotations

import keyword
import re

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# A string that looks like a dotted import path names modules, never business vocabulary.
DOTTED_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")

STOPWORDS = frozenset(
    set(keyword.kwlist)
    | {
        "self",
        "cls",
        "none",
        "true",
        "false",
        "args",
        "kwargs",
        "the",
        "and",
        "for",
        "with",
        "from",
        "this",
        "that",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "not",
        "but",
        "all",
        "any",
        "can",
        "will",
        "into",
        "its",
        "our",
        "your",
        "you",
        "they",
        "them",
        "then",
        "than",
        "when",
        "which",
        "who",
        "whom",
        "what",
        "where",
        "why",
        "how",
        "each",
        "every",
        "get",
        "set",
        "put",
        "add",
        "new",
        "old",
        "use",
        "used",
        "uses",
        "make",
        "makes",
        "value",
        "values",
        "data",
        "item",
        "items",
        "obj",
        "object",
        "objects",
        "result",
        "results",
        "name",
        "names",
        "type",
        "types",
        "init",
        "str",
        "int",
        "float",
        "bool",
        "dict",
        "list",
        "tuple",
        "len",
        "range",
        "return",
        "returns",
        "raise",
        "raises",
        "param",
        "params",
        "def",
        "class",
        "import",
        "one",
        "two",
        "also",
        "only",
        "should",
        "would",
        "could",
        "must",
        "may",
        "might",
        "there",
        "here",
        "these",
        "those",
        "been",
        "being",
        "does",
        "did",
        "done",
        "doing",
        "such",
        "same",
        "other",
        "some",
        "more",
        "most",
        "less",
        "very",
        "just",
        "given",
        "give",
        "via",
        "per",
        "out",
        "off",
        "own",
        "about",
        "over",
        "under",
        "after",
        "before",
        "again",
        "once",
        "both",
        "few",
        "optional",
        "default",
        "todo",
        "note",
        "see",
        "e.g",
        "i.e",
        "etc",
    }
)


def split_identifier(name: str) -> list[str]:
    """`placeOrderHTTP_request` -> ["place", "order", "http", "request"] (noise removed)."""
    words: list[str] = []
    for chunk in name.split("_"):
        for word in _CAMEL.findall(chunk):
            lowered = word.lower()
            if len(lowered) >= 3 and not lowered.isdigit() and lowered not in STOPWORDS:
                words.append(lowered)
    return words


def split_text(text: str) -> list[str]:
    """Words of a docstring or string literal (dotted import paths dropped)."""
    if DOTTED_PATH.match(text.strip()):
        return []
    words: list[str] = []
    for token in _WORDS.findall(text):
        if "." not in token:
            words.extend(split_identifier(token))
    return words
