from decimal import Decimal

import pytest

from shop.utils.money import allocate, apply_percentage, format_money, quantize, to_cents


def test_quantize_rounds_half_up():
    assert quantize("2.675") == Decimal("2.68")
    assert quantize(Decimal("2.674")) == Decimal("2.67")


def test_to_cents_accepts_comma_decimal():
    assert to_cents("12,50") == 1250


def test_apply_percentage():
    assert apply_percentage(Decimal("80.00"), 15) == Decimal("68.00")


def test_allocate_keeps_every_cent():
    parts = allocate(Decimal("100.00"), [1, 1, 1])
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(parts) == Decimal("100.00")


def test_allocate_rejects_empty_ratios():
    with pytest.raises(ValueError):
        allocate(Decimal("10"), [])


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [(Decimal("1299"), "EUR", "€1,299.00"), (Decimal("-5"), "USD", "-$5.00"), (3, "SEK", "SEK 3.00")],
)
def test_format_money(amount, currency, expected):
    assert format_money(amount, currency) == expected
