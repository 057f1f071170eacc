"""Review receivers."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Review
from .tasks import moderate_review, recalculate_product_rating


@receiver(post_save, sender=Review, dispatch_uid="reviews.queue_moderation")
def queue_moderation(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.status == Review.Status.PENDING:
        review_id = instance.pk
        transaction.on_commit(lambda: moderate_review.delay(review_id))


@receiver(post_delete, sender=Review, dispatch_uid="reviews.refresh_rating_on_delete")
def refresh_rating_on_delete(sender, instance, **kwargs):
    if instance.status == Review.Status.APPROVED:
        product_id = instance.product_id
        transaction.on_commit(lambda: recalculate_product_rating.delay(product_id))
