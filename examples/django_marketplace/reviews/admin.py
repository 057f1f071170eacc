"""Reviews admin."""
from django.contrib import admin

from . import services
from .models import Review, ReviewVote, SellerResponse


class SellerResponseInline(admin.StackedInline):
    model = SellerResponse
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    inlines = [SellerResponseInline]
    list_display = ("product", "author", "rating", "status", "is_verified_purchase", "helpful_count", "created_at")
    list_filter = ("status", "rating", "is_verified_purchase")
    search_fields = ("title", "body", "author__email", "product__sku")
    raw_id_fields = ("product", "author", "order_line")
    readonly_fields = ("moderation_notes", "helpful_count")
    actions = ["approve_selected", "reject_selected"]

    @admin.action(description="Approve selected reviews")
    def approve_selected(self, request, queryset):
        for review in queryset:
            services.approve_review(review, moderator=request.user)
        self.message_user(request, f"{queryset.count()} review(s) approved.")

    @admin.action(description="Reject selected reviews")
    def reject_selected(self, request, queryset):
        for review in queryset:
            services.reject_review(review, moderator=request.user, reason="Rejected in admin")
        self.message_user(request, f"{queryset.count()} review(s) rejected.")


@admin.register(ReviewVote)
class ReviewVoteAdmin(admin.ModelAdmin):
    list_display = ("review", "voter", "is_helpful", "created_at")
    raw_id_fields = ("review", "voter")
