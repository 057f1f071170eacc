"""Shipping read queries."""
from django.db.models import Count, Q

from .models import Carrier, Shipment, TrackingEvent


def shipment_for_order(order):
    return Shipment.objects.select_related("carrier").filter(order=order).first()


def shipments_awaiting_label():
    return Shipment.objects.filter(status=Shipment.Status.PENDING, carrier__isnull=False).select_related("carrier", "order")


def shipments_to_poll(stale_before):
    return (
        Shipment.objects.filter(status__in=[Shipment.Status.IN_TRANSIT, Shipment.Status.OUT_FOR_DELIVERY])
        .filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=stale_before))
        .exclude(tracking_number="")
    )


def tracking_timeline(shipment):
    return TrackingEvent.objects.filter(shipment=shipment).order_by("occurred_at")


def carrier_performance():
    return (
        Carrier.objects.annotate(
            shipments_total=Count("shipments"),
            shipments_delivered=Count("shipments", filter=Q(shipments__status=Shipment.Status.DELIVERED)),
            shipments_failed=Count("shipments", filter=Q(shipments__status=Shipment.Status.EXCEPTION)),
        )
        .order_by("name")
    )
