"""Inventory API serializers."""
from rest_framework import serializers

from .models import StockItem, StockMovement, Warehouse


class WarehouseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "country_code", "city", "is_active", "priority"]


class StockItemSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    available = serializers.IntegerField(read_only=True)

    class Meta:
        model = StockItem
        fields = ["id", "sku", "warehouse", "quantity", "reserved", "available", "reorder_level", "bin_location"]
        read_only_fields = ["quantity", "reserved"]


class StockMovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockMovement
        fields = ["id", "kind", "quantity", "reference", "note", "created_at"]


class ReceiveStockSerializer(serializers.Serializer):
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.filter(is_active=True))
    quantity = serializers.IntegerField(min_value=1)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)


class AdjustStockSerializer(serializers.Serializer):
    new_quantity = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(max_length=255)
