"""Payment background jobs."""
from datetime import timedelta

from celery import shared_task
from celery.utils.log import get_task_logger
from django.utils import timezone

from config.celery import app
from core.exceptions import ExternalServiceError

from . import selectors, services
from .gateway import get_gateway
from .models import Payment, WebhookEvent

logger = get_task_logger(__name__)


@app.task(name="payments.tasks.reconcile_pending_payments")
def reconcile_pending_payments(max_age_minutes: int = 30) -> int:
    """Ask the gateway about payments whose webhooks never arrived."""
    cutoff = timezone.now() - timedelta(minutes=max_age_minutes)
    gateway = get_gateway()
    reconciled = 0
    for payment in selectors.stale_pending_payments(cutoff):
        try:
            result = gateway.retrieve(payment.provider_reference)
        except ExternalServiceError as exc:
            logger.warning("Could not reconcile payment %s: %s", payment.pk, exc.message)
            continue
        if result.status in ("succeeded", "captured"):
            services.finalize_capture(payment, result.raw)
            reconciled += 1
        elif result.status in ("requires_capture", "authorized"):
            capture_payment_task.apply_async(args=[payment.pk], countdown=5)
        elif result.status in ("canceled", "failed"):
            services.mark_failed(payment, result.error_code or result.status, result.error_message)
            reconciled += 1
    return reconciled


@shared_task(name="payments.tasks.capture_payment", bind=True, max_retries=5)
def capture_payment_task(self, payment_id: int):
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return None
    try:
        payment = services.capture_payment(payment)
    except ExternalServiceError as exc:
        raise self.retry(exc=exc, countdown=30 * 2 ** self.request.retries)
    return payment.status


@shared_task(name="payments.tasks.process_webhook_event", ignore_result=True)
def process_webhook_event(event_id: int) -> None:
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is None:
        logger.error("Webhook event %s not found", event_id)
        return
    services.process_webhook(event)
