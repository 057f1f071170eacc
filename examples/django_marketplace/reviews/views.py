"""Review API views."""
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .serializers import ModerationDecisionSerializer, ReviewSerializer, SubmitReviewSerializer, VoteSerializer


class ProductReviewsView(generics.ListAPIView):
    serializer_class = ReviewSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.approved_reviews_for_product(
            self.kwargs["product_id"], ordering=self.request.query_params.get("sort", "recent")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data = {"breakdown": selectors.rating_breakdown(self.kwargs["product_id"]), "reviews": response.data}
        return response


class SubmitReviewView(APIView):
    def post(self, request):
        serializer = SubmitReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.submit_review(author=request.user, **serializer.validated_data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewDetailView(APIView):
    def delete(self, request, review_id):
        services.delete_review(selectors.get_review(review_id), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VoteView(APIView):
    def post(self, request, review_id):
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.vote(selectors.get_review(review_id), request.user, helpful=serializer.validated_data["helpful"])
        return Response({"helpful_count": review.helpful_count})


class SellerResponseView(APIView):
    def put(self, request, review_id):
        response = services.respond_as_seller(selectors.get_review(review_id), request.user, request.data.get("body", ""))
        return Response({"body": response.body, "created_at": response.created_at})


class ModerationQueueView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def get(self, request):
        return Response(ReviewSerializer(selectors.pending_reviews()[:100], many=True).data)

    def post(self, request, review_id):
        serializer = ModerationDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = selectors.get_review(review_id)
        if serializer.validated_data["approve"]:
            review = services.approve_review(review, moderator=request.user)
        else:
            review = services.reject_review(review, moderator=request.user, reason=serializer.validated_data.get("reason", ""))
        return Response(ReviewSerializer(review).data)
