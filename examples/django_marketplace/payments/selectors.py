"""Payment read queries."""
from django.db import connection
from django.db.models import Sum

from core.money import ZERO, quantize

from .models import Payment, Refund

DAILY_REVENUE_SQL = """
    SELECT DATE(p.captured_at) AS day, p.currency,
           SUM(p.amount) AS gross, COALESCE(SUM(r.refunded), 0) AS refunded
    FROM payments_payment p
    LEFT JOIN (
        SELECT payment_id, SUM(amount) AS refunded
        FROM payments_refund
        WHERE status = 'succeeded'
        GROUP BY payment_id
    ) r ON r.payment_id = p.id
    WHERE p.captured_at >= %s
    GROUP BY DATE(p.captured_at), p.currency
    ORDER BY day
"""


def payment_by_reference(reference: str):
    if not reference:
        return None
    return Payment.objects.select_related("order").filter(provider_reference=reference).first()


def payment_for_order(order):
    return Payment.objects.filter(order=order).prefetch_related("refunds").first()


def refunded_amount(payment):
    total = Refund.objects.filter(payment=payment, status=Refund.Status.SUCCEEDED).aggregate(total=Sum("amount"))["total"]
    return quantize(total or ZERO)


def refundable_amount(payment):
    return quantize(payment.amount - refunded_amount(payment))


def stale_pending_payments(cutoff):
    return (
        Payment.objects.filter(status__in=[Payment.Status.PENDING, Payment.Status.AUTHORIZED], created_at__lt=cutoff)
        .exclude(provider_reference="")
        .select_related("order")
    )


def daily_revenue(since) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(DAILY_REVENUE_SQL, [since])
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
