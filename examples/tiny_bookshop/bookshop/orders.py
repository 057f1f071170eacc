"""Order placement: prices lines, reserves stock, charges the card, confirms."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from bookshop import books, inventory, notifications
from bookshop.payments import Payment, PaymentDeclined, PaymentStatus, card_is_valid, charge
from bookshop.payments import payments_for_order, refund


class OrderStatus(str, Enum):
    PAID = "paid"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OrderLine:
    isbn: str
    quantity: int
    unit_price: Decimal

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class Order:
    order_id: str
    customer_email: str
    lines: list[OrderLine] = field(default_factory=list)
    status: OrderStatus = OrderStatus.PAID
    payment: Payment | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.subtotal for line in self.lines), Decimal("0.00"))

    @property
    def is_settled(self) -> bool:
        """Paid in full and not (even partly) refunded."""
        return self.payment is not None and self.payment.status is PaymentStatus.CAPTURED

    @property
    def quantities(self) -> dict[str, int]:
        return {line.isbn: line.quantity for line in self.lines}


_ORDERS: dict[str, Order] = {}
_SEQUENCE = itertools.count(1000)


def build_lines(items: dict[str, int]) -> list[OrderLine]:
    """Price each requested title at its current catalogue price."""
    if not items or any(q <= 0 for q in items.values()):
        raise ValueError("an order needs at least one positive quantity")
    lines = []
    for isbn, quantity in items.items():
        book = books.get_book(isbn)
        lines.append(OrderLine(book.isbn, quantity, book.price))
    return lines


def place_order(customer_email: str, items: dict[str, int], card_number: str) -> Order:
    """Reserve stock, charge the customer and send a confirmation."""
    if not card_is_valid(card_number):
        raise PaymentDeclined("card number failed validation")
    order = Order(f"ORD-{next(_SEQUENCE)}", customer_email, build_lines(items))
    inventory.reserve_many(order.quantities)
    try:
        order.payment = charge(order.order_id, order.total, card_number)
    except PaymentDeclined:
        inventory.release_many(order.quantities)
        raise
    inventory.commit_many(order.quantities)
    _ORDERS[order.order_id] = order
    notifications.send_order_confirmation(
        customer_email, order.order_id, list(order.quantities.items()), order.total
    )
    return order


def get_order(order_id: str) -> Order:
    return _ORDERS[order_id]


def refund_all(order: Order) -> list[Payment]:
    """Refund whatever is still refundable on every payment of the order."""
    refunded: list[Payment] = []
    for payment in payments_for_order(order.order_id):
        if payment.status is PaymentStatus.CAPTURED:
            refunded.append(refund(payment.payment_id))
    return refunded


def cancel_order(order_id: str) -> Order:
    """Refund the order and put the books back on the shelf."""
    order = get_order(order_id)
    if order.status is OrderStatus.CANCELLED:
        return order
    refund_all(order)
    for isbn, quantity in order.quantities.items():
        inventory.receive(isbn, quantity)
    order.status = OrderStatus.CANCELLED
    notifications.send_cancellation(order.customer_email, order_id, order.total)
    return order


def orders_for_customer(customer_email: str) -> list[Order]:
    return [o for o in _ORDERS.values() if o.customer_email == customer_email]


def revenue() -> Decimal:
    """Total value of settled orders."""
    return sum((o.total for o in _ORDERS.values() if o.is_settled), Decimal("0.00"))
