"""HTTP endpoints for placing, viewing and cancelling orders."""
from __future__ import annotations

from shop.db.session import session_scope
from shop.models.order import InvalidTransition
from shop.services import checkout, order_service
from shop.services.checkout import CheckoutError, CheckoutRequest
from shop.utils.http import (
    BadRequest,
    Conflict,
    NotFound,
    Request,
    Response,
    Router,
    customer_id_from,
    json_response,
    path_int,
)
from shop.utils.money import format_money
from shop.utils.validation import require_fields

router = Router("/orders")


@router.get("/review/{cart_token}")
def review_checkout(request: Request, cart_token: str) -> Response:
    """Problems and estimated total shown on the order review page."""
    address_id = request.int_arg("address_id", 0)
    if address_id <= 0:
        raise BadRequest("address_id is required")
    carrier = request.arg("carrier", "DHL") or "DHL"
    with session_scope() as session:
        problems = checkout.validate_checkout(session, cart_token)
        total = None if problems else checkout.estimate_total(session, cart_token, address_id, carrier)
    return json_response({"problems": problems, "estimated_total": format_money(total) if total else None})


@router.post("")
def place_order(request: Request) -> Response:
    data = request.json()
    require_fields(data, "cart_token", "shipping_address_id", "card_token")
    checkout_request = CheckoutRequest(
        cart_token=data["cart_token"],
        customer_id=customer_id_from(request),
        shipping_address_id=int(data["shipping_address_id"]),
        card_token=data["card_token"],
        carrier_code=data.get("carrier", "DHL"),
    )
    with session_scope() as session:
        try:
            order = checkout.place_order(session, checkout_request)
        except CheckoutError as exc:
            raise Conflict(str(exc)) from exc
        return json_response(order_service.order_to_dict(order), status=201)


@router.get("")
def my_orders(request: Request) -> Response:
    with session_scope() as session:
        orders = order_service.list_orders_for_customer(session, customer_id_from(request))
        return json_response({"orders": [order_service.order_to_dict(o) for o in orders]})


@router.get("/{number}")
def get_order(request: Request, number: str) -> Response:
    customer_id = customer_id_from(request)
    with session_scope() as session:
        order = order_service.get_order_by_number(session, number)
        if order.customer_id != customer_id:
            raise NotFound(f"order {number} not found")
        return json_response(order_service.order_to_dict(order))


@router.post("/{order_id}/cancel")
def cancel_order(request: Request, order_id: str) -> Response:
    customer_id = customer_id_from(request)
    reason = request.json().get("reason", "cancelled by customer")
    with session_scope() as session:
        order = order_service.get_order(session, path_int(order_id, "order_id"))
        if order.customer_id != customer_id:
            raise NotFound(f"order {order_id} not found")
        try:
            order = order_service.cancel_order(session, order.id, reason)
        except InvalidTransition as exc:
            raise Conflict(f"order {order.number} can no longer be cancelled") from exc
        return json_response(order_service.order_to_dict(order))


@router.post("/{order_id}/delivered")
def confirm_delivery(request: Request, order_id: str) -> Response:
    """Customer confirms receipt, closing the order before the carrier does."""
    customer_id = customer_id_from(request)
    with session_scope() as session:
        order = order_service.get_order(session, path_int(order_id, "order_id"))
        if order.customer_id != customer_id:
            raise NotFound(f"order {order_id} not found")
        try:
            order_service.mark_delivered(order)
        except InvalidTransition as exc:
            raise Conflict(str(exc)) from exc
        return json_response(order_service.order_to_dict(order))
