"""`ServiceInterfaces` <-> plain JSON data, for the saved plan.

Generic over the frozen dataclasses of `contracts`: each becomes an object with one key per
field (tuples as lists, enums as their values); reading back converts by the field types, and a
field missing from the data takes its default, so adding a field with a default to the model
keeps older plans readable within a format version.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any

from decompose.model import contracts
from decompose.model.contracts import ServiceInterfaces


def interfaces_to_dict(interfaces: ServiceInterfaces) -> dict[str, Any]:
    """The interfaces as JSON-ready data."""
    data = _dump(interfaces)
    assert isinstance(data, dict)
    return data


def interfaces_from_dict(data: Mapping[str, Any]) -> ServiceInterfaces:
    """Interfaces read from `interfaces_to_dict`'s data (KeyError/TypeError/ValueError if bad)."""
    loaded = _load(ServiceInterfaces, data)
    assert isinstance(loaded, ServiceInterfaces)
    return loaded


def _dump(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(contracts))


def _load(kind: Any, data: Any) -> object:
    origin = typing.get_origin(kind)
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(data, list):
            raise TypeError(f"expected a list for {kind}, got {type(data).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], item) for item in data)
        return tuple(_load(a, item) for a, item in zip(args, data, strict=True))
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _load(options[0], data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {kind.__name__}")
        hints = _hints(kind)
        values = {
            f.name: _load(hints[f.name], data[f.name])
            for f in dataclasses.fields(kind)
            if f.name in data or _required(f)
        }
        return kind(**values)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    if kind is int and not isinstance(data, bool):
        return int(data)
    if kind is bool:
        if not isinstance(data, bool):
            raise TypeError(f"expected a boolean, got {data!r}")
        return data
    if kind is str:
        if not isinstance(data, str):
            raise TypeError(f"expected a string, got {data!r}")
        return data
    raise TypeError(f"cannot read {kind!r} from {data!r}")


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
