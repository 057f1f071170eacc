"""extract + resolve: one behaviour per test, a small program and the call graph it gives.

Each graph lists only the scopes that call something (PyCG format otherwise); modules are
named after their files, so `main.f` is function `f` of `main.py`.
"""

from __future__ import annotations

import gc
import pickle
import textwrap
import weakref
from collections.abc import Mapping
from pathlib import Path

import libcst as cst
import pytest

from decompose.callgraph import pycg_graph
from decompose.discover import discover
from decompose.extract import CallKind, ResolvedCall, extract_module, resolve_calls
from decompose.extract.resolve import SymbolTable
from decompose.extract.scopes import string_value
from decompose.extract.solve import MAX_CLONED_FLOWS, MAX_CLONES, Solver
from decompose.extract.valuegraph import MAX_VALUES
from decompose.model import DefinitionKind, ModuleFacts, SourceFile
from decompose.model.facts import FunctionKind
from decompose.parse import parse_files

Graph = dict[str, list[str]]
CASES = Path(__file__).parent / "callgraph_cases"


def analyse(root: Path, files: Mapping[str, str]) -> tuple[list[ModuleFacts], list[ResolvedCall]]:
    """Write `files` under `root`, then discover -> parse -> extract -> resolve."""
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    found = discover(root, excludes=())
    parsed = parse_files(found.root, found.files, extract_module, jobs=1)
    assert not parsed.failures
    _, calls = resolve_calls(parsed.results)
    return list(parsed.results), list(calls)


def graph_of(tmp_path: Path, source: str | Mapping[str, str]) -> Graph:
    """The scopes of the program that call something, with their callees."""
    files = {"main.py": source} if isinstance(source, str) else source
    facts, calls = analyse(tmp_path, files)
    return {caller: callees for caller, callees in pycg_graph(facts, calls).items() if callees}


def facts_of(source: str) -> ModuleFacts:
    """The facts of one module `main` (no discovery, no resolution)."""
    text = textwrap.dedent(source)
    lines = sum(1 for line in text.splitlines() if line.strip())
    return extract_module(cst.parse_module(text), SourceFile("main.py", "main", "0", lines))


# -- the call graph, behaviour by behaviour ----------------------------------------------

