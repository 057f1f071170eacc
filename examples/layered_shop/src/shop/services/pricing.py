"""Price calculation: price rules, volume discounts and VAT."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from shop.db.session import Session
from shop.models.product import PriceRule, Product
from shop.utils.money import ZERO, add_tax, apply_percentage, quantize
from shop.utils.validation import ValidationError, require

VAT_RATES: dict[str, Decimal] = {
    "DE": Decimal("0.19"),
    "AT": Decimal("0.20"),
    "FR": Decimal("0.20"),
    "NL": Decimal("0.21"),
    "CH": Decimal("0.081"),
    "GB": Decimal("0.20"),
}
DEFAULT_VAT = Decimal("0.19")

# (minimum quantity, percent off) - highest matching tier wins.
VOLUME_TIERS: tuple[tuple[int, Decimal], ...] = ((50, Decimal("10")), (10, Decimal("5")))
MAX_DISCOUNT = Decimal("70")


def active_rules(session: Session, product: Product, now: datetime | None = None) -> list[PriceRule]:
    """Price rules for the product itself or its category that are live now."""
    now = now or datetime.now(timezone.utc)
    candidates = session.query(PriceRule).filter(
        (PriceRule.product_id == product.id) | (PriceRule.category_id == product.category_id)
    ).all()
    return [rule for rule in candidates if rule.is_active(now)]


def volume_discount_percent(quantity: int) -> Decimal:
    for minimum, percent in VOLUME_TIERS:
        if quantity >= minimum:
            return percent
    return ZERO


def best_discount(session: Session, product: Product, quantity: int = 1) -> Decimal:
    """Largest applicable discount; rules and volume tiers do not stack."""
    rule_percents = [
        rule.percent_off for rule in active_rules(session, product) if rule.applies_to(product, quantity)
    ]
    best = max([volume_discount_percent(quantity), *rule_percents], default=ZERO)
    return min(best, MAX_DISCOUNT)


def current_price(session: Session, product: Product, quantity: int = 1) -> Decimal:
    """Net unit price the customer pays right now for ``quantity`` units."""
    discount = best_discount(session, product, quantity)
    if discount <= ZERO:
        return quantize(product.price)
    return apply_percentage(product.price, discount)


def vat_rate(country: str) -> Decimal:
    return VAT_RATES.get(country.upper(), DEFAULT_VAT)


def gross_price(net: Decimal, country: str) -> Decimal:
    return add_tax(net, vat_rate(country))


def price_breakdown(session: Session, product: Product, quantity: int, country: str) -> dict[str, str]:
    """Everything the product page shows next to the buy button."""
    unit = current_price(session, product, quantity)
    net_total = quantize(unit * quantity)
    return {
        "list_price": str(quantize(product.price)),
        "discount_percent": str(best_discount(session, product, quantity)),
        "unit_price": str(unit),
        "net_total": str(net_total),
        "gross_total": str(gross_price(net_total, country)),
        "vat_rate": str(vat_rate(country)),
    }


def create_price_rule(
    session: Session,
    percent_off: Decimal,
    starts_at: datetime,
    ends_at: datetime | None = None,
    product_id: int | None = None,
    category_id: int | None = None,
    min_quantity: int = 1,
) -> PriceRule:
    """Schedule a discount on exactly one product or one category."""
    require((product_id is None) != (category_id is None), "target", "give a product or a category")
    if not ZERO < percent_off <= MAX_DISCOUNT:
        raise ValidationError("percent_off", f"must be between 0 and {MAX_DISCOUNT}")
    require(ends_at is None or ends_at > starts_at, "ends_at", "must be after starts_at")
    rule = PriceRule(
        product_id=product_id,
        category_id=category_id,
        percent_off=percent_off,
        min_quantity=min_quantity,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.add(rule)
    return rule
