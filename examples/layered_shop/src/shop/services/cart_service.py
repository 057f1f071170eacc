"""Cart use cases: adding, changing and removing items, merging, clean-up."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shop.db.repository import NotFoundError, Repository
from shop.db.session import Session
from shop.models.cart import MAX_ITEMS_PER_CART, Cart, CartItem, CartStatus
from shop.services import catalog_service, pricing
from shop.utils.ids import prefixed_id
from shop.utils.logging_config import get_logger
from shop.utils.money import format_money
from shop.utils.validation import ValidationError, validate_quantity

log = get_logger(__name__)

class CartError(Exception):
    """The cart cannot be changed in its current state."""


class CartRepository(Repository[Cart]):
    model = Cart

    def by_token(self, token: str) -> Cart:
        cart = self.find_one(token=token)
        if cart is None:
            raise NotFoundError(Cart, token)
        return cart

    def open_for_customer(self, customer_id: int) -> Cart | None:
        return self.find_one(customer_id=customer_id, status=CartStatus.OPEN)

    def stale(self, last_activity_before: datetime) -> list[Cart]:
        query = self.session.query(Cart).filter_by(status=CartStatus.OPEN)
        return query.filter(Cart.last_activity_at < last_activity_before).all()


def get_or_create_cart(session: Session, token: str | None = None, customer_id: int | None = None) -> Cart:
    carts = CartRepository(session)
    if token:
        return carts.by_token(token)
    if customer_id is not None:
        existing = carts.open_for_customer(customer_id)
        if existing is not None:
            return existing
    return carts.add(Cart(token=prefixed_id("cart"), customer_id=customer_id))


def get_cart_by_token(session: Session, token: str) -> Cart:
    return CartRepository(session).by_token(token)


def require_open(cart: Cart) -> None:
    if not cart.is_open:
        raise CartError(f"cart {cart.token} is {cart.status.value}")


def add_item(session: Session, cart: Cart, product_id: int, quantity: int = 1) -> CartItem:
    """Add units of a product, repricing the line for the new quantity."""
    require_open(cart)
    quantity = validate_quantity(quantity)
    product = catalog_service.get_product(session, product_id)
    item = cart.find_item(product.id)
    if item is None:
        if len(cart.items) >= MAX_ITEMS_PER_CART:
            raise ValidationError("items", f"a cart holds at most {MAX_ITEMS_PER_CART} products")
        item = CartItem(product_id=product.id, quantity=0, unit_price=product.price)
        cart.items.append(item)
    item.quantity = validate_quantity(item.quantity + quantity)
    item.unit_price = pricing.current_price(session, product, item.quantity)
    cart.touch_activity()
    return item


def update_quantity(session: Session, cart: Cart, product_id: int, quantity: int) -> Cart:
    require_open(cart)
    item = cart.find_item(product_id)
    if item is None:
        raise NotFoundError(CartItem, product_id)
    if quantity <= 0:
        return remove_item(cart, product_id)
    item.quantity = validate_quantity(quantity)
    product = catalog_service.get_product(session, product_id)
    item.unit_price = pricing.current_price(session, product, quantity)
    cart.touch_activity()
    return cart


def remove_item(cart: Cart, product_id: int) -> Cart:
    require_open(cart)
    cart.items = [item for item in cart.items if item.product_id != product_id]
    cart.touch_activity()
    return cart


def mark_checked_out(cart: Cart) -> None:
    require_open(cart)
    cart.status = CartStatus.CHECKED_OUT


def merge_carts(session: Session, anonymous_token: str, customer_id: int) -> Cart:
    """After login, move the items of the anonymous cart into the customer's cart."""
    anonymous = get_cart_by_token(session, anonymous_token)
    target = get_or_create_cart(session, customer_id=customer_id)
    if anonymous.id == target.id:
        return target
    for item in anonymous.items:
        add_item(session, target, item.product_id, item.quantity)
    anonymous.status = CartStatus.ABANDONED
    return target


def active_carts(session: Session, since: datetime) -> list[Cart]:
    """Open carts touched after ``since``."""
    query = session.query(Cart).filter_by(status=CartStatus.OPEN)
    return query.filter(Cart.last_activity_at >= since).all()


def abandon_stale_carts(session: Session, now: datetime) -> int:
    stale = [cart for cart in CartRepository(session).stale(now - timedelta(days=3)) if cart.is_stale(now)]
    for cart in stale:
        cart.status = CartStatus.ABANDONED
    log.info("marked %d carts as abandoned", len(stale))
    return len(stale)


def purge_abandoned(session: Session, older_than: datetime) -> int:
    carts = CartRepository(session)
    doomed = [c for c in carts.list(status=CartStatus.ABANDONED) if c.updated_at < older_than]
    for cart in doomed:
        carts.delete(cart)
    return len(doomed)


def cart_summary(cart: Cart) -> dict[str, Any]:
    return {
        "token": cart.token,
        "status": cart.status.value,
        "items": [
            {"product_id": i.product_id, "quantity": i.quantity, "unit_price": str(i.unit_price)}
            for i in cart.items
        ],
        "item_count": cart.item_count,
        "coupon": cart.coupon_code,
        "subtotal": format_money(cart.subtotal, cart.currency),
        "discount": format_money(cart.discount, cart.currency),
        "total": format_money(cart.total, cart.currency),
    }
