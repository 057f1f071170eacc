"""What a service card says about a service's data and interface: `Plan` -> `CardInterface`.

Its responsibility in one sentence, the entities it owns, the operations it answers, the
events it publishes and consumes, and links to its contracts (written beside the report) and
its starter repository (written by `decompose scaffold` or `analyze --scaffold`).
"""

from __future__ import annotations

from dataclasses import dataclass

from decompose.model.plan import Plan, Service
from decompose.render.contracts import ASYNCAPI_FILE, CONTRACTS_FOLDER, OPENAPI_FILE
from decompose.render.format import plural

# Entities, operations and events a card lists before "and N more" (the Contracts section and
# plan.json have them all).
LIST_LIMIT = 6
SCAFFOLD_FOLDER = "services"  # where `analyze --scaffold` and `scaffold` write, beside the plan


@dataclass(frozen=True, slots=True)
class CardLink:
    """A file beside the report."""

    name: str
    href: str


@dataclass(frozen=True, slots=True)
class Listed:
    """The first items of a list and how many more there are."""

    items: tuple[str, ...]
    more: int
    empty: str  # what the card says when there is none
    code: bool  # names from the code, set in monospace

    @classmethod
    def of(cls, items: list[str], empty: str, code: bool = True) -> Listed:
        """The first LIST_LIMIT of `items`."""
        return cls(tuple(items[:LIST_LIMIT]), max(0, len(items) - LIST_LIMIT), empty, code)


@dataclass(frozen=True, slots=True)
class CardInterface:
    """A service's responsibility, data and interface, for its card."""

    responsibility: str
    entities: Listed
    operations: Listed  # "GET /books/{id} getBook"
    published: Listed
    consumed: Listed  # "OrderPlaced from order"
    contracts: tuple[CardLink, ...]
    repository: CardLink | None


def card_interface(plan: Plan, service: Service) -> CardInterface:
    """The card's view of one service's data and interface."""
    # Imported here: the scaffold package writes through `render.output`, which renders this
    # report, so importing it at module level would be circular.
    from decompose.render.scaffold.view import repository_folders  # noqa: PLC0415

    name = service.name
    interfaces = plan.interfaces
    entities = sorted(o.entity for o in interfaces.ownership if o.owner == name)
    operations = sorted(
        (op for op in interfaces.operations if op.service == name),
        key=lambda op: (op.operation_id, op.path),
    )
    published = sorted(e.name for e in interfaces.events if e.service == name)
    consumed = sorted(
        f"{e.name} from {e.service}"
        for e in interfaces.events
        if name in e.consumers and e.service != name
    )
    folder = repository_folders(plan).get(name)
    contracts = (
        CardLink(OPENAPI_FILE, f"{CONTRACTS_FOLDER}/{name}/{OPENAPI_FILE}"),
        CardLink(ASYNCAPI_FILE, f"{CONTRACTS_FOLDER}/{name}/{ASYNCAPI_FILE}"),
    )
    return CardInterface(
        responsibility=_responsibility(service, entities, len(operations), published, plan),
        entities=Listed.of([_short(e) for e in entities], "no entity"),
        operations=Listed.of(
            [f"{op.method} {op.path} {op.operation_id}" for op in operations],
            "none: no other service calls it",
        ),
        published=Listed.of(published, "no event"),
        consumed=Listed.of(consumed, "no event", code=False),
        contracts=contracts,
        repository=(
            CardLink(f"{SCAFFOLD_FOLDER}/{folder}/", f"{SCAFFOLD_FOLDER}/{folder}/README.md")
            if folder
            else None
        ),
    )


def _short(entity: str) -> str:
    return entity.rsplit(".", 1)[-1]


def _responsibility(
    service: Service, entities: list[str], operations: int, published: list[str], plan: Plan
) -> str:
    """One sentence from what the plan knows: the data it owns, else its vocabulary."""
    if entities:
        shown = [_short(e) for e in entities[:3]]
        text = f"Owns the {_join(shown, len(entities) - len(shown))} data"
    elif service.terms:
        text = f"Holds the {_join(list(service.terms[:3]), 0)} code"
    else:
        text = f"Holds {plural(len(service.modules), 'module')}"
    consumers = sorted(
        {c for op in plan.interfaces.operations if op.service == service.name for c in op.consumers}
    )
    if operations:
        callers = _join(consumers[:3], len(consumers) - 3)
        text += f"; answers {plural(operations, 'operation')} for {callers}"
    if published:
        text += f"; publishes {plural(len(published), 'event')}"
    return text + "."


def _join(words: list[str], more: int) -> str:
    if more > 0:
        return f"{', '.join(words)} and {more} more"
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
