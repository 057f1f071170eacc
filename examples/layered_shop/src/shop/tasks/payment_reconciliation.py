"""Nightly reconciliation of captured payments against the provider."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import text

from shop.db.session import session_scope
from shop.models.payment import Payment, PaymentStatus
from shop.services.payment_gateway import PaymentProviderError, get_client, get_payment
from shop.utils.logging_config import get_logger
from shop.utils.money import from_cents
from shop.utils.scheduler import periodic

log = get_logger(__name__)

LOOKBACK = timedelta(days=2)

CAPTURED_SQL = text(
    "SELECT id, provider_reference, amount, currency, status FROM payments"
    " WHERE captured_at >= :since AND provider_reference IS NOT NULL"
    " ORDER BY captured_at"
)

STUCK_SQL = text(
    "SELECT id FROM payments WHERE status = :status AND created_at < :cutoff"
)


def _compare(row: dict[str, object], remote: dict[str, object]) -> list[str]:
    problems = []
    remote_amount = from_cents(int(remote.get("amount", 0)))
    if Decimal(str(row["amount"])) != remote_amount:
        problems.append(f"amount {row['amount']} != provider {remote_amount}")
    if str(row["currency"]).lower() != str(remote.get("currency", "")).lower():
        problems.append(f"currency {row['currency']} != provider {remote.get('currency')}")
    if remote.get("refunded") and row["status"] == PaymentStatus.CAPTURED.name:
        problems.append("refunded at provider but captured here")
    return problems


@periodic(hours=24, name="payments.reconcile")
def reconcile_payments() -> int:
    """Compare recent captures with the provider; returns mismatches found."""
    since = datetime.now(timezone.utc) - LOOKBACK
    client = get_client()
    mismatches = 0
    with session_scope() as session:
        rows = [dict(r._mapping) for r in session.execute(CAPTURED_SQL, {"since": since})]
        for row in rows:
            try:
                remote = client.retrieve_charge(str(row["provider_reference"]))
            except PaymentProviderError as exc:
                log.warning("cannot reconcile payment %s: %s", row["id"], exc)
                continue
            problems = _compare(row, remote)
            if problems:
                mismatches += 1
                log.error("payment %s mismatch: %s", row["id"], "; ".join(problems))
    log.info("reconciled %d payments, %d mismatches", len(rows), mismatches)
    return mismatches


@periodic(hours=1, name="payments.void_stuck_authorizations")
def fail_stuck_authorizations() -> int:
    """Authorisations never captured within a day are marked failed."""
    cutoff = datetime.now(timezone.utc) - timedelta(days=1)
    with session_scope() as session:
        ids = [r.id for r in session.execute(
            STUCK_SQL, {"status": PaymentStatus.AUTHORIZED.name, "cutoff": cutoff})]
        stuck: list[Payment] = [get_payment(session, payment_id) for payment_id in ids]
        for payment in stuck:
            payment.mark_failed("authorization expired without capture")
    if stuck:
        log.warning("marked %d stuck authorizations as failed", len(stuck))
    return len(stuck)
