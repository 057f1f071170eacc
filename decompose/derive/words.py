"""Names for contracts: operation ids, paths, event names in the past tense, plurals.

Pure string functions, deterministic. Which word is a verb and how it inflects comes from
lemminflect's English lexicon, with a small table of what it lacks: the names end up in
contracts that people read and code against, so `reserve_stock` must become `StockReserved`,
not `ReserveStockEvent`, and `gracefully_delete` must not become `DeleteGracefullied`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lemminflect import getAllLemmas, getInflection

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_VOWELS = frozenset("aeiou")
# Participles lemminflect's lexicon lacks or spells otherwise: verbs written as one word
# (`checkout`, `login`), the British doubled l, and "got" for the event of a get.
_IRREGULAR = {
    "cancel": "cancelled",
    "checkout": "checked_out",
    "get": "got",
    "label": "labelled",
    "login": "logged_in",
    "logout": "logged_out",
    "model": "modelled",
    "setup": "set_up",
    "signup": "signed_up",
    "travel": "travelled",
    "unfreeze": "unfrozen",
}
# Prefixes that make a verb of a verb (`recalculate`, `unlink`, `multiexport`): a word the
# lexicon does not know is a verb when it is one of these before a verb it knows.
_VERB_PREFIXES = ("re", "un", "de", "dis", "pre", "post", "multi", "over", "under", "mis", "auto")
_VERB_SUFFIXES = ("ize", "ise", "ify")  # `anonymize`, `serialise`, `notify`: verbs by form
PREPOSITIONS = frozenset(
    {"to", "from", "for", "on", "in", "into", "with", "by", "of", "at", "as", "per", "via"}
)
# Words after which the rest of a function name is the new state: `mark_paid` -> `Paid`.
STATE_VERBS = frozenset({"mark", "set", "flag", "make", "become", "turn"})
# Verbs that name a change of state: a function so named is a command even when the analysis
# sees no write (in-memory state, a cache, storage it cannot follow).
MUTATING_VERBS = frozenset(
    {"accept", "activate", "add", "adjust", "allocate", "apply", "approve", "archive", "assign"}
    | {"attach", "award", "ban", "block", "book", "cancel", "capture", "change", "charge"}
    | {"checkout", "claim", "clear", "close", "commit", "complete", "confirm", "consume"}
    | {"create", "credit", "deactivate", "debit", "decrement", "delete", "deliver", "deposit"}
    | {"detach", "disable", "dispatch", "enable", "enqueue", "expire", "finalize", "finalise"}
    | {"fulfil", "fulfill", "grant", "hold", "import", "increment", "insert", "invalidate"}
    | {"issue", "link", "lock", "mark", "merge", "move", "open", "pay", "place", "post", "publish"}
    | {"purge", "push", "put", "record", "redeem", "refund", "register", "reject", "release"}
    | {"remove", "rename", "reorder", "replace", "reserve", "reset", "restock", "restore"}
    | {"revoke", "save", "schedule", "send", "set", "ship", "start", "stop", "store", "submit"}
    | {"subscribe", "suspend", "sync", "take", "toggle", "transfer", "unlink", "unlock"}
    | {"unsubscribe", "update", "upload", "upsert", "void", "withdraw", "write"}
)
# Function names that say nothing about the change their code makes (framework handlers,
# generic verbs): its event or command is named after the change itself.
GENERIC_ACTIONS = frozenset(
    {"save", "delete", "create", "update", "init", "new", "post", "put", "patch", "get"}
    | {"perform", "handle", "run", "execute", "process", "call", "clean", "form", "valid"}
    | {"bulk", "add", "remove", "insert", "upsert", "commit", "flush", "merge", "setattr"}
    | {"destroy", "dispatch", "main", "job", "task", "worker", "signal", "receiver", "async"}
)
# How a write reaches its row (the method called): what it does to the row.
_CREATING = frozenset(
    {"create", "bulk_create", "get_or_create", "update_or_create", "add", "add_all", "insert"}
    | {"merge", "init"}
)
_DELETING = frozenset({"delete", "remove", "bulk_delete", "destroy"})
_PLURAL_IRREGULAR = {"person": "people", "child": "children", "status": "statuses"}


def words(identifier: str) -> list[str]:
    """Lower-case words of an identifier: `_placeOrder_now` -> ["place", "order", "now"]."""
    found: list[str] = []
    for part in identifier.split("_"):
        found.extend(w.lower() for w in _CAMEL.findall(part))
    return found


def qualified_words(local: str) -> list[str]:
    """Words of a dotted name, a word repeated where two parts meet said once:
    `DiscountDelete.delete` -> ["discount", "delete"]."""
    return join_words(*(words(part) for part in local.split(".")))


def join_words(*groups: Sequence[str]) -> list[str]:
    """Groups of words one after the other, a word repeated where two groups meet said once."""
    found: list[str] = []
    for group in groups:
        more = list(group)
        if found and more and found[-1] == more[0]:
            more = more[1:]
        found.extend(more)
    return found


def pascal(parts: list[str] | str) -> str:
    """PascalCase from words or an identifier: "order_line" -> "OrderLine"."""
    items = words(parts) if isinstance(parts, str) else parts
    return "".join(w[:1].upper() + w[1:] for w in items)


def camel(parts: list[str] | str) -> str:
    """camelCase from words or an identifier: "reserve_stock" -> "reserveStock"."""
    name = pascal(parts)
    return name[:1].lower() + name[1:]


def kebab(parts: list[str] | str) -> str:
    """kebab-case from words or an identifier: "OrderLine" -> "order-line"."""
    items = words(parts) if isinstance(parts, str) else parts
    return "-".join(items)


def snake(parts: list[str] | str) -> str:
    """snake_case from words or an identifier: "OrderLine" -> "order_line"."""
    items = words(parts) if isinstance(parts, str) else parts
    return "_".join(items)


def plural(word: str) -> str:
    """English plural of a lower-case noun: "category" -> "categories"."""
    if word in _PLURAL_IRREGULAR:
        return _PLURAL_IRREGULAR[word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def singular(word: str) -> str:
    """English singular of a lower-case noun: "users" -> "user"; other words stay."""
    lemmas = getAllLemmas(word).get("NOUN", ())
    return lemmas[0] if lemmas else word


def lifecycle_verb(via: str) -> str:
    """ "create", "update" or "delete": what a write made through `via` (`objects.create`,
    `sql:DELETE`, `save`) does to its row."""
    method = via.rsplit(".", 1)[-1].removeprefix("sql:").lower()
    if method in _CREATING:
        return "create"
    if method in _DELETING:
        return "delete"
    return "update"


def past(verb: str) -> str:
    """Past participle of a lower-case verb: "reserve" -> "reserved", "ship" -> "shipped",
    "send" -> "sent"; a participle stays as it is ("paid", "done")."""
    if not verb:
        return verb  # lemminflect fails on the empty string
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if is_participle(verb):
        return verb
    forms = [f for f in getInflection(verb, tag="VBN", inflect_oov=True) if "-" not in f]
    return forms[0] if forms else verb + "ed"


def is_verb(word: str, only: bool = False) -> bool:
    """Whether a lower-case word can be a verb in its base form (what starts a function name
    that does something): "place", "ship", "recalculate", "anonymize"; not "payment",
    "settings", "gracefully" or "badges" (a plural noun, or a verb's third person). `only`:
    and never a noun ("notify", not "voucher")."""
    known = getAllLemmas(word)
    if only and "NOUN" in known:
        return False
    if word in _IRREGULAR or word in MUTATING_VERBS or word in STATE_VERBS:
        return True
    if known:
        return word in known.get("VERB", ())
    if word.endswith(_VERB_SUFFIXES) and len(word) > 5:
        return True
    return any(
        word.startswith(prefix) and len(word) - len(prefix) >= 3 and is_verb(word[len(prefix) :])
        for prefix in _VERB_PREFIXES
    )


def is_participle(word: str) -> bool:
    """Whether a lower-case word is a verb's past participle: "paid", "done", "shipped"."""
    for lemma in getAllLemmas(word).get("VERB", ()):
        if lemma != word and word in getInflection(lemma, tag="VBN"):
            return True
    return False


def is_adverb(word: str) -> bool:
    """Whether a lower-case word is only ever an adverb: "gracefully", "safely"."""
    return set(getAllLemmas(word)) == {"ADV"}
