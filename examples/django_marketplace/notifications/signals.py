"""Notification receivers: turn domain events from other apps into messages."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from orders.models import Order
from orders.signals import order_paid
from shipping.models import Shipment

from .tasks import deliver_user_notification

SHIPMENT_STATUS_KINDS = {
    Shipment.Status.IN_TRANSIT: "shipping.in_transit",
    Shipment.Status.OUT_FOR_DELIVERY: "shipping.out_for_delivery",
    Shipment.Status.DELIVERED: "shipping.delivered",
    Shipment.Status.EXCEPTION: "shipping.exception",
}


@receiver(post_save, sender=Order, dispatch_uid="notifications.notify_order_received")
def notify_order_received(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    customer_id, number = instance.customer_id, instance.number
    transaction.on_commit(lambda: deliver_user_notification.delay(customer_id, "orders.received", {"order_number": number}))


def notify_order_paid(sender, order, payment=None, **kwargs):
    deliver_user_notification.delay(
        order.customer_id,
        "orders.paid",
        {"order_number": order.number, "amount": str(order.grand_total), "currency": order.currency},
    )


order_paid.connect(notify_order_paid, dispatch_uid="notifications.notify_order_paid")


@receiver(post_save, sender=Shipment, dispatch_uid="notifications.notify_shipment_status")
def notify_shipment_status(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "status" not in update_fields):
        return
    kind = SHIPMENT_STATUS_KINDS.get(instance.status)
    if kind is None:
        return
    order = instance.order
    deliver_user_notification.delay(
        order.customer_id,
        kind,
        {"order_number": order.number, "tracking_number": instance.tracking_number, "tracking_url": instance.tracking_url},
    )
