"""HTTP hygiene for every route: a request size limit, the proxies we trust, and security headers (Talisman).

The size limit is checked before any body is read (a declared length) and while reading (a chunked body), so
a huge unsigned POST is refused before the signature check ever parses it. Slow clients are the buffering
proxy's to absorb (README, Deployment): gunicorn's sync workers must only ever see whole requests.
"""
from urllib.parse import urlsplit

from flask import abort, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix


def content_security_policy(tile_url: str | None) -> dict:
    """Our own scripts, styles and media only; images also from the map's tile server; no frames, no plugins.
    Inline style attributes are allowed (the charts' bars are sized by them); inline scripts are not."""
    images = ["'self'", "data:"]
    if tile_url and "://" in tile_url:
        parts = urlsplit(tile_url)
        images.append(f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}")  # Leaflet's {s}: any subdomain
    return {"default-src": "'self'", "img-src": " ".join(images), "style-src": "'self' 'unsafe-inline'",
            "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'", "frame-ancestors": "'none'"}


def init_app(app) -> None:
    """Trust PROXY_HOPS proxies' X-Forwarded-* headers, cap request bodies, and send the security headers."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_KB"] * 1024

    @app.before_request
    def refuse_large_bodies():
        """413 for a declared body over the limit, before a byte of it is read."""
        if request.content_length is not None and request.content_length > app.config["MAX_CONTENT_LENGTH"]:
            abort(413)

    https = str(app.config.get("PUBLIC_BASE_URL") or "").startswith("https://")
    Talisman(app, force_https=False,  # the proxy redirects; a redirected Twilio POST would be lost
             session_cookie_secure=https, strict_transport_security=True,  # HSTS only on https requests
             frame_options="DENY", referrer_policy="same-origin",  # same-origin: CSRF's referrer check still works
             content_security_policy=content_security_policy(app.config.get("MAP_TILE_URL")))
