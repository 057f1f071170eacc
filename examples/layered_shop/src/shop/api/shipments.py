"""HTTP endpoints for shipping quotes, dispatch and parcel tracking."""
from __future__ import annotations

import json

from shop.db.session import session_scope
from shop.models.order import InvalidTransition
from shop.services import carriers, shipping_service
from shop.services.shipping_service import ShippingError
from shop.utils.http import BadRequest, Conflict, Request, Response, Router, json_response, path_int
from shop.utils.logging_config import get_logger

log = get_logger(__name__)

router = Router("/shipments")


@router.get("/quote")
def quote(request: Request) -> Response:
    """Shipping price for a parcel; without a carrier the cheapest one is chosen."""
    address_id = request.int_arg("address_id", 0)
    weight = request.int_arg("weight_grams", 0)
    if address_id <= 0 or weight <= 0:
        raise BadRequest("address_id and weight_grams are required")
    carrier_code = request.arg("carrier")
    with session_scope() as session:
        try:
            if carrier_code:
                cost = shipping_service.quote(session, address_id, weight, carrier_code)
            else:
                carrier_code, cost = shipping_service.cheapest_quote(session, address_id, weight)
        except ShippingError as exc:
            raise Conflict(str(exc)) from exc
    return json_response({"carrier": carrier_code, "cost": str(cost)})


@router.post("/orders/{order_id}/dispatch")
def dispatch(request: Request, order_id: str) -> Response:
    carrier_code = request.json().get("carrier")
    with session_scope() as session:
        try:
            shipment = shipping_service.dispatch_order(session, path_int(order_id, "order_id"), carrier_code)
        except (ShippingError, InvalidTransition) as exc:
            raise Conflict(str(exc)) from exc
        return json_response(shipping_service.shipment_to_dict(shipment), status=201)


@router.get("/orders/{order_id}")
def shipments_for_order(request: Request, order_id: str) -> Response:
    with session_scope() as session:
        shipments = shipping_service.shipments_for_order(session, path_int(order_id, "order_id"))
        return json_response({"shipments": [shipping_service.shipment_to_dict(s) for s in shipments]})


@router.get("/track/{tracking_number}")
def track(request: Request, tracking_number: str) -> Response:
    with session_scope() as session:
        shipment = shipping_service.get_shipment_by_tracking(session, tracking_number)
        return json_response(shipping_service.shipment_to_dict(shipment))


@router.post("/webhooks/{carrier_code}")
def carrier_webhook(request: Request, carrier_code: str) -> Response:
    """Push notifications from carriers that support them (DHL, UPS)."""
    try:
        carrier = carriers.get_carrier(carrier_code)
        payload = json.loads(request.body.decode("utf-8"))
        events = carrier.parse_events(payload)
    except (ValueError, KeyError) as exc:
        raise BadRequest(str(exc)) from exc
    changed = 0
    with session_scope() as session:
        shipment = shipping_service.get_shipment_by_tracking(session, payload["tracking_number"])
        for event in events:
            changed += shipping_service.record_tracking_event(
                session, shipment, event.status, event.location, event.description, event.occurred_at
            )
        status = shipment.status.value
    log.info("%s webhook: %d events, %d status changes", carrier.code, len(events), changed)
    return json_response({"status": status, "events": len(events)})