BEHAVIOURS: dict[str, tuple[str | dict[str, str], Graph]] = {
    "builtin call": (
        """
        print(len([1]))
        """,
        {"main": ["<builtin>.len", "<builtin>.print"]},
    ),
    "builtin shadowed by a parameter": (
        """
        def run(print):
            print()
        """,
        {},
    ),
    "builtin type value: method of a str literal and of str()": (
        """
        def f(x):
            return ",".join(str(x).split())
        """,
        {"main.f": ["<builtin>.str", "<builtin>.str.join", "<builtin>.str.split"]},
    ),
    "external module attribute chain": (
        """
        import os.path
        os.path.join("a", "b")
        """,
        {"main": ["os.path.join"]},
    ),
    "external call result: no PyCG edge for its methods": (
        """
        import requests
        requests.get("u").json()
        """,
        {"main": ["requests.get"]},
    ),
    "relative import from the parent package": (
        {
            "main.py": "from pkg.sub.mod import work\nwork()\n",
            "pkg/__init__.py": "",
            "pkg/util.py": "def tool():\n    pass\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/mod.py": "from .. import util\n\ndef work():\n    util.tool()\n",
        },
        {"main": ["pkg.sub.mod.work"], "pkg.sub.mod.work": ["pkg.util.tool"]},
    ),
    "package re-export through __init__": (
        {
            "main.py": "import pkg\npkg.run()\n",
            "pkg/__init__.py": "from .core import run\n",
            "pkg/core.py": "def run():\n    pass\n",
        },
        {"main": ["pkg.core.run"]},
    ),
    "star import honours __all__ transitively": (
        {
            "main.py": "from pkg import *\nwork()\n",
            "pkg/__init__.py": "from .deep import *\n",
            "pkg/deep.py": "__all__ = ['work']\ndef work():\n    pass\ndef hidden():\n    pass\n",
        },
        {"main": ["pkg.deep.work"]},
    ),
    "import inside a function binds a local name": (
        {
            "main.py": "def run():\n    from helper import go as g\n    g()\n",
            "helper.py": "def go():\n    pass\n",
        },
        {"main.run": ["helper.go"]},
    ),
    "constructor through the MRO": (
        """
        class A:
            def __init__(self):
                pass
        class B(A):
            pass
        B()
        """,
        {"main": ["main.A.__init__"]},
    ),
    "generic base class Base[T]": (
        """
        from typing import Generic, TypeVar
        T = TypeVar("T")
        class Repo(Generic[T]):
            def find(self):
                pass
        class Users(Repo[int]):
            def one(self):
                return self.find()
        Users().one()
        """,
        {"main": ["main.Users.one", "typing.TypeVar"], "main.Users.one": ["main.Repo.find"]},
    ),
    "self call resolves per receiver class": (
        """
        class A:
            def run(self):
                self.step()
            def step(self):
                pass
        class B(A):
            def step(self):
                pass
        B().run()
        """,
        {"main": ["main.A.run"], "main.A.run": ["main.B.step"]},
    ),
    "uncalled method: self falls back to its own class": (
        """
        class A:
            def run(self):
                self.step()
            def step(self):
                pass
        """,
        {"main.A.run": ["main.A.step"]},
    ),
    "super() through the MRO of the receiver": (
        """
        class A:
            def m(self):
                pass
        class B(A):
            def m(self):
                super().m()
        B().m()
        """,
        {"main": ["main.B.m"], "main.B.m": ["main.A.m"]},
    ),
    "super().__init__ with no analysed parent __init__: no edge": (
        """
        class A:
            def __init__(self):
                super().__init__()
        A()
        """,
        {"main": ["main.A.__init__"]},
    ),
    "classmethod called through cls builds the class": (
        """
        class A:
            def __init__(self):
                pass
            @classmethod
            def make(cls):
                return cls()
        A.make()
        """,
        {"main": ["main.A.make"], "main.A.make": ["main.A.__init__"]},
    ),
    "type(self)() and self.__class__() instantiate the receiver's class": (
        """
        class A:
            def __init__(self):
                pass
            def copy(self):
                return type(self)()
        A().copy()
        """,
        {
            "main": ["main.A.__init__", "main.A.copy"],
            "main.A.copy": ["<builtin>.type", "main.A.__init__"],
        },
    ),
    "__call__ of an instance": (
        """
        class Cmd:
            def __call__(self):
                pass
        Cmd()()
        """,
        {"main": ["main.Cmd.__call__"]},
    ),
    "instance attribute set in __init__": (
        """
        class Engine:
            def start(self):
                pass
        class Car:
            def __init__(self, engine):
                self.engine = engine
            def drive(self):
                self.engine.start()
        Car(Engine()).drive()
        """,
        {
            "main": ["main.Car.__init__", "main.Car.drive"],
            "main.Car.drive": ["main.Engine.start"],
        },
    ),
    "attribute stored on an object from outside its class": (
        """
        def cb():
            pass
        class Box:
            pass
        b = Box()
        b.hook = cb
        b.hook()
        """,
        {"main": ["main.cb"]},
    ),
    "property getter's return value": (
        """
        class Engine:
            def start(self):
                pass
        class Car:
            @property
            def engine(self):
                return Engine()
        Car().engine.start()
        """,
        {"main": ["main.Engine.start"]},
    ),
    "enum members are instances of the enum": (
        """
        from enum import Enum
        class Color(Enum):
            RED = 1
            def describe(self):
                pass
        Color.RED.describe()
        """,
        {"main": ["main.Color.describe"]},
    ),
    "external base class: inherited methods are external": (
        """
        import threading
        class Worker(threading.Thread):
            def run(self):
                pass
        Worker().start()
        """,
        {"main": ["threading.Thread.start"]},
    ),
    "decorator returning a wrapper": (
        """
        def log(f):
            def wrapper():
                return f()
            return wrapper
        @log
        def work():
            pass
        work()
        """,
        {"main": ["main.log", "main.log.wrapper"], "main.log.wrapper": ["main.work"]},
    ),
    "one wrapper, many decorated functions: each call reaches its own function": (
        """
        def log(f):
            def wrapper(*args):
                return f(*args)
            return wrapper
        @log
        def a(cb):
            cb()
        @log
        def b(cb):
            cb()
        def x():
            pass
        def y():
            pass
        a(x)
        b(y)
        """,
        {
            "main": ["main.log", "main.log.wrapper"],
            "main.log.wrapper": ["main.a", "main.b"],
            "main.a": ["main.x"],
            "main.b": ["main.y"],
        },
    ),
    "external decorator returns the function": (
        """
        import functools
        @functools.lru_cache(maxsize=None)
        def f():
            pass
        f()
        """,
        {"main": ["functools.lru_cache", "main.f"]},
    ),
    "class decorator returns the class": (
        """
        from dataclasses import dataclass
        @dataclass
        class Point:
            def norm(self):
                pass
        Point().norm()
        """,
        {"main": ["dataclasses.dataclass", "main.Point.norm"]},
    ),
    "decorator registering into an instance's dict": (
        """
        class Registry:
            def __init__(self):
                self.handlers = {}
            def on(self, name):
                def deco(fn):
                    self.handlers[name] = fn
                    return fn
                return deco
            def fire(self, name):
                self.handlers[name]()
        r = Registry()
        @r.on("x")
        def handler():
            pass
        r.fire("x")
        """,
        {
            "main": [
                "main.Registry.__init__",
                "main.Registry.fire",
                "main.Registry.on",
                "main.Registry.on.deco",
            ],
            "main.Registry.fire": ["main.handler"],
        },
    ),
    "closure over a parameter": (
        """
        def bind(f):
            def call():
                f()
            return call
        def target():
            pass
        bind(target)()
        """,
        {"main": ["main.bind", "main.bind.call"], "main.bind.call": ["main.target"]},
    ),
    "nonlocal rebinding": (
        """
        def a():
            pass
        def b():
            pass
        def outer():
            fn = a
            def switch():
                nonlocal fn
                fn = b
            switch()
            fn()
        """,
        {"main.outer": ["main.a", "main.b", "main.outer.switch"]},
    ),
    "global rebinding from a function": (
        """
        def a():
            pass
        def b():
            pass
        handler = a
        def swap():
            global handler
            handler = b
        handler()
        """,
        {"main": ["main.a", "main.b"]},
    ),
    "lambda default argument captures the loop value": (
        """
        def f():
            pass
        cbs = [lambda x=h: x() for h in (f,)]
        cbs[0]()
        """,
        {"main": ["main.<lambda1>"], "main.<lambda1>": ["main.f"]},
    ),
    "lambdas in a class body are named after the class": (
        """
        def f():
            pass
        class A:
            key = lambda self: f()
        A().key()
        """,
        {"main": ["main.A.<lambda1>"], "main.A.<lambda1>": ["main.f"]},
    ),
    "argument bound by keyword": (
        """
        def f():
            pass
        def run(a=None, b=None):
            b()
        run(b=f)
        """,
        {"main": ["main.run"], "main.run": ["main.f"]},
    ),
    "**kwargs forwarded to named parameters": (
        """
        def f():
            pass
        def inner(cb):
            cb()
        def outer(**kw):
            inner(**kw)
        outer(cb=f)
        """,
        {"main": ["main.outer"], "main.outer": ["main.inner"], "main.inner": ["main.f"]},
    ),
    "*args unpacked into positional parameters": (
        """
        def f():
            pass
        def run(cb):
            cb()
        args = (f,)
        run(*args)
        """,
        {"main": ["main.run"], "main.run": ["main.f"]},
    ),
    "tuple unpacking binds element by element": (
        """
        def f():
            pass
        def g():
            pass
        a, b = f, g
        b()
        """,
        {"main": ["main.g"]},
    ),
    "unpacking a returned tuple is index-sensitive": (
        """
        def f():
            pass
        def g():
            pass
        def pair():
            return f, g
        a, b = pair()
        b()
        """,
        {"main": ["main.g", "main.pair"]},
    ),
    "dict values by constant key": (
        """
        def f():
            pass
        def g():
            pass
        d = {"a": f, "b": g}
        d["a"]()
        """,
        {"main": ["main.f"]},
    ),
    "list.append then iterate": (
        """
        def f():
            pass
        hooks = []
        hooks.append(f)
        for h in hooks:
            h()
        """,
        {"main": ["<builtin>.list.append", "main.f"]},
    ),
    "dict.items() in a loop": (
        """
        def f():
            pass
        for name, fn in {"f": f}.items():
            fn()
        """,
        {"main": ["<builtin>.dict.items", "main.f"]},
    ),
    "enumerate in a loop": (
        """
        def f():
            pass
        for i, fn in enumerate([f]):
            fn()
        """,
        {"main": ["<builtin>.enumerate", "main.f"]},
    ),
    "generator yields functions": (
        """
        def f():
            pass
        def gen():
            yield f
        for fn in gen():
            fn()
        """,
        {"main": ["main.f", "main.gen"]},
    ),
    "with statement binds what __enter__ returns": (
        """
        class Conn:
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                pass
            def query(self):
                pass
        with Conn() as c:
            c.query()
        """,
        {"main": ["main.Conn.query"]},
    ),
    "with over a contextmanager binds what it yields": (
        """
        import contextlib
        class Session:
            def commit(self):
                pass
        @contextlib.contextmanager
        def scope():
            yield Session()
        with scope() as s:
            s.commit()
        """,
        {"main": ["contextlib.contextmanager", "main.Session.commit", "main.scope"]},
    ),
    "await gives what the coroutine returns": (
        """
        class Row:
            def get(self):
                pass
        async def fetch():
            return Row()
        async def main():
            row = await fetch()
            row.get()
        """,
        {"main.main": ["main.Row.get", "main.fetch"]},
    ),
    "except ... as binds an instance": (
        """
        class Oops(Exception):
            def detail(self):
                pass
        try:
            pass
        except Oops as e:
            e.detail()
        """,
        {"main": ["main.Oops.detail"]},
    ),
    "parameter annotation when no argument reaches it": (
        """
        class Repo:
            def find(self):
                pass
        def handler(repo: Repo):
            repo.find()
        """,
        {"main.handler": ["main.Repo.find"]},
    ),
    "annotated container parameter types its elements": (
        """
        class Item:
            def price(self):
                pass
        def total(items: list[Item]):
            for item in items:
                item.price()
        """,
        {"main.total": ["main.Item.price"]},
    ),
    "return annotation when the body returns nothing trackable": (
        """
        import json
        class Cfg:
            def get(self):
                pass
        def load() -> Cfg:
            return json.loads("{}")
        load().get()
        """,
        {"main": ["main.Cfg.get", "main.load"], "main.load": ["json.loads"]},
    ),
    "property setter: a call of the builtin, the setter is a property too": (
        """
        class P:
            @property
            def v(self):
                return 1
            @v.setter
            def v(self, value):
                pass
        """,
        {"main": ["<builtin>.property.setter"]},
    ),
    "__init_subclass__ receives each subclass": (
        """
        class Plugin:
            registry = []
            def __init_subclass__(cls):
                Plugin.registry.append(cls)
        class One(Plugin):
            def run(self):
                pass
        for plugin in Plugin.registry:
            plugin().run()
        """,
        {"main": ["main.One.run"], "main.Plugin.__init_subclass__": ["<builtin>.list.append"]},
    ),
    "calls in a class body belong to the enclosing scope": (
        """
        def make():
            return 1
        class A:
            x = make()
        """,
        {"main": ["main.make"]},
    ),
    "walrus in a comprehension binds in the enclosing scope": (
        """
        def f():
            pass
        [last := g for g in (f,)]
        last()
        """,
        {"main": ["main.f"]},
    ),
}


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
def test_behaviour(tmp_path: Path, name: str) -> None:
    source, expected = BEHAVIOURS[name]
    assert graph_of(tmp_path, source) == expected


