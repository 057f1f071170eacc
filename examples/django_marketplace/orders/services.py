"""Cart and order write operations, including checkout."""
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.selectors import get_address_for_user, get_default_shipping_address
from catalog.models import Product
from core.exceptions import DomainError, InvalidStateTransition, PermissionDeniedError, ResourceNotFound
from core.utils import generate_reference
from inventory.exceptions import InsufficientStock
from inventory.models import StockItem, StockMovement

from . import pricing, selectors, state
from .models import Cart, CartItem, Order, OrderLine
from .signals import order_cancelled, order_placed
from .tasks import send_order_confirmation

logger = logging.getLogger(__name__)

MAX_QUANTITY_PER_LINE = 20


# --- Cart -------------------------------------------------------------------

def get_or_create_cart(user) -> Cart:
    cart, _ = Cart.objects.get_or_create(user=user)
    return cart


def add_to_cart(user, product_id, quantity: int = 1) -> CartItem:
    if not 1 <= quantity <= MAX_QUANTITY_PER_LINE:
        raise DomainError(f"Quantity must be between 1 and {MAX_QUANTITY_PER_LINE}.", code="invalid_quantity")
    product = Product.objects.published().filter(pk=product_id).first()
    if product is None:
        raise ResourceNotFound("This product is not available.")
    cart = get_or_create_cart(user)
    item, created = CartItem.objects.get_or_create(
        cart=cart, product=product, defaults={"quantity": quantity, "unit_price": product.price}
    )
    if not created:
        item.quantity = min(item.quantity + quantity, MAX_QUANTITY_PER_LINE)
        item.unit_price = product.price
        item.save(update_fields=["quantity", "unit_price", "updated_at"])
    cart.save(update_fields=["updated_at"])
    return item


def update_cart_item(user, item_id, quantity: int):
    if quantity == 0:
        remove_cart_item(user, item_id)
        return None
    if not 1 <= quantity <= MAX_QUANTITY_PER_LINE:
        raise DomainError(f"Quantity must be between 0 and {MAX_QUANTITY_PER_LINE}.", code="invalid_quantity")
    item = CartItem.objects.filter(pk=item_id, cart__user=user).select_related("product").first()
    if item is None:
        raise ResourceNotFound("Cart item not found.")
    item.quantity = quantity
    item.unit_price = item.product.price
    item.save(update_fields=["quantity", "unit_price", "updated_at"])
    return item


def remove_cart_item(user, item_id) -> None:
    deleted, _ = CartItem.objects.filter(pk=item_id, cart__user=user).delete()
    if not deleted:
        raise ResourceNotFound("Cart item not found.")


def clear_cart(cart) -> None:
    cart.items.all().delete()


# --- Checkout -----------------------------------------------------------------

def _allocate_stock(order, lines) -> list:
    """Take stock for every line from the highest priority warehouses.

    This runs inside the checkout transaction and writes the inventory tables
    directly: it decrements ``StockItem.quantity`` and appends ``SALE`` rows
    to the stock movement ledger.
    """
    movements = []
    for line in lines:
        remaining = line.quantity
        items = (
            StockItem.objects.select_for_update()
            .filter(product_id=line.product_id, warehouse__is_active=True)
            .order_by("warehouse__priority")
        )
        for item in items:
            if remaining == 0:
                break
            take = min(item.quantity - item.reserved, remaining)
            if take <= 0:
                continue
            StockItem.objects.filter(pk=item.pk).update(quantity=F("quantity") - take)
            movements.append(
                StockMovement(stock_item=item, kind=StockMovement.Kind.SALE, quantity=-take, order=order, reference=order.number)
            )
            remaining -= take
        if remaining:
            raise InsufficientStock(f"Only {line.quantity - remaining} unit(s) of {line.sku} are in stock.")
    StockMovement.objects.bulk_create(movements)
    return movements


