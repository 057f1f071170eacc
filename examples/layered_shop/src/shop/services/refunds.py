"""Refunds of captured payments, full or partial."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from shop.db.base import model_to_dict
from shop.db.session import Session
from shop.models.payment import Payment, Refund, RefundStatus
from shop.services import order_service
from shop.services.payment_gateway import PaymentProviderError, get_client, get_payment, payments_for_order
from shop.utils.ids import idempotency_key
from shop.utils.logging_config import get_logger
from shop.utils.money import ZERO, quantize, to_cents
from shop.utils.validation import ValidationError

log = get_logger(__name__)


class RefundError(Exception):
    """The refund could not be issued."""


def _issue(session: Session, payment: Payment, amount: Decimal, reason: str) -> Refund:
    refund = Refund(payment_id=payment.id, amount=amount, reason=reason[:200])
    session.add(refund)
    session.flush()
    key = idempotency_key("refund", payment.id, refund.id, to_cents(amount))
    try:
        result = get_client().create_refund(payment.provider_reference or "", to_cents(amount), key)
    except PaymentProviderError as exc:
        refund.status = RefundStatus.FAILED
        raise RefundError(f"provider rejected refund for payment {payment.id}: {exc}") from exc
    refund.status = RefundStatus.SUCCEEDED
    refund.provider_reference = result.get("id")
    payment.apply_refund_status()
    log.info("refunded %s of payment %s (%s)", amount, payment.id, reason)
    return refund


def refund_payment(
    session: Session, payment_id: int, amount: Decimal | None = None, reason: str = "customer request"
) -> Refund:
    """Refund ``amount`` (default: everything still refundable) of one payment."""
    payment = get_payment(session, payment_id)
    refundable = payment.refundable_amount
    if refundable <= ZERO:
        raise RefundError(f"payment {payment_id} has nothing left to refund")
    to_refund = refundable if amount is None else quantize(amount)
    if not ZERO < to_refund <= refundable:
        raise ValidationError("amount", f"must be between 0.01 and {refundable}")
    return _issue(session, payment, to_refund, reason)


def refund_order(session: Session, order_id: int, reason: str) -> list[Refund]:
    """Refund every captured payment of an order and mark the order refunded."""
    order = order_service.get_order(session, order_id)
    refunds = [
        _issue(session, payment, payment.refundable_amount, reason)
        for payment in payments_for_order(session, order_id)
        if payment.refundable_amount > ZERO
    ]
    if not refunds:
        raise RefundError(f"order {order.number} has no refundable payments")
    order_service.mark_refunded(order)
    return refunds


def refunds_for_payment(session: Session, payment_id: int) -> list[Refund]:
    return session.query(Refund).filter_by(payment_id=payment_id).order_by(Refund.created_at).all()


def total_refunded(session: Session, order_id: int) -> Decimal:
    return quantize(sum((p.refunded_amount for p in payments_for_order(session, order_id)), ZERO))


def refund_to_dict(refund: Refund) -> dict[str, Any]:
    return model_to_dict(refund)
