"""Unit tests for order pricing."""
from decimal import Decimal
from unittest import mock

from django.test import SimpleTestCase, override_settings

from orders import pricing


@override_settings(TAX_RATES={"DE": Decimal("19.00")})
class ComputeTotalsTests(SimpleTestCase):
    @mock.patch("orders.pricing.estimate_shipping_cost", return_value=Decimal("4.90"))
    def test_small_order_pays_shipping_and_tax(self, estimate):
        totals = pricing.compute_totals([(Decimal("10.00"), 2)], country_code="DE", weight_grams=500)
        self.assertEqual(totals.subtotal, Decimal("20.00"))
        self.assertEqual(totals.shipping_total, Decimal("4.90"))
        self.assertEqual(totals.tax_total, Decimal("3.80"))
        self.assertEqual(totals.grand_total, Decimal("28.70"))
        estimate.assert_called_once_with("DE", 500)

    @mock.patch("orders.pricing.estimate_shipping_cost")
    def test_free_shipping_above_threshold(self, estimate):
        totals = pricing.compute_totals([(Decimal("80.00"), 1)], country_code="DE", weight_grams=100)
        self.assertEqual(totals.shipping_total, Decimal("0.00"))
        estimate.assert_not_called()

    def test_unknown_country_has_no_tax(self):
        self.assertEqual(pricing.tax_rate_for("ZZ"), Decimal("0.00"))
