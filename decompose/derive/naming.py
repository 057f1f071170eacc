"""Service names: each domain's code vocabulary -> a unique, stable, readable name."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from decompose.derive.words import words as identifier_words
from decompose.extract.vocabulary import split_identifier
from decompose.model import SHARED_SERVICE, DefinitionKind, ModuleFacts

_SAFE = re.compile(r"[^a-z0-9]+")
# Words that say what kind of code a class is, in any domain: never a service's name.
ROLE_WORDS = frozenset(
    {"abstract", "base", "mixin", "generic", "default", "custom", "helper", "util", "utils"}
)
# What a class or word is to a web framework, not to the business: never a name unless it is
# an entity's (a `Setting` model names its domain; a `SettingsView` does not).
FRAMEWORK_ROLES = frozenset(
    {
        "admin",
        "app",
        "application",
        "command",
        "config",
        "field",
        "form",
        "handler",
        "meta",
        "middleware",
        "schema",
        "serializer",
        "setting",
        "settings",
        "test",
        "url",
        "urls",
        "view",
        "views",
        "widget",
    }
)
_NEVER_NAMES = ROLE_WORDS | FRAMEWORK_ROLES  # for class names' words
PROJECT_SHARE = 0.9  # of the modules in one top-level package: it is the project's name


def name_domains(
    domains: Mapping[int, Sequence[ModuleFacts]],
    reserved: set[str] | None = None,
    entities: Mapping[int, Mapping[str, float]] | None = None,
    declared: Mapping[int, set[str]] | None = None,
) -> dict[int, str]:
    """A unique, stable name per domain from its vocabulary (entities and classes first).

    Candidates are, first, the entities the domain owns or declares (`entities`: domain ->
    {entity class name: weight}), the most central first: a service is named after its
    aggregate root. Then the words of its class names weighted by class size and made
    distinctive by how many other domains' classes use the word, then the words of its code.
    A class's words shared with the names of its bases from outside the domain
    (`ProductListView(ListView)`: "list", "view") name its framework role, not its domain, and
    are dropped (unless the class has no other words: `Order(AbstractOrder)`), as are
    `ROLE_WORDS`; a base of the domain's own (`DeleteBulkAction(BulkAction)`) names its
    concept. Bigger domains choose first, but an entity's name is kept for the domains
    declaring that entity (`declared`: domain -> entity class names) until they are named:
    a bigger domain that only writes invoices (a back office) does not take "invoice" from
    the billing domain whose models declare `Invoice`, unless nothing else fits it.
    """
    class_words = {d: _class_words(ms) for d, ms in domains.items()}
    code_words = {d: _code_words(ms) for d, ms in domains.items()}
    spread = Counter(w for words in class_words.values() for w in words)
    total = len(domains)
    ranked: dict[int, list[str]] = {}
    for d in domains:
        owned = (entities or {}).get(d, {})
        ranked[d] = [_entity_name(e) for e in sorted(owned, key=lambda e: (-owned[e], e))]
        words = class_words[d]
        idf = {w: math.log((1 + total) / (1 + spread[w])) + 1 for w in words}
        ranked[d] += sorted(words, key=lambda w: (-words[w] * idf[w], w))
        rest = set(code_words[d]) - set(words) - FRAMEWORK_ROLES
        ranked[d] += sorted(rest, key=lambda w: (-code_words[d][w], w))
    claims: dict[str, set[int]] = defaultdict(set)
    for d, classes in (declared or {}).items():
        for entity in classes:
            claims[_entity_name(entity)].add(d)
    names: dict[int, str] = {}
    # the project's own name (`indico`, `oscar`) names no domain of it
    taken: set[str] = set(reserved or ()) | _project_words(domains)
    order = sorted(domains, key=lambda d: (-sum(f.lines for f in domains[d]), d))
    for d in order:
        # names of entities that domains still to be named declare come last
        candidates = sorted(ranked[d], key=lambda w: bool(claims.get(w)) and d not in claims[w])
        names[d] = _pick_name(candidates, taken, d)
        taken.add(names[d])
        for claimants in claims.values():  # named: its other entities' names are free
            claimants.discard(d)
    return names


def _entity_name(entity: str) -> str:
    """`WishList` -> "wish-list", every word kept but role words (`AbstractUser` -> "user")
    unless they are all there is (indico's conference `Abstract` -> "abstract"); a one-letter
    word is part of the next (`OAuthToken` -> "oauth-token", not "o-auth-token")."""
    found: list[str] = []
    letters = ""
    for word in identifier_words(entity):
        if len(word) == 1 and word.isalpha():
            letters += word
        else:
            found.append(letters + word)
            letters = ""
    found += [letters] if letters else []
    return "-".join([w for w in found if w not in ROLE_WORDS] or found)


def _project_words(domains: Mapping[int, Sequence[ModuleFacts]]) -> set[str]:
    """The words of the package most of the code lives in (`indico.modules...`), if one does:
    apps at the top level (`orders/`, `payments/`) are domains, not the project."""
    tops = Counter(mod.module.partition(".")[0] for ms in domains.values() for mod in ms)
    if not tops:
        return set()
    top, count = tops.most_common(1)[0]
    return set(identifier_words(top)) if count >= PROJECT_SHARE * tops.total() else set()


def _class_words(modules: Sequence[ModuleFacts]) -> dict[str, float]:
    words: dict[str, float] = defaultdict(float)
    inside = {mod.module for mod in modules}
    for mod in modules:
        for d in mod.definitions:
            if d.kind is DefinitionKind.CLASS:
                own = split_identifier(d.qualname.rpartition(".")[2])
                # words shared with a base from elsewhere (`ListView`) name a framework role; a
                # base of the domain's own (`DeleteBulkAction(BulkAction)`) names its concept
                role = {
                    w
                    for b in d.bases
                    if not _defined_in(b, inside)
                    for w in split_identifier(b.rpartition(".")[2])
                }
                if role.issuperset(own):  # `Order(AbstractOrder)`: the base's own concept
                    role = set()
                for w in own:
                    if w not in role and w not in _NEVER_NAMES:
                        words[w] += math.log2(1 + d.size)
    return dict(words)


def _defined_in(qualname: str, modules: set[str]) -> bool:
    """Whether a qualified name is defined in one of `modules` (at any nesting depth)."""
    parts = qualname.split(".")
    return any(".".join(parts[:i]) in modules for i in range(1, len(parts)))


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
