"""Every dependency that crosses a service boundary, found with the code that justifies it.

Three sources, each becoming plain records for `interfaces` to classify into contracts:
- calls (`CrossCall`): a function of one service calling a function of another; whether the
  caller uses the result, and what the callee writes, decide query or command later. Calls
  building a value (constructors, exceptions) are no operation, nor are calls of queryset and
  manager methods (their reads are accesses); calls of an entity's methods that write nothing
  are reads of that entity.
- data (`ForeignAccess`): a function reading or writing an entity another service owns.
- async (`AsyncLink`): Django signals and Celery tasks whose two ends are in different services.
The shared kernel takes no part: it becomes a library, used by all and depending on none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from decompose.derive.program import Program, entity_name
from decompose.derive.schemas import passed_parameters
from decompose.model.contracts import SourceRef
from decompose.model.data import AccessMode

# A foreign entity read in at least this many functions of a service gets a local read model,
# and so does one read by a function called from at least this many places (a hot path).
READ_MODEL_FUNCTIONS = 3
HOT_PATH_CALLERS = 5


@dataclass(frozen=True, slots=True, order=True)
class CrossCall:
    """A call from one service's function into another service's function."""

    source: str
    target: str
    callee: str
    ref: SourceRef
    used: bool  # the caller keeps the result
    passed: frozenset[str]  # the parameters this call gives


@dataclass(frozen=True, slots=True, order=True)
class ForeignAccess:
    """A read or write of an entity by a service that does not own it."""

    source: str  # the service touching it
    target: str  # the owner
    entity: str
    function: str
    ref: SourceRef
    mode: AccessMode
    via: str
    joined: bool = False  # the same SQL statement also reads the source's own entities


@dataclass(frozen=True, slots=True, order=True)
class AsyncLink:
    """An existing signal or task whose sender and receiver are in different services."""

    kind: str  # "signal" or "task"
    publisher: str  # the service sending (for model signals: the entity's owner)
    consumer: str  # the service receiving
    name: str  # qualified signal or task name
    handler: str  # receiver function or task function
    handler_ref: SourceRef
    trigger: SourceRef | None  # where it is sent; None for model signals
    sender: str = ""  # the entity of a model signal


def cross_calls(program: Program) -> list[CrossCall]:
    """Calls between functions of different services, sorted."""
    found: set[CrossCall] = set()
    for call in program.calls:
        source = program.service(call.caller, call.caller_module)
        target = program.service(call.callee, call.callee_module)
        if source == target or not (program.is_service(source) and program.is_service(target)):
            continue
        if program.is_constructor(call.callee) or program.is_data_helper(call.callee):
            continue
        if program.within_hierarchy(call.caller, call.callee):
            continue  # inherited code runs in the object's own service
        entity = program.entity_of_member(call.callee)
        if entity and not program.writes_of(call.callee):
            continue  # an entity's own logic, reading its data: counted as a read below
        sig = program.signatures.get(call.callee)
        passed: frozenset[str] = frozenset()
        if sig is not None:
            sites = program.sites_of(call)
            if sites:
                site = sites[0]
                passed = passed_parameters(sig, site.args, [k for k, _ in site.keywords])
        found.add(
            CrossCall(
                source,
                target,
                call.callee,
                program.ref(call.caller_module, call.caller, call.line),
                program.result_used(call),
                passed,
            )
        )
    return sorted(found)


def foreign_accesses(program: Program, owner_of: Mapping[str, str]) -> list[ForeignAccess]:
    """Reads and writes of entities by services other than their owner, sorted.

    Calls to methods of an entity class that write nothing count as reads of that entity.
    """
    found: set[ForeignAccess] = set()
    by_site: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in program.accesses:
        if a.via == "sql":
            by_site[(a.caller, a.line)].add(a.entity)
    for a in program.accesses:
        owner = owner_of.get(a.entity, "")
        source = program.service(a.caller, a.caller_module)
        if not _crosses(program, source, owner):
            continue
        joined = a.via == "sql" and any(
            owner_of.get(other) == source for other in by_site[(a.caller, a.line)]
        )
        found.add(
            ForeignAccess(
                source, owner, a.entity, a.caller, program.access_ref(a), a.mode, a.via, joined
            )
        )
    for call in program.calls:
        entity = program.entity_of_member(call.callee)
        if not entity or program.is_constructor(call.callee) or program.writes_of(call.callee):
            continue
        owner = owner_of.get(entity, "")
        source = program.service(call.caller, call.caller_module)
        if _crosses(program, source, owner):
            ref = program.ref(call.caller_module, call.caller, call.line)
            via = "method:" + call.callee.rsplit(".", 1)[-1]
            found.add(ForeignAccess(source, owner, entity, call.caller, ref, AccessMode.READ, via))
    return sorted(found)


def _crosses(program: Program, source: str, owner: str) -> bool:
    return source != owner and program.is_service(source) and program.is_service(owner)


def async_links(program: Program, owner_of: Mapping[str, str]) -> list[AsyncLink]:
    """Signals and tasks crossing a service boundary, sorted."""
    found: set[AsyncLink] = set()
    for edge in program.data.async_edges:
        if edge.reply:
            continue  # a hook: its receivers are called (`Program.calls`), not notified
        consumer = program.service(edge.target, edge.target_module)
        if edge.sender:
            publisher = owner_of.get(edge.sender, "") or program.service(
                edge.sender, edge.source_module
            )
        else:
            publisher = program.service(edge.source, edge.source_module)
        if publisher == consumer or not (
            program.is_service(publisher) and program.is_service(consumer)
        ):
            continue
        trigger = None
        if edge.source:
            trigger = program.ref(edge.source_module, edge.source, edge.line)
        found.add(
            AsyncLink(
                kind=edge.kind,
                publisher=publisher,
                consumer=consumer,
                name=edge.name,
                handler=edge.target,
                handler_ref=program.definition_ref(edge.target),
                trigger=trigger,
                sender=edge.sender,
            )
        )
    return sorted(found, key=_link_key)


def _link_key(link: AsyncLink) -> tuple[str, ...]:
    trigger = link.trigger or SourceRef("", "", 0)
    return (
        link.kind,
        link.publisher,
        link.consumer,
        link.name,
        link.handler,
        trigger.module,
        trigger.function,
        str(trigger.line),
    )


@dataclass(frozen=True, slots=True)
class ReadDecision:
    """How one service should reach an entity another service owns, and why."""

    read_model: bool
    reason: str


def decide_read(
    reads: Sequence[ForeignAccess], program: Program, owner_of: Mapping[str, str]
) -> ReadDecision:
    """Local read model fed by events, or a query on the owner's API, for one (service, entity).

    A read model when the service reads the entity in several functions, joins it in SQL with
    its own tables, reads it on a hot path (a function called from many places), or holds
    foreign keys to it in its own entities (the monolith joins them); otherwise the few reads
    become queries.
    """
    first = reads[0]
    reader, owner, entity = first.source, first.target, first.entity
    functions = sorted({r.function for r in reads})
    name = entity_name(entity)
    why = []
    if len(functions) >= READ_MODEL_FUNCTIONS:
        why.append(f"{reader} reads it in {len(functions)} functions")
    if any(r.joined for r in reads):
        why.append(f"{reader} joins it with its own tables in SQL")
    hot = sorted(f for f in functions if len(program.callers_of(f)) >= HOT_PATH_CALLERS)
    if hot:
        busiest = max(hot, key=lambda f: (len(program.callers_of(f)), f))
        why.append(
            f"{busiest} reads it and is called from {len(program.callers_of(busiest))} places "
            "(a hot path)"
        )
    referring = sorted(
        entity_name(e.qualname)
        for e in program.entities.values()
        if owner_of.get(e.qualname) == reader and any(f.target == entity for f in e.fields)
    )
    if referring:
        verb = "refers" if len(referring) == 1 else "refer"
        why.append(f"{reader}'s {', '.join(referring)} {verb} to it by foreign key")
    if why:
        return ReadDecision(
            True,
            f"{'; '.join(why)}: {reader} keeps a local read model of {name}, fed by the events "
            f"{owner} publishes when it changes",
        )
    return ReadDecision(
        False,
        f"{reader} reads {name} in {len(functions)} function{'s' if len(functions) > 1 else ''} "
        f"only, joins it nowhere and keeps no reference to it: a query on {owner}'s API suffices",
    )
