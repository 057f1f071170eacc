"""Reminds customers about unpaid orders and cancels the ones never paid."""
from __future__ import annotations

from datetime import timedelta

from shop.db.session import session_scope
from shop.models.order import InvalidTransition, Order, OrderStatus
from shop.services import notifier, order_service
from shop.utils.logging_config import get_logger
from shop.utils.scheduler import periodic

log = get_logger(__name__)

FIRST_REMINDER_AFTER = timedelta(hours=1)
SECOND_REMINDER_AFTER = timedelta(hours=24)
CANCEL_AFTER = timedelta(hours=72)
JOB_INTERVAL = timedelta(hours=1)


def _remind(orders: list[Order], label: str) -> int:
    sent = 0
    with session_scope() as session:
        for order in orders:
            notification = notifier.send_payment_reminder(
                session, order.customer_id, order.number, order.grand_total, order.currency
            )
            sent += notification is not None
    log.info("%s: %d of %d unpaid orders reminded", label, sent, len(orders))
    return sent


@periodic(hours=1, name="orders.payment_reminders")
def send_payment_reminders() -> int:
    """Remind once after an hour and once after a day.

    Each run only looks at orders that crossed a threshold during the last
    interval, so a customer never receives the same reminder twice.
    """
    with session_scope() as session:
        first = order_service.unpaid_orders(
            session, FIRST_REMINDER_AFTER, FIRST_REMINDER_AFTER + JOB_INTERVAL
        )
        second = order_service.unpaid_orders(
            session, SECOND_REMINDER_AFTER, SECOND_REMINDER_AFTER + JOB_INTERVAL
        )
    return _remind(first, "first reminder") + _remind(second, "second reminder")


@periodic(hours=1, name="orders.cancel_unpaid")
def cancel_unpaid_orders() -> int:
    """Cancel orders that stayed unpaid for three days and free their stock."""
    cancelled = 0
    with session_scope() as session:
        for order in order_service.unpaid_orders(session, CANCEL_AFTER):
            try:
                order_service.cancel_order(session, order.id, "not paid within 72 hours")
                cancelled += 1
            except InvalidTransition:
                log.warning("order %s changed status while cancelling", order.number)
    if cancelled:
        log.info("cancelled %d unpaid orders", cancelled)
    return cancelled


@periodic(hours=24, name="orders.stuck_report")
def report_stuck_orders() -> list[str]:
    """Paid orders that have not shipped after five days need a human."""
    with session_scope() as session:
        stuck = [
            order.number
            for order in order_service.stale_orders(session, OrderStatus.PAID, timedelta(days=5))
        ]
    if stuck:
        log.warning("orders waiting for more than five days: %s", ", ".join(stuck))
    return stuck