# -- facts ---------------------------------------------------------------------------------


def test_lines_of_definitions_and_calls() -> None:
    facts = facts_of(
        '''
        """Doc."""

        @decorate
        def f(
            a,
        ):
            s = """x
            y"""
            return (
                g(a)
            )
        '''
    )
    (definition,) = facts.definitions
    assert (definition.qualname, definition.line, definition.end_line) == ("main.f", 5, 12)
    lines = {site.callee: site.line for site in facts.sites}
    assert lines == {"?decorate": 4, "?g": 11}


def test_line_after_backslash_continuation() -> None:
    facts = facts_of("x = 1 + \\\n    2\nf()\n")
    assert [site.line for site in facts.sites] == [3]


def test_exports_collect_every_form_of_all() -> None:
    facts = facts_of(
        """
        __all__ = ["a", "b"]
        __all__ += ["c"]
        __all__.extend(["d"])
        __all__.append("e")
        """
    )
    assert facts.exports == ("a", "b", "c", "d", "e")


def test_module_without_all_has_no_exports() -> None:
    assert facts_of("x = 1\n").exports is None


def test_module_names_include_globals_declared_in_functions() -> None:
    facts = facts_of(
        """
        import os
        from x import y as z
        def f():
            global late
            late = 1
        class C:
            pass
        """
    )
    assert facts.names == ("C", "f", "late", "os", "z")


