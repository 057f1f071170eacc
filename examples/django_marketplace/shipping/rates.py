"""Shipping rate lookup."""
from decimal import Decimal

from django.db.models import Q

from core.money import quantize

from .models import ShippingRate

FALLBACK_SHIPPING_COST = Decimal("9.90")


def applicable_rates(country_code: str, weight_grams: int):
    country_code = (country_code or "").upper()
    return (
        ShippingRate.objects.filter(is_active=True, carrier__is_active=True, max_weight_grams__gte=weight_grams)
        .filter(Q(destination_country=country_code) | Q(destination_country=""))
        .select_related("carrier")
        .order_by("price", "estimated_days_max")
    )


def cheapest_rate(country_code: str, weight_grams: int):
    return applicable_rates(country_code, weight_grams).first()


def quote_rates(country_code: str, weight_grams: int) -> list[dict]:
    """One quote per carrier (its cheapest matching rate)."""
    quotes, seen = [], set()
    for rate in applicable_rates(country_code, weight_grams):
        if rate.carrier_id in seen:
            continue
        seen.add(rate.carrier_id)
        quotes.append({
            "carrier": rate.carrier.code,
            "carrier_name": rate.carrier.name,
            "price": str(quantize(rate.price)),
            "currency": rate.currency,
            "estimated_days": [rate.estimated_days_min, rate.estimated_days_max],
        })
    return quotes


def estimate_shipping_cost(country_code: str, weight_grams: int) -> Decimal:
    rate = cheapest_rate(country_code, weight_grams)
    return quantize(rate.price) if rate else FALLBACK_SHIPPING_COST
