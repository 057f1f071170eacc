"""Checkout: turns an open cart into a paid order.

The steps are ordered so that every side effect can be undone if a later
step fails: stock is reserved before the card is charged and released
again (by cancelling the order) when the charge is declined.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shop.db.session import Session
from shop.models.cart import Cart
from shop.models.order import Order
from shop.services import cart_service, catalog_service, loyalty, notifier, order_service
from shop.services import payment_gateway, shipping_service, stock_service
from shop.services.order_service import LineInput
from shop.utils.logging_config import get_logger
from shop.utils.money import ZERO

log = get_logger(__name__)


class CheckoutError(Exception):
    """Checkout could not be completed; the message is shown to the customer."""


@dataclass(frozen=True)
class CheckoutRequest:
    cart_token: str
    customer_id: int
    shipping_address_id: int
    card_token: str
    carrier_code: str = "DHL"


def _order_lines(session: Session, cart: Cart) -> list[LineInput]:
    lines = []
    for item in cart.items:
        product = catalog_service.get_product(session, item.product_id)
        lines.append(
            LineInput(
                product_id=product.id,
                sku=product.sku,
                name=product.name,
                quantity=item.quantity,
                unit_price=item.unit_price,
                weight_grams=product.weight_grams,
            )
        )
    return lines


def validate_checkout(session: Session, cart_token: str) -> list[str]:
    """Problems that would make checkout fail, for the review page."""
    cart = cart_service.get_cart_by_token(session, cart_token)
    problems = []
    if not cart.is_open:
        problems.append("This cart has already been checked out.")
    if cart.is_empty:
        problems.append("Your cart is empty.")
    for item in cart.items:
        available = stock_service.available_quantity(session, item.product_id)
        if available < item.quantity:
            problems.append(f"Only {available} units of product {item.product_id} are left.")
    return problems


def place_order(session: Session, request: CheckoutRequest) -> Order:
    """Reserve stock, charge the card and confirm the order."""
    problems = validate_checkout(session, request.cart_token)
    if problems:
        raise CheckoutError(" ".join(problems))
    cart = cart_service.get_cart_by_token(session, request.cart_token)
    lines = _order_lines(session, cart)
    weight = sum(line.weight_grams * line.quantity for line in lines)
    shipping_cost = shipping_service.quote(
        session, request.shipping_address_id, weight, request.carrier_code
    )
    order = order_service.create_order(
        session,
        request.customer_id,
        lines,
        request.shipping_address_id,
        shipping_total=shipping_cost,
        discount_total=cart.discount,
        currency=cart.currency,
    )
    try:
        stock_service.reserve_for_order(
            session, order.number, [(l.product_id, l.quantity) for l in order.lines]
        )
    except stock_service.OutOfStock as exc:
        order_service.cancel_order(session, order.id, "out of stock")
        raise CheckoutError(str(exc)) from exc
    try:
        payment_gateway.charge(session, order.id, order.grand_total, order.currency, request.card_token)
    except payment_gateway.PaymentDeclined as exc:
        order_service.cancel_order(session, order.id, "payment declined")
        raise CheckoutError("Your payment was declined.") from exc

    order_service.mark_paid(order)
    stock_service.commit_reservation(session, order.number)
    cart_service.mark_checked_out(cart)
    loyalty.award_points(session, request.customer_id, order.grand_total, order.number)
    notifier.send_order_confirmation(
        session, request.customer_id, order.number, order.grand_total, order.currency
    )
    log.info("checkout complete: order %s, total %s", order.number, order.grand_total)
    return order


def estimate_total(session: Session, cart_token: str, address_id: int, carrier_code: str) -> Decimal:
    """Total including shipping, shown before the customer confirms."""
    cart = cart_service.get_cart_by_token(session, cart_token)
    if cart.is_empty:
        return ZERO
    weight = sum(line.weight_grams * line.quantity for line in _order_lines(session, cart))
    return cart.total + shipping_service.quote(session, address_id, weight, carrier_code)
