"""Signal receivers for accounts."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from notifications.tasks import send_welcome_email

from .models import User
from .services import ensure_profile


@receiver(post_save, sender=User, dispatch_uid="accounts.create_profile_for_new_user")
def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    """Every user gets a profile and a welcome email once the transaction commits."""
    if not created or raw:
        return
    ensure_profile(instance)
    user_id = instance.pk
    transaction.on_commit(lambda: send_welcome_email.delay(user_id))
