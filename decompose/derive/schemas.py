"""Payload and parameter schemas: ORM fields and annotations -> `SchemaField`s.

Types come only from what the code states: Django and SQLAlchemy field types (through the
data graph), and annotations (the HINT flows of parameters and returns). Foreign keys become
id references to their entity. Where the code says nothing, the type stays "" and the
description says why: a contract must not promise what the monolith never did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from decompose.derive.program import Program, entity_name
from decompose.model.contracts import SchemaField
from decompose.model.data import Entity, EntityField, Orm, Relation
from decompose.model.facts import FunctionKind, Signature

# data graph python_type -> (JSON Schema type, format)
_FIELD_TYPES = {
    "string": ("string", ""),
    "integer": ("integer", ""),
    "number": ("number", ""),
    "boolean": ("boolean", ""),
    "datetime": ("string", "date-time"),
    "date": ("string", "date"),
    "time": ("string", "time"),
    "duration": ("string", "duration"),
    "object": ("object", ""),
    "array": ("array", ""),
    "binary": ("string", "byte"),
}
# qualified annotation -> (JSON Schema type, format)
_ANNOTATION_TYPES = {
    "<builtin>.int": ("integer", ""),
    "<builtin>.str": ("string", ""),
    "<builtin>.float": ("number", ""),
    "<builtin>.bool": ("boolean", ""),
    "<builtin>.dict": ("object", ""),
    "<builtin>.list": ("array", ""),
    "<builtin>.tuple": ("array", ""),
    "<builtin>.set": ("array", ""),
    "<builtin>.frozenset": ("array", ""),
    "<builtin>.bytes": ("string", "byte"),
    "decimal.Decimal": ("number", ""),
    "datetime.datetime": ("string", "date-time"),
    "datetime.date": ("string", "date"),
    "datetime.time": ("string", "time"),
    "datetime.timedelta": ("string", "duration"),
    "uuid.UUID": ("string", "uuid"),
    "typing.Dict": ("object", ""),
    "typing.List": ("array", ""),
    "typing.Sequence": ("array", ""),
    "typing.Iterable": ("array", ""),
    "typing.Tuple": ("array", ""),
    "typing.Set": ("array", ""),
    "typing.Mapping": ("object", ""),
    "collections.abc.Sequence": ("array", ""),
    "collections.abc.Iterable": ("array", ""),
    "collections.abc.Mapping": ("object", ""),
}
_SELF_KINDS = (FunctionKind.METHOD, FunctionKind.CLASSMETHOD, FunctionKind.PROPERTY)
NO_ANNOTATION = "type unknown: the monolith does not annotate it"
UNKNOWN_RETURN = "unknown: the monolith function's return value has no annotation"


def entity_fields(entity: Entity, entities: Mapping[str, Entity]) -> tuple[SchemaField, ...]:
    """An entity's data as schema properties: foreign keys as id references, sorted by name."""
    fields = [_field(f, entities) for f in entity.fields if f.kind != "relationship"]
    if entity.orm is Orm.DJANGO and not any(f.primary_key for f in entity.fields):
        fields.append(SchemaField("id", "integer", True, description="primary key"))
    return tuple(sorted(fields, key=lambda f: f.name))


def primary_key_type(entity: Entity | None) -> tuple[str, str]:
    """JSON type and format of an entity's id (Django's implicit id is an integer)."""
    if entity is None:
        return "", ""
    for f in entity.fields:
        if f.primary_key:
            return _FIELD_TYPES.get(f.python_type, ("", ""))
    return ("integer", "") if entity.orm is Orm.DJANGO else ("", "")


def _field(f: EntityField, entities: Mapping[str, Entity]) -> SchemaField:
    required = f.primary_key or not (f.nullable or f.has_default)
    if f.relation is Relation.NONE:
        kind, fmt = _FIELD_TYPES.get(f.python_type, ("", ""))
        note = "" if kind else f"type unknown: {f.kind} is not a field type decompose knows"
        if f.primary_key:
            note = "primary key"
        return SchemaField(f.name, kind, required, fmt, description=note)
    target = entities.get(f.target)
    id_type, id_format = primary_key_type(target)
    shown = entity_name(f.target) if f.target else f.target_ref or "an unknown entity"
    note = f"id of the {shown} it refers to"
    if not id_type:
        note += "; the type of that id is unknown (the entity is not in the analysed code)"
    if f.relation is Relation.MANY_TO_MANY:
        return SchemaField(
            f.name,
            "array",
            False,
            reference=f.target,
            description=f"ids of {shown}",
            items=id_type,
        )
    name = f.name if f.name.endswith("_id") or f.kind != "ForeignKey" else f.name + "_id"
    if f.relation is Relation.ONE_TO_ONE and not name.endswith("_id"):
        name += "_id"
    return SchemaField(name, id_type, required, id_format, reference=f.target, description=note)


# -- annotations -------------------------------------------------------------------------------


