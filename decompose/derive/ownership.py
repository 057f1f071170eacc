"""Entity ownership: every concrete entity gets exactly one owning service.

The owner is the service that writes the entity most (distinct write sites, a row lock by
`select_for_update` counting as one; ties: more writing functions, then the service of its
defining module, then the service name).
An entity no service writes goes to the service of its defining module; when that module is
in the shared kernel, to the service reading it most.
The shared kernel owns an entity only when no service touches it at all: a library holds no
data, so the report lists those as undecided.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from decompose.derive.program import Program
from decompose.derive.schemas import entity_fields
from decompose.model import SHARED_SERVICE
from decompose.model.contracts import Ownership
from decompose.model.data import AccessMode

# `select_for_update` locks rows in order to change them: for ownership, a write.
_LOCKS = "select_for_update"


def own_entities(program: Program) -> tuple[Ownership, ...]:
    """One `Ownership` per concrete entity, sorted by entity."""
    # sites, not accesses: one chained queryset expression is several accesses on one line
    write_sites: dict[str, dict[str, set[tuple[str, int]]]] = defaultdict(lambda: defaultdict(set))
    read_sites: dict[str, dict[str, set[tuple[str, int]]]] = defaultdict(lambda: defaultdict(set))
    writers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in program.accesses:
        if a.entity not in program.entities:
            continue
        service = program.service(a.caller, a.caller_module)
        if not program.is_service(service):
            continue
        if a.mode is AccessMode.WRITE or _LOCKS in a.via:
            write_sites[a.entity][service].add((a.caller, a.line))
            writers[a.entity][service].add(a.caller)
        else:
            read_sites[a.entity][service].add((a.caller, a.line))
    writes = {e: Counter({s: len(v) for s, v in by.items()}) for e, by in write_sites.items()}
    reads = {e: Counter({s: len(v) for s, v in by.items()}) for e, by in read_sites.items()}
    found = []
    for name, entity in sorted(program.entities.items()):
        written, read = writes.get(name, Counter()), reads.get(name, Counter())
        owner, reason = _owner(
            program.service(name, entity.module),
            written,
            {s: len(fs) for s, fs in writers[name].items()},
            read,
        )
        found.append(
            Ownership(
                entity=name,
                owner=owner,
                table=_table(entity.table, entity.abstract),
                writers=tuple(sorted(s for s in written if s != owner)),
                readers=tuple(sorted(s for s in read if s != owner)),
                module=entity.module,
                orm=str(entity.orm),
                fields=entity_fields(entity, program.all_entities),
                reason=reason,
            )
        )
    return tuple(found)


def _owner(
    home: str,
    writes: Counter[str],
    functions: Mapping[str, int],
    reads: Counter[str],
) -> tuple[str, str]:
    if writes:
        ranked = sorted(writes, key=lambda s: (-writes[s], -functions.get(s, 0), s != home, s))
        best = ranked[0]
        others = len(ranked) - 1
        reason = (
            f"writes it most: {_count(writes[best], 'write site')} in "
            f"{_count(functions.get(best, 0), 'function')}"
        )
        if others:
            reason += f" (next: {ranked[1]} with {_count(writes[ranked[1]], 'write site')})"
        return best, reason
    if home and home != SHARED_SERVICE:
        return home, "no service writes it: it stays with the service of its defining module"
    if reads:
        best = sorted(reads, key=lambda s: (-reads[s], s))[0]
        return best, (
            "no service writes it and its module is in the shared kernel: the service reading "
            f"it most ({_count(reads[best], 'read site')}) keeps it"
        )
    return SHARED_SERVICE, (
        "no service reads or writes it and its module is in the shared kernel: undecided"
    )


def _table(table: str, abstract: bool) -> str:
    """An abstract model standing for its table: Django's name for the concrete one."""
    app, _, name = table.rpartition("_")
    if abstract and name.startswith("abstract") and len(name) > len("abstract"):
        return f"{app}_{name.removeprefix('abstract')}" if app else name.removeprefix("abstract")
    return table


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
