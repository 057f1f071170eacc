"""Catalog tests."""
from decimal import Decimal

from django.test import TestCase

from accounts.models import User
from catalog import selectors, services
from catalog.models import Category, Product
from core.exceptions import DomainError


class ProductServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seller = User.objects.create_user("shop", "shop@example.com", "pw-123456789", role=User.Role.SELLER)
        cls.root = Category.objects.create(name="Home", slug="home")
        cls.child = Category.objects.create(name="Kitchen", slug="home-kitchen", parent=cls.root)

    def test_create_product_normalises_sku_and_tags(self):
        product = services.create_product(
            seller=self.seller, category=self.child, title="Pan", sku=" pan-1 ", price="19.999", tags=["Cookware", "cookware "]
        )
        self.assertEqual(product.sku, "PAN-1")
        self.assertEqual(product.price, Decimal("20.00"))
        self.assertEqual(product.tags.count(), 1)

    def test_publish_requires_image(self):
        product = services.create_product(seller=self.seller, category=self.child, title="Pot", sku="POT-1", price="30")
        with self.assertRaises(DomainError):
            services.publish_product(product)
        services.add_image(product, url="https://img.example/pot.jpg")
        self.assertEqual(services.publish_product(product).status, Product.Status.PUBLISHED)

    def test_category_descendants(self):
        self.assertEqual(set(selectors.category_descendant_ids(self.root)), {self.root.pk, self.child.pk})