@transaction.atomic
def place_order(user, *, shipping_address_id=None, billing_address_id=None, customer_note: str = "") -> Order:
    """Turn the user's cart into an order, taking stock and emptying the cart."""
    cart = selectors.cart_with_items(user)
    items = list(cart.items.all()) if cart else []
    if not items:
        raise DomainError("Your cart is empty.", code="empty_cart")
    if shipping_address_id:
        shipping_address = get_address_for_user(user, shipping_address_id)
    else:
        shipping_address = get_default_shipping_address(user)
    if shipping_address is None:
        raise DomainError("Add a shipping address before checking out.", code="missing_address")
    billing_address = get_address_for_user(user, billing_address_id) if billing_address_id else shipping_address

    unavailable = [item.product.sku for item in items if not item.product.is_published]
    if unavailable:
        raise DomainError(f"No longer available: {', '.join(unavailable)}", code="unavailable_products")

    weight = sum(item.product.weight_grams * item.quantity for item in items)
    totals = pricing.compute_totals(
        [(item.product.price, item.quantity) for item in items],
        country_code=shipping_address.country_code,
        weight_grams=weight,
    )
    tax_rate = pricing.tax_rate_for(shipping_address.country_code)
    order = Order.objects.create(
        number=generate_reference("ORD"),
        customer=user,
        shipping_address=shipping_address,
        billing_address=billing_address,
        address_snapshot=shipping_address.as_dict(),
        currency=cart.currency,
        placed_at=timezone.now(),
        customer_note=customer_note,
        **totals.as_dict(),
    )
    lines = OrderLine.objects.bulk_create([
        OrderLine(
            order=order,
            product=item.product,
            sku=item.product.sku,
            title=item.product.title,
            unit_price=item.product.price,
            quantity=item.quantity,
            tax_rate=tax_rate,
            line_total=pricing.line_total(item.product.price, item.quantity),
        )
        for item in items
    ])
    _allocate_stock(order, lines)
    clear_cart(cart)

    transaction.on_commit(lambda: order_placed.send(sender=Order, order=order))
    transaction.on_commit(lambda: send_order_confirmation.delay(order.pk))
    logger.info("Order %s placed by user %s for %s %s", order.number, user.pk, order.grand_total, order.currency)
    return order


# --- Lifecycle ----------------------------------------------------------------

def mark_paid(order, *, actor=None, note: str = "") -> Order:
    """Manual payment confirmation (e.g. bank transfer) from the back office."""
    return state.transition(order, Order.Status.PAID, actor=actor, note=note or "Payment confirmed manually")


def start_fulfilment(order, *, actor=None) -> Order:
    return state.transition(order, Order.Status.FULFILLING, actor=actor)


def mark_shipped(order, *, tracking_number: str = "", actor=None) -> Order:
    if order.status == Order.Status.PAID:
        start_fulfilment(order, actor=actor)
    note = f"Tracking number {tracking_number}" if tracking_number else ""
    return state.transition(order, Order.Status.SHIPPED, actor=actor, note=note)


def mark_delivered(order, *, actor=None) -> Order:
    return state.transition(order, Order.Status.DELIVERED, actor=actor)


@transaction.atomic
def cancel_order(order, *, actor=None, reason: str = "") -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.is_cancellable:
        raise InvalidStateTransition(f"Order {order.number} can no longer be cancelled.")
    state.transition(order, Order.Status.CANCELLED, actor=actor, note=reason)
    order.cancellation_reason = reason[:255]
    order.save(update_fields=["cancellation_reason"])
    transaction.on_commit(lambda: order_cancelled.send(sender=Order, order=order, reason=reason))
    return order


def cancel_for_customer(user, number: str, reason: str = "") -> Order:
    order = selectors.get_order_for_customer(user, number)
    if order.status not in (Order.Status.PENDING_PAYMENT, Order.Status.PAID) and not user.is_staff:
        raise PermissionDeniedError("This order is already being prepared; contact support to cancel it.")
    return cancel_order(order, actor=user, reason=reason or "Cancelled by customer")


def expire_unpaid_orders(max_age_minutes: int = 60) -> int:
    cutoff = timezone.now() - timedelta(minutes=max_age_minutes)
    expired = 0
    for order in selectors.unpaid_orders_older_than(cutoff).iterator():
        try:
            cancel_order(order, reason="Payment not received in time")
        except InvalidStateTransition:
            continue
        expired += 1
    if expired:
        logger.info("Expired %d unpaid orders", expired)
    return expired
