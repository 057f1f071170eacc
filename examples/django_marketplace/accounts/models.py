"""Identity models: the custom user, their profile and postal addresses."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from core.models import TimeStampedModel


class MarketplaceUserManager(UserManager):
    """User manager with marketplace specific shortcuts."""

    def sellers(self):
        return self.filter(role=User.Role.SELLER, is_active=True)

    def customers(self):
        return self.filter(role=User.Role.CUSTOMER, is_active=True)


class User(AbstractUser):
    """The marketplace user. Customers and sellers share the same table."""

    class Role(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        SELLER = "seller", "Seller"
        SUPPORT = "support", "Support agent"

    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    phone_number = models.CharField(max_length=32, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    marketing_opt_in = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    objects = MarketplaceUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        db_table = "accounts_user"
        ordering = ["-date_joined"]
        indexes = [models.Index(fields=["role", "is_active"], name="accounts_user_role_idx")]

    def __str__(self):
        return self.get_username()

    @property
    def is_seller(self) -> bool:
        return self.role == self.Role.SELLER

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def display_name(self) -> str:
        full_name = self.get_full_name().strip()
        return full_name or self.get_username()

    def mark_email_verified(self):
        self.email_verified_at = timezone.now()
        self.save(update_fields=["email_verified_at"])


class Profile(TimeStampedModel):
    """Personal and seller storefront information, one per user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    bio = models.TextField(blank=True)
    avatar_url = models.URLField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    preferred_currency = models.CharField(max_length=3, default="EUR")
    locale = models.CharField(max_length=10, default="en")
    store_name = models.CharField(max_length=120, blank=True)
    store_slug = models.SlugField(max_length=140, null=True, blank=True, unique=True)
    payout_iban = models.CharField(max_length=34, blank=True)
    preferences = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "accounts_profile"

    def __str__(self):
        return f"Profile of {self.user}"


class Address(TimeStampedModel):
    """A postal address in a user's address book."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=40, blank=True)
    full_name = models.CharField(max_length=150)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    region = models.CharField(max_length=100, blank=True)
    country_code = models.CharField(max_length=2)
    phone_number = models.CharField(max_length=32, blank=True)
    is_default_shipping = models.BooleanField(default=False)
    is_default_billing = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default_shipping", "-created_at"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return f"{self.full_name}, {self.line1}, {self.city} ({self.country_code})"

    def as_lines(self) -> list[str]:
        """Address formatted for a shipping label."""
        lines = [self.full_name, self.line1]
        if self.line2:
            lines.append(self.line2)
        locality = f"{self.postal_code} {self.city}".strip()
        if self.region:
            locality = f"{locality}, {self.region}"
        lines.extend([locality, self.country_code.upper()])
        return lines

    def as_dict(self) -> dict:
        """Immutable snapshot stored on orders and shipments."""
        return {
            "full_name": self.full_name,
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "postal_code": self.postal_code,
            "region": self.region,
            "country_code": self.country_code.upper(),
            "phone_number": self.phone_number,
        }
