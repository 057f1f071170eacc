"""Shipping API serializers."""
from rest_framework import serializers

from .models import Carrier, Shipment, TrackingEvent


class CarrierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Carrier
        fields = ["id", "code", "name", "supports_international"]


class TrackingEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrackingEvent
        fields = ["status", "description", "location", "occurred_at"]


class ShipmentSerializer(serializers.ModelSerializer):
    carrier = CarrierSerializer(read_only=True)
    events = TrackingEventSerializer(many=True, read_only=True)
    tracking_url = serializers.CharField(read_only=True)
    order = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = Shipment
        fields = ["id", "order", "carrier", "status", "tracking_number", "tracking_url",
                  "shipped_at", "delivered_at", "events"]


class RateQuoteSerializer(serializers.Serializer):
    country_code = serializers.CharField(min_length=2, max_length=2)
    weight_grams = serializers.IntegerField(min_value=1)
