"""Shipping: quotes, dispatching orders and applying tracking events."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from shop.db.base import model_to_dict
from shop.db.repository import NotFoundError, Repository
from shop.db.session import Session
from shop.models.address import Address
from shop.models.shipment import Shipment, ShipmentStatus, TrackingEvent
from shop.services import carriers, order_service
from shop.utils.logging_config import get_logger

log = get_logger(__name__)


class ShippingError(Exception):
    """No carrier can take the parcel, or the shipment is in the wrong state."""


class ShipmentRepository(Repository[Shipment]):
    model = Shipment

    def for_order(self, order_id: int) -> list[Shipment]:
        return self.list(order_id=order_id)

    def by_tracking(self, tracking_number: str) -> Shipment:
        shipment = self.find_one(tracking_number=tracking_number)
        if shipment is None:
            raise NotFoundError(Shipment, tracking_number)
        return shipment

    def in_transit(self) -> list[Shipment]:
        active = (ShipmentStatus.LABEL_CREATED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY)
        return self.session.query(Shipment).filter(Shipment.status.in_(active)).all()


def _address(session: Session, address_id: int) -> Address:
    address = session.get(Address, address_id)
    if address is None or not address.is_complete():
        raise ShippingError(f"address {address_id} is missing or incomplete")
    return address


def quote(session: Session, address_id: int, weight_grams: int, carrier_code: str = "DHL") -> Decimal:
    address = _address(session, address_id)
    try:
        return carriers.get_carrier(carrier_code).rate(address.country, weight_grams)
    except ValueError as exc:
        raise ShippingError(str(exc)) from exc


def cheapest_quote(session: Session, address_id: int, weight_grams: int) -> tuple[str, Decimal]:
    address = _address(session, address_id)
    options = [(c.code, c.rate(address.country, weight_grams))
               for c in carriers.carriers_for(address.country, weight_grams)]
    if not options:
        raise ShippingError(f"no carrier ships {weight_grams} g to {address.country}")
    return min(options, key=lambda option: option[1])


def dispatch_order(session: Session, order_id: int, carrier_code: str | None = None) -> Shipment:
    """Book a label for a paid order and mark it shipped."""
    order = order_service.get_order(session, order_id)
    if order.shipping_address_id is None:
        raise ShippingError(f"order {order.number} has no shipping address")
    address = _address(session, order.shipping_address_id)
    weight = order.total_weight_grams
    if carrier_code is None:
        carrier_code, cost = cheapest_quote(session, address.id, weight)
    else:
        cost = quote(session, address.id, weight, carrier_code)
    carrier = carriers.get_carrier(carrier_code)
    shipment = Shipment(order_id=order.id, address_id=address.id, carrier_code=carrier.code,
                        weight_grams=weight, cost=cost)
    shipment.tracking_number = carrier.book(order.number, weight, address.label_lines())
    ShipmentRepository(session).add(shipment)
    order_service.mark_shipped(order)
    log.info("order %s dispatched with %s (%s)", order.number, carrier.name, shipment.tracking_number)
    return shipment


def record_tracking_event(session: Session, shipment: Shipment, status: ShipmentStatus,
                          location: str, description: str, occurred_at: datetime) -> bool:
    """Store a carrier event; returns True when the shipment status changed."""
    if any(e.status == status and e.occurred_at == occurred_at for e in shipment.events):
        return False
    event = TrackingEvent(status=status, location=location, description=description, occurred_at=occurred_at)
    shipment.events.append(event)
    session.add(event)
    return shipment.apply_event(event)


def shipments_for_order(session: Session, order_id: int) -> list[Shipment]:
    return ShipmentRepository(session).for_order(order_id)


def get_shipment_by_tracking(session: Session, tracking_number: str) -> Shipment:
    return ShipmentRepository(session).by_tracking(tracking_number)


def in_transit_shipments(session: Session) -> list[Shipment]:
    return ShipmentRepository(session).in_transit()


def shipment_to_dict(shipment: Shipment) -> dict[str, Any]:
    data = model_to_dict(shipment)
    if shipment.tracking_number:
        data["tracking_url"] = carriers.get_carrier(shipment.carrier_code).tracking_url(shipment.tracking_number)
    data["events"] = [
        {"status": e.status.value, "location": e.location, "at": e.occurred_at.isoformat()}
        for e in shipment.events
    ]
    return data
