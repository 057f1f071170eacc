"""Read-only queries over accounts data."""
from django.db.models import Count, Q

from core.exceptions import ResourceNotFound

from .models import Address, Profile, User


def get_user_by_email(email: str):
    return User.objects.filter(email__iexact=email.strip()).first()


def get_profile(user) -> Profile:
    return Profile.objects.select_related("user").get(user=user)


def list_addresses(user):
    return Address.objects.filter(user=user).order_by("-is_default_shipping", "-created_at")


def get_address_for_user(user, address_id) -> Address:
    """Return one of ``user``'s addresses or raise :class:`ResourceNotFound`."""
    try:
        return Address.objects.get(pk=address_id, user=user)
    except Address.DoesNotExist as exc:
        raise ResourceNotFound(f"Address {address_id} not found.") from exc


def get_default_shipping_address(user):
    addresses = list_addresses(user)
    return addresses.filter(is_default_shipping=True).first() or addresses.first()


def get_default_billing_address(user):
    addresses = list_addresses(user)
    return addresses.filter(is_default_billing=True).first() or get_default_shipping_address(user)


def active_sellers():
    return (
        User.objects.sellers()
        .select_related("profile")
        .annotate(address_count=Count("addresses"))
        .order_by("profile__store_name")
    )


def stale_unverified_users(older_than):
    """Accounts that never verified their email and were created before ``older_than``."""
    return User.objects.filter(
        email_verified_at__isnull=True,
        date_joined__lt=older_than,
        is_staff=False,
        is_superuser=False,
    )


def search_users(term: str, limit: int = 50):
    term = term.strip()
    if not term:
        return User.objects.none()
    return User.objects.filter(
        Q(username__icontains=term)
        | Q(email__icontains=term)
        | Q(first_name__icontains=term)
        | Q(last_name__icontains=term)
        | Q(profile__store_name__icontains=term)
    ).distinct()[:limit]


def store_slug_taken(slug: str, exclude_profile_id=None) -> bool:
    queryset = Profile.objects.filter(store_slug=slug)
    if exclude_profile_id is not None:
        queryset = queryset.exclude(pk=exclude_profile_id)
    return queryset.exists()
