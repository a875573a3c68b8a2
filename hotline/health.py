"""GET /healthz: can we reach the database and Redis (and, on the modem route, how is the modem)?"""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from models import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Whether the database and Redis answer: 200 when both do, 503 otherwise (for a load balancer)."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as error:  # any driver error means "not reachable" for a load balancer
        database = f"error: {type(error).__name__}"
        db.session.rollback()
    redis = "ok" if current_app.extensions["hotline.queue"].ping() else "unreachable"
    healthy = database == "ok" and redis == "ok"
    body = {"database": database, "redis": redis}
    gateway = current_app.extensions["hotline.sms_gateway"]
    if hasattr(gateway, "modem_state"):  # SMS_BACKEND=gammu: the modem too; without its database no SMS moves
        from dispatch.runtime.unit_of_work import utcnow

        body.update(modem=gateway.modem_state(utcnow()).as_dict(), voice="off: a modem has no voice line")
        healthy = healthy and body["modem"]["state"] != "unreachable"
    return jsonify(body), 200 if healthy else 503


def init_app(app):
    """Register /healthz on `app`."""
    app.register_blueprint(bp)
