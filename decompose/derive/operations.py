"""Synchronous operations on a service's API, one per monolith function called across.

- A call whose callee changes data (directly or through its own calls), or whose result no
  caller uses, is a command: POST with the parameters as a JSON body.
- A call whose result the caller uses, into a callee that changes nothing, is a query: GET
  with the parameters in the path (one id) and the query string.
- A read of an entity another service owns, where no read model is kept, becomes a query the
  owner adds: `get<Entity>` or `list<Entities>`.
- A direct write to an entity another service owns becomes a command the owner adds, named
  after the function whose write moves behind it, or after the change when that function's
  name says nothing of it (`OrderPrintView.post` writing a new `CachedFile`:
  `createCachedFile`).
Ids are camelCase and unique in their service; paths are unique per method.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from decompose.derive.classify import CrossCall, ForeignAccess
from decompose.derive.program import Program, entity_name
from decompose.derive.schemas import entity_fields, parameters, primary_key_type, response
from decompose.derive.words import (
    GENERIC_ACTIONS,
    MUTATING_VERBS,
    camel,
    join_words,
    kebab,
    lifecycle_verb,
    plural,
    qualified_words,
    words,
)
from decompose.model.contracts import DependencyKind, Operation, SchemaField, SourceRef

_GETTERS = frozenset({"get", "fetch", "find", "load", "read", "lookup", "retrieve", "query"})
_SINGLE = frozenset(
    {"get", "first", "last", "latest", "earliest", "one", "one_or_none", "scalar", "in_bulk"}
)
_ID_NAMES = ("id", "pk", "number", "slug", "code", "uuid", "sku")
# Method names that say nothing on their own: the class name leads the operation id.
_BLAND = frozenset({"call", "run", "execute", "handle", "process", "perform", "apply", "do"})


@dataclass(frozen=True, slots=True)
class _Draft:
    """An operation before ids and paths are made unique within its service."""

    service: str
    words: tuple[str, ...]  # the name's words, most specific last
    qualifier: tuple[str, ...]  # words to prepend when the name collides
    kind: DependencyKind
    function: str
    parameters: tuple[SchemaField, ...]
    response: tuple[SchemaField, ...]
    response_known: bool
    callers: tuple[SourceRef, ...]
    consumers: tuple[str, ...]
    origin: str
    result_used: bool
    resource: tuple[str, ...]  # path segments before any id parameter
    key: str  # what the operation stands for, to find it again: function or entity@shape


def call_operations(program: Program, calls: Sequence[CrossCall]) -> list[_Draft]:
    """One draft per callee function called from another service."""
    by_callee: dict[str, list[CrossCall]] = defaultdict(list)
    for c in calls:
        by_callee[c.callee].append(c)
    drafts = []
    for callee, group in sorted(by_callee.items()):
        used = any(c.used for c in group)
        kind, _ = call_kind(program, callee, used)
        name, qualifier = _function_words(callee, program)
        resource = list(name)
        if kind is DependencyKind.QUERY and len(resource) > 1 and resource[0] in _GETTERS:
            resource = resource[1:]
        body, known = response(program, callee)
        drafts.append(
            _Draft(
                service=group[0].target,
                words=tuple(name),
                qualifier=tuple(qualifier),
                kind=kind,
                function=callee,
                parameters=parameters(program, callee, [c.passed for c in group]),
                response=body if used else (),
                response_known=known if used else True,
                callers=tuple(sorted({c.ref for c in group})),
                consumers=tuple(sorted({c.source for c in group})),
                origin="call",
                result_used=used,
                resource=tuple(resource),
                key=callee,
            )
        )
    return drafts


def call_kind(program: Program, callee: str, used: bool) -> tuple[DependencyKind, str]:
    """Query or command for a function called across, and the clause saying why."""
    writes = program.writes_of(callee)
    if writes:
        changed = ", ".join(entity_name(e) for e in sorted(writes))
        return DependencyKind.COMMAND, f"{callee} changes {changed} (directly or through its calls)"
    if not used:
        return (
            DependencyKind.COMMAND,
            f"no caller uses what {callee} returns: it is called for its effect",
        )
    verb = (words(callee.rsplit(".", 1)[-1]) or [""])[0]
    if callee in program.hook_receivers:  # `register_pdf` answers the hook, and registers
        return DependencyKind.QUERY, (  # nothing: its name is the hook's, not a change
            f"the caller asks {callee} through a signal and uses its reply, and it changes no "
            "data the analysis sees"
        )
    if verb in MUTATING_VERBS:
        return DependencyKind.COMMAND, (
            f"{callee} is named for a change ({verb}), though the analysis sees no write to an "
            "entity (the state may live in memory, a cache or storage it cannot follow)"
        )
    return DependencyKind.QUERY, (
        f"the caller uses what {callee} returns, and it changes no data the analysis sees"
    )


def _local_name(function: str, program: Program) -> str:
    """A function's name inside its module: `OrderView.post`."""
    module = program.module_of.get(function, "")
    inside = bool(module) and function.startswith(module + ".")
    return function[len(module) + 1 :] if inside else function


