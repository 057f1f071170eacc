"""Orders admin."""
from django.contrib import admin

from core.exceptions import DomainError

from . import services
from .models import Order, OrderLine, OrderStatusHistory


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ("product", "sku", "title", "unit_price", "quantity", "tax_rate", "line_total")


class OrderStatusHistoryInline(admin.TabularInline):
    model = OrderStatusHistory
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_by", "note", "created_at")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    inlines = [OrderLineInline, OrderStatusHistoryInline]
    list_display = ("number", "customer", "status", "grand_total", "currency", "placed_at", "paid_at")
    list_filter = ("status", "currency")
    search_fields = ("number", "customer__email")
    date_hierarchy = "placed_at"
    raw_id_fields = ("customer", "shipping_address", "billing_address")
    readonly_fields = ("subtotal", "shipping_total", "tax_total", "discount_total", "grand_total", "address_snapshot")
    actions = ["mark_paid_manually", "cancel_orders"]

    @admin.action(description="Mark as paid (bank transfer)")
    def mark_paid_manually(self, request, queryset):
        self._apply(request, queryset, lambda order: services.mark_paid(order, actor=request.user))

    @admin.action(description="Cancel selected orders")
    def cancel_orders(self, request, queryset):
        self._apply(request, queryset, lambda order: services.cancel_order(order, actor=request.user, reason="Cancelled by staff"))

    def _apply(self, request, queryset, operation):
        done = 0
        for order in queryset:
            try:
                operation(order)
            except DomainError as exc:
                self.message_user(request, f"{order.number}: {exc.message}", level="error")
                continue
            done += 1
        self.message_user(request, f"{done} order(s) updated.")
