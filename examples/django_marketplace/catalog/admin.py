"""Catalog admin."""
from django.contrib import admin

from core.exceptions import DomainError

from . import services
from .forms import ProductAdminForm
from .models import Category, PriceChange, Product, ProductImage, Tag


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("url", "alt_text", "position", "is_primary")


class PriceChangeInline(admin.TabularInline):
    model = PriceChange
    extra = 0
    can_delete = False
    readonly_fields = ("old_price", "new_price", "changed_by", "changed_at")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "is_active", "sort_order")
    list_filter = ("is_active",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    inlines = [ProductImageInline, PriceChangeInline]
    list_display = ("sku", "title", "seller", "category", "price", "status", "rating_average", "is_featured")
    list_filter = ("status", "is_featured", "category")
    search_fields = ("sku", "title", "seller__email")
    raw_id_fields = ("seller",)
    filter_horizontal = ("tags",)
    readonly_fields = ("rating_average", "rating_count", "published_at")
    actions = ["publish_selected", "archive_selected"]

    @admin.action(description="Publish selected products")
    def publish_selected(self, request, queryset):
        published = 0
        for product in queryset:
            try:
                services.publish_product(product)
            except DomainError as exc:
                self.message_user(request, f"{product.sku}: {exc.message}", level="warning")
                continue
            published += 1
        self.message_user(request, f"{published} product(s) published.")

    @admin.action(description="Archive selected products")
    def archive_selected(self, request, queryset):
        for product in queryset:
            services.archive_product(product)
        self.message_user(request, f"{queryset.count()} product(s) archived.")
