"""Warehouses, stock levels per product, reservations and stock movements."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, TimestampMixin, utcnow


class Warehouse(IdMixin, Base):
    __tablename__ = "warehouses"

    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(2))
    priority: Mapped[int] = mapped_column(Integer, default=100)

    levels: Mapped[list["StockLevel"]] = relationship(back_populates="warehouse")


class StockLevel(IdMixin, TimestampMixin, Base):
    __tablename__ = "stock_levels"
    __table_args__ = (UniqueConstraint("product_id", "warehouse_id"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    reorder_point: Mapped[int] = mapped_column(Integer, default=5)

    warehouse: Mapped[Warehouse] = relationship(back_populates="levels")
    reservations: Mapped[list["StockReservation"]] = relationship(back_populates="stock_level")

    @property
    def available(self) -> int:
        return max(self.on_hand - self.reserved, 0)

    @property
    def needs_reorder(self) -> bool:
        return self.available <= self.reorder_point

    def can_reserve(self, quantity: int) -> bool:
        return 0 < quantity <= self.available


class StockReservation(IdMixin, TimestampMixin, Base):
    """Units held for an order until it is paid, shipped or expires."""

    __tablename__ = "stock_reservations"

    stock_level_id: Mapped[int] = mapped_column(ForeignKey("stock_levels.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released: Mapped[bool] = mapped_column(default=False)
    committed: Mapped[bool] = mapped_column(default=False)

    stock_level: Mapped[StockLevel] = relationship(back_populates="reservations")

    @property
    def is_active(self) -> bool:
        return not (self.released or self.committed)

    def is_expired(self, now: datetime) -> bool:
        return self.is_active and now >= self.expires_at


class StockMovement(IdMixin, Base):
    """Audit trail of every change to on-hand quantities."""

    __tablename__ = "stock_movements"

    stock_level_id: Mapped[int] = mapped_column(ForeignKey("stock_levels.id"), index=True)
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))
    reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_inbound(self) -> bool:
        return self.delta > 0
