"""Domain events: what each owner publishes, and only where another service depends on it.

- Lifecycle and command events: when another service keeps a read model of an entity, its
  owner publishes an event for every function that changes it, named in the past tense from
  that function (`place_order` -> `OrderPlaced`, `mark_paid` -> `OrderPaid`); a function with
  a generic name (`save`, `create`...) gives `<Entity>Created/Updated/Deleted`. The changing
  functions are the owner's own writers, its command operations, and the commands it takes
  over from foreign writes.
- Signal events: a Django signal received in another service becomes an event of the sender
  (a model signal: of the entity's owner), named after the signal.
- Task commands: a Celery task called from another service becomes a command message the
  caller sends, named after the task in the imperative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from decompose.derive.classify import AsyncLink
from decompose.derive.program import Program, entity_name
from decompose.derive.schemas import annotated_field, entity_fields
from decompose.derive.words import (
    GENERIC_ACTIONS,
    PREPOSITIONS,
    STATE_VERBS,
    is_adverb,
    is_participle,
    is_verb,
    lifecycle_verb,
    pascal,
    past,
    singular,
    words,
)
from decompose.model.contracts import Event, Operation, SchemaField, SourceRef
from decompose.model.data import AccessMode

_SKIPPED = frozenset({"do", "try", "maybe", "on", "handle", "perform", "bulk", "async"})
# Verbs that read: the change such a function makes is a side effect its name does not say.
_READING = frozenset({"get", "fetch", "find", "load", "read", "lookup", "query", "list", "show"})
# A modal verb asks a question (`can_manage`, `should_notify`): it names no change.
_MODAL = frozenset({"can", "could", "may", "might", "must", "shall", "should", "will", "would"})
_CONJUNCTIONS = frozenset({"and", "or", "then"})
_SIGNAL_WORDS = frozenset({"signal", "signals", "hook", "hooks"})
_MODEL_SIGNALS = {
    "pre_save": "Saved",
    "post_save": "Saved",
    "pre_delete": "Deleted",
    "post_delete": "Deleted",
    "m2m_changed": "Updated",
}


def event_name(function: str, entity: str, via: str = "") -> str:
    """Past-tense event name from the function making the change to `entity`.

    The function's name must start with a verb (`place_order` -> `OrderPlaced`); a name that
    starts with a noun says what, not what happened (`payment_info`, `meta_data`): the event
    is the entity's lifecycle, unless the name ends in a participle (`payment_done` ->
    `OrderPaymentDone`). Only the first of joined actions counts (`create_and_notify` ->
    `OrderCreated`; `update_price_and_tax` joins things, not actions), and a reading verb
    (`get_or_create_user`) says nothing of the change.
    """
    noun = entity_name(entity)
    name = function.rsplit(".", 1)[-1]
    parts = [w for w in words(name) if w]
    while len(parts) > 1 and (parts[0] in _SKIPPED or is_adverb(parts[0])):
        parts = parts[1:]
    for k in range(1, len(parts) - 1):  # a second action joined on: the first one names it
        if parts[k] in _CONJUNCTIONS and is_verb(parts[k + 1], only=True):
            parts = parts[:k]
            break
    if (
        not parts
        or name.startswith("__")
        or set(parts) <= GENERIC_ACTIONS
        or parts[0] in _READING | _MODAL
    ):
        return noun + _lifecycle(via)
    verb, rest = parts[0], parts[1:]
    if not is_verb(verb):
        return noun + (pascal(parts) if is_participle(parts[-1]) else _lifecycle(via))
    if verb in STATE_VERBS and len(rest) == 1:
        return noun + pascal(rest)
    if not rest:
        return noun + pascal(past(verb))
    if rest[0] in PREPOSITIONS:
        return noun + pascal(past(verb)) + pascal(rest)
    cut = next((i for i, w in enumerate(rest) if w in PREPOSITIONS), len(rest))
    if not rest[0][:1].isalpha():  # `upgrade_2fa`: a name must start with a letter
        return noun + pascal(past(verb)) + pascal(rest)
    return pascal(rest[:cut]) + pascal(past(verb)) + pascal(rest[cut:])


def _lifecycle(via: str) -> str:
    return pascal(past(lifecycle_verb(via)))  # "Created", "Updated" or "Deleted"


@dataclass(slots=True)
class _Pending:
    service: str
    name: str
    origin: str
    entities: set[str] = field(default_factory=set)
    triggers: set[SourceRef] = field(default_factory=set)
    consumers: set[str] = field(default_factory=set)
    payload: tuple[SchemaField, ...] | None = None
    entity: str = ""


@dataclass(slots=True)
class EventIndex:
    """The events and which entity, operation or async link each one serves."""

    events: list[Event]
    by_entity: dict[str, set[str]]  # entity -> names of the owner's events about it
    by_function: dict[str, set[str]]  # changing function -> events it publishes
    by_link: dict[AsyncLink, str]  # signal or task -> its event


def build_events(
    program: Program,
    owner_of: Mapping[str, str],
    read_models: Mapping[str, set[str]],
    operations: Iterable[Operation],
    links: Sequence[AsyncLink],
) -> EventIndex:
    """Every event a service must publish, with its consumers, sorted."""
    pending: dict[tuple[str, str], _Pending] = {}
    by_entity: dict[str, set[str]] = defaultdict(set)
    by_function: dict[str, set[str]] = defaultdict(set)
    changers = _changers(program, owner_of, operations)
    for entity, consumers in sorted(read_models.items()):
        owner = owner_of[entity]
        for function, (origin, refs, via) in sorted(changers.get(entity, {}).items()):
            name = event_name(function, entity, via)
            event = pending.setdefault((owner, name), _Pending(owner, name, origin))
            event.entities.add(entity)
            event.triggers.update(refs)
            event.consumers.update(consumers)
            by_entity[entity].add(name)
            by_function[function].add(name)
        if not changers.get(entity):  # nobody writes it in the code analysed
            name = entity_name(entity) + "Updated"
            event = pending.setdefault((owner, name), _Pending(owner, name, "lifecycle"))
            event.entities.add(entity)
            event.consumers.update(consumers)
            by_entity[entity].add(name)
    by_link = _link_events(program, owner_of, links, pending)
    events = [_finish(p, program) for _, p in sorted(pending.items())]
    return EventIndex(events, dict(by_entity), dict(by_function), by_link)


def _changers(
    program: Program, owner_of: Mapping[str, str], operations: Iterable[Operation]
) -> dict[str, dict[str, tuple[str, set[SourceRef], str]]]:
    """entity -> function changing it -> (origin, where, how), for the owner's changes."""
    found: dict[str, dict[str, tuple[str, set[SourceRef], str]]] = defaultdict(dict)
    for a in program.accesses:
        if a.mode is not AccessMode.WRITE or a.entity not in owner_of:
            continue
        if program.service(a.caller, a.caller_module) != owner_of[a.entity]:
            continue
        origin, refs, via = found[a.entity].get(a.caller, ("lifecycle", set(), a.via))
        refs.add(program.access_ref(a))
        found[a.entity][a.caller] = (origin, refs, via)
    for op in operations:
        if op.origin == "read" or not op.function:
            continue
        written = (
            program.writes_of(op.function)
            if op.origin == "call"
            else frozenset(
                a.entity
                for a in program.accesses
                if a.caller == op.function and a.mode is AccessMode.WRITE
            )
        )
        for entity in sorted(written):
            if owner_of.get(entity) != op.service:
                continue
            refs = {program.definition_ref(op.function)} if op.origin == "call" else set(op.callers)
            _, old, via = found[entity].get(op.function, ("command", set(), ""))
            found[entity][op.function] = ("command", old | refs, via)
    return found


