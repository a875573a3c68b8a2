"""Limits per address and overall (Flask-Limiter), counted in Redis so every web process shares them.

The embedded default has no Redis server (its stand-in lives in one process): it counts in memory. When Redis
is away the limits fall back to each process's memory and a request is never refused for the outage.
"""
from flask import request
from flask_limiter import Limiter


def address() -> str:
    """The client's address: the peer, or the one the trusted proxies name (PROXY_HOPS, hotline/security.py)."""
    return request.remote_addr or "unknown"


def everyone() -> str:
    """One key for all clients together: an overall limit."""
    return "everyone"


def init_app(app) -> None:
    """A limiter of the app's own (its storage is the limiter's, so two apps never share one): counting in
    Redis when REDIS_URL names one, in memory otherwise; never failing a request on the storage."""
    url = app.config["REDIS_URL"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", url or "memory://")
    if url:
        # Short timeouts, as for the queue: a sign-in must answer even when Redis does not.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 2})
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "hotline-limits")
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True
    app.config["RATELIMIT_HEADERS_ENABLED"] = False  # how close a client is to a limit is nobody's business
    app.extensions["hotline.limiter"] = Limiter(key_func=address, app=app)


def guard(app, endpoint: str, limit: str, *, shared: str | None = None, **options) -> None:
    """Put `limit` ("5 per minute;20 per hour") on the registered view `endpoint`: counted per `key_func`
    (default: the address), and across views when they name the same `shared` scope. `options` are
    Flask-Limiter's (key_func, exempt_when, deduct_when); limits stack."""
    limiter = app.extensions["hotline.limiter"]
    decorate = limiter.shared_limit(limit, shared, **options) if shared else limiter.limit(limit, **options)
    app.view_functions[endpoint] = decorate(app.view_functions[endpoint])
