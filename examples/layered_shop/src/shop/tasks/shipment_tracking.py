"""Polls carrier tracking APIs and tells customers when their parcel moves."""
from __future__ import annotations

import urllib.error

from shop.db.session import Session, session_scope
from shop.models.shipment import Shipment, ShipmentStatus
from shop.services import carriers, notifier, order_service, shipping_service
from shop.utils.logging_config import get_logger
from shop.utils.scheduler import periodic

log = get_logger(__name__)

# Customers are only bothered for these transitions, not every scan.
NOTIFY_ON = frozenset({ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY,
                       ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED})
LOST_AFTER_DAYS = 21


def refresh_shipment(session: Session, shipment: Shipment) -> bool:
    """Fetch new events for one shipment; returns True if its status changed."""
    carrier = carriers.get_carrier(shipment.carrier_code)
    try:
        events = carrier.fetch_events(shipment.tracking_number or "")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        log.warning("tracking %s at %s failed: %s", shipment.tracking_number, carrier.code, exc)
        return False
    changed = False
    for event in events:
        changed |= shipping_service.record_tracking_event(
            session, shipment, event.status, event.location, event.description, event.occurred_at
        )
    return changed


def _notify(session: Session, shipment: Shipment) -> None:
    if shipment.status not in NOTIFY_ON or not shipment.tracking_number:
        return
    order = order_service.get_order(session, shipment.order_id)
    if shipment.status is ShipmentStatus.DELIVERED:
        order_service.mark_delivered(order)
    notifier.send_shipment_update(
        session,
        order.customer_id,
        shipment.tracking_number,
        shipment.status.value.replace("_", " "),
        carriers.get_carrier(shipment.carrier_code).tracking_url(shipment.tracking_number),
    )


@periodic(minutes=30, name="shipping.poll_carriers")
def poll_carriers() -> int:
    updated = 0
    with session_scope() as session:
        for shipment in shipping_service.in_transit_shipments(session):
            if refresh_shipment(session, shipment):
                _notify(session, shipment)
                updated += 1
    log.info("tracking poll: %d shipments changed status", updated)
    return updated


@periodic(hours=24, name="shipping.flag_lost")
def flag_lost_shipments() -> list[str]:
    """Shipments without a scan for three weeks are reported lost to the carrier."""
    flagged = []
    with session_scope() as session:
        for shipment in shipping_service.in_transit_shipments(session):
            latest = shipment.latest_event
            reference = latest.occurred_at if latest else shipment.created_at
            if (shipment.updated_at - reference).days >= LOST_AFTER_DAYS:
                shipment.status = ShipmentStatus.LOST
                flagged.append(shipment.tracking_number or str(shipment.id))
    if flagged:
        log.error("shipments flagged as lost: %s", ", ".join(flagged))
    return flagged
