"""Inventory read queries, including raw SQL for hot paths."""
from django.db import connection
from django.db.models import DecimalField, F, ExpressionWrapper, Sum

from .models import StockItem, StockMovement, Warehouse

AVAILABILITY_SQL = """
    SELECT si.product_id, COALESCE(SUM(si.quantity - si.reserved), 0) AS available
    FROM inventory_stockitem si
    JOIN inventory_warehouse w ON w.id = si.warehouse_id
    WHERE w.is_active = TRUE AND si.product_id = ANY(%s)
    GROUP BY si.product_id
"""


def availability_for_products(product_ids) -> dict[int, int]:
    """Available units per product across active warehouses (single query)."""
    ids = sorted({int(product_id) for product_id in product_ids})
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(AVAILABILITY_SQL, [ids])
        rows = cursor.fetchall()
    result = {product_id: 0 for product_id in ids}
    result.update({product_id: max(int(available), 0) for product_id, available in rows})
    return result


def available_quantity(product_id: int) -> int:
    return availability_for_products([product_id]).get(int(product_id), 0)


def stock_items_for_product(product_id, *, for_update: bool = False):
    queryset = (
        StockItem.objects.filter(product_id=product_id, warehouse__is_active=True)
        .select_related("warehouse")
        .order_by("warehouse__priority", "warehouse__code")
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return queryset


def low_stock_items():
    return (
        StockItem.objects.filter(warehouse__is_active=True, quantity__lte=F("reserved") + F("reorder_level"))
        .select_related("product", "warehouse")
        .order_by("warehouse__code", "product__sku")
    )


def movement_history(stock_item, limit: int = 100):
    return StockMovement.objects.filter(stock_item=stock_item).select_related("order", "created_by")[:limit]


def movements_for_order(order, kind=None):
    queryset = StockMovement.objects.filter(order=order).select_related("stock_item")
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return queryset


def stock_value_by_warehouse():
    value = ExpressionWrapper(F("quantity") * F("product__price"), output_field=DecimalField(max_digits=14, decimal_places=2))
    return (
        StockItem.objects.values("warehouse__code")
        .annotate(units=Sum("quantity"), value=Sum(value))
        .order_by("warehouse__code")
    )


def default_warehouse():
    return Warehouse.objects.filter(is_active=True).order_by("priority", "code").first()


def active_warehouses():
    return Warehouse.objects.filter(is_active=True)
