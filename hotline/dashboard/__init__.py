"""/dashboard: leaders see and steer every open call in their scope. Login required everywhere but the sign-in.

Sessions: Flask's signed cookie, PERMANENT_SESSION_LIFETIME from DASHBOARD_SESSION_HOURS, counted from sign-in,
and an idle timeout (DASHBOARD_IDLE_MINUTES) that only a person's own clicks reset (the board's polling does not).
CSRF: every POST under /dashboard carries the session's token (a form field or the X-CSRF-Token header); the
check is this blueprint's own, so /twilio/* and /simulator are untouched.
"""
import hmac
import secrets
from datetime import timedelta

from flask import Blueprint, abort, request, session

from ..config import ConfigError

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@bp.before_request
def refuse_nul_characters():
    """PostgreSQL stores no NUL character: a form or URL carrying one is bad input (400), not a 500."""
    if "\x00" in request.path or any("\x00" in value for value in request.values.values()):
        abort(400)


@bp.before_request
def check_csrf():
    """Refuse (400) a state-changing request under /dashboard that lacks the session's CSRF token."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
        expected = session.get("csrf")
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            abort(400, description="csrf")


@bp.app_context_processor
def template_helpers():
    """Make `csrf_token` and `get_locale` available to every template."""
    from flask_babel import get_locale

    return {"csrf_token": csrf_token, "get_locale": get_locale}


def _positive_int(app, name: str) -> int:
    try:
        value = int(app.config[name])
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, not {app.config[name]!r}.")
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}.")
    return value


def init_app(app):
    """Settings, translations and the blueprint."""
    hours = _positive_int(app, "DASHBOARD_SESSION_HOURS")
    app.config["DASHBOARD_IDLE_MINUTES"] = _positive_int(app, "DASHBOARD_IDLE_MINUTES")
    tiles = app.config.get("MAP_TILE_URL")
    if tiles and not str(tiles).startswith(("http://", "https://", "/")):
        raise ConfigError(f"MAP_TILE_URL must be an http(s) URL with {{z}}/{{x}}/{{y}}, not {tiles!r}.")
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=hours)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    if str(app.config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True  # served over https: the cookie never travels in clear
    from . import auth, calls, i18n, modem, reporting, sharing, views  # noqa: F401  (they add their routes to bp)

    i18n.init_app(app)
    app.register_blueprint(bp)
