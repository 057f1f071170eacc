"""Shipment lifecycle."""
import logging

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError, InvalidStateTransition
from orders import services as order_services
from orders.models import Order

from . import rates
from .carriers import client_for
from .models import Shipment, TrackingEvent

logger = logging.getLogger(__name__)


def order_weight(order) -> int:
    return sum(line.product.weight_grams * line.quantity for line in order.lines.select_related("product"))


@transaction.atomic
def create_shipment_for_order(order) -> Shipment:
    """Create the shipment for a paid order and move the order to fulfilment."""
    weight = order_weight(order)
    rate = rates.cheapest_rate(order.address_snapshot.get("country_code", ""), weight)
    shipment, created = Shipment.objects.get_or_create(
        order=order,
        defaults={
            "carrier": rate.carrier if rate else None,
            "address_id": order.shipping_address_id,
            "weight_grams": weight,
            "cost": rate.price if rate else order.shipping_total,
            "currency": order.currency,
        },
    )
    if created and order.status == Order.Status.PAID:
        order_services.start_fulfilment(order)
    if created and rate is None:
        logger.warning("No shipping rate for order %s; carrier must be assigned manually", order.number)
    return shipment


def purchase_label(shipment) -> Shipment:
    if shipment.status != Shipment.Status.PENDING:
        raise InvalidStateTransition(f"Shipment {shipment.pk} already has a label.")
    if shipment.carrier is None:
        raise DomainError("Assign a carrier before buying a label.", code="no_carrier")
    result = client_for(shipment.carrier).purchase_label(
        shipment_reference=shipment.order.number,
        address=shipment.order.address_snapshot,
        weight_grams=shipment.weight_grams,
    )
    shipment.tracking_number = result.tracking_number
    shipment.label_url = result.label_url
    shipment.cost = result.cost or shipment.cost
    shipment.status = Shipment.Status.LABEL_PURCHASED
    shipment.save(update_fields=["tracking_number", "label_url", "cost", "status", "updated_at"])
    return shipment


@transaction.atomic
def dispatch(shipment, *, actor=None) -> Shipment:
    """Hand the parcel to the carrier."""
    if shipment.status != Shipment.Status.LABEL_PURCHASED:
        raise InvalidStateTransition("Only shipments with a label can be dispatched.")
    shipment.status = Shipment.Status.IN_TRANSIT
    shipment.shipped_at = timezone.now()
    shipment.save(update_fields=["status", "shipped_at", "updated_at"])
    order_services.mark_shipped(shipment.order, tracking_number=shipment.tracking_number, actor=actor)
    return shipment


@transaction.atomic
def apply_tracking_updates(shipment, updates) -> int:
    existing = set(shipment.events.values_list("occurred_at", "status"))
    new_events = [
        TrackingEvent(shipment=shipment, status=update.status, description=update.description,
                      location=update.location, occurred_at=update.occurred_at, raw=update.raw)
        for update in updates
        if (update.occurred_at, update.status) not in existing
    ]
    TrackingEvent.objects.bulk_create(new_events)
    update_fields = ["last_polled_at", "updated_at"]
    shipment.last_polled_at = timezone.now()
    if new_events:
        latest = max(new_events, key=lambda event: event.occurred_at)
        if latest.status != shipment.status:
            shipment.status = latest.status
            update_fields.append("status")
        if latest.status == Shipment.Status.DELIVERED and shipment.delivered_at is None:
            shipment.delivered_at = latest.occurred_at
            update_fields.append("delivered_at")
            order_services.mark_delivered(shipment.order)
    shipment.save(update_fields=update_fields)
    return len(new_events)


def refresh_tracking(shipment) -> int:
    if not shipment.tracking_number or shipment.carrier is None:
        return 0
    updates = client_for(shipment.carrier).fetch_tracking(shipment.tracking_number)
    return apply_tracking_updates(shipment, updates)


def assign_carrier(shipment, carrier) -> Shipment:
    if shipment.status != Shipment.Status.PENDING:
        raise InvalidStateTransition("The carrier can only change before the label is bought.")
    shipment.carrier = carrier
    shipment.save(update_fields=["carrier", "updated_at"])
    return shipment
