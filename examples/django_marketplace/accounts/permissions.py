"""DRF permission classes shared across the API."""
from rest_framework import permissions


class IsSeller(permissions.BasePermission):
    """Allow access to authenticated seller accounts only."""

    message = "Only seller accounts can perform this action."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_seller", False))


class ReadOnlyOrSeller(IsSeller):
    """Anyone may read; only sellers may write."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class IsOwnerOrStaff(permissions.BasePermission):
    """Object level permission comparing ``obj.<owner_field>_id`` with the user."""

    owner_field = "user"

    def has_object_permission(self, request, view, obj):
        if request.user.is_staff:
            return True
        owner_field = getattr(view, "owner_field", self.owner_field)
        return getattr(obj, f"{owner_field}_id", None) == request.user.pk
