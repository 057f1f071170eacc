"""Payments captured through the payment provider, and their refunds."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import DateTime, ForeignKey, Numeric, String
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, TimestampMixin, utcnow
from shop.utils.money import ZERO, sum_money


class PaymentStatus(str, Enum):
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    FAILED = "failed"
    VOIDED = "voided"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class PaymentMethod(str, Enum):
    CARD = "card"
    PAYPAL = "paypal"
    INVOICE = "invoice"


class RefundStatus(str, Enum):
    REQUESTED = "requested"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Payment(IdMixin, TimestampMixin, Base):
    __tablename__ = "payments"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    provider: Mapped[str] = mapped_column(String(30), default="stripe")
    provider_reference: Mapped[str | None] = mapped_column(String(80), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(40), unique=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    method: Mapped[PaymentMethod] = mapped_column(SqlEnum(PaymentMethod), default=PaymentMethod.CARD)
    status: Mapped[PaymentStatus] = mapped_column(SqlEnum(PaymentStatus))
    failure_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    captured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    refunds: Mapped[list["Refund"]] = relationship(back_populates="payment")

    @property
    def refunded_amount(self) -> Decimal:
        return sum_money(r.amount for r in self.refunds if r.status is RefundStatus.SUCCEEDED)

    @property
    def refundable_amount(self) -> Decimal:
        if self.status not in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED):
            return ZERO
        return self.amount - self.refunded_amount

    def mark_captured(self, reference: str) -> None:
        self.provider_reference = reference
        self.status = PaymentStatus.CAPTURED
        self.captured_at = utcnow()

    def mark_failed(self, reason: str) -> None:
        self.status = PaymentStatus.FAILED
        self.failure_reason = reason[:200]

    def apply_refund_status(self) -> None:
        """Derive the payment status from the refunds that succeeded."""
        if self.refunded_amount >= self.amount:
            self.status = PaymentStatus.REFUNDED
        elif self.refunded_amount > ZERO:
            self.status = PaymentStatus.PARTIALLY_REFUNDED


class Refund(IdMixin, TimestampMixin, Base):
    __tablename__ = "refunds"

    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[RefundStatus] = mapped_column(SqlEnum(RefundStatus), default=RefundStatus.REQUESTED)
    provider_reference: Mapped[str | None] = mapped_column(String(80), nullable=True)

    payment: Mapped[Payment] = relationship(back_populates="refunds")