def test_signatures_describe_parameters_and_kinds() -> None:
    facts = facts_of(
        """
        class A:
            def m(self, a, /, b, *rest, c, **kw):
                pass
            @staticmethod
            def s():
                pass
            @classmethod
            def k(cls):
                pass
            @property
            def p(self):
                pass
        handler = lambda event: event
        """
    )
    sigs = {s.qualname: s for s in facts.signatures}
    m = sigs["main.A.m"]
    assert (m.kind, m.params, m.posonly, m.vararg, m.kwonly, m.kwarg, m.owner) == (
        FunctionKind.METHOD,
        ("self", "a", "b"),
        2,
        "rest",
        ("c",),
        "kw",
        "main.A",
    )
    assert sigs["main.A.s"].kind is FunctionKind.STATICMETHOD
    assert sigs["main.A.k"].kind is FunctionKind.CLASSMETHOD
    assert sigs["main.A.p"].kind is FunctionKind.PROPERTY
    assert sigs["main.<lambda1>"].kind is FunctionKind.LAMBDA
    assert sigs["main.<lambda1>"].params == ("event",)


def test_class_attributes_include_those_set_on_self() -> None:
    facts = facts_of(
        """
        class A:
            x = 1
            def __init__(self):
                self.y = 2
                other.z = 3
        """
    )
    (cls,) = [d for d in facts.definitions if d.kind is DefinitionKind.CLASS]
    assert cls.attributes == ("__init__", "x", "y")


