"""Order placement: reserves the books, charges the card, confirms; and cancellation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from bookshop import inventory, notifications, payments
from bookshop.inventory import Reservation
from bookshop.payments import Payment, PaymentDeclined


class OrderStatus(StrEnum):
    """Life cycle of an order as the customer sees it."""

    PAID = "paid"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OrderLine:
    """One title of an order, priced when the order was placed."""

    isbn: str
    title: str
    quantity: int
    unit_price: Decimal

    @property
    def subtotal(self) -> Decimal:
        """Price of this line."""
        return self.unit_price * self.quantity


@dataclass
class Order:
    """A customer's purchase: priced lines, the stock held for them, and the payment."""

    order_id: str
    customer_email: str
    reservation_id: str
    lines: list[OrderLine] = field(default_factory=list)
    status: OrderStatus = OrderStatus.PAID
    payment_id: str = ""

    @property
    def total(self) -> Decimal:
        """Amount charged for the whole order."""
        return sum((line.subtotal for line in self.lines), Decimal("0.00"))

    @property
    def receipt(self) -> list[tuple[str, int, Decimal]]:
        """(title, quantity, subtotal) per line, as printed on e-mails."""
        return [(line.title, line.quantity, line.subtotal) for line in self.lines]


_ORDERS: dict[str, Order] = {}
_SEQUENCE = itertools.count(1000)


def lines_from(reservation: Reservation) -> list[OrderLine]:
    """Price every held book at the catalogue price it had when it was reserved."""
    return [
        OrderLine(line.book.isbn, line.book.display_name, line.quantity, line.book.price)
        for line in reservation.lines
    ]


def place_order(customer_email: str, items: dict[str, int], card_number: str) -> Order:
    """Reserve the books, charge the customer's card and send the confirmation.

    Raises PaymentDeclined (nothing stays reserved) or inventory.OutOfStock
    (nothing is charged).
    """
    if "@" not in customer_email:
        raise ValueError(f"not an e-mail address: {customer_email!r}")
    if not payments.card_is_valid(card_number):
        raise PaymentDeclined("card number failed validation")
    reservation = inventory.reserve(items)
    order = Order(
        f"ORD-{next(_SEQUENCE)}",
        customer_email,
        reservation.reservation_id,
        lines_from(reservation),
    )
    try:
        payment = payments.authorize(order.order_id, order.total, card_number)
    except PaymentDeclined:
        inventory.release(reservation.reservation_id)
        raise
    payments.capture(payment.payment_id)
    order.payment_id = payment.payment_id
    _ORDERS[order.order_id] = order
    notifications.send_order_confirmation(customer_email, order.order_id, order.receipt, payment)
    return order


def get_order(order_id: str) -> Order:
    """The order with this id; raises KeyError for unknown ids."""
    return _ORDERS[order_id]


def payment_of(order: Order) -> Payment:
    """The card payment that settled the order."""
    return payments.get_payment(order.payment_id)


def cancel_order(order_id: str) -> Order:
    """Cancel an order not yet dispatched: put the books back on sale and refund the card.

    Raises inventory.AlreadyDispatched once the books have left the warehouse.
    """
    order = get_order(order_id)
    if order.status is OrderStatus.CANCELLED:
        return order
    inventory.release(order.reservation_id)
    refunded = payments.refund(order.payment_id)
    order.status = OrderStatus.CANCELLED
    notifications.send_cancellation(order.customer_email, order_id, refunded)
    return order


def orders_for_customer(customer_email: str) -> list[Order]:
    """A customer's orders, oldest first."""
    return [o for o in _ORDERS.values() if o.customer_email == customer_email]


def revenue() -> Decimal:
    """Money kept from all orders: captured payments minus refunds."""
    return sum(
        (p.net for order in _ORDERS.values() for p in payments.payments_for_order(order.order_id)),
        Decimal("0.00"),
    )