def _function_words(function: str, program: Program) -> tuple[list[str], list[str]]:
    module = program.module_of.get(function, "")
    parts = _local_name(function, program).split(".")
    name = words(parts[-1]) or ["call"]
    owners = [w for p in parts[:-1] for w in words(p)]
    if owners and (set(name) <= _BLAND or parts[-1].startswith("__")):
        return owners + [w for w in name if w not in _BLAND], words(module.rsplit(".", 1)[-1])
    return name, owners or words(module.rsplit(".", 1)[-1])


def read_operations(program: Program, reads: Sequence[ForeignAccess]) -> list[_Draft]:
    """Queries the owner adds for reads of its entities kept as queries."""
    groups: dict[tuple[str, str, bool], list[ForeignAccess]] = defaultdict(list)
    for r in reads:
        groups[(r.target, r.entity, is_single(r.via))].append(r)
    drafts = []
    for (owner, entity, single), group in sorted(groups.items()):
        name = words(entity_name(entity))
        record = program.entities.get(entity)
        id_type, id_format = primary_key_type(record)
        params: tuple[SchemaField, ...] = ()
        fields: tuple[SchemaField, ...] = ()
        if record is not None:
            fields = entity_fields(record, program.all_entities)
        if single:
            params = (
                SchemaField(
                    "id",
                    id_type,
                    True,
                    id_format,
                    reference=entity,
                    description=f"id of the {entity_name(entity)}",
                ),
            )
            body = fields
            verb = ["get"]
        else:
            body = (SchemaField("items", "array", True, items="object", entity=entity),)
            verb = ["list"]
            name = plural_words(entity_name(entity))
        drafts.append(
            _Draft(
                service=owner,
                words=tuple(verb + name),
                qualifier=(),
                kind=DependencyKind.QUERY,
                function="",
                parameters=params,
                response=body,
                response_known=record is not None,
                callers=tuple(sorted({r.ref for r in group})),
                consumers=tuple(sorted({r.source for r in group})),
                origin="read",
                result_used=True,
                resource=tuple(plural_words(entity_name(entity))),
                key=f"{entity}@{'get' if single else 'list'}",
            )
        )
    return drafts


def is_single(via: str) -> bool:
    """Whether an access reads one row (`get`, `first`...) rather than a list."""
    return via.rsplit(".", 1)[-1] in _SINGLE or via.startswith("method:")


def write_operations(program: Program, writes: Sequence[ForeignAccess]) -> list[_Draft]:
    """Commands the owner adds to take over direct writes to its entities from elsewhere."""
    groups: dict[tuple[str, str], list[ForeignAccess]] = defaultdict(list)
    for w in writes:
        groups[(w.target, w.function)].append(w)
    drafts = []
    for (owner, function), group in sorted(groups.items()):
        name, qualifier = _function_words(function, program)
        method = function.rsplit(".", 1)[-1]
        if method.startswith("__") or set(words(method)) <= GENERIC_ACTIONS:
            name = _change_words(group)
            qualifier = qualified_words(_local_name(function, program))
        drafts.append(
            _Draft(
                service=owner,
                words=tuple(name),
                qualifier=tuple(qualifier),
                kind=DependencyKind.COMMAND,
                function=function,
                parameters=parameters(program, function),
                response=(),
                response_known=True,
                callers=tuple(sorted({w.ref for w in group})),
                consumers=tuple(sorted({w.source for w in group})),
                origin="write",
                result_used=False,
                resource=tuple(name),
                key=f"{function}@write",
            )
        )
    return drafts


def _change_words(writes: Sequence[ForeignAccess]) -> list[str]:
    """A command named after the change it makes, for a writer whose name says nothing of it
    (a framework handler: `RefundExportView.post`, `Voucher.save`): what happens to the
    entity it writes most (`create`, `update`, `delete`) and the entity: `createRefundExport`.
    """
    counts = Counter(w.entity for w in writes)
    entity = min(counts, key=lambda e: (-counts[e], e))
    verbs = {lifecycle_verb(w.via) for w in writes if w.entity == entity}
    verb = "create" if "create" in verbs else "delete" if "delete" in verbs else "update"
    return [verb, *words(entity_name(entity))]


