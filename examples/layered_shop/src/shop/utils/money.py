"""Money arithmetic and formatting on top of Decimal."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF "}
SUPPORTED_CURRENCIES = frozenset(CURRENCY_SYMBOLS)


def to_decimal(value: object) -> Decimal:
    """Convert user or database input to a Decimal, rejecting garbage."""
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a monetary amount: {value!r}") from exc


def quantize(amount: object) -> Decimal:
    """Round to whole cents, half up, as the accounting team expects."""
    return to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: object) -> int:
    return int(quantize(amount) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def sum_money(amounts: Iterable[object]) -> Decimal:
    return quantize(sum((to_decimal(a) for a in amounts), ZERO))


def apply_percentage(amount: object, percent: object) -> Decimal:
    """``amount`` reduced by ``percent`` per cent (e.g. a 15 % discount)."""
    factor = (Decimal(100) - to_decimal(percent)) / Decimal(100)
    return quantize(to_decimal(amount) * factor)


def add_tax(amount: object, rate: object) -> Decimal:
    """Gross amount for a net ``amount`` and a tax ``rate`` such as 0.19."""
    return quantize(to_decimal(amount) * (Decimal(1) + to_decimal(rate)))


def allocate(amount: object, ratios: list[int]) -> list[Decimal]:
    """Split ``amount`` by ``ratios`` so that the parts add up exactly."""
    if not ratios or sum(ratios) <= 0:
        raise ValueError("ratios must contain a positive total")
    total_cents = to_cents(amount)
    shares = [total_cents * r // sum(ratios) for r in ratios]
    remainder = total_cents - sum(shares)
    for i in range(remainder):
        shares[i % len(shares)] += 1
    return [from_cents(s) for s in shares]


def format_money(amount: object, currency: str = "EUR") -> str:
    """Human-readable amount with thousands separators, e.g. '€1,299.00'."""
    value = quantize(amount)
    symbol = CURRENCY_SYMBOLS.get(currency.upper(), currency.upper() + " ")
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"
