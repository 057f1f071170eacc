"""Shipping admin."""
from django.contrib import admin

from core.exceptions import DomainError

from . import services
from .forms import ShippingRateForm
from .models import Carrier, Shipment, ShippingRate, TrackingEvent


class ShippingRateInline(admin.TabularInline):
    model = ShippingRate
    form = ShippingRateForm
    extra = 0


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    inlines = [ShippingRateInline]
    list_display = ("code", "name", "is_active", "supports_international")
    list_filter = ("is_active",)


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("status", "description", "location", "occurred_at")


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    inlines = [TrackingEventInline]
    list_display = ("order", "carrier", "status", "tracking_number", "shipped_at", "delivered_at")
    list_filter = ("status", "carrier")
    search_fields = ("tracking_number", "order__number")
    raw_id_fields = ("order", "address")
    actions = ["buy_labels", "dispatch_selected"]

    @admin.action(description="Buy labels")
    def buy_labels(self, request, queryset):
        self._run(request, queryset.filter(status=Shipment.Status.PENDING), services.purchase_label)

    @admin.action(description="Mark as dispatched")
    def dispatch_selected(self, request, queryset):
        self._run(request, queryset, lambda shipment: services.dispatch(shipment, actor=request.user))

    def _run(self, request, queryset, operation):
        done = 0
        for shipment in queryset:
            try:
                operation(shipment)
            except DomainError as exc:
                self.message_user(request, f"Shipment {shipment.pk}: {exc.message}", level="error")
                continue
            done += 1
        self.message_user(request, f"{done} shipment(s) updated.")
