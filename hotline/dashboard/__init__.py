"""/dashboard: leaders see and steer every open call in their scope. Login required everywhere but the sign-in.

Sessions (auth.py): Flask-Login over Flask's signed cookie, PERMANENT_SESSION_LIFETIME from
DASHBOARD_SESSION_HOURS counted from sign-in, an idle timeout (DASHBOARD_IDLE_MINUTES) that only a person's own
clicks reset (the board's polling does not), and the leader's session version in the cookie, so signing out or
setting a password ends every older cookie.
CSRF: Flask-WTF's CSRFProtect, checked for this blueprint only (a form field `csrf_token`, or the X-CSRF-Token
header), so /twilio/* and /simulator are untouched. Templates call `csrf_token()`.
"""
from datetime import timedelta

from flask import Blueprint, abort, g, request
from flask_wtf.csrf import CSRFProtect

from ..config import ConfigError

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
csrf = CSRFProtect()


@bp.before_request
def forget_the_last_request():
    """Flask-Login and Flask-WTF cache the user and the CSRF token in `g`; read them from this request's cookie.
    (`g` is the app context's, and outlives a request where a caller, such as a test, holds that context.)"""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


@bp.before_request
def refuse_nul_characters():
    """PostgreSQL stores no NUL character: a form or URL carrying one is bad input (400), not a 500."""
    if "\x00" in request.path or any("\x00" in value for value in request.values.values()):
        abort(400)


@bp.before_request
def check_csrf():
    """Refuse (400) a state-changing request under /dashboard that lacks the session's CSRF token."""
    csrf.protect()


@bp.app_context_processor
def template_helpers():
    """Make `get_locale` available to every template (CSRFProtect provides `csrf_token`)."""
    from flask_babel import get_locale

    return {"get_locale": get_locale}


def _positive_int(app, name: str) -> int:
    try:
        value = int(app.config[name])
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, not {app.config[name]!r}.")
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}.")
    return value


def init_app(app):
    """Settings, CSRF, sign-in, translations and the blueprint."""
    hours = _positive_int(app, "DASHBOARD_SESSION_HOURS")
    app.config["DASHBOARD_IDLE_MINUTES"] = _positive_int(app, "DASHBOARD_IDLE_MINUTES")
    tiles = app.config.get("MAP_TILE_URL")
    if tiles and not str(tiles).startswith(("http://", "https://", "/")):
        raise ConfigError(f"MAP_TILE_URL must be an http(s) URL with {{z}}/{{x}}/{{y}}, not {tiles!r}.")
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=hours)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    if str(app.config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True  # served over https: the cookie never travels in clear
    # Checked here, for the dashboard only; a token lives as long as the session it belongs to.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["WTF_CSRF_TIME_LIMIT"] = hours * 3600
    csrf.init_app(app)
    # They add their routes to bp.
    from . import auth, calls, cards, i18n, inbox, modem, register, reporting, sharing, views  # noqa: F401

    i18n.init_app(app)
    auth.init_app(app)
    app.register_blueprint(bp)
    auth.limit_sign_in(app)
