"""Orders, order lines and the order status machine."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, TimestampMixin, utcnow
from shop.utils.money import ZERO, quantize, sum_money


class OrderStatus(str, Enum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


ALLOWED_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.REFUNDED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}


class InvalidTransition(Exception):
    """The requested status change is not allowed from the current status."""


class Order(IdMixin, TimestampMixin, Base):
    __tablename__ = "orders"

    number: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    shipping_address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    status: Mapped[OrderStatus] = mapped_column(SqlEnum(OrderStatus), default=OrderStatus.PENDING)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    subtotal: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=ZERO)
    discount_total: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=ZERO)
    shipping_total: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=ZERO)
    grand_total: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=ZERO)
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancel_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)

    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", cascade="all, delete-orphan"
    )

    def can_transition(self, new_status: OrderStatus) -> bool:
        return new_status in ALLOWED_TRANSITIONS[self.status]

    def transition_to(self, new_status: OrderStatus) -> None:
        if not self.can_transition(new_status):
            raise InvalidTransition(f"{self.number}: {self.status.value} -> {new_status.value}")
        self.status = new_status

    def recalculate_totals(self) -> Decimal:
        self.subtotal = sum_money(line.line_total for line in self.lines)
        self.grand_total = quantize(self.subtotal - self.discount_total + self.shipping_total)
        return self.grand_total

    @property
    def is_open(self) -> bool:
        return self.status in (OrderStatus.PENDING, OrderStatus.PAID)

    @property
    def total_weight_grams(self) -> int:
        return sum(line.weight_grams * line.quantity for line in self.lines)


class OrderLine(IdMixin, Base):
    """A product as it was sold: name and price are copied at order time."""

    __tablename__ = "order_lines"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def line_total(self) -> Decimal:
        return quantize(self.unit_price * self.quantity)
