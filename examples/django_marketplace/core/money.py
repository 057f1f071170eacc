"""Money helpers.

Every monetary amount in the marketplace is a ``Decimal`` quantized to cents.
These helpers are deliberately free of any model so that every app can use
them without creating dependencies between apps.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable

from django.conf import settings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

CURRENCY_SYMBOLS = {"EUR": "\u20ac", "USD": "$", "GBP": "\u00a3"}


def to_decimal(value) -> Decimal:
    """Convert ``value`` to ``Decimal`` going through ``str`` to avoid float noise."""
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValueError(f"Not a monetary amount: {value!r}") from exc


def quantize(value) -> Decimal:
    """Round ``value`` to cents using commercial rounding."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percentage_of(amount, rate) -> Decimal:
    """Return ``rate`` percent of ``amount``, rounded to cents."""
    return quantize(to_decimal(amount) * to_decimal(rate) / HUNDRED)


def sum_amounts(amounts: Iterable) -> Decimal:
    """Sum an iterable of amounts and round the result."""
    total = ZERO
    for amount in amounts:
        total += to_decimal(amount)
    return quantize(total)


def allocate(amount, weights) -> list[Decimal]:
    """Split ``amount`` proportionally to ``weights``.

    Rounding differences are assigned to the share with the largest weight so
    that the parts always add up exactly to ``amount``.
    """
    amount = quantize(amount)
    weights = [to_decimal(weight) for weight in weights]
    if not weights:
        return []
    total_weight = sum(weights, Decimal("0"))
    if total_weight == 0:
        shares = [ZERO for _ in weights]
        shares[0] = amount
        return shares
    shares = [quantize(amount * weight / total_weight) for weight in weights]
    remainder = amount - sum(shares, ZERO)
    if remainder:
        largest = max(range(len(shares)), key=lambda index: weights[index])
        shares[largest] += remainder
    return shares


def to_minor_units(amount) -> int:
    """Convert an amount to integer cents, as payment gateways expect."""
    return int((quantize(amount) * HUNDRED).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor_units(minor: int) -> Decimal:
    """Convert integer cents back to a ``Decimal`` amount."""
    return quantize(Decimal(int(minor)) / HUNDRED)


def default_currency() -> str:
    return getattr(settings, "DEFAULT_CURRENCY", "EUR")


def format_money(amount, currency=None) -> str:
    """Human readable representation, e.g. ``\u20ac1,234.50``."""
    currency = (currency or default_currency()).upper()
    value = f"{quantize(amount):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{value}" if symbol else f"{value} {currency}"


@dataclass(frozen=True)
class Money:
    """An amount together with its currency."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount, currency=None) -> "Money":
        return cls(quantize(amount), (currency or default_currency()).upper())

    def _check_compatible(self, other) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"Currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._check_compatible(other)
        return Money(quantize(self.amount + other.amount), self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._check_compatible(other)
        return Money(quantize(self.amount - other.amount), self.currency)

    def __mul__(self, factor) -> "Money":
        return Money(quantize(self.amount * to_decimal(factor)), self.currency)

    def is_zero(self) -> bool:
        return self.amount == ZERO

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)
