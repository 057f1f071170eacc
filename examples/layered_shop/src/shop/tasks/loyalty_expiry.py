"""Expires old loyalty points and keeps customer tiers up to date."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from shop.db.session import session_scope
from shop.models.customer import Customer, LoyaltyTransaction
from shop.services import loyalty
from shop.utils.logging_config import get_logger
from shop.utils.scheduler import periodic

log = get_logger(__name__)

WARN_BEFORE = timedelta(days=30)
INACTIVE_AFTER = timedelta(days=2 * 365)


@periodic(hours=24, name="customers.expire_points")
def expire_points() -> int:
    with session_scope() as session:
        expired = loyalty.expire_points(session, datetime.now(timezone.utc))
    log.info("expired %d loyalty points", expired)
    return expired


@periodic(hours=24, name="customers.recompute_tiers")
def recompute_tiers() -> int:
    with session_scope() as session:
        changed = loyalty.recompute_all_tiers(session)
    if changed:
        log.info("loyalty tier changed for %d customers", changed)
    return changed


@periodic(hours=24, name="customers.points_expiring_soon")
def points_expiring_soon() -> dict[int, int]:
    """Customers with points that expire within WARN_BEFORE (for the CRM export)."""
    now = datetime.now(timezone.utc)
    expiring: dict[int, int] = {}
    with session_scope() as session:
        credits = session.query(LoyaltyTransaction).filter(
            LoyaltyTransaction.expires_at > now,
            LoyaltyTransaction.expires_at <= now + WARN_BEFORE,
            LoyaltyTransaction.points > 0,
        ).all()
        for credit in credits:
            expiring[credit.customer_id] = expiring.get(credit.customer_id, 0) + credit.points
    log.info("%d customers have points expiring within %d days", len(expiring), WARN_BEFORE.days)
    return expiring


@periodic(hours=24 * 7, name="customers.flag_inactive")
def flag_inactive_customers() -> int:
    """Customers who have not logged in for two years lose marketing opt-in."""
    cutoff = datetime.now(timezone.utc) - INACTIVE_AFTER
    with session_scope() as session:
        inactive = session.query(Customer).filter(
            Customer.last_login_at < cutoff, Customer.marketing_opt_in.is_(True)
        ).all()
        for customer in inactive:
            customer.marketing_opt_in = False
    return len(inactive)