def _annotation(program: Program, node: str, module: str) -> tuple[list[str], list[str]]:
    """Qualified names typing a node: (the value's, its elements')."""
    values: list[str] = []
    elements: list[str] = []
    for flow in program.hints(node, module):
        name = program.resolve_node(flow.source, module)
        if not name:
            continue
        if flow.name == "":
            values.append(name)
        elif flow.name == "*":
            elements.append(name)
    return sorted(set(values)), sorted(set(elements))


def _typed(name: str, program: Program) -> tuple[str, str, str]:
    """(JSON type, format, entity) of one qualified annotation; type "" when unknown."""
    if name in program.all_entities:
        return "object", "", name
    kind, fmt = _ANNOTATION_TYPES.get(name, ("", ""))
    if kind:
        return kind, fmt, ""
    if name in program.kinds:  # a class of the analysed code that is no entity
        return "object", "", ""
    return "", "", ""


def annotated_field(
    name: str, node: str, module: str, program: Program, required: bool, as_reference: bool
) -> SchemaField:
    """A parameter or result from its annotation: entities by id when `as_reference`."""
    values, elements = _annotation(program, node, module)
    if not values:
        return SchemaField(name, "", required, description=NO_ANNOTATION)
    typed = {_typed(v, program) for v in values}
    if len(typed) != 1 or not next(iter(typed))[0]:
        shown = " | ".join(v.removeprefix("<builtin>.") for v in values)
        return SchemaField(
            name, "", required, description=f"type unknown: annotated {shown}, no JSON equivalent"
        )
    kind, fmt, entity = next(iter(typed))
    if entity:
        return _entity_value(name, entity, program, required, as_reference)
    if kind != "array":
        note = ""
        if kind == "object" and values[0] in program.kinds:
            note = f"an instance of {values[0]}: its attributes are not analysed"
        return SchemaField(name, kind, required, fmt, description=note)
    items, item_entity = "", ""
    if len(elements) == 1:
        items, _, item_entity = _typed(elements[0], program)
    if item_entity and as_reference:
        id_type, _ = primary_key_type(program.all_entities.get(item_entity))
        return SchemaField(
            name,
            "array",
            required,
            reference=item_entity,
            items=id_type,
            description=f"ids of {entity_name(item_entity)}: the monolith passes the objects",
        )
    note = "" if items or not elements else "element type unknown"
    return SchemaField(name, "array", required, items=items, entity=item_entity, description=note)


def _entity_value(
    name: str, entity: str, program: Program, required: bool, as_reference: bool
) -> SchemaField:
    if as_reference:
        id_type, id_format = primary_key_type(program.all_entities.get(entity))
        return SchemaField(
            name,
            id_type,
            required,
            id_format,
            reference=entity,
            description=f"id of the {entity_name(entity)}: the monolith passes the object",
        )
    return SchemaField(name, "object", required, entity=entity)


def parameters(
    program: Program, function: str, passed: Sequence[frozenset[str]] = ()
) -> tuple[SchemaField, ...]:
    """A function's parameters (not `self`/`cls`), typed from annotations, entities by id.

    `passed` holds, for each known call, the parameters it gives; a parameter is required
    when every call gives it (a call leaving it out proves a default), or when no call is known.
    """
    sig = program.signatures.get(function)
    if sig is None:
        return ()
    module = program.module_of.get(function, "")
    names = list(_own_params(sig)) + list(sig.kwonly)
    return tuple(
        annotated_field(
            p,
            f"{function}.{p}",
            module,
            program,
            required=all(p in given for given in passed),
            as_reference=True,
        )
        for p in names
    )


def _own_params(sig: Signature) -> tuple[str, ...]:
    return sig.params[1:] if sig.kind in _SELF_KINDS and sig.params else sig.params


def passed_parameters(
    sig: Signature, args: Sequence[str], keywords: Sequence[str]
) -> frozenset[str]:
    """The parameters one call gives: positional by position, keywords by name.

    An unpacked `*args` or `**kwargs` may give anything, so it counts as giving all.
    """
    own = _own_params(sig)
    if any(a.startswith("*") for a in args) or "**" in keywords:
        return frozenset(own) | frozenset(sig.kwonly)
    given = set(own[: len(args)])
    given.update(k for k in keywords if k in own or k in sig.kwonly)
    return frozenset(given)


def response(program: Program, function: str) -> tuple[tuple[SchemaField, ...], bool]:
    """Properties of what a function returns, and whether its annotation says what that is.

    An entity gives its fields; a list of entities an `items` array of them; any other known
    type a single `result` property.
    """
    module = program.module_of.get(function, "")
    node = f"{function}.<return>"
    values, _ = _annotation(program, node, module)
    if not values:
        return (), False
    field = annotated_field("result", node, module, program, required=True, as_reference=False)
    if not field.type:
        return (), False
    if field.type == "object" and field.entity in program.entities:
        return entity_fields(program.entities[field.entity], program.all_entities), True
    if field.type == "array" and field.entity:
        return (SchemaField("items", "array", True, items="object", entity=field.entity),), True
    return (field,), True
