"""Twilio webhook signatures: a route decorated with `twilio_signed` answers 403 to anything unsigned."""
import functools

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator


def webhook_url() -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL plus the path and query when behind a proxy."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return base + request.path + (f"?{query}" if query else "")


def twilio_signed(view):
    """Reject, before anything is stored, a request whose X-Twilio-Signature does not verify."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        validator = RequestValidator(current_app.config["TWILIO_AUTH_TOKEN"])
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not validator.validate(webhook_url(), request.form.to_dict(), signature):
            abort(403)
        return view(*args, **kwargs)

    return checked
