"""Inventory API views."""
from django.shortcuts import get_object_or_404
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Product

from . import selectors, services
from .models import StockItem
from .serializers import (
    AdjustStockSerializer,
    ReceiveStockSerializer,
    StockItemSerializer,
    StockMovementSerializer,
)


class ProductAvailabilityView(APIView):
    """Public availability lookup used by product pages: ``?ids=1,2,3``."""

    permission_classes = [permissions.AllowAny]

    def get(self, request):
        raw_ids = request.query_params.get("ids", "")
        ids = [int(value) for value in raw_ids.split(",") if value.strip().isdigit()][:100]
        availability = selectors.availability_for_products(ids)
        return Response({str(product_id): units for product_id, units in availability.items()})


class StockItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StockItemSerializer
    permission_classes = [permissions.IsAdminUser]

    def get_queryset(self):
        queryset = StockItem.objects.select_related("product", "warehouse").order_by("product__sku")
        if self.request.query_params.get("low") == "1":
            queryset = selectors.low_stock_items()
        return queryset

    @action(detail=False, methods=["post"], url_path=r"receive/(?P<product_id>\d+)")
    def receive(self, request, product_id=None):
        product = get_object_or_404(Product.all_objects, pk=product_id)
        serializer = ReceiveStockSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.receive_stock(product=product, actor=request.user, **serializer.validated_data)
        return Response(StockItemSerializer(item).data)

    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        serializer = AdjustStockSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.adjust_stock(self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(StockItemSerializer(item).data)

    @action(detail=True, methods=["get"])
    def movements(self, request, pk=None):
        movements = selectors.movement_history(self.get_object())
        return Response(StockMovementSerializer(movements, many=True).data)
