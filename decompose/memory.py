"""Process memory policy for big runs: the parse and extract stages build millions of small
acyclic objects (facts, solver nodes, calls) that live until the plan is made."""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while many small acyclic objects are built or loaded: it
    would traverse them again and again for nothing.

    Then what is left is moved out of the collector's generations (`gc.freeze`): the first
    collection after the pause would otherwise traverse every one of them (a third of an
    unchanged re-run), and every full collection of the later stages again. Acyclic, they are
    still freed as soon as nothing refers to them.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def give_back_memory() -> None:
    """Hand freed memory back to the system: glibc keeps freed blocks for reuse (a third of the
    solver's peak on sympy, held through clustering); elsewhere nothing."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