def test_facts_are_plain_picklable_data() -> None:
    facts = facts_of(
        """
        import os
        class A:
            def m(self):
                return [lambda: os.getcwd() for _ in range(2)]
        """
    )
    assert pickle.loads(pickle.dumps(facts)) == facts
    assert "libcst" not in pickle.dumps(facts).decode("latin-1")


def test_facts_are_sorted_and_deterministic() -> None:
    source = "def f():\n    g()\n    h()\n\ndef g():\n    pass\n"
    first, second = facts_of(source), facts_of(source)
    assert first == second
    assert list(first.flows) == sorted(first.flows)
    assert list(first.sites) == sorted(first.sites)


def test_legacy_call_texts_are_qualified_through_imports() -> None:
    facts = facts_of(
        """
        import os.path as p
        from .sibling import helper
        def f(self):
            p.join()
            helper()
        """
    )
    assert {c.callee for c in facts.calls} == {"os.path.join", "sibling.helper"}


# -- resolution and the symbol table ----------------------------------------------------


def test_unresolvable_calls_are_kept_and_counted(tmp_path: Path) -> None:
    _, calls = analyse(tmp_path, {"main.py": "def f(x):\n    x.run()\n"})
    (call,) = calls
    assert (call.kind, call.caller, call.callee, call.line) == (
        CallKind.UNRESOLVED,
        "main.f",
        "?x.run",
        2,
    )


