"""Inventory background jobs."""
from celery import shared_task
from celery.utils.log import get_task_logger
from django.conf import settings

from config.celery import app

from . import selectors

logger = get_task_logger(__name__)


@shared_task(name="inventory.tasks.check_low_stock_levels")
def check_low_stock_levels() -> int:
    """Email operations a digest of items at or below their reorder level."""
    items = list(selectors.low_stock_items())
    if not items:
        return 0
    lines = [
        f"{item.product.sku} @ {item.warehouse.code}: {item.available} available (reorder level {item.reorder_level})"
        for item in items
    ]
    # Dispatched by name so inventory workers don't need the notifications code.
    app.send_task(
        "notifications.tasks.send_email",
        args=[settings.INVENTORY_ALERT_RECIPIENTS, "inventory.low_stock", {"lines": lines, "count": len(lines)}],
        queue="notifications",
    )
    logger.info("Reported %d low stock items", len(items))
    return len(items)


@shared_task(name="inventory.tasks.snapshot_stock_value")
def snapshot_stock_value() -> list:
    rows = [
        {"warehouse": row["warehouse__code"], "units": row["units"] or 0, "value": str(row["value"] or 0)}
        for row in selectors.stock_value_by_warehouse()
    ]
    logger.info("Stock value snapshot: %s", rows)
    return rows
