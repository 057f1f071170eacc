"""Shipping receivers."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from orders.signals import order_paid

from . import services
from .models import Shipment
from .tasks import POLL_INTERVAL_SECONDS, poll_tracking, purchase_label_task


def create_shipment_on_payment(sender, order, **kwargs):
    """As soon as an order is paid, create its shipment and buy a label."""
    shipment = services.create_shipment_for_order(order)
    if shipment.carrier_id and shipment.status == Shipment.Status.PENDING:
        purchase_label_task.delay(shipment.pk)


order_paid.connect(create_shipment_on_payment, dispatch_uid="shipping.create_shipment_on_payment")


@receiver(post_save, sender=Shipment, dispatch_uid="shipping.schedule_tracking_poll")
def schedule_tracking_poll(sender, instance, created, raw=False, **kwargs):
    """Start the polling chain when a shipment goes in transit."""
    if raw or instance.status != Shipment.Status.IN_TRANSIT or instance.last_polled_at is not None:
        return
    shipment_id = instance.pk
    transaction.on_commit(lambda: poll_tracking.apply_async(args=[shipment_id], countdown=POLL_INTERVAL_SECONDS))
