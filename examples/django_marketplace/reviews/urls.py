"""Reviews URL configuration."""
from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("products/<int:product_id>/", views.ProductReviewsView.as_view(), name="product-reviews"),
    path("", views.SubmitReviewView.as_view(), name="submit"),
    path("<int:review_id>/", views.ReviewDetailView.as_view(), name="detail"),
    path("<int:review_id>/vote/", views.VoteView.as_view(), name="vote"),
    path("<int:review_id>/response/", views.SellerResponseView.as_view(), name="seller-response"),
    path("moderation/", views.ModerationQueueView.as_view(), name="moderation-queue"),
    path("moderation/<int:review_id>/", views.ModerationQueueView.as_view(), name="moderate"),
]
