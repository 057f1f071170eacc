"""HTTP endpoints for the shopping cart."""
from __future__ import annotations

from shop.db.session import session_scope
from shop.services import cart_service, coupons
from shop.services.cart_service import CartError
from shop.utils.http import Conflict, Request, Response, Router, customer_id_from, json_response, path_int
from shop.utils.validation import require_fields

router = Router("/carts")


def _optional_customer(request: Request) -> int | None:
    raw = request.headers.get("X-Customer-Id", "")
    return int(raw) if raw.isdigit() else None


@router.post("")
def create_cart(request: Request) -> Response:
    with session_scope() as session:
        cart = cart_service.get_or_create_cart(session, customer_id=_optional_customer(request))
        return json_response(cart_service.cart_summary(cart), status=201)


@router.get("/{token}")
def get_cart(request: Request, token: str) -> Response:
    with session_scope() as session:
        return json_response(cart_service.cart_summary(cart_service.get_cart_by_token(session, token)))


@router.post("/{token}/items")
def add_item(request: Request, token: str) -> Response:
    data = request.json()
    require_fields(data, "product_id")
    with session_scope() as session:
        cart = cart_service.get_cart_by_token(session, token)
        try:
            cart_service.add_item(session, cart, int(data["product_id"]), int(data.get("quantity", 1)))
        except CartError as exc:
            raise Conflict(str(exc)) from exc
        return json_response(cart_service.cart_summary(cart), status=201)


@router.put("/{token}/items/{product_id}")
def change_quantity(request: Request, token: str, product_id: str) -> Response:
    data = request.json()
    require_fields(data, "quantity")
    with session_scope() as session:
        cart = cart_service.get_cart_by_token(session, token)
        try:
            cart_service.update_quantity(session, cart, path_int(product_id), int(data["quantity"]))
        except CartError as exc:
            raise Conflict(str(exc)) from exc
        return json_response(cart_service.cart_summary(cart))


@router.delete("/{token}/items/{product_id}")
def remove_item(request: Request, token: str, product_id: str) -> Response:
    with session_scope() as session:
        cart = cart_service.get_cart_by_token(session, token)
        try:
            cart_service.remove_item(cart, path_int(product_id))
        except CartError as exc:
            raise Conflict(str(exc)) from exc
        return json_response(cart_service.cart_summary(cart))


@router.post("/{token}/coupon")
def apply_coupon(request: Request, token: str) -> Response:
    data = request.json()
    require_fields(data, "code")
    with session_scope() as session:
        try:
            cart = coupons.apply_coupon(session, token, data["code"])
        except CartError as exc:
            raise Conflict(str(exc)) from exc
        return json_response(cart_service.cart_summary(cart))


@router.delete("/{token}/coupon")
def remove_coupon(request: Request, token: str) -> Response:
    with session_scope() as session:
        return json_response(cart_service.cart_summary(coupons.remove_coupon(session, token)))


@router.post("/{token}/merge")
def merge_into_customer_cart(request: Request, token: str) -> Response:
    """Called right after login so the anonymous cart is not lost."""
    customer_id = customer_id_from(request)
    with session_scope() as session:
        cart = cart_service.merge_carts(session, token, customer_id)
        return json_response(cart_service.cart_summary(cart))
