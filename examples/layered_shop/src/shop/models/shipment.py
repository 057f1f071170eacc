"""Shipments handed to carriers and the tracking events they report."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, TimestampMixin, utcnow


class ShipmentStatus(str, Enum):
    LABEL_CREATED = "label_created"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    RETURNED = "returned"
    LOST = "lost"


FINAL_STATUSES = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED, ShipmentStatus.LOST})


class Shipment(IdMixin, TimestampMixin, Base):
    __tablename__ = "shipments"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
    carrier_code: Mapped[str] = mapped_column(String(10))
    service_level: Mapped[str] = mapped_column(String(20), default="standard")
    tracking_number: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    status: Mapped[ShipmentStatus] = mapped_column(
        SqlEnum(ShipmentStatus), default=ShipmentStatus.LABEL_CREATED
    )
    weight_grams: Mapped[int] = mapped_column(Integer)
    cost: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    events: Mapped[list["TrackingEvent"]] = relationship(
        back_populates="shipment", order_by="TrackingEvent.occurred_at"
    )

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def latest_event(self) -> "TrackingEvent | None":
        return self.events[-1] if self.events else None

    def apply_event(self, event: "TrackingEvent") -> bool:
        """Update the status from a carrier event; returns True when it changed."""
        if self.is_final or event.status == self.status:
            return False
        self.status = event.status
        if event.status is ShipmentStatus.IN_TRANSIT and self.shipped_at is None:
            self.shipped_at = event.occurred_at
        if event.status is ShipmentStatus.DELIVERED:
            self.delivered_at = event.occurred_at
        return True

    @property
    def transit_days(self) -> int | None:
        if self.shipped_at is None or self.delivered_at is None:
            return None
        return (self.delivered_at - self.shipped_at).days


class TrackingEvent(IdMixin, Base):
    __tablename__ = "tracking_events"

    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    status: Mapped[ShipmentStatus] = mapped_column(SqlEnum(ShipmentStatus))
    location: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(String(240), default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    shipment: Mapped[Shipment] = relationship(back_populates="events")
