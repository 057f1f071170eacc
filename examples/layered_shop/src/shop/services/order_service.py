"""Order lifecycle: creation, status changes, cancellation and queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from shop.db.repository import NotFoundError, Repository
from shop.db.session import Session
from shop.models.order import Order, OrderLine, OrderStatus
from shop.services import stock_service
from shop.utils.ids import order_number
from shop.utils.logging_config import get_logger
from shop.utils.money import ZERO, format_money
from shop.utils.validation import require

log = get_logger(__name__)


@dataclass(frozen=True)
class LineInput:
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    weight_grams: int = 0


class OrderRepository(Repository[Order]):
    model = Order

    def by_number(self, number: str) -> Order:
        order = self.find_one(number=number)
        if order is None:
            raise NotFoundError(Order, number)
        return order

    def for_customer(self, customer_id: int) -> list[Order]:
        query = self.session.query(Order).filter_by(customer_id=customer_id)
        return query.order_by(Order.placed_at.desc()).all()

    def pending_between(self, oldest: datetime, newest: datetime) -> list[Order]:
        return (
            self.session.query(Order)
            .filter_by(status=OrderStatus.PENDING)
            .filter(Order.placed_at >= oldest, Order.placed_at < newest)
            .all()
        )


def create_order(
    session: Session,
    customer_id: int,
    lines: list[LineInput],
    shipping_address_id: int,
    shipping_total: Decimal = ZERO,
    discount_total: Decimal = ZERO,
    currency: str = "EUR",
) -> Order:
    require(bool(lines), "lines", "an order needs at least one line")
    order = Order(
        number=order_number(),
        customer_id=customer_id,
        shipping_address_id=shipping_address_id,
        currency=currency,
        shipping_total=shipping_total,
        discount_total=discount_total,
    )
    for line in lines:
        order.lines.append(OrderLine(**line.__dict__))
    order.recalculate_totals()
    log.info("order %s created for customer %s", order.number, customer_id)
    return OrderRepository(session).add(order)


def get_order(session: Session, order_id: int) -> Order:
    return OrderRepository(session).get_or_raise(order_id)


def get_order_by_number(session: Session, number: str) -> Order:
    return OrderRepository(session).by_number(number)


def list_orders_for_customer(session: Session, customer_id: int) -> list[Order]:
    return OrderRepository(session).for_customer(customer_id)


def mark_paid(order: Order) -> None:
    order.transition_to(OrderStatus.PAID)


def mark_shipped(order: Order) -> None:
    order.transition_to(OrderStatus.SHIPPED)


def mark_delivered(order: Order) -> None:
    order.transition_to(OrderStatus.DELIVERED)


def mark_refunded(order: Order) -> None:
    order.transition_to(OrderStatus.REFUNDED)


def cancel_order(session: Session, order_id: int, reason: str) -> Order:
    """Cancel an unshipped order and give its reserved stock back."""
    order = get_order(session, order_id)
    order.transition_to(OrderStatus.CANCELLED)
    order.cancel_reason = reason[:200]
    released = stock_service.release_reservation(session, order.number)
    log.info("order %s cancelled (%s), %d units released", order.number, reason, released)
    return order


def unpaid_orders(
    session: Session, older_than: timedelta, younger_than: timedelta | None = None
) -> list[Order]:
    """Pending orders placed in the window ``[now - younger_than, now - older_than)``."""
    now = datetime.now(timezone.utc)
    oldest = now - younger_than if younger_than else datetime.min.replace(tzinfo=timezone.utc)
    return OrderRepository(session).pending_between(oldest, now - older_than)


def stale_orders(session: Session, status: OrderStatus, older_than: timedelta) -> list[Order]:
    """Orders that have been sitting in ``status`` since before ``now - older_than``."""
    cutoff = datetime.now(timezone.utc) - older_than
    query = session.query(Order).filter_by(status=status).filter(Order.updated_at < cutoff)
    return query.order_by(Order.placed_at).all()


def order_to_dict(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "status": order.status.value,
        "placed_at": order.placed_at.isoformat(),
        "lines": [
            {"sku": l.sku, "name": l.name, "quantity": l.quantity, "unit_price": str(l.unit_price)}
            for l in order.lines
        ],
        "subtotal": format_money(order.subtotal, order.currency),
        "shipping": format_money(order.shipping_total, order.currency),
        "discount": format_money(order.discount_total, order.currency),
        "total": format_money(order.grand_total, order.currency),
    }
