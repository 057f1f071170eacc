"""Review API serializers."""
from rest_framework import serializers

from .models import Review, SellerResponse


class SellerResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = SellerResponse
        fields = ["body", "created_at"]


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)
    seller_response = SellerResponseSerializer(read_only=True)

    class Meta:
        model = Review
        fields = ["id", "product", "author", "rating", "title", "body", "is_verified_purchase",
                  "helpful_count", "published_at", "seller_response"]
        read_only_fields = ["is_verified_purchase", "helpful_count", "published_at"]


class SubmitReviewSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)


class VoteSerializer(serializers.Serializer):
    helpful = serializers.BooleanField(default=True)


class ModerationDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)
