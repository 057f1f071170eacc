"""Review read queries."""
from django.db.models import Count

from core.exceptions import ResourceNotFound

from .models import Review

ORDERINGS = {"recent": "-published_at", "helpful": "-helpful_count", "rating_high": "-rating", "rating_low": "rating"}


def approved_reviews_for_product(product_id, ordering: str = "recent"):
    return (
        Review.objects.filter(product_id=product_id, status=Review.Status.APPROVED)
        .select_related("author", "seller_response")
        .order_by(ORDERINGS.get(ordering, "-published_at"), "-pk")
    )


def rating_breakdown(product_id) -> dict:
    rows = (
        Review.objects.filter(product_id=product_id, status=Review.Status.APPROVED)
        .values("rating")
        .annotate(total=Count("id"))
    )
    breakdown = {stars: 0 for stars in range(1, 6)}
    breakdown.update({row["rating"]: row["total"] for row in rows})
    return breakdown


def pending_reviews():
    return Review.objects.filter(status=Review.Status.PENDING).select_related("product", "author").order_by("created_at")


def reviews_by_author(user):
    return Review.objects.filter(author=user).select_related("product").order_by("-created_at")


def get_review(review_id) -> Review:
    try:
        return Review.objects.select_related("product", "author").get(pk=review_id)
    except Review.DoesNotExist as exc:
        raise ResourceNotFound(f"Review {review_id} not found.") from exc


def reviewed_product_ids():
    return Review.objects.filter(status=Review.Status.APPROVED).values_list("product_id", flat=True).distinct()
