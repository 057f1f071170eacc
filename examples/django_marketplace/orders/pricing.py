"""Order total calculation."""
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.conf import settings

from core.money import ZERO, percentage_of, quantize, sum_amounts
from shipping.rates import estimate_shipping_cost

FREE_SHIPPING_THRESHOLD = Decimal("75.00")


@dataclass(frozen=True)
class OrderTotals:
    subtotal: Decimal
    shipping_total: Decimal
    tax_total: Decimal
    discount_total: Decimal
    grand_total: Decimal

    def as_dict(self) -> dict:
        return asdict(self)


def tax_rate_for(country_code: str) -> Decimal:
    rates = getattr(settings, "TAX_RATES", {})
    return Decimal(str(rates.get((country_code or "").upper(), "0.00")))


def line_total(unit_price, quantity: int) -> Decimal:
    return quantize(unit_price * quantity)


def shipping_cost(subtotal, *, country_code: str, weight_grams: int) -> Decimal:
    if subtotal >= FREE_SHIPPING_THRESHOLD:
        return ZERO
    return estimate_shipping_cost(country_code, weight_grams)


def compute_totals(items, *, country_code: str, weight_grams: int, discount=ZERO) -> OrderTotals:
    """``items`` is an iterable of ``(unit_price, quantity)`` pairs."""
    subtotal = sum_amounts(line_total(price, quantity) for price, quantity in items)
    discount = min(quantize(discount), subtotal)
    taxable = subtotal - discount
    shipping = shipping_cost(taxable, country_code=country_code, weight_grams=weight_grams)
    tax = percentage_of(taxable, tax_rate_for(country_code))
    return OrderTotals(
        subtotal=subtotal,
        shipping_total=shipping,
        tax_total=tax,
        discount_total=discount,
        grand_total=quantize(taxable + shipping + tax),
    )


def cart_totals(cart, *, country_code: str) -> OrderTotals:
    items = list(cart.items.select_related("product"))
    weight = sum(item.product.weight_grams * item.quantity for item in items)
    return compute_totals(
        [(item.product.price, item.quantity) for item in items], country_code=country_code, weight_grams=weight
    )
