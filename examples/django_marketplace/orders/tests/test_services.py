"""Integration tests for checkout."""
from decimal import Decimal

from django.test import TestCase

from accounts.models import Address, User
from catalog.models import Category, Product
from core.exceptions import DomainError
from inventory.models import StockItem, StockMovement, Warehouse
from orders import services
from orders.models import Order


class PlaceOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seller = User.objects.create_user("seller", "seller@example.com", "pw-123456789", role=User.Role.SELLER)
        cls.buyer = User.objects.create_user("buyer", "buyer@example.com", "pw-123456789")
        cls.address = Address.objects.create(
            user=cls.buyer, full_name="Buyer", line1="Main St 1", city="Berlin", postal_code="10115",
            country_code="DE", is_default_shipping=True,
        )
        category = Category.objects.create(name="Books", slug="books")
        cls.product = Product.objects.create(
            seller=cls.seller, category=category, title="Novel", sku="BOOK-1", price=Decimal("12.50"),
            status=Product.Status.PUBLISHED, weight_grams=400,
        )
        warehouse = Warehouse.objects.create(code="BER1", name="Berlin", country_code="DE", city="Berlin")
        StockItem.objects.update_or_create(product=cls.product, warehouse=warehouse, defaults={"quantity": 5})

    def test_place_order_takes_stock_and_clears_cart(self):
        services.add_to_cart(self.buyer, self.product.pk, quantity=2)
        order = services.place_order(self.buyer)
        self.assertEqual(order.status, Order.Status.PENDING_PAYMENT)
        self.assertEqual(order.lines.get().quantity, 2)
        self.assertEqual(StockItem.objects.get(product=self.product).quantity, 3)
        self.assertEqual(StockMovement.objects.filter(order=order, kind=StockMovement.Kind.SALE).count(), 1)
        self.assertFalse(self.buyer.cart.items.exists())

    def test_empty_cart_is_rejected(self):
        with self.assertRaises(DomainError):
            services.place_order(self.buyer)

    def test_cancel_order_changes_status(self):
        services.add_to_cart(self.buyer, self.product.pk)
        order = services.place_order(self.buyer)
        services.cancel_order(order, reason="changed my mind")
        order.refresh_from_db()
        self.assertEqual(order.status, Order.Status.CANCELLED)
        self.assertEqual(order.cancellation_reason, "changed my mind")
