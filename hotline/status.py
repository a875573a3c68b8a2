"""POST /twilio/status: delivery reports for the SMS we sent, and call status callbacks (hotline/voice)."""
from flask import Blueprint, Response, current_app, request

from dispatch.ladder import undelivered
from dispatch.runtime.unit_of_work import run_and_commit

from .signature import twilio_signed
from .sms import storable

bp = Blueprint("twilio_status", __name__, url_prefix="/twilio")


@bp.post("/status")
@twilio_signed
def status_callback():
    """Twilio's status webhook: an SMS's report is recorded (a failure acted on); a call's goes to the voice line."""
    form = {k: storable(v, 500) for k, v in request.form.items()}  # PostgreSQL takes no NUL in a query either
    if form.get("CallSid") and form.get("CallStatus") and not form.get("MessageSid"):
        from .voice.routes import call_status  # a call's status: a missed call becomes a call-back request

        return call_status(form)
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    if not sid or not status:
        return Response("MessageSid and MessageStatus are required.\n", status=400, mimetype="text/plain")
    error_code = form.get("ErrorCode") or None
    config = current_app.config

    run_and_commit(lambda session, now: undelivered.record_report(session, sid, status, error_code, now, config))
    return Response(status=204)


def init_app(app):
    """Register Twilio's status webhook on `app` (a modem's reports are read from its tables instead)."""
    if app.config["SMS_BACKEND"] != "gammu":
        app.register_blueprint(bp)
