"""Cart, checkout and order history API."""
from datetime import timedelta

from django.utils import timezone
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsSeller

from . import pricing, selectors, services
from .serializers import (
    AddToCartSerializer,
    CancelOrderSerializer,
    CartSerializer,
    CheckoutSerializer,
    OrderSerializer,
    UpdateCartItemSerializer,
)


class CartView(APIView):
    def get(self, request):
        cart = selectors.cart_with_items(request.user) or services.get_or_create_cart(request.user)
        data = CartSerializer(cart).data
        country = request.query_params.get("country")
        if country:
            data["totals"] = {key: str(value) for key, value in pricing.cart_totals(cart, country_code=country).as_dict().items()}
        return Response(data)

    def post(self, request):
        serializer = AddToCartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.add_to_cart(request.user, **serializer.validated_data)
        return Response(CartSerializer(selectors.cart_with_items(request.user)).data, status=status.HTTP_201_CREATED)


class CartItemView(APIView):
    def patch(self, request, item_id):
        serializer = UpdateCartItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.update_cart_item(request.user, item_id, serializer.validated_data["quantity"])
        return Response(CartSerializer(selectors.cart_with_items(request.user)).data)

    def delete(self, request, item_id):
        services.remove_cart_item(request.user, item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckoutView(APIView):
    def post(self, request):
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.place_order(request.user, **serializer.validated_data)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrderSerializer
    lookup_field = "number"

    def get_queryset(self):
        return selectors.orders_for_customer(self.request.user, status=self.request.query_params.get("status"))

    def retrieve(self, request, number=None):
        return Response(self.get_serializer(selectors.get_order_for_customer(request.user, number)).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, number=None):
        serializer = CancelOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.cancel_for_customer(request.user, number, serializer.validated_data.get("reason", ""))
        return Response(self.get_serializer(order).data)

    @action(detail=False, methods=["get"])
    def summary(self, request):
        return Response(selectors.order_counts_by_status(request.user))


class SellerSalesReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsSeller]

    def get(self, request):
        days = min(int(request.query_params.get("days", 30)), 365)
        since = timezone.now() - timedelta(days=days)
        rows = [
            {"number": row.number, "placed_at": row.placed_at, "currency": row.currency,
             "revenue": str(row.seller_revenue), "units": row.units}
            for row in selectors.seller_sales_report(request.user.pk, since)
        ]
        return Response({"since": since, "orders": rows})
