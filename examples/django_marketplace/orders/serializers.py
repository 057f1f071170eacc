"""Order API serializers."""
from rest_framework import serializers

from .models import Cart, CartItem, Order, OrderLine, OrderStatusHistory


class CartItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="product.title", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = CartItem
        fields = ["id", "product", "sku", "title", "quantity", "unit_price", "line_total"]
        read_only_fields = ["unit_price"]


class CartSerializer(serializers.ModelSerializer):
    items = CartItemSerializer(many=True, read_only=True)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    total_quantity = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cart
        fields = ["currency", "items", "subtotal", "total_quantity"]


class AddToCartSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, default=1)


class UpdateCartItemSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0)


class CheckoutSerializer(serializers.Serializer):
    shipping_address_id = serializers.IntegerField(required=False)
    billing_address_id = serializers.IntegerField(required=False)
    customer_note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["id", "product", "sku", "title", "unit_price", "quantity", "tax_rate", "line_total"]


class OrderStatusHistorySerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderStatusHistory
        fields = ["from_status", "to_status", "note", "created_at"]


class OrderSerializer(serializers.ModelSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    status_history = OrderStatusHistorySerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "number", "status", "currency", "subtotal", "shipping_total", "tax_total", "discount_total",
            "grand_total", "address_snapshot", "placed_at", "paid_at", "shipped_at", "delivered_at",
            "cancelled_at", "lines", "status_history",
        ]


class CancelOrderSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)
