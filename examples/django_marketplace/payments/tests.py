"""Payment tests with the gateway mocked out."""
from decimal import Decimal
from unittest import mock

from django.test import TestCase

from accounts.models import User
from orders.models import Order
from payments import services
from payments.gateway import GatewayResult
from payments.models import Payment


class CapturePaymentTests(TestCase):
    def setUp(self):
        customer = User.objects.create_user("payer", "payer@example.com", "pw-123456789")
        self.order = Order.objects.create(number="ORD-TEST-1", customer=customer, grand_total=Decimal("42.00"))
        self.payment = Payment.objects.create(order=self.order, amount=Decimal("42.00"), provider_reference="pi_123")

    @mock.patch("payments.services.order_paid")
    @mock.patch("payments.services.get_gateway")
    def test_capture_marks_order_paid_and_broadcasts(self, get_gateway, order_paid):
        get_gateway.return_value.capture.return_value = GatewayResult(ok=True, reference="pi_123", status="captured")
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            payment = services.capture_payment(self.payment)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(payment.status, Payment.Status.CAPTURED)
        self.order.refresh_from_db()
        self.assertEqual(self.order.status, Order.Status.PAID)
        self.assertIsNotNone(self.order.paid_at)
        order_paid.send.assert_called_once()
        self.assertEqual(order_paid.send.call_args.kwargs["order"].pk, self.order.pk)

    @mock.patch("payments.services.get_gateway")
    def test_capture_is_idempotent(self, get_gateway):
        get_gateway.return_value.capture.return_value = GatewayResult(ok=True, reference="pi_123", status="captured")
        services.capture_payment(self.payment)
        self.payment.refresh_from_db()
        services.capture_payment(self.payment)
        get_gateway.return_value.capture.assert_called_once()

    @mock.patch("payments.services.get_gateway")
    def test_declined_capture_marks_payment_failed(self, get_gateway):
        get_gateway.return_value.capture.return_value = GatewayResult(
            ok=False, reference="pi_123", status="failed", error_code="card_declined", error_message="Declined"
        )
        payment = services.capture_payment(self.payment)
        self.assertEqual(payment.status, Payment.Status.FAILED)
        self.order.refresh_from_db()
        self.assertEqual(self.order.status, Order.Status.PENDING_PAYMENT)
