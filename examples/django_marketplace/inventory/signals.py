"""Inventory receivers reacting to catalog and order events."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from catalog.models import Product
from orders.signals import order_cancelled

from . import services


@receiver(post_save, sender=Product, dispatch_uid="inventory.create_stock_item_for_new_product")
def create_stock_item_for_new_product(sender, instance, created, raw=False, **kwargs):
    """New products get an empty stock row in the default warehouse."""
    if created and not raw:
        services.ensure_stock_item(instance)


def restock_cancelled_order(sender, order, reason="", **kwargs):
    services.restock_order(order, reason=reason or "order cancelled")


order_cancelled.connect(restock_cancelled_order, dispatch_uid="inventory.restock_cancelled_order")
