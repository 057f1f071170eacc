"""Shipping background jobs."""
from datetime import timedelta

from celery import shared_task
from celery.utils.log import get_task_logger
from django.conf import settings
from django.utils import timezone

from core.exceptions import ExternalServiceError

from . import selectors, services
from .models import Shipment

logger = get_task_logger(__name__)

POLL_INTERVAL_SECONDS = settings.SHIPPING.get("POLL_INTERVAL_SECONDS", 2 * 60 * 60)


@shared_task(name="shipping.tasks.purchase_label", bind=True, max_retries=4)
def purchase_label_task(self, shipment_id: int):
    shipment = Shipment.objects.select_related("carrier", "order").filter(pk=shipment_id).first()
    if shipment is None or shipment.status != Shipment.Status.PENDING:
        return None
    try:
        shipment = services.purchase_label(shipment)
    except ExternalServiceError as exc:
        raise self.retry(exc=exc, countdown=300)
    return shipment.tracking_number


@shared_task(name="shipping.tasks.poll_tracking", bind=True, max_retries=3)
def poll_tracking(self, shipment_id: int):
    """Fetch tracking events and reschedule itself until the parcel arrives."""
    shipment = Shipment.objects.select_related("carrier", "order").filter(pk=shipment_id).first()
    if shipment is None or shipment.is_final:
        return 0
    try:
        added = services.refresh_tracking(shipment)
    except ExternalServiceError as exc:
        raise self.retry(exc=exc, countdown=600)
    shipment.refresh_from_db(fields=["status"])
    if not shipment.is_final:
        poll_tracking.apply_async(args=[shipment_id], countdown=POLL_INTERVAL_SECONDS)
    return added


@shared_task(name="shipping.tasks.poll_stale_shipments")
def poll_stale_shipments() -> int:
    """Safety net for polling chains that were lost (e.g. worker restarts)."""
    cutoff = timezone.now() - timedelta(seconds=POLL_INTERVAL_SECONDS * 3)
    shipment_ids = list(selectors.shipments_to_poll(cutoff).values_list("pk", flat=True))
    for shipment_id in shipment_ids:
        poll_tracking.delay(shipment_id)
    logger.info("Re-queued tracking for %d shipments", len(shipment_ids))
    return len(shipment_ids)
