"""Review workflows."""
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone

from catalog.models import Product
from core.exceptions import DomainError, PermissionDeniedError, ResourceNotFound
from orders.selectors import find_purchased_line

from . import moderation
from .models import Review, ReviewVote, SellerResponse

logger = logging.getLogger(__name__)


def submit_review(*, author, product_id, rating: int, title: str, body: str) -> Review:
    product = Product.objects.published().filter(pk=product_id).first()
    if product is None:
        raise ResourceNotFound("Product not found.")
    if product.seller_id == author.pk:
        raise PermissionDeniedError("Sellers cannot review their own products.")
    if not 1 <= int(rating) <= 5:
        raise DomainError("Rating must be between 1 and 5.", code="invalid_rating")
    line = find_purchased_line(author, product.pk)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                product=product,
                author=author,
                order_line=line,
                rating=int(rating),
                title=title.strip(),
                body=body.strip(),
                is_verified_purchase=line is not None,
            )
    except IntegrityError as exc:
        raise DomainError("You have already reviewed this product.", code="duplicate_review") from exc
    return review


def apply_moderation(review) -> moderation.ModerationResult:
    """Auto-approve clean reviews; leave the rest for a human moderator."""
    result = moderation.score_text(review.title, review.body)
    review.moderation_notes = {**review.moderation_notes, "auto_score": result.score, "reasons": result.reasons}
    if result.approved:
        approve_review(review)
    else:
        review.save(update_fields=["moderation_notes", "updated_at"])
    return result


@transaction.atomic
def approve_review(review, *, moderator=None) -> Review:
    if review.status == Review.Status.APPROVED:
        return review
    review.status = Review.Status.APPROVED
    review.published_at = timezone.now()
    if moderator is not None:
        review.moderation_notes = {**review.moderation_notes, "moderator": moderator.pk}
    review.save(update_fields=["status", "published_at", "moderation_notes", "updated_at"])
    recalculate_product_rating(review.product_id)
    return review


@transaction.atomic
def reject_review(review, *, moderator, reason: str) -> Review:
    was_approved = review.status == Review.Status.APPROVED
    review.status = Review.Status.REJECTED
    review.moderation_notes = {**review.moderation_notes, "moderator": moderator.pk, "rejection_reason": reason}
    review.save(update_fields=["status", "moderation_notes", "updated_at"])
    if was_approved:
        recalculate_product_rating(review.product_id)
    return review


def recalculate_product_rating(product_id):
    """Refresh the denormalised rating columns on the catalog product.

    The review app writes ``Product.rating_average`` / ``rating_count``
    directly instead of asking the catalog to do it.
    """
    stats = Review.objects.filter(product_id=product_id, status=Review.Status.APPROVED).aggregate(
        average=Avg("rating"), count=Count("id")
    )
    average = Decimal(str(stats["average"] or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    Product.all_objects.filter(pk=product_id).update(rating_average=average, rating_count=stats["count"])
    return average, stats["count"]


def vote(review, voter, *, helpful: bool = True) -> Review:
    if review.author_id == voter.pk:
        raise PermissionDeniedError("You cannot vote on your own review.")
    with transaction.atomic():
        existing, created = ReviewVote.objects.get_or_create(review=review, voter=voter, defaults={"is_helpful": helpful})
        delta = 0
        if created:
            delta = 1 if helpful else 0
        elif existing.is_helpful != helpful:
            existing.is_helpful = helpful
            existing.save(update_fields=["is_helpful"])
            delta = 1 if helpful else -1
        if delta:
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + delta)
    review.refresh_from_db(fields=["helpful_count"])
    return review


def respond_as_seller(review, seller, body: str) -> SellerResponse:
    if review.product.seller_id != seller.pk:
        raise PermissionDeniedError("Only the product's seller can respond.")
    if review.status != Review.Status.APPROVED:
        raise DomainError("You can only respond to published reviews.", code="review_not_published")
    response, _ = SellerResponse.objects.update_or_create(review=review, defaults={"author": seller, "body": body.strip()})
    return response


def delete_review(review, actor) -> None:
    if actor.pk != review.author_id and not actor.is_staff:
        raise PermissionDeniedError("You can only delete your own reviews.")
    review.delete()
    logger.info("Review %s deleted by %s", review.pk, actor.pk)
