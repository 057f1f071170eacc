"""HTTP endpoints for a customer's messages and notification preferences."""
from __future__ import annotations

from shop.db.session import session_scope
from shop.models.notification import Channel
from shop.services import notifier, templates
from shop.utils.http import BadRequest, Request, Response, Router, customer_id_from, json_response
from shop.utils.validation import require_fields

router = Router("/notifications")

TOPICS = ("order", "shipping", "marketing")


@router.get("/me")
def my_notifications(request: Request) -> Response:
    with session_scope() as session:
        return json_response({"notifications": notifier.notifications_for_customer(
            session, customer_id_from(request))})


@router.put("/me/preferences")
def update_preference(request: Request) -> Response:
    data = request.json()
    require_fields(data, "channel", "topic", "enabled")
    try:
        channel = Channel(data["channel"])
    except ValueError as exc:
        raise BadRequest(f"unknown channel {data['channel']!r}") from exc
    if data["topic"] not in TOPICS:
        raise BadRequest(f"topic must be one of {', '.join(TOPICS)}")
    with session_scope() as session:
        pref = notifier.set_preference(session, customer_id_from(request), channel, data["topic"],
                                       bool(data["enabled"]))
        return json_response({"channel": pref.channel.value, "topic": pref.topic, "enabled": pref.enabled})


@router.get("/templates/{name}/preview")
def preview_template(request: Request, name: str) -> Response:
    """Render a template with placeholder values, for the marketing team."""
    try:
        template = templates.get_template(name)
    except KeyError as exc:
        raise BadRequest(str(exc)) from exc
    sample = {key: f"<{key}>" for key in template.placeholders()}
    return json_response({
        "subject": template.subject.format(**sample),
        "html": templates.render_html(name, sample),
        "sms": templates.render_sms(name, sample),
    })


@router.post("/outbox/flush")
def flush_outbox(request: Request) -> Response:
    """Back-office button: deliver queued messages now instead of waiting."""
    limit = min(max(request.int_arg("limit", 100), 1), 1000)
    with session_scope() as session:
        sent = notifier.send_pending(session, limit)
        retried = notifier.retry_failed(session)
    return json_response({"sent": sent, "retried": retried})
