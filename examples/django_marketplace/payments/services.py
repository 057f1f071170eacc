"""Payment flows: starting, capturing and refunding payments."""
import logging

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError, InvalidStateTransition
from core.money import quantize
from orders.models import Order
from orders.signals import order_paid

from . import selectors
from .gateway import get_gateway
from .models import Payment, Refund, WebhookEvent

logger = logging.getLogger(__name__)


def start_payment(order) -> Payment:
    """Create (or reuse) the payment intent for an order awaiting payment."""
    if order.status != Order.Status.PENDING_PAYMENT:
        raise InvalidStateTransition(f"Order {order.number} is not awaiting payment.")
    payment, _ = Payment.objects.get_or_create(order=order, defaults={"amount": order.grand_total, "currency": order.currency})
    if payment.is_settled:
        raise DomainError("This order has already been paid.", code="already_paid")
    if payment.client_secret and payment.amount == order.grand_total and payment.status != Payment.Status.FAILED:
        return payment
    result = get_gateway().create_intent(
        amount=order.grand_total, currency=order.currency, reference=order.number, metadata={"order_id": order.pk}
    )
    payment.amount = order.grand_total
    payment.provider_reference = result.reference
    payment.client_secret = result.raw.get("client_secret", "")
    payment.raw_response = result.raw
    payment.attempts += 1
    if result.ok:
        payment.status = Payment.Status.PENDING
        payment.failure_code = payment.failure_message = ""
    else:
        payment.status = Payment.Status.FAILED
        payment.failure_code, payment.failure_message = result.error_code[:64], result.error_message[:255]
    payment.save()
    return payment


def mark_failed(payment, code: str, message: str) -> Payment:
    payment.status = Payment.Status.FAILED
    payment.failure_code = (code or "unknown")[:64]
    payment.failure_message = (message or "")[:255]
    payment.attempts += 1
    payment.save(update_fields=["status", "failure_code", "failure_message", "attempts", "updated_at"])
    logger.info("Payment %s failed: %s", payment.pk, payment.failure_code)
    return payment


def finalize_capture(payment, raw=None) -> Payment:
    """Record a successful capture and mark the order as paid.

    The payment flow writes ``Order.status`` directly instead of going
    through the orders app, then broadcasts ``order_paid``.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == Payment.Status.CAPTURED:
            return payment
        now = timezone.now()
        payment.status = Payment.Status.CAPTURED
        payment.captured_at = now
        if raw:
            payment.raw_response = raw
        payment.save(update_fields=["status", "captured_at", "raw_response", "updated_at"])
        Order.objects.filter(pk=payment.order_id, status=Order.Status.PENDING_PAYMENT).update(
            status=Order.Status.PAID, paid_at=now, updated_at=now
        )
        order = Order.objects.get(pk=payment.order_id)
        transaction.on_commit(lambda: order_paid.send(sender=Payment, order=order, payment=payment))
    logger.info("Captured payment %s for order %s", payment.pk, order.number)
    return payment


def capture_payment(payment) -> Payment:
    if payment.status == Payment.Status.CAPTURED:
        return payment
    if payment.status not in (Payment.Status.PENDING, Payment.Status.AUTHORIZED):
        raise InvalidStateTransition(f"Payment {payment.pk} cannot be captured from {payment.status}.")
    result = get_gateway().capture(payment.provider_reference, payment.amount)
    if not result.ok:
        return mark_failed(payment, result.error_code, result.error_message)
    return finalize_capture(payment, result.raw)


@transaction.atomic
def refund_payment(payment, *, amount=None, reason: str = "", order_line=None, actor=None) -> Refund:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status not in (Payment.Status.CAPTURED, Payment.Status.PARTIALLY_REFUNDED):
        raise InvalidStateTransition("Only captured payments can be refunded.")
    refundable = selectors.refundable_amount(payment)
    amount = quantize(amount if amount is not None else refundable)
    if amount <= 0 or amount > refundable:
        raise DomainError(f"Refund amount must be between 0.01 and {refundable}.", code="invalid_amount")
    refund = Refund.objects.create(payment=payment, amount=amount, reason=reason, order_line=order_line, requested_by=actor)
    result = get_gateway().refund(payment.provider_reference, amount, reason)
    refund.processed_at = timezone.now()
    if not result.ok:
        refund.status = Refund.Status.FAILED
        refund.save(update_fields=["status", "processed_at", "updated_at"])
        logger.warning("Refund %s failed at gateway: %s", refund.pk, result.error_message)
        return refund
    refund.status = Refund.Status.SUCCEEDED
    refund.provider_reference = result.reference
    refund.save(update_fields=["status", "provider_reference", "processed_at", "updated_at"])

    fully_refunded = amount == refundable
    payment.status = Payment.Status.REFUNDED if fully_refunded else Payment.Status.PARTIALLY_REFUNDED
    payment.save(update_fields=["status", "updated_at"])
    if fully_refunded:
        Order.objects.filter(pk=payment.order_id).update(status=Order.Status.REFUNDED, updated_at=timezone.now())
    return refund


def record_webhook(event_id: str, event_type: str, payload: dict):
    if not event_id:
        raise DomainError("Webhook without event id.", code="invalid_webhook")
    return WebhookEvent.objects.get_or_create(event_id=event_id, defaults={"event_type": event_type, "payload": payload})


def process_webhook(event) -> bool:
    """Apply a stored webhook event. Returns ``False`` if it was already handled."""
    if event.processed_at:
        return False
    data = event.payload.get("data", {})
    payment = selectors.payment_by_reference(data.get("id", ""))
    try:
        if payment is None:
            logger.warning("Webhook %s references unknown payment %s", event.event_id, data.get("id"))
        elif event.event_type == "payment_intent.authorized":
            Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(status=Payment.Status.AUTHORIZED)
            payment.refresh_from_db()
            capture_payment(payment)
        elif event.event_type == "payment_intent.captured":
            finalize_capture(payment, data)
        elif event.event_type == "payment_intent.failed":
            error = data.get("last_error") or {}
            mark_failed(payment, error.get("code", "unknown"), error.get("message", ""))
        else:
            logger.info("Ignoring webhook type %s", event.event_type)
    except DomainError as exc:
        event.error = exc.message
        event.save(update_fields=["error"])
        raise
    event.processed_at = timezone.now()
    event.error = ""
    event.save(update_fields=["processed_at", "error"])
    return True