def test_items_of_external_data_are_external_not_unresolved(tmp_path: Path) -> None:
    source = "import json\ndata = json.loads('{}')\ndata['k'].strip()\nfor x in data:\n    x.f()\n"
    _, calls = analyse(tmp_path, {"main.py": source})
    kinds = {(c.callee, c.kind, c.exact) for c in calls}
    assert ("json.loads", CallKind.EXTERNAL, True) in kinds
    assert all(c.kind is CallKind.EXTERNAL for c in calls)
    assert {c.exact for c in calls if c.callee != "json.loads"} == {False}


def test_a_method_of_an_analysed_class_is_never_an_external_call(tmp_path: Path) -> None:
    # `Callable[...]` is no external data; `**params` of decoded JSON fills no parameter
    case = CASES / "external" / "internal_instance_among_external_data" / "main.py"
    _, calls = analyse(tmp_path, {"main.py": case.read_text(encoding="utf-8")})
    in_view = {(c.callee, c.kind) for c in calls if c.caller == "main.view"}
    assert in_view == {("main.Request.int_arg", CallKind.INTERNAL)}
    externals = {c.callee for c in calls if c.kind is CallKind.EXTERNAL}
    assert externals == {"json.loads"}


def test_external_data_is_a_callee_only_when_nothing_else_is(tmp_path: Path) -> None:
    source = """
        import json
        def clean(text: str):
            return text.strip()
        clean("a")
        clean(json.loads("{}")["k"])
        def first(raw):
            return raw.pop()
        first(json.loads("[]"))
        """
    _, calls = analyse(tmp_path, {"main.py": source})
    in_clean = {(c.callee, c.kind) for c in calls if c.caller == "main.clean"}
    assert in_clean == {("<builtin>.str.strip", CallKind.BUILTIN)}
    in_first = {(c.callee, c.kind, c.exact) for c in calls if c.caller == "main.first"}
    assert in_first == {("<external>", CallKind.EXTERNAL, False)}


def test_a_member_missing_on_a_builtin_base_is_not_a_builtin(tmp_path: Path) -> None:
    source = """
        import enum
        class Status(str, enum.Enum):
            OPEN = "open"
        Status.OPEN.in_([])
        Status.OPEN.upper()
        """
    _, calls = analyse(tmp_path, {"main.py": source})
    callees = {(c.callee, c.kind) for c in calls}
    assert ("<builtin>.str.upper", CallKind.BUILTIN) in callees
    assert ("enum.Enum.in_", CallKind.EXTERNAL) in callees
    assert "<builtin>.str.in_" not in {c.callee for c in calls}