def finish_operations(drafts: Iterable[_Draft]) -> dict[tuple[str, str], Operation]:
    """Operations with unique ids and paths per service, keyed by (service, draft key)."""
    by_service: dict[str, list[_Draft]] = defaultdict(list)
    for d in drafts:
        by_service[d.service].append(d)
    done: dict[tuple[str, str], Operation] = {}
    for service, group in sorted(by_service.items()):
        ids = _unique([(d.words, d.qualifier, d.key) for d in group])
        paths: set[tuple[str, str]] = set()
        for d in sorted(group, key=lambda d: d.key):
            op_id = ids[d.key]
            method = "GET" if d.kind is DependencyKind.QUERY else "POST"
            path = _path(d, method, paths)
            done[(service, d.key)] = Operation(
                service=service,
                operation_id=op_id,
                kind=d.kind,
                method=method,
                path=path,
                function=d.function,
                parameters=d.parameters,
                response=d.response,
                response_known=d.response_known,
                callers=d.callers,
                consumers=d.consumers,
                summary=_summary(d),
                origin=d.origin,
                result_used=d.result_used,
            )
    return done


def _unique(names: Sequence[tuple[tuple[str, ...], tuple[str, ...], str]]) -> dict[str, str]:
    """key -> camelCase id, qualified (then numbered) where two names collide."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    plain: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]] = defaultdict(list)
    for name, qualifier, key in sorted(names, key=lambda n: n[2]):
        plain[camel(list(name))].append((name, qualifier, key))
    for base, members in sorted(plain.items()):
        if len(members) == 1:
            chosen[members[0][2]] = base
            taken.add(base)
    for base, members in sorted(plain.items()):
        if len(members) == 1:
            continue
        for name, qualifier, key in members:
            candidate = camel(join_words(qualifier, name)) if qualifier else base
            number = 2
            unique = candidate
            while unique in taken:
                unique = f"{candidate}{number}"
                number += 1
            chosen[key] = unique
            taken.add(unique)
    return chosen


_PARAMETER = re.compile(r"\{[^}]*\}")


def _path(d: _Draft, method: str, taken: set[tuple[str, str]]) -> str:
    base = "/" + kebab(list(d.resource))
    path = base
    if method == "GET":
        ids = [p for p in d.parameters if p.required and _is_id(p.name)]
        if len(ids) == 1:
            path = f"{base}/{{{ids[0].name}}}"
    if _clashes(method, path, taken) and d.qualifier:
        path = "/" + kebab(list(d.qualifier)) + path
    number = 2
    unique = path
    while _clashes(method, unique, taken):
        unique = _numbered(path, number)
        number += 1
    taken.add((method, unique))
    return unique


def _clashes(method: str, path: str, taken: set[tuple[str, str]]) -> bool:
    """Taken for this method, or the same template with other parameter names (OpenAPI holds
    `/a/{x}` and `/a/{y}` to be one path, whatever the method)."""
    canonical = _PARAMETER.sub("{}", path)
    return any(
        _PARAMETER.sub("{}", p) == canonical and (m == method or p != path) for m, p in taken
    )


def _numbered(path: str, number: int) -> str:
    """`/products/{id}` -> `/products-2/{id}`: the number goes on the last literal segment, as
    a path parameter must stay a whole segment (and `/a/{x}` and `/a/{y}` are the same path)."""
    segments = path.split("/")
    last = max(i for i, s in enumerate(segments) if not s.startswith("{"))
    segments[last] = f"{segments[last]}-{number}"
    return "/".join(segments)


def _is_id(name: str) -> bool:
    return name in _ID_NAMES or name.endswith(tuple("_" + n for n in _ID_NAMES))


def _summary(d: _Draft) -> str:
    callers = ", ".join(d.consumers)
    if d.origin == "read":
        what = "Reads" if d.words[0] == "get" else "Lists"
        return f"{what} the owner's data for {callers}, which read it directly in the monolith"
    if d.origin == "write":
        return (
            f"Takes over the writes {callers} makes directly in {d.function} "
            f"(entities {d.service} owns)"
        )
    return f"Stands for {d.function}, called by {callers}"


def operations_by_key(
    operations: Mapping[tuple[str, str], Operation],
) -> dict[str, Operation]:
    """Draft key -> operation (keys are unique across services)."""
    return {key: op for (_, key), op in operations.items()}


def plural_words(name: str) -> list[str]:
    """Words of a class name with the last one in the plural: "OrderLine" -> order, lines."""
    parts = words(name) or ["item"]
    return parts[:-1] + [plural(parts[-1])]
