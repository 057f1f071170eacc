"""Django settings for the marketplace project.

Values that differ between environments are read from environment variables;
the defaults are suitable for local development only.
"""
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a boolean flag from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "core.apps.CoreConfig",
    "accounts.apps.AccountsConfig",
    "catalog.apps.CatalogConfig",
    "inventory.apps.InventoryConfig",
    "orders.apps.OrdersConfig",
    "payments.apps.PaymentsConfig",
    "shipping.apps.ShippingConfig",
    "reviews.apps.ReviewsConfig",
    "notifications.apps.NotificationsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("POSTGRES_DB", "marketplace"),
        "USER": os.environ.get("POSTGRES_USER", "marketplace"),
        "PASSWORD": os.environ.get("POSTGRES_PASSWORD", "marketplace"),
        "HOST": os.environ.get("POSTGRES_HOST", "localhost"),
        "PORT": int(os.environ.get("POSTGRES_PORT", "5432")),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": 60,
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StandardResultsSetPagination",
    "EXCEPTION_HANDLER": "core.exceptions.domain_exception_handler",
    "PAGE_SIZE": 25,
}

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Marketplace <no-reply@marketplace.example>")

# --- Celery ----------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://localhost:6379/1")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_ROUTES = {
    "notifications.tasks.*": {"queue": "notifications"},
    "payments.tasks.*": {"queue": "payments"},
    "shipping.tasks.*": {"queue": "shipping"},
    "catalog.tasks.*": {"queue": "search"},
}
CELERY_BEAT_SCHEDULE = {
    "expire-unpaid-orders": {
        "task": "orders.tasks.expire_unpaid_orders",
        "schedule": timedelta(minutes=10),
    },
    "remind-abandoned-carts": {
        "task": "orders.tasks.remind_abandoned_carts",
        "schedule": crontab(minute=0, hour="*/6"),
    },
    "reconcile-pending-payments": {
        "task": "payments.tasks.reconcile_pending_payments",
        "schedule": timedelta(minutes=15),
    },
    "check-low-stock": {
        "task": "inventory.tasks.check_low_stock_levels",
        "schedule": crontab(minute=30, hour=7),
    },
    "poll-stale-shipments": {
        "task": "shipping.tasks.poll_stale_shipments",
        "schedule": timedelta(hours=1),
    },
    "publish-scheduled-products": {
        "task": "catalog.tasks.publish_scheduled_products",
        "schedule": timedelta(minutes=5),
    },
    "purge-unverified-accounts": {
        "task": "accounts.tasks.purge_unverified_accounts",
        "schedule": crontab(minute=0, hour=3),
    },
    "purge-old-notifications": {
        "task": "notifications.tasks.purge_old_notifications",
        "schedule": crontab(minute=15, hour=3, day_of_week="sun"),
    },
}

# --- Domain settings -------------------------------------------------------
DEFAULT_CURRENCY = "EUR"
TAX_RATES = {
    "DE": Decimal("19.00"),
    "FR": Decimal("20.00"),
    "NL": Decimal("21.00"),
    "BE": Decimal("21.00"),
    "AT": Decimal("20.00"),
    "GB": Decimal("20.00"),
}

SEARCH_INDEX_URL = os.environ.get("SEARCH_INDEX_URL", "http://localhost:7700/indexes/products")
SEARCH_API_KEY = os.environ.get("SEARCH_API_KEY", "")

PAYMENTS = {
    "GATEWAY_URL": os.environ.get("PAYMENT_GATEWAY_URL", "https://api.payhub.example/v2"),
    "API_KEY": os.environ.get("PAYMENT_GATEWAY_API_KEY", ""),
    "WEBHOOK_SECRET": os.environ.get("PAYMENT_WEBHOOK_SECRET", ""),
    "TIMEOUT": 10,
}

SHIPPING = {
    "CARRIER_API_KEYS": {
        "dhl": os.environ.get("DHL_API_KEY", ""),
        "ups": os.environ.get("UPS_API_KEY", ""),
        "postnl": os.environ.get("POSTNL_API_KEY", ""),
    },
    "TIMEOUT": 15,
    "POLL_INTERVAL_SECONDS": 2 * 60 * 60,
}

NOTIFICATIONS = {
    "SMS": {
        "API_URL": os.environ.get("SMS_API_URL", "https://sms.example/api/messages"),
        "API_KEY": os.environ.get("SMS_API_KEY", ""),
        "SENDER_ID": "MARKET",
    },
}

INVENTORY_ALERT_RECIPIENTS = env_list("INVENTORY_ALERT_RECIPIENTS", "ops@marketplace.example")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
