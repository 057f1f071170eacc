"""Write operations for accounts: registration, profiles and address book."""
import logging

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from core.exceptions import DomainError, PermissionDeniedError, ResourceNotFound
from core.utils import mask_email

from . import selectors
from .models import Address, Profile, User
from .tokens import make_verification_token, read_verification_token

logger = logging.getLogger(__name__)

PROFILE_FIELDS = {"bio", "avatar_url", "date_of_birth", "preferred_currency", "locale", "store_name", "payout_iban"}
ADDRESS_FIELDS = {"label", "full_name", "line1", "line2", "city", "postal_code", "region", "country_code", "phone_number"}


def ensure_profile(user) -> Profile:
    profile, created = Profile.objects.get_or_create(user=user)
    if created:
        logger.info("Created profile for user %s", user.pk)
    return profile


@transaction.atomic
def register_user(*, username, email, password, first_name="", last_name="", marketing_opt_in=False) -> User:
    """Create a customer account. The profile is created by the post_save receiver."""
    email = email.strip().lower()
    if selectors.get_user_by_email(email) is not None:
        raise DomainError("An account with this email already exists.", code="email_taken")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("This username is taken.", code="username_taken")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        marketing_opt_in=marketing_opt_in,
    )
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    logger.info("Registered user %s <%s>", user.pk, mask_email(email))
    return user


def build_verification_link(user, base_url: str) -> str:
    token = make_verification_token(user)
    return f"{base_url.rstrip('/')}/verify-email/?token={token}"


def verify_email(token: str) -> User:
    payload = read_verification_token(token)
    user = User.objects.filter(pk=payload["uid"], is_active=True).first()
    if user is None:
        raise ResourceNotFound("Account not found.")
    if user.email.lower() != payload["email"].lower():
        raise DomainError("The email address changed since this link was sent.", code="token_stale")
    if not user.email_verified:
        user.mark_email_verified()
    return user


def _unique_store_slug(name: str, profile: Profile) -> str:
    base = slugify(name)[:120] or f"store-{profile.user_id}"
    candidate = base
    suffix = 2
    while selectors.store_slug_taken(candidate, exclude_profile_id=profile.pk):
        candidate = f"{base}-{suffix}"
        suffix += 1
    return candidate


def update_profile(user, **fields) -> Profile:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise DomainError(f"Unknown profile fields: {', '.join(sorted(unknown))}", code="invalid_fields")
    profile = ensure_profile(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    if "store_name" in fields:
        if not user.is_seller and fields["store_name"]:
            raise PermissionDeniedError("Only sellers can set a store name.")
        profile.store_slug = _unique_store_slug(fields["store_name"], profile) if fields["store_name"] else None
    profile.save()
    return profile


@transaction.atomic
def promote_to_seller(user, store_name: str) -> User:
    if user.is_seller:
        return user
    if not user.email_verified:
        raise DomainError("Verify your email address before opening a store.", code="email_unverified")
    user.role = User.Role.SELLER
    user.save(update_fields=["role"])
    update_profile(user, store_name=store_name)
    logger.info("User %s became a seller", user.pk)
    return user


@transaction.atomic
def add_address(user, *, make_default=False, **data) -> Address:
    unknown = set(data) - ADDRESS_FIELDS
    if unknown:
        raise DomainError(f"Unknown address fields: {', '.join(sorted(unknown))}", code="invalid_fields")
    is_first = not Address.objects.filter(user=user).exists()
    data["country_code"] = data.get("country_code", "").upper()
    address = Address.objects.create(user=user, **data)
    if is_first or make_default:
        set_default_address(user, address.pk, kind="shipping")
        set_default_address(user, address.pk, kind="billing")
        address.refresh_from_db()
    return address


def set_default_address(user, address_id, *, kind="shipping") -> None:
    if kind not in ("shipping", "billing"):
        raise DomainError("kind must be 'shipping' or 'billing'.", code="invalid_kind")
    field = f"is_default_{kind}"
    with transaction.atomic():
        selectors.get_address_for_user(user, address_id)
        Address.objects.filter(user=user).exclude(pk=address_id).update(**{field: False})
        Address.objects.filter(user=user, pk=address_id).update(**{field: True})


@transaction.atomic
def delete_address(user, address_id) -> None:
    address = selectors.get_address_for_user(user, address_id)
    was_shipping, was_billing = address.is_default_shipping, address.is_default_billing
    address.delete()
    replacement = selectors.list_addresses(user).first()
    if replacement is None:
        return
    if was_shipping:
        set_default_address(user, replacement.pk, kind="shipping")
    if was_billing:
        set_default_address(user, replacement.pk, kind="billing")


def deactivate_user(user, *, reason: str = "") -> User:
    user.is_active = False
    user.marketing_opt_in = False
    user.save(update_fields=["is_active", "marketing_opt_in"])
    logger.warning("Deactivated user %s: %s", user.pk, reason or "no reason given")
    return user


def purge_unverified(older_than) -> int:
    queryset = selectors.stale_unverified_users(older_than)
    count = queryset.count()
    if count:
        queryset.delete()
        logger.info("Purged %d unverified accounts created before %s", count, older_than)
    return count