def test_a_node_over_its_cap_is_recorded_and_keeps_the_first_values(tmp_path: Path) -> None:
    defs = "".join(f"def f{i}():\n    pass\n" for i in range(MAX_VALUES + 10))
    calls = "".join(f"run(f{i})\n" for i in range(MAX_VALUES + 10))
    facts, _ = analyse(tmp_path, {"main.py": defs + "def run(cb):\n    cb()\n" + calls})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    assert "main.run.cb" in solver.capped
    assert len(solver.values["main.run.cb"]) == MAX_VALUES
    assert ("f", "main.f0", "") in solver.values["main.run.cb"]


def test_nodes_full_of_the_same_values_share_one_set(tmp_path: Path) -> None:
    defs = "".join(f"def f{i}():\n    pass\n" for i in range(MAX_VALUES + 10))
    calls = "".join(f"run(f{i})\n" for i in range(MAX_VALUES + 10))
    body = "def run(cb):\n    a = cb\n    b = cb\n    a()\n    b()\n"
    facts, _ = analyse(tmp_path, {"main.py": defs + body + calls})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    full = [solver.values[n] for n in ("main.run.cb", "main.run.a", "main.run.b")]
    assert all(len(v) == MAX_VALUES for v in full)
    assert full[0] is full[1] is full[2]


def test_the_solver_is_freed_without_the_cyclic_collector(tmp_path: Path) -> None:
    source = "from lib import *\nclass C:\n    def m(self):\n        pass\nC().m()\n"
    facts, _ = analyse(tmp_path, {"main.py": source, "lib.py": "def f():\n    pass\n"})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    gone = weakref.ref(solver)
    collecting = gc.isenabled()
    gc.disable()
    try:
        del solver
        assert gone() is None  # no reference cycle keeps it (and its memory) alive
    finally:
        if collecting:
            gc.enable()


def test_the_callees_found_outlive_the_solver_and_share_their_edges(tmp_path: Path) -> None:
    source = "def f():\n    pass\nf()\nf()\n"
    facts, _ = analyse(tmp_path, {"main.py": source})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    found = solver.found()
    gone = weakref.ref(solver)
    del solver
    assert gone() is None  # the value graph is freed while the callees are read
    first, second = (found.edges_of(entry.index) for entry in found.sites)
    assert [e.target for e in first] == ["main.f"]
    assert first[0] is second[0]  # one Edge per callee, however many sites reach it
    assert all(entry.bound is None for entry in found.sites)


def test_a_full_node_is_a_tuple_and_listed_as_capped(tmp_path: Path) -> None:
    defs = "".join(f"def f{i}():\n    pass\n" for i in range(MAX_VALUES))
    calls = "".join(f"run(f{i})\n" for i in range(MAX_VALUES))
    facts, _ = analyse(tmp_path, {"main.py": defs + "def run(cb):\n    cb()\n" + calls})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    assert isinstance(solver.values["main.run.cb"], tuple)  # full: it never changes again
    assert "main.run.cb" in solver.capped


def test_a_method_bound_through_two_paths_binds_once(tmp_path: Path) -> None:
    source = """\
        class Base:
            def m(self):
                pass
        class A(Base):
            pass
        def use(x):
            x.m()
        use(A())
        use(A())
        y = A()
        use(y)
        """
    facts, calls = analyse(tmp_path, {"main.py": source})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    edges = [e for flat in solver.binds.values() for e in zip(flat[::2], flat[1::2], strict=True)]
    assert len(edges) == len(set(edges))
    assert ("main.use", "main.Base.m", 7) in {(c.caller, c.callee, c.line) for c in calls}


def test_large_functions_defining_a_helper_are_not_copied_per_call(tmp_path: Path) -> None:
    body = "".join(f"    v{i} = helper(a{i % 3})\n" for i in range(MAX_CLONED_FLOWS))
    source = (
        "def small(f):\n    def inner():\n        return f()\n    return inner\n"
        "def large(a0, a1, a2):\n    def helper(x):\n        return x\n"
        f"{body}    return helper\n"
        "def g():\n    pass\n"
        "large(1, 2, 3)()\nlarge(4, 5, 6)\nsmall(g)()\nsmall(g)\n"
    )
    facts, calls = analyse(tmp_path, {"main.py": source})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    copied = {key.partition("@")[0] for key in solver._clones}
    assert copied == {"main.small"}
    callees = {(c.caller, c.callee) for c in calls}
    assert ("main", "main.large.helper") in callees
    assert ("main.small.inner", "main.g") in callees