def _link_events(
    program: Program,
    owner_of: Mapping[str, str],
    links: Sequence[AsyncLink],
    pending: dict[tuple[str, str], _Pending],
) -> dict[AsyncLink, str]:
    by_link: dict[AsyncLink, str] = {}
    for link in links:
        if link.kind == "task":
            name = pascal(words(link.handler.rsplit(".", 1)[-1]))
            event = pending.setdefault(
                (link.publisher, name), _Pending(link.publisher, name, "task")
            )
            if event.payload is None:
                event.payload = _task_payload(program, link.handler)
            event.entity = ""
        else:
            name, entity = _signal_event(link, program, owner_of)
            event = pending.setdefault(
                (link.publisher, name), _Pending(link.publisher, name, "signal")
            )
            if entity:
                event.entities.add(entity)
        if link.trigger is not None:
            event.triggers.add(link.trigger)
        elif link.sender:
            event.triggers.update(
                program.access_ref(a)
                for a in program.accesses
                if a.entity == link.sender
                and a.mode is AccessMode.WRITE
                and program.service(a.caller, a.caller_module) == link.publisher
            )
        event.consumers.add(link.consumer)
        by_link[link] = name
    return by_link


def _signal_event(
    link: AsyncLink, program: Program, owner_of: Mapping[str, str]
) -> tuple[str, str]:
    signal = link.name.rsplit(".", 1)[-1]
    if link.sender:
        return entity_name(link.sender) + _MODEL_SIGNALS.get(signal, "Updated"), link.sender
    if signal in _MODEL_SIGNALS and link.name.startswith("django."):
        return "Model" + _MODEL_SIGNALS[signal], ""  # a model signal for any sender
    name = pascal(_subject(link.name) + words(signal))
    owned = sorted(
        (e for e, owner in owner_of.items() if owner == link.publisher),
        key=lambda e: (-len(entity_name(e)), e),
    )
    entity = next((e for e in owned if name.startswith(entity_name(e))), "")
    return name, entity


