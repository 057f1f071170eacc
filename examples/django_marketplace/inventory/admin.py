"""Inventory admin."""
from django.contrib import admin

from .forms import WarehouseForm
from .models import StockItem, StockMovement, Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    form = WarehouseForm
    list_display = ("code", "name", "city", "country_code", "is_active", "priority")
    list_filter = ("is_active", "country_code")


class StockMovementInline(admin.TabularInline):
    model = StockMovement
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "quantity", "order", "reference", "note", "created_by", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    inlines = [StockMovementInline]
    list_display = ("product", "warehouse", "quantity", "reserved", "reorder_level", "bin_location")
    list_filter = ("warehouse",)
    search_fields = ("product__sku", "product__title", "bin_location")
    raw_id_fields = ("product",)
    readonly_fields = ("quantity", "reserved")