def test_a_factory_is_copied_for_its_first_call_sites_only(tmp_path: Path) -> None:
    calls = "wrap(g)()\n" * (MAX_CLONES + 5)
    source = "def wrap(f):\n    def inner():\n        return f()\n    return inner\n"
    source += "def g():\n    pass\n" + calls
    facts, resolved = analyse(tmp_path, {"main.py": source})
    table = SymbolTable(facts)
    solver = Solver(facts, table.hierarchy())
    solver.solve()
    assert len(solver._clones) == MAX_CLONES
    lines = {c.line for c in resolved if c.callee == "main.wrap.inner"}
    assert len(lines) == MAX_CLONES + 5  # every call of the wrapper still resolves
    assert ("main.wrap.inner", "main.g") in {(c.caller, c.callee) for c in resolved}


def test_a_site_with_several_callees_gives_one_call_each(tmp_path: Path) -> None:
    source = "def a():\n    pass\ndef b():\n    pass\nfor f in (a, b):\n    f()\n"
    _, calls = analyse(tmp_path, {"main.py": source})
    assert [(c.callee, c.line, c.kind) for c in calls] == [
        ("main.a", 6, CallKind.INTERNAL),
        ("main.b", 6, CallKind.INTERNAL),
    ]


def test_calls_know_the_modules_they_cross(tmp_path: Path) -> None:
    files = {"main.py": "from lib import f\nf()\n", "lib.py": "def f():\n    pass\n"}
    _, calls = analyse(tmp_path, files)
    (call,) = calls
    assert (call.caller_module, call.callee_module) == ("main", "lib")


def test_symbol_table_evaluates_imports_and_linearises_classes(tmp_path: Path) -> None:
    files = {
        "main.py": "from pkg import Base\nclass C(Base):\n    pass\n",
        "pkg/__init__.py": "from .base import Base\n",
        "pkg/base.py": "class Root:\n    pass\nclass Base(Root):\n    pass\n",
    }
    facts, _ = analyse(tmp_path, files)
    table = SymbolTable(facts)
    assert table.evaluate("pkg.Base").name == "pkg.base.Base"
    assert table.mro("main.C") == ("main.C", "pkg.base.Base", "pkg.base.Root")
    assert table.module_of("pkg.base.Root") == "pkg.base"


def test_resolution_does_not_depend_on_the_order_of_the_facts(tmp_path: Path) -> None:
    files = {
        "main.py": "from lib import run\nrun(print)\n",
        "lib.py": "def run(cb):\n    cb()\n",
    }
    facts, _ = analyse(tmp_path, files)
    assert resolve_calls(facts)[1] == resolve_calls(list(reversed(facts)))[1]


LITERALS = [
    "'a'",
    '"a"',
    "''",
    '""',
    "'''a'''",
    '""""""',
    "r'\\d'",
    "'\\n'",
    "b'x'",
    "rb'\\x'",
    "u'x'",
    "\"'''\"",
    "'\"'",
    '"""a"b"""',
    "'''it's'''",
    'R"x\\y"',
    "'a\\\\b'",
    "r'a\\'b'",
    "'''two\nlines'''",
    "'\\N{EM DASH}'",
    "BR'x'",
]


@pytest.mark.parametrize("literal", LITERALS)
def test_string_value_is_the_evaluated_value(literal: str) -> None:
    node = cst.parse_expression(literal)
    assert isinstance(node, cst.SimpleString)
    assert string_value(node) == node.evaluated_value