def _subject(signal: str) -> list[str]:
    """What a signal named by a participle alone is about: its namespace (`category.created`
    -> `category`, `users.registered` -> `user`); nothing for other signals, or when the
    namespace only says it holds signals."""
    namespace, _, name = signal.rpartition(".")
    parts = words(name)
    if not parts or not all(is_participle(w) for w in parts):
        return []
    noun = namespace.rpartition(".")[2].lower()
    if not noun or noun in _SIGNAL_WORDS or not noun.isalpha():
        return []
    return [singular(noun)]


def _task_payload(program: Program, task: str) -> tuple[SchemaField, ...]:
    sig = program.signatures.get(task)
    if sig is None:
        return ()
    module = program.module_of.get(task, "")
    # a bound task (`bind=True`) receives itself first
    names = [p for p in sig.params if p not in ("self", "cls")] + list(sig.kwonly)
    return tuple(
        annotated_field(p, f"{task}.{p}", module, program, required=True, as_reference=True)
        for p in names
    )


def _finish(p: _Pending, program: Program) -> Event:
    entity = p.entity or _main_entity(p.name, p.entities)
    known = True
    if p.payload is not None:
        payload = p.payload
    elif entity in program.entities:
        payload = entity_fields(program.entities[entity], program.all_entities)
    else:
        payload, known = (), False
    return Event(
        service=p.service,
        name=p.name,
        entity=entity,
        origin=p.origin,
        payload=payload,
        triggers=tuple(sorted(p.triggers)),
        consumers=tuple(sorted(p.consumers - {p.service})),
        payload_known=known,
    )


def _main_entity(name: str, entities: set[str]) -> str:
    """The entity an event is about: the one its name starts with, else the first."""
    ranked = sorted(entities, key=lambda e: (-len(entity_name(e)), e))
    starting = [e for e in ranked if name.startswith(entity_name(e))]
    inside = [e for e in ranked if entity_name(e) in name]
    chosen = starting or inside or sorted(entities)
    return chosen[0] if chosen else ""
