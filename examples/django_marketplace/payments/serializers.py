"""Payment API serializers."""
from rest_framework import serializers

from orders.models import OrderLine

from .models import Payment, Refund


class PaymentSerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "order", "provider", "client_secret", "amount", "currency", "status",
                  "captured_at", "failure_code", "failure_message"]


class RefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = ["id", "payment", "order_line", "amount", "reason", "status", "processed_at", "created_at"]


class RefundRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=0)
    reason = serializers.CharField(max_length=255)
    order_line = serializers.PrimaryKeyRelatedField(queryset=OrderLine.objects.all(), required=False, allow_null=True)

    def validate_order_line(self, line):
        payment = self.context["payment"]
        if line is not None and line.order_id != payment.order_id:
            raise serializers.ValidationError("This line belongs to a different order.")
        return line

    def validate(self, attrs):
        line = attrs.get("order_line")
        if line is not None and "amount" not in attrs:
            attrs["amount"] = line.line_total
        return attrs
