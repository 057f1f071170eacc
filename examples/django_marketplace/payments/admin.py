"""Payments admin."""
from django.contrib import admin

from . import services
from .models import Payment, Refund, WebhookEvent


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    readonly_fields = ("amount", "reason", "status", "provider_reference", "requested_by", "processed_at")


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    inlines = [RefundInline]
    list_display = ("order", "provider", "provider_reference", "amount", "currency", "status", "captured_at")
    list_filter = ("status", "provider", "currency")
    search_fields = ("provider_reference", "order__number")
    readonly_fields = ("raw_response", "client_secret", "attempts")
    raw_id_fields = ("order",)


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "event_type", "received_at", "processed_at", "error")
    list_filter = ("event_type",)
    search_fields = ("event_id",)
    readonly_fields = ("payload",)
    actions = ["reprocess"]

    @admin.action(description="Reprocess selected events")
    def reprocess(self, request, queryset):
        handled = sum(1 for event in queryset.filter(processed_at__isnull=True) if services.process_webhook(event))
        self.message_user(request, f"{handled} event(s) processed.")
