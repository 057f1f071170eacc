"""Catalogue use cases: products and categories."""
from __future__ import annotations

from typing import Any

from shop.db.base import model_to_dict
from shop.db.repository import NotFoundError, Repository
from shop.db.session import Session
from shop.models.category import Category, slugify
from shop.models.product import Product
from shop.services import pricing
from shop.utils.logging_config import get_logger
from shop.utils.validation import ValidationError, require, require_fields, validate_positive, validate_sku

log = get_logger(__name__)


class ProductRepository(Repository[Product]):
    model = Product

    def by_sku(self, sku: str) -> Product | None:
        return self.find_one(sku=sku)

    def search(self, term: str, category_id: int | None = None) -> list[Product]:
        query = self.session.query(Product).filter_by(is_active=True)
        if category_id is not None:
            query = query.filter_by(category_id=category_id)
        if term:
            query = query.filter(Product.name.ilike(f"%{term}%"))
        return query.order_by(Product.name).all()


class CategoryRepository(Repository[Category]):
    model = Category

    def by_slug(self, slug: str) -> Category:
        category = self.find_one(slug=slug)
        if category is None:
            raise NotFoundError(Category, slug)
        return category

    def roots(self) -> list[Category]:
        return self.session.query(Category).filter_by(parent_id=None).order_by(Category.position).all()


def get_product(session: Session, product_id: int) -> Product:
    """A sellable product; deleted or inactive products count as missing."""
    product = ProductRepository(session).get_or_raise(product_id)
    if not product.is_sellable:
        raise NotFoundError(Product, product_id)
    return product


def get_product_by_sku(session: Session, sku: str) -> Product:
    product = ProductRepository(session).by_sku(validate_sku(sku))
    if product is None or not product.is_sellable:
        raise NotFoundError(Product, sku)
    return product


def list_products(
    session: Session, category_slug: str | None = None, search: str = ""
) -> list[Product]:
    category_id = None
    if category_slug:
        category_id = CategoryRepository(session).by_slug(category_slug).id
    return ProductRepository(session).search(search.strip(), category_id)


def create_product(session: Session, data: dict[str, Any]) -> Product:
    require_fields(data, "sku", "name", "price")
    products = ProductRepository(session)
    sku = validate_sku(data["sku"])
    if products.by_sku(sku) is not None:
        raise ValidationError("sku", f"{sku} already exists")
    product = Product(
        sku=sku,
        name=str(data["name"]).strip(),
        description=str(data.get("description", "")),
        price=validate_positive(data["price"], "price"),
        weight_grams=int(data.get("weight_grams", 0)),
    )
    if data.get("category"):
        product.category_id = CategoryRepository(session).by_slug(data["category"]).id
    log.info("created product %s", sku)
    return products.add(product)


def update_product(session: Session, product_id: int, changes: dict[str, Any]) -> Product:
    product = ProductRepository(session).get_or_raise(product_id)
    if "name" in changes:
        product.name = str(changes["name"]).strip()
    if "price" in changes:
        product.price = validate_positive(changes["price"], "price")
    if "description" in changes:
        product.description = str(changes["description"])
    if "is_active" in changes:
        product.is_active = bool(changes["is_active"])
    return product


def delete_product(session: Session, product_id: int) -> None:
    ProductRepository(session).get_or_raise(product_id).soft_delete()


def create_category(session: Session, name: str, parent_slug: str | None = None) -> Category:
    categories = CategoryRepository(session)
    parent = categories.by_slug(parent_slug) if parent_slug else None
    category = Category(name=name.strip(), slug=slugify(name), parent=parent)
    require(category.can_move_under(parent), "parent", "category tree is too deep")
    return categories.add(category)


def move_category(session: Session, slug: str, new_parent_slug: str | None) -> Category:
    categories = CategoryRepository(session)
    category = categories.by_slug(slug)
    new_parent = categories.by_slug(new_parent_slug) if new_parent_slug else None
    require(category.can_move_under(new_parent), "parent", "would create a cycle or exceed depth")
    category.parent = new_parent
    return category


def category_tree(session: Session) -> list[dict[str, Any]]:
    def node(category: Category) -> dict[str, Any]:
        return {
            "slug": category.slug,
            "name": category.name,
            "children": [node(child) for child in category.visible_children()],
        }

    return [node(root) for root in CategoryRepository(session).roots() if root.is_visible]


def product_to_dict(session: Session, product: Product) -> dict[str, Any]:
    data = model_to_dict(product, exclude=("deleted_at",))
    data["current_price"] = str(pricing.current_price(session, product))
    data["category"] = product.category.breadcrumb if product.category else None
    return data
