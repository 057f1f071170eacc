"""Shopping carts and their line items."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, TimestampMixin, utcnow
from shop.utils.money import ZERO, quantize, sum_money

MAX_ITEMS_PER_CART = 50
ABANDON_AFTER = timedelta(days=3)


class CartStatus(str, Enum):
    OPEN = "open"
    CHECKED_OUT = "checked_out"
    ABANDONED = "abandoned"


class Cart(IdMixin, TimestampMixin, Base):
    __tablename__ = "carts"

    token: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    status: Mapped[CartStatus] = mapped_column(SqlEnum(CartStatus), default=CartStatus.OPEN)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    coupon_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=ZERO)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    items: Mapped[list["CartItem"]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartItem.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status is CartStatus.OPEN

    @property
    def is_empty(self) -> bool:
        return not self.items

    @property
    def item_count(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def subtotal(self) -> Decimal:
        return sum_money(item.line_total for item in self.items)

    @property
    def discount(self) -> Decimal:
        return quantize(self.subtotal * self.discount_percent / 100)

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount

    def find_item(self, product_id: int) -> "CartItem | None":
        return next((i for i in self.items if i.product_id == product_id), None)

    def is_stale(self, now: datetime) -> bool:
        return self.is_open and now - self.last_activity_at > ABANDON_AFTER

    def touch_activity(self) -> None:
        self.last_activity_at = utcnow()


class CartItem(IdMixin, Base):
    __tablename__ = "cart_items"

    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    cart: Mapped[Cart] = relationship(back_populates="items")

    @property
    def line_total(self) -> Decimal:
        return quantize(self.unit_price * self.quantity)
