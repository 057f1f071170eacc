"""Shipping API views."""
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import ResourceNotFound
from orders.selectors import get_order_for_customer

from . import rates, selectors, services
from .models import Shipment
from .serializers import RateQuoteSerializer, ShipmentSerializer


class RateQuoteView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        serializer = RateQuoteSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return Response(rates.quote_rates(**serializer.validated_data))


class OrderShipmentView(APIView):
    def get(self, request, number):
        order = get_order_for_customer(request.user, number)
        shipment = selectors.shipment_for_order(order)
        if shipment is None:
            raise ResourceNotFound("This order has not been shipped yet.")
        return Response(ShipmentSerializer(shipment).data)


class DispatchShipmentView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def post(self, request, shipment_id):
        shipment = Shipment.objects.select_related("order", "carrier").filter(pk=shipment_id).first()
        if shipment is None:
            raise ResourceNotFound(f"Shipment {shipment_id} not found.")
        shipment = services.dispatch(shipment, actor=request.user)
        return Response(ShipmentSerializer(shipment).data, status=status.HTTP_200_OK)


class CarrierPerformanceView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def get(self, request):
        return Response([
            {"carrier": carrier.code, "total": carrier.shipments_total,
             "delivered": carrier.shipments_delivered, "failed": carrier.shipments_failed}
            for carrier in selectors.carrier_performance()
        ])
