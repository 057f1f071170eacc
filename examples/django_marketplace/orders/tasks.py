"""Order background jobs."""
from datetime import timedelta

from celery import shared_task
from celery.utils.log import get_task_logger
from django.utils import timezone

from core.money import format_money
from notifications.tasks import deliver_user_notification, send_email

from . import selectors
from .models import Order

logger = get_task_logger(__name__)


@shared_task(name="orders.tasks.send_order_confirmation", bind=True, max_retries=3, default_retry_delay=60)
def send_order_confirmation(self, order_id: int):
    order = Order.objects.select_related("customer").prefetch_related("lines").filter(pk=order_id).first()
    if order is None:
        logger.warning("Order %s vanished before confirmation was sent", order_id)
        return None
    context = {
        "order_number": order.number,
        "customer_name": order.customer.display_name,
        "lines": [
            {"title": line.title, "quantity": line.quantity, "total": format_money(line.line_total, order.currency)}
            for line in order.lines.all()
        ],
        "shipping_total": format_money(order.shipping_total, order.currency),
        "tax_total": format_money(order.tax_total, order.currency),
        "grand_total": format_money(order.grand_total, order.currency),
        "address": order.address_snapshot,
    }
    send_email.delay([order.customer.email], "orders.confirmation", context)
    return order.number


@shared_task(name="orders.tasks.expire_unpaid_orders")
def expire_unpaid_orders(max_age_minutes: int = 60) -> int:
    # Imported lazily: services imports this module for send_order_confirmation.
    from .services import expire_unpaid_orders as expire

    return expire(max_age_minutes=max_age_minutes)


@shared_task(name="orders.tasks.remind_abandoned_carts")
def remind_abandoned_carts(hours: int = 24) -> int:
    cutoff = timezone.now() - timedelta(hours=hours)
    reminded = 0
    for cart in selectors.abandoned_carts(cutoff):
        deliver_user_notification.apply_async(
            args=[cart.user_id, "cart.abandoned", {"item_count": cart.total_quantity}],
            countdown=reminded * 2,
            queue="notifications",
        )
        reminded += 1
    logger.info("Sent %d abandoned cart reminders", reminded)
    return reminded
