"""Every inbound SMS, from any provider, takes one path here (`answer_sms`: stored first, then acted on), and
POST /twilio/sms is Twilio's way in (herders, members and leaders text the same duty number). Where the
provider cannot answer in its response (a modem), the answer goes out as an ordinary recorded SMS."""
import hashlib
import logging

from flask import Blueprint, Response, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from dispatch.conversation.inbound import InboundSms, receive_sms
from dispatch.messaging.texts import render
from models import InboundMessage, db

from dispatch.runtime.unit_of_work import run_and_commit, utcnow
from . import spool
from .signature import twilio_signed

bp = Blueprint("twilio_sms", __name__, url_prefix="/twilio")
MAX_FIELD = 20_000  # characters kept of one form field: ten concatenated SMS are 1,600
log = logging.getLogger(__name__)


class NotStored(Exception):
    """The database is away and the SMS could not be stored: the provider must keep it and offer it again."""


@bp.post("/sms")
@twilio_signed
def inbound_sms():
    """Twilio's webhook for an inbound SMS: store it, act on it, and answer in TwiML."""
    form = request.form.to_dict()
    return twiml_message(answer_sms(sms_from_form(form)))


def sms_from_form(form: dict) -> InboundSms:
    """Twilio's form as a plain value, safe to store; a missing or odd MessageSid gets a stable stand-in."""
    form = {storable(k, 100): storable(v, MAX_FIELD) for k, v in form.items()}
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    if not sid or len(sid) > 64:
        sid = "hash-" + hashlib.sha256(repr(sorted(form.items())).encode()).hexdigest()[:40]
    return InboundSms(sid=sid, from_raw=form.get("From", "")[:64], to=form.get("To", "")[:64],
                      body=form.get("Body", ""), form=form)


def storable(text: str, limit: int) -> str:
    """Text PostgreSQL will take: no NUL characters (replaced, not dropped, so nothing is hidden), bounded."""
    return str(text).replace("\x00", "\ufffd")[:limit]


def answer_sms(sms: InboundSms, inline: bool | None = None, spool: bool = True) -> str:
    """Store and act on one SMS and return the answer: the one inbound path of every provider (Twilio's
    webhook, the modem's inbox, the simulator). `inline`: the provider sends the answer from its response
    (TwiML); otherwise the answer is recorded and sent as an SMS of its own (by default: what the gateway
    can do). `spool=False`: with the database down, raise NotStored instead of keeping the SMS on disk
    (a modem's inbox keeps it, and offers it again)."""
    settings = current_app.config
    if inline is None:
        inline = current_app.extensions["hotline.sms_gateway"].replies_inline
    try:
        replay_spooled()
        return run_and_commit(lambda session, now: receive_sms(session, sms, now, settings, late=not inline))
    except Exception:
        # Never a stack trace for the caller, never a lost message: keep it raw for a leader, or on disk.
        log.exception("could not handle SMS %s; keeping it raw", sms.sid)
        db.session.rollback()
        return _keep_raw(sms, spool)


def _keep_raw(sms: InboundSms, spool_when_down: bool = True) -> str:
    """Store the message without acting on it; with the database down, spool it to disk for replay."""
    now = utcnow()
    try:
        if db.session.query(InboundMessage.id).filter_by(provider_sid=sms.sid).first() is None:
            db.session.add(InboundMessage(provider_sid=sms.sid, from_phone=sms.from_raw[:64] or "unknown",
                                          to_phone=sms.to, body=sms.body, received_at=now,
                                          sender_kind="unhandled", reply="", form=sms.form))
            db.session.commit()
    except Exception as error:
        db.session.rollback()
        if not spool_when_down:
            raise NotStored(sms.sid) from error
        log.warning("database unavailable: SMS %s spooled to disk for replay", sms.sid)
        spool.keep(current_app.config["INSTANCE_DIR"], sms.form, now)  # if this fails too: a 500, Twilio's fallback
    return render("received_later", "zh")


def replay_spooled() -> int:
    """Act on SMS that arrived while the database was down; their answers go out as ordinary SMS."""
    instance = current_app.config["INSTANCE_DIR"]
    claimed, entries = spool.take(instance)
    for n, (received_at, form) in enumerate(entries):
        sms = sms_from_form(form)
        try:
            run_and_commit(lambda session, now: receive_sms(session, sms, received_at, current_app.config,
                                                            late=True))
        except Exception:
            db.session.rollback()
            log.warning("replay stopped; %d spooled SMS put back", len(entries) - n, exc_info=True)
            spool.put_back(instance, entries[n:])
            spool.release(claimed)
            return n
    spool.release(claimed)  # only now: a process killed mid-replay leaves the file to replay (the sid dedupes)
    if entries:
        log.info("replayed %d SMS spooled while the database was down", len(entries))
    return len(entries)


def twiml_message(text: str) -> Response:
    """A TwiML answer carrying one SMS (or none, for an empty text)."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return Response(str(response), mimetype="application/xml")


def init_app(app):
    """Register Twilio's SMS webhook on `app` (the console's simulator posts through it too; a modem does not)."""
    if app.config["SMS_BACKEND"] != "gammu":
        app.register_blueprint(bp)
