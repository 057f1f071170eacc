"""Order read queries."""
from django.db.models import Count, Prefetch

from core.exceptions import ResourceNotFound

from .models import Cart, CartItem, Order, OrderLine

FULFILLED_STATUSES = (Order.Status.SHIPPED, Order.Status.DELIVERED)

SELLER_SALES_SQL = """
    SELECT o.id, o.number, o.placed_at, o.currency,
           SUM(l.line_total) AS seller_revenue, SUM(l.quantity) AS units
    FROM orders_order o
    JOIN orders_orderline l ON l.order_id = o.id
    JOIN catalog_product p ON p.id = l.product_id
    WHERE p.seller_id = %s
      AND o.placed_at >= %s
      AND o.status NOT IN ('cancelled', 'refunded', 'pending_payment')
    GROUP BY o.id, o.number, o.placed_at, o.currency
    ORDER BY o.placed_at DESC
"""


def cart_with_items(user):
    return (
        Cart.objects.filter(user=user)
        .prefetch_related(Prefetch("items", queryset=CartItem.objects.select_related("product").order_by("created_at")))
        .first()
    )


def orders_for_customer(customer, status=None):
    queryset = Order.objects.filter(customer=customer).annotate(line_count=Count("lines")).order_by("-placed_at")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def get_order_for_customer(customer, number: str) -> Order:
    try:
        return (
            Order.objects.select_related("shipping_address", "billing_address")
            .prefetch_related("lines__product", "status_history")
            .get(customer=customer, number=number)
        )
    except Order.DoesNotExist as exc:
        raise ResourceNotFound(f"Order {number} not found.") from exc


def order_with_lines(order_id, *, for_update: bool = False) -> Order:
    queryset = Order.objects.select_related("customer")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    order = queryset.get(pk=order_id)
    order.prefetched_lines = list(OrderLine.objects.filter(order=order).select_related("product"))
    return order


def find_purchased_line(customer, product_id):
    """Most recent fulfilled line in which ``customer`` bought ``product_id``."""
    return (
        OrderLine.objects.filter(order__customer=customer, product_id=product_id, order__status__in=FULFILLED_STATUSES)
        .select_related("order")
        .order_by("-order__placed_at")
        .first()
    )


def unpaid_orders_older_than(cutoff):
    return Order.objects.filter(status=Order.Status.PENDING_PAYMENT, placed_at__lt=cutoff).order_by("placed_at")


def abandoned_carts(cutoff):
    return (
        Cart.objects.filter(updated_at__lt=cutoff, items__isnull=False, user__is_active=True)
        .distinct()
        .select_related("user")
        .prefetch_related("items")
    )


def seller_sales_report(seller_id: int, since):
    """Per-order revenue for one seller's products (raw SQL for speed)."""
    return Order.objects.raw(SELLER_SALES_SQL, [seller_id, since])


def order_counts_by_status(customer) -> dict:
    rows = Order.objects.filter(customer=customer).values("status").annotate(total=Count("id"))
    return {row["status"]: row["total"] for row in rows}
