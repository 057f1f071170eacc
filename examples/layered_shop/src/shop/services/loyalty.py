"""Loyalty programme: points earned on orders, redemption, expiry and tiers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import ROUND_DOWN, Decimal
from typing import Any

from shop.db.session import Session
from shop.models.customer import Customer, LoyaltyTier, LoyaltyTransaction
from shop.services.customer_service import get_customer
from shop.utils.logging_config import get_logger
from shop.utils.money import quantize
from shop.utils.validation import require

log = get_logger(__name__)

POINT_VALUE = Decimal("0.01")
POINTS_VALID_FOR = timedelta(days=365)
TIER_MULTIPLIERS = {LoyaltyTier.BRONZE: Decimal("1"), LoyaltyTier.SILVER: Decimal("1.25"),
                    LoyaltyTier.GOLD: Decimal("1.5")}


class InsufficientPoints(Exception):
    """The customer tried to redeem more points than they hold."""


def points_for_amount(amount: Decimal, tier: LoyaltyTier) -> int:
    """One point per euro spent, boosted for higher tiers."""
    return int((amount * TIER_MULTIPLIERS[tier]).to_integral_value(rounding=ROUND_DOWN))


def points_value(points: int) -> Decimal:
    return quantize(POINT_VALUE * points)


def _book(session: Session, customer: Customer, points: int, reason: str, reference: str | None,
          expires_at: datetime | None = None) -> LoyaltyTransaction:
    transaction = LoyaltyTransaction(customer_id=customer.id, points=points, reason=reason,
                                     reference=reference, expires_at=expires_at)
    session.add(transaction)
    customer.loyalty_points += points
    return transaction


def award_points(session: Session, customer_id: int, amount: Decimal, reference: str) -> LoyaltyTransaction:
    customer = get_customer(session, customer_id)
    points = points_for_amount(amount, customer.tier)
    expires = datetime.now(timezone.utc) + POINTS_VALID_FOR
    transaction = _book(session, customer, points, "order", reference, expires)
    customer.lifetime_points += points
    previous = customer.tier
    if customer.recompute_tier() is not previous:
        log.info("customer %s promoted to %s", customer_id, customer.tier.value)
    return transaction


def redeem_points(session: Session, customer_id: int, points: int, reference: str) -> Decimal:
    """Turn points into a discount amount for the given order reference."""
    require(points > 0, "points", "must be positive")
    customer = get_customer(session, customer_id)
    if points > customer.loyalty_points:
        raise InsufficientPoints(f"{customer.loyalty_points} points available")
    _book(session, customer, -points, "redemption", reference)
    return points_value(points)


def expire_points(session: Session, now: datetime | None = None) -> int:
    """Remove points whose validity has ended; returns points expired."""
    now = now or datetime.now(timezone.utc)
    expired_total = 0
    due = session.query(LoyaltyTransaction).filter(
        LoyaltyTransaction.expires_at <= now, LoyaltyTransaction.points > 0
    ).all()
    for credit in due:
        customer = get_customer(session, credit.customer_id)
        points = min(credit.points, customer.loyalty_points)
        if points > 0:
            _book(session, customer, -points, "expiry", credit.reference)
            expired_total += points
        credit.expires_at = None
    return expired_total


def recompute_all_tiers(session: Session) -> int:
    changed = 0
    for customer in session.query(Customer).filter_by(deleted_at=None).all():
        before = customer.tier
        changed += customer.recompute_tier() is not before
    return changed


def loyalty_summary(session: Session, customer_id: int) -> dict[str, Any]:
    customer = get_customer(session, customer_id)
    recent = customer.loyalty_transactions[-10:]
    return {
        "points": customer.loyalty_points,
        "worth": str(points_value(customer.loyalty_points)),
        "tier": customer.tier.value,
        "history": [{"points": t.points, "reason": t.reason, "reference": t.reference} for t in recent],
    }
