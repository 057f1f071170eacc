"""Service names: each domain's code vocabulary -> a unique, stable, readable name."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from decompose.extract.vocabulary import split_identifier
from decompose.model import SHARED_SERVICE, DefinitionKind, ModuleFacts

_SAFE = re.compile(r"[^a-z0-9]+")


def name_domains(
    domains: Mapping[int, Sequence[ModuleFacts]], reserved: set[str] | None = None
) -> dict[int, str]:
    """A unique, stable name per domain from its vocabulary (entities and classes first).

    Candidates are the words of the domain's class names, weighted by class size and made
    distinctive by how many other domains' classes use the word; a domain without classes
    falls back on the words of its code. Bigger domains choose first.
    """
    class_words = {d: _class_words(ms) for d, ms in domains.items()}
    code_words = {d: _code_words(ms) for d, ms in domains.items()}
    spread = Counter(w for words in class_words.values() for w in words)
    total = len(domains)
    ranked: dict[int, list[str]] = {}
    for d in domains:
        words = class_words[d] or code_words[d]
        idf = {w: math.log((1 + total) / (1 + spread[w])) + 1 for w in words}
        ranked[d] = sorted(words, key=lambda w: (-words[w] * idf[w], w))
        ranked[d] += sorted(set(code_words[d]) - set(words), key=lambda w: (-code_words[d][w], w))
    names: dict[int, str] = {}
    taken: set[str] = set(reserved or ())
    order = sorted(domains, key=lambda d: (-sum(f.lines for f in domains[d]), d))
    for d in order:
        names[d] = _pick_name(ranked[d], taken, d)
        taken.add(names[d])
    return names


def _class_words(modules: Sequence[ModuleFacts]) -> dict[str, float]:
    words: dict[str, float] = defaultdict(float)
    for mod in modules:
        for d in mod.definitions:
            if d.kind is DefinitionKind.CLASS:
                for w in split_identifier(d.qualname.rpartition(".")[2]):
                    words[w] += math.log2(1 + d.size)
    return dict(words)


def _code_words(modules: Sequence[ModuleFacts]) -> dict[str, float]:
    words: dict[str, float] = defaultdict(float)
    for mod in modules:
        for w, n in mod.vocabulary:
            words[w] += math.log2(1 + n)
    return dict(words)


def domain_words(modules: Sequence[ModuleFacts]) -> dict[str, float]:
    """Words of a domain's code, its class names counting three times."""
    words = defaultdict(float, _code_words(modules))
    for w, n in _class_words(modules).items():
        words[w] += 3 * n
    return dict(words)


def _pick_name(ranked: Sequence[str], taken: set[str], domain: int) -> str:
    candidates = [_SAFE.sub("-", w).strip("-") for w in ranked]
    candidates = [c for c in candidates if c and c != SHARED_SERVICE]
    for word in candidates:
        if word not in taken:
            return word
    for first in candidates:
        for second in candidates:
            if second != first and f"{first}-{second}" not in taken:
                return f"{first}-{second}"
    return f"domain-{domain + 1}"
