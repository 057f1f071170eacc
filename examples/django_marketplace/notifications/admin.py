"""Notifications admin."""
from django.contrib import admin

from . import rendering
from .models import EmailTemplate, Notification, NotificationPreference


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ("key", "locale", "subject_template", "is_active", "updated_at")
    list_filter = ("locale", "is_active")
    search_fields = ("key", "subject_template")
    actions = ["preview"]

    @admin.action(description="Preview with sample context")
    def preview(self, request, queryset):
        sample = {"name": "Ada", "order_number": "ORD-000000-SAMPLE", "amount": "42.00", "currency": "EUR"}
        for template in queryset:
            message = rendering.render(template.key, sample, locale=template.locale)
            self.message_user(request, f"{template}: {message.subject}")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "channel", "status", "created_at", "sent_at", "read_at")
    list_filter = ("channel", "status", "kind")
    search_fields = ("recipient__email", "title")
    raw_id_fields = ("recipient",)
    readonly_fields = ("payload", "error")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "sms_enabled", "in_app_enabled", "order_updates", "marketing")
    raw_id_fields = ("user",)
