"""Marks idle carts as abandoned and purges old ones."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from shop.db.session import session_scope
from shop.models.cart import CartStatus
from shop.services import cart_service, coupons
from shop.utils.logging_config import get_logger
from shop.utils.money import format_money
from shop.utils.scheduler import periodic

log = get_logger(__name__)

PURGE_AFTER = timedelta(days=30)

ABANDONED_VALUE_SQL = text(
    "SELECT c.currency, COUNT(DISTINCT c.id) AS carts,"
    " SUM(ci.quantity * ci.unit_price) AS value"
    " FROM carts c JOIN cart_items ci ON ci.cart_id = c.id"
    " WHERE c.status = :status AND c.updated_at >= :since"
    " GROUP BY c.currency"
)


@periodic(hours=1, name="cart.mark_abandoned")
def mark_abandoned_carts() -> int:
    with session_scope() as session:
        return cart_service.abandon_stale_carts(session, datetime.now(timezone.utc))


@periodic(hours=24, name="cart.purge_abandoned")
def purge_abandoned_carts() -> int:
    cutoff = datetime.now(timezone.utc) - PURGE_AFTER
    with session_scope() as session:
        purged = cart_service.purge_abandoned(session, cutoff)
    log.info("purged %d abandoned carts older than %s", purged, cutoff.date())
    return purged


@periodic(hours=24, name="cart.abandonment_report")
def abandonment_report() -> dict[str, str]:
    """Value left in carts abandoned during the last day, per currency."""
    since = datetime.now(timezone.utc) - timedelta(days=1)
    with session_scope() as session:
        rows = session.execute(
            ABANDONED_VALUE_SQL, {"status": CartStatus.ABANDONED.name, "since": since}
        ).all()
    report = {}
    for currency, carts, value in rows:
        report[currency] = f"{carts} carts, {format_money(value or 0, currency)}"
        log.info("abandoned in the last day (%s): %s", currency, report[currency])
    return report


@periodic(minutes=10, name="cart.reprice_open")
def reprice_open_carts() -> int:
    """Refresh line prices of recently active carts after price rules change."""
    since = datetime.now(timezone.utc) - timedelta(hours=2)
    repriced = 0
    with session_scope() as session:
        for cart in cart_service.active_carts(session, since):
            for item in list(cart.items):
                cart_service.update_quantity(session, cart, item.product_id, item.quantity)
                repriced += 1
            if not coupons.revalidate_coupon(cart, datetime.now(timezone.utc).date()):
                log.info("coupon removed from cart %s after repricing", cart.token)
    return repriced
