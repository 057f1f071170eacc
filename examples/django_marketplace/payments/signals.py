"""Payment receivers: tell customers about refunds and failed payments."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from notifications.tasks import deliver_user_notification

from .models import Payment, Refund


@receiver(post_save, sender=Refund, dispatch_uid="payments.notify_customer_of_refund")
def notify_customer_of_refund(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or instance.status != Refund.Status.SUCCEEDED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    order = instance.payment.order
    deliver_user_notification.delay(
        order.customer_id,
        "payment.refunded",
        {"order_number": order.number, "amount": str(instance.amount), "currency": instance.payment.currency},
    )


@receiver(post_save, sender=Payment, dispatch_uid="payments.notify_failed_payment")
def notify_failed_payment(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.status != Payment.Status.FAILED:
        return
    deliver_user_notification.delay(
        instance.order.customer_id,
        "payment.failed",
        {"order_number": instance.order.number, "reason": instance.failure_message or instance.failure_code},
    )
