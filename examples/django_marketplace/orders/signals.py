"""Order lifecycle signals and order-internal receivers.

Custom signals (other apps connect to these):

* ``order_placed(order)`` - checkout completed.
* ``order_paid(order, payment)`` - payment captured.
* ``order_cancelled(order, reason)`` - order cancelled.
"""
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from .models import Order, OrderStatusHistory

order_placed = Signal()
order_paid = Signal()
order_cancelled = Signal()


@receiver(post_save, sender=Order, dispatch_uid="orders.record_initial_status")
def record_initial_status(sender, instance, created, raw=False, **kwargs):
    """Start the status history with the status the order was created in."""
    if created and not raw:
        OrderStatusHistory.objects.create(order=instance, from_status="", to_status=instance.status, note="Order placed")
