"""Review background jobs."""
from celery import shared_task
from celery.utils.log import get_task_logger

from . import selectors, services
from .models import Review

logger = get_task_logger(__name__)


@shared_task(name="reviews.tasks.moderate_review", ignore_result=True)
def moderate_review(review_id: int) -> None:
    review = Review.objects.filter(pk=review_id, status=Review.Status.PENDING).first()
    if review is None:
        return
    result = services.apply_moderation(review)
    logger.info("Review %s auto-moderation score %.2f (%s)", review_id, result.score, ",".join(result.reasons) or "clean")


@shared_task(name="reviews.tasks.recalculate_product_rating", ignore_result=True)
def recalculate_product_rating(product_id: int) -> None:
    services.recalculate_product_rating(product_id)


@shared_task(name="reviews.tasks.recalculate_all_ratings")
def recalculate_all_ratings() -> int:
    count = 0
    for product_id in selectors.reviewed_product_ids().iterator():
        services.recalculate_product_rating(product_id)
        count += 1
    return count
