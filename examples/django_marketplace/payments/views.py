"""Payment API and the gateway webhook endpoint."""
import json
import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import ResourceNotFound
from orders.selectors import get_order_for_customer

from . import selectors, services
from .gateway import get_gateway
from .models import Payment
from .serializers import PaymentSerializer, RefundRequestSerializer, RefundSerializer
from .tasks import process_webhook_event

logger = logging.getLogger(__name__)


class StartPaymentView(APIView):
    def post(self, request, number):
        order = get_order_for_customer(request.user, number)
        payment = services.start_payment(order)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class PaymentStatusView(APIView):
    def get(self, request, number):
        order = get_order_for_customer(request.user, number)
        payment = selectors.payment_for_order(order)
        if payment is None:
            raise ResourceNotFound(f"No payment for order {number}.")
        data = PaymentSerializer(payment).data
        data["refunded_amount"] = str(selectors.refunded_amount(payment))
        return Response(data)


class RefundView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def post(self, request, payment_id):
        payment = get_object_or_404(Payment, pk=payment_id)
        serializer = RefundRequestSerializer(data=request.data, context={"payment": payment})
        serializer.is_valid(raise_exception=True)
        refund = services.refund_payment(payment, actor=request.user, **serializer.validated_data)
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)


class RevenueReportView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def get(self, request):
        since = request.query_params.get("since", "1970-01-01")
        return Response(selectors.daily_revenue(since))


@csrf_exempt
@require_POST
def gateway_webhook(request):
    """Store the webhook and process it asynchronously; always answer fast."""
    signature = request.headers.get("X-PayHub-Signature", "")
    if not get_gateway().verify_signature(request.body, signature):
        logger.warning("Rejected webhook with invalid signature")
        return HttpResponseBadRequest("invalid signature")
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest("invalid payload")
    event, created = services.record_webhook(payload.get("id", ""), payload.get("type", ""), payload)
    if created:
        process_webhook_event.delay(event.pk)
    return HttpResponse(status=202)
