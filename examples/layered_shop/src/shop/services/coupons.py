"""Coupon codes that give a percentage off a cart."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from shop.db.session import Session
from shop.models.cart import Cart
from shop.services.cart_service import get_cart_by_token, require_open
from shop.utils.money import ZERO, format_money
from shop.utils.validation import ValidationError


@dataclass(frozen=True)
class Coupon:
    code: str
    percent_off: Decimal
    min_subtotal: Decimal = ZERO
    valid_until: date | None = None
    registered_only: bool = False

    def problems(self, cart: Cart, today: date) -> list[str]:
        """Reasons why this coupon cannot be used on ``cart`` (empty if it can)."""
        reasons = []
        if self.valid_until is not None and today > self.valid_until:
            reasons.append(f"coupon {self.code} expired on {self.valid_until.isoformat()}")
        if cart.subtotal < self.min_subtotal:
            reasons.append(
                f"coupon {self.code} needs a cart of at least {format_money(self.min_subtotal, cart.currency)}"
            )
        if self.registered_only and cart.customer_id is None:
            reasons.append(f"coupon {self.code} is only for registered customers")
        return reasons


COUPONS: dict[str, Coupon] = {
    c.code: c
    for c in (
        Coupon("WELCOME10", Decimal("10"), registered_only=True),
        Coupon("SPRING15", Decimal("15"), min_subtotal=Decimal("50"), valid_until=date(2025, 5, 31)),
        Coupon("VIP20", Decimal("20"), min_subtotal=Decimal("150"), registered_only=True),
    )
}


def find_coupon(code: str) -> Coupon:
    coupon = COUPONS.get(code.strip().upper())
    if coupon is None:
        raise ValidationError("coupon", f"unknown coupon {code!r}")
    return coupon


def apply_coupon(session: Session, cart_token: str, code: str, today: date | None = None) -> Cart:
    """Attach a coupon to an open cart after checking its conditions."""
    cart = get_cart_by_token(session, cart_token)
    require_open(cart)
    coupon = find_coupon(code)
    problems = coupon.problems(cart, today or datetime.now(timezone.utc).date())
    if problems:
        raise ValidationError("coupon", "; ".join(problems))
    cart.coupon_code = coupon.code
    cart.discount_percent = coupon.percent_off
    return cart


def remove_coupon(session: Session, cart_token: str) -> Cart:
    cart = get_cart_by_token(session, cart_token)
    require_open(cart)
    cart.coupon_code = None
    cart.discount_percent = ZERO
    return cart


def revalidate_coupon(cart: Cart, today: date) -> bool:
    """Drop a coupon whose conditions no longer hold (e.g. items were removed)."""
    if cart.coupon_code is None:
        return True
    coupon = COUPONS.get(cart.coupon_code)
    if coupon is None or coupon.problems(cart, today):
        cart.coupon_code = None
        cart.discount_percent = ZERO
        return False
    return True
