"""Formatting shared by every part of the report: numbers, counts and service colours."""

from __future__ import annotations

import math

# Golden angle in degrees: consecutive indices get hues far apart, never repeating exactly.
_GOLDEN_ANGLE = 137.508
SHARED_COLOUR = "hsl(220 9% 46%)"
SHARED_TINT = "hsl(220 14% 96%)"


def format_int(value: int) -> str:
    """An integer with thousands separators: 12345 -> "12,345"."""
    return f"{value:,}"


def format_float(value: float) -> str:
    """A weight or score in at most three significant digits: 0.25 -> "0.25", 1.0 -> "1"."""
    if not math.isfinite(value):
        return "n/a"
    return f"{value:.3g}"


def format_percent(share: float) -> str:
    """A share in [0, 1] as a percentage with one decimal: 0.8734 -> "87.3%"."""
    if not math.isfinite(share):
        return "n/a"
    return f"{share * 100:.1f}%"


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """A count with its noun: 1 -> "1 module", 3 -> "3 modules"."""
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{format_int(count)} {noun}"


def format_counts(calls: int, imports: int, inheritance: int = 0) -> str:
    """Structural counts in words, zeros left out: "3 calls · 1 import" ("no edge" if none)."""
    parts = [
        plural(n, noun, nouns)
        for n, noun, nouns in (
            (calls, "call", ""),
            (imports, "import", ""),
            (inheritance, "base class", "base classes"),
        )
        if n
    ]
    return " · ".join(parts) or "no edge"


def service_colour(index: int) -> tuple[str, str]:
    """The accent colour and light tint of the service at `index`, as CSS hsl() values."""
    hue = round(index * _GOLDEN_ANGLE) % 360
    return f"hsl({hue} 62% 40%)", f"hsl({hue} 70% 96%)"
