"""Products, their variants and time-limited price rules."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, SoftDeleteMixin, TimestampMixin
from shop.utils.money import add_tax, format_money, quantize


class Product(IdMixin, TimestampMixin, SoftDeleteMixin, Base):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), nullable=True)
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    category = relationship("Category", back_populates="products")
    variants: Mapped[list["ProductVariant"]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )
    price_rules: Mapped[list["PriceRule"]] = relationship(back_populates="product")

    @property
    def is_sellable(self) -> bool:
        return self.is_active and not self.is_deleted and self.price > 0

    def price_with_tax(self, rate: Decimal) -> Decimal:
        return add_tax(self.price, rate)

    @property
    def display_price(self) -> str:
        return format_money(self.price, self.currency)

    def variant_by_sku(self, sku: str) -> "ProductVariant | None":
        return next((v for v in self.variants if v.sku == sku), None)


class ProductVariant(IdMixin, Base):
    __tablename__ = "product_variants"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    attribute: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(80))
    price_delta: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0.00"))

    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def price(self) -> Decimal:
        return quantize(self.product.price + self.price_delta)

    @property
    def label(self) -> str:
        return f"{self.product.name} ({self.attribute}: {self.value})"


class PriceRule(IdMixin, TimestampMixin, Base):
    """A percentage discount on one product or a whole category."""

    __tablename__ = "price_rules"

    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), nullable=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), nullable=True)
    percent_off: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    min_quantity: Mapped[int] = mapped_column(Integer, default=1)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    product: Mapped[Product | None] = relationship(back_populates="price_rules")

    def is_active(self, now: datetime) -> bool:
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)

    def applies_to(self, product: Product, quantity: int = 1) -> bool:
        if quantity < self.min_quantity:
            return False
        if self.product_id is not None:
            return self.product_id == product.id
        return self.category_id is not None and self.category_id == product.category_id
