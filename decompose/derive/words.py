"""Names for contracts: operation ids, paths, event names in the past tense, plurals.

Pure string functions, deterministic, with small tables of English irregularities: the names
end up in contracts that people read and code against, so `reserve_stock` must become
`StockReserved`, not `ReserveStockEvent`.
"""

from __future__ import annotations

import re

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_VOWELS = frozenset("aeiou")
_IRREGULAR = {
    "begin": "begun",
    "bring": "brought",
    "build": "built",
    "buy": "bought",
    "cancel": "cancelled",
    "catch": "caught",
    "checkout": "checked_out",
    "choose": "chosen",
    "do": "done",
    "feed": "fed",
    "find": "found",
    "forget": "forgotten",
    "freeze": "frozen",
    "get": "got",
    "give": "given",
    "hide": "hidden",
    "hold": "held",
    "keep": "kept",
    "label": "labelled",
    "lay": "laid",
    "leave": "left",
    "lend": "lent",
    "login": "logged_in",
    "logout": "logged_out",
    "lose": "lost",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "prepay": "prepaid",
    "put": "put",
    "read": "read",
    "rebuild": "rebuilt",
    "repay": "repaid",
    "reset": "reset",
    "resend": "resent",
    "rewrite": "rewritten",
    "run": "run",
    "say": "said",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "setup": "set_up",
    "shut": "shut",
    "signup": "signed_up",
    "spend": "spent",
    "split": "split",
    "take": "taken",
    "tell": "told",
    "throw": "thrown",
    "travel": "travelled",
    "undo": "undone",
    "unfreeze": "unfrozen",
    "upset": "upset",
    "withdraw": "withdrawn",
    "write": "written",
}
# Verbs whose final consonant doubles although they have two syllables (stress on the last).
_DOUBLING = frozenset(
    {"admit", "commit", "control", "occur", "omit", "patrol", "permit", "prefer", "refer"}
    | {"regret", "submit", "transfer", "unblock"}
)
_NOT_DOUBLING = frozenset({"open", "visit", "edit", "limit", "credit", "deposit", "order"})
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
_PLURAL_IRREGULAR = {"person": "people", "child": "children", "status": "statuses"}


def words(identifier: str) -> list[str]:
    """Lower-case words of an identifier: `_placeOrder_now` -> ["place", "order", "now"]."""
    found: list[str] = []
    for part in identifier.split("_"):
        found.extend(w.lower() for w in _CAMEL.findall(part))
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


def past(verb: str) -> str:
    """Past participle of a lower-case verb: "reserve" -> "reserved", "ship" -> "shipped"."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("ed") and len(verb) > 4:  # already a participle: "paid", "shipped"
        return verb
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in _VOWELS:
        return verb[:-1] + "ied"
    if verb in _DOUBLING or (verb not in _NOT_DOUBLING and _short_cvc(verb)):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _short_cvc(verb: str) -> bool:
    """One syllable ending consonant-vowel-consonant ("ship", "stop"): the consonant doubles."""
    if len(verb) < 3 or verb[-1] in _VOWELS or verb[-1] in "wxy":
        return False
    if verb[-2] not in _VOWELS or verb[-3] in _VOWELS:
        return False
    return sum(1 for c in verb if c in _VOWELS) == 1
