"""Containers and builtins in the solver: subscripts, iteration, unpacking, builtin calls.

Containers (list, tuple, set, dict, generator) hold their elements in slot nodes `id[*]`
(all elements), `id[?]` (stored under unknown keys), `id[s:KEY]` and `id[i:N]` (constant
keys and tuple indexes) and `id[<keys>]` (a dict's keys). Builtin functions and the methods
of builtin values have small summaries of what they do to those slots and return.
"""

from __future__ import annotations

from decompose.extract.valuegraph import Delta, SiteEntry, ValueGraph
from decompose.extract.values import (
    COLLECTORS,
    IDENTITY_BUILTINS,
    OPAQUE,
    SCALAR_TYPES,
    SLOTTED,
    STR,
    STR_FUNCTIONS,
    STR_TO_LIST,
    STR_TO_OTHER,
    Value,
)


class Containers(ValueGraph):
    """Element flow through containers, and the summaries of builtin calls."""

    def _on_item(self, target: str, key: str, delta: Delta) -> None:
        for value in delta:
            if value[0] != "k":
                if value == OPAQUE:
                    self._add(target, [OPAQUE])  # an item of external data is external
                continue
            cid, kind = value[1], value[2]
            if kind == "str":
                self._add(target, [STR])
            elif kind not in SLOTTED:
                continue
            elif key and (
                (kind == "dict" and key.startswith("s:"))
                or (kind == "tuple" and key.startswith("i:"))
            ):
                self._add_copy(f"{cid}[{key}]", target)
                self._add_copy(f"{cid}[?]", target)
            else:
                self._add_copy(f"{cid}[*]", target)

    def _on_spread(self, target: str, key: str, delta: Delta) -> None:
        """`f(**d)`: the items of `d` fill f's parameters by name. Not external data: which
        key it holds is unknown, and a parameter it seems to fill may be passed positionally."""
        self._on_item(target, key, [v for v in delta if v[0] != "x"])

    def _on_store_item(self, source: str, key: str, delta: Delta) -> None:
        for value in delta:
            if value[0] != "k" or value[2] not in SLOTTED:
                continue
            cid, kind = value[1], value[2]
            self._add_copy(source, f"{cid}[*]")
            if kind == "dict":
                self._add_copy(source, f"{cid}[{key}]" if key.startswith("s:") else f"{cid}[?]")

    def _on_iter(self, target: str, _: None, delta: Delta) -> None:
        for value in delta:
            if value == OPAQUE:
                self._add(target, [OPAQUE])
            elif value[0] == "k":
                if value[2] == "str":
                    self._add(target, [STR])
                elif value[2] in SLOTTED:
                    slot = "<keys>" if value[2] == "dict" else "*"
                    self._add_copy(f"{value[1]}[{slot}]", target)

    def _on_unpack(self, target: str, index: str, delta: Delta) -> None:
        for value in delta:
            if value == OPAQUE:
                self._add(target, [OPAQUE])
            if value[0] != "k" or value[2] not in SLOTTED:
                continue
            if value[2] == "tuple" and index:
                self._add_copy(f"{value[1]}[i:{index}]", target)
                self._add_copy(f"{value[1]}[?]", target)
            else:
                slot = "<keys>" if value[2] == "dict" else "*"
                self._add_copy(f"{value[1]}[{slot}]", target)

    def _on_class_of(self, target: str, _: None, delta: Delta) -> None:
        """`type(x)`: the class of each instance."""
        self._add(target, [("c", v[1], "") for v in delta if v[0] == "i"])

    def _elements(self, entry: SiteEntry, node: str) -> str:
        """A node holding what iterating over `node` yields (made once per site)."""
        target = f"{entry.key}*{node}"
        if target not in self._made:
            self._made.add(target)
            self._watch(node, self._on_iter, target)
        return target

    def _container(self, entry: SiteEntry, suffix: str, kind: str) -> Value:
        return ("k", f"{entry.key}:{suffix}", kind)

    def _call_builtin(self, entry: SiteEntry, name: str, result: str) -> None:
        site = entry.site
        if not (site.decorator and name in ("staticmethod", "classmethod", "property")):
            self._edge(entry, f"<builtin>.{name}", "builtin")  # those three add no edge
        args = [a for a in site.args if not a.startswith("*")]
        first = args[0] if args else ""
        if name in IDENTITY_BUILTINS:
            if first and result:
                self._add_copy(first, result)
            return
        if not result:
            return
        if name in STR_FUNCTIONS:
            self._add(result, [STR])
        elif name in COLLECTORS:
            box = self._container(entry, name, COLLECTORS[name])
            self._add(result, [box])
            if first:
                self._add_copy(self._elements(entry, first), f"{box[1]}[*]")
        elif name == "dict":
            box = self._container(entry, name, "dict")
            self._add(result, [box])
            for keyword, arg in site.keywords:
                if keyword == "**":
                    self._watch(arg, self._on_item, f"{box[1]}[*]", "")
                    self._watch(arg, self._on_item, f"{box[1]}[?]", "")
                else:
                    self._add_copy(arg, f"{box[1]}[s:{keyword}]")
                    self._add_copy(arg, f"{box[1]}[*]")
            if first:
                self._watch(first, self._on_item, f"{box[1]}[*]", "")
                self._watch(first, self._on_item, f"{box[1]}[?]", "")
        elif name == "next":
            if first:
                self._add_copy(self._elements(entry, first), result)
            if len(args) > 1:
                self._add_copy(args[1], result)
        elif name in ("enumerate", "zip"):
            outer = self._container(entry, name, "list")
            inner = self._container(entry, name + ".item", "tuple")
            self._add(result, [outer])
            self._add(f"{outer[1]}[*]", [inner])
            sources = [("1", first)] if name == "enumerate" else list(enumerate(args))
            for index, arg in sources:
                if arg:
                    elements = self._elements(entry, arg)
                    self._add_copy(elements, f"{inner[1]}[i:{index}]")
                    self._add_copy(elements, f"{inner[1]}[*]")
        elif name == "filter":
            box = self._container(entry, name, "list")
            self._add(result, [box])
            if len(args) > 1 and args[1]:
                self._add_copy(self._elements(entry, args[1]), f"{box[1]}[*]")
        elif name == "type" and len(args) == 1 and first:
            self._watch(first, self._on_class_of, result)
        elif name in SCALAR_TYPES:  # str(), int(), ValueError()...: an instance
            self._add(result, [("k", name, name)])

    def _call_method(self, entry: SiteEntry, cid: str, method: str, result: str) -> None:
        kind, _, name = method.partition(".")
        site = entry.site
        args = [a for a in site.args if not a.startswith("*")]
        if name in ("append", "add", "insert") and args and args[-1]:
            self._add_copy(args[-1], f"{cid}[*]")
            if kind == "dict":
                self._add_copy(args[-1], f"{cid}[?]")
        elif name in ("extend", "update") and args and args[0]:
            if kind == "dict":
                self._watch(args[0], self._on_item, f"{cid}[*]", "")
                self._watch(args[0], self._on_item, f"{cid}[?]", "")
            else:
                self._add_copy(self._elements(entry, args[0]), f"{cid}[*]")
        if kind == "dict" and name in ("update", "setdefault"):
            for keyword, arg in site.keywords:
                if keyword != "**":
                    self._add_copy(arg, f"{cid}[s:{keyword}]")
                    self._add_copy(arg, f"{cid}[*]")
            if name == "setdefault" and len(args) > 1 and args[1]:
                self._add_copy(args[1], f"{cid}[?]")
                self._add_copy(args[1], f"{cid}[*]")
        if kind == "gen" and name == "send" and args and args[0] and cid.endswith(".<gen>"):
            self._add_copy(args[0], cid[: -len("<gen>")] + "<sent>")  # what `yield` returns
        if not result:
            return
        if kind == "str":
            if name in STR_TO_LIST:
                self._add(result, [("k", "str.parts", "list")])
                self._add("str.parts[*]", [STR])
            elif name not in STR_TO_OTHER:
                self._add(result, [STR])
            return
        if name in ("get", "pop", "setdefault", "popitem", "__getitem__", "send", "__next__"):
            self._add_copy(f"{cid}[*]", result)
            if name in ("get", "pop") and len(args) > 1 and args[1]:
                self._add_copy(args[1], result)
        elif name == "copy":
            self._add(result, [("k", cid, kind)])
        elif name in ("values", "keys"):
            view = ("k", f"{cid}.{name}", "list")
            self._add(result, [view])
            self._add_copy(f"{cid}[{'*' if name == 'values' else '<keys>'}]", f"{view[1]}[*]")
        elif name == "items":
            view = ("k", f"{cid}.items", "list")
            pair = ("k", f"{cid}.item", "tuple")
            self._add(result, [view])
            self._add(f"{view[1]}[*]", [pair])
            self._add_copy(f"{cid}[<keys>]", f"{pair[1]}[i:0]")
            self._add_copy(f"{cid}[*]", f"{pair[1]}[i:1]")
            self._add_copy(f"{cid}[*]", f"{pair[1]}[*]")
