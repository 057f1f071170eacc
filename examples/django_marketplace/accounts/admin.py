"""Admin registrations for accounts."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .forms import AddressForm
from .models import Address, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fk_name = "user"


class AddressInline(admin.TabularInline):
    model = Address
    form = AddressForm
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ProfileInline, AddressInline]
    list_display = ("username", "email", "role", "is_active", "email_verified_at", "date_joined")
    list_filter = ("role", "is_active", "is_staff", "marketing_opt_in")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Marketplace", {"fields": ("role", "phone_number", "email_verified_at", "marketing_opt_in", "last_seen_at")}),
    )
    actions = ["deactivate_users"]

    @admin.action(description="Deactivate selected users")
    def deactivate_users(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            services.deactivate_user(user, reason=f"admin action by {request.user.pk}")
            count += 1
        self.message_user(request, f"{count} user(s) deactivated.")


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("full_name", "city", "country_code", "user", "is_default_shipping")
    list_filter = ("country_code",)
    search_fields = ("full_name", "line1", "city", "postal_code", "user__email")
    raw_id_fields = ("user",)
