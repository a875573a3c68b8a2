"""/simulator/voice (SMS_BACKEND=console only): walk the voice menu in the browser.

A phone calls the duty number, or a duty member answers the call that reads an offer. Every key goes through
the same step functions as Twilio's webhooks (`routes.answer`); the TwiML they return is shown as what would be
played or said, with the prompt's audio file to listen to.
"""
import uuid
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from models import Call, CallKind, CallStep, Member, Place, db

from ..simulator import PhoneError, parse_phone
from . import prompts, routes

bp = Blueprint("voice_keypad", __name__, url_prefix="/simulator/voice")
STATIC = "/static/voice/"
NUMBERS_SHOWN = 300


class KeypadError(ValueError):
    """A keypad post the simulator cannot play."""


def describe(xml: str) -> list[dict]:
    """TwiML as the page shows it: each verb with what would be played or said."""
    if not xml.strip():
        return []
    return [_verb(element) for element in ElementTree.fromstring(xml)]


def _verb(element) -> dict:
    verb = element.tag.lower()
    item = {"verb": verb}
    if verb == "play":
        path = urlsplit(element.text or "").path
        item["url"] = path
        if STATIC in path:
            language, name = path.split(STATIC, 1)[1].split("/", 1)
            key = name.rsplit(".", 1)[0]
            item.update(language=language, key=key, text=prompts.manifest()["prompts"].get(key, {}).get(language))
    elif verb == "say":
        item["text"] = element.text or ""
    elif verb == "pause":
        item["seconds"] = int(element.get("length", "1"))
    elif verb == "gather":
        item.update(action=element.get("action"), num_digits=element.get("numDigits"),
                    finish_on_key=element.get("finishOnKey"), items=[_verb(child) for child in element])
    elif verb in ("record", "dial"):
        item["action"] = element.get("action")
        if verb == "dial":
            item["number"] = element.findtext("Number")
            item["name"] = db.session.scalar(select(Member.name).where(Member.phone == item["number"]))
    elif verb == "redirect":
        item["action"] = element.text
    return item


def _state(sid: str) -> dict:
    call = db.session.scalar(select(Call).where(Call.call_sid == sid))
    if call is None:
        return {}
    return {"step": str(call.step), "ref": call.request.ref if call.request else None,
            "language": str(call.language) if call.language else None}


def _form(sid: str, phone: str, offer_call: bool) -> dict:
    duty = current_app.config["TWILIO_FROM_NUMBER"]
    caller, called = (duty, phone) if offer_call else (phone, duty)
    return {"CallSid": sid, "From": caller, "To": called, "AccountSid": current_app.config["TWILIO_ACCOUNT_SID"] or "",
            "Direction": "outbound-api" if offer_call else "inbound", "CallStatus": "in-progress"}


def _reply(sid: str, response) -> dict:
    return {"call_sid": sid, "verbs": describe(response.get_data(as_text=True)), "state": _state(sid)}


@bp.post("/call")
def call():
    """Ring the duty number from `phone`: the greeting, as Twilio would fetch it."""
    try:
        phone = parse_phone(request.form.get("phone"))
    except PhoneError as error:
        return jsonify(error=str(error)), 400
    sid = "CAsim" + uuid.uuid4().hex
    return jsonify(_reply(sid, routes.answer("", {}, _form(sid, phone, False))))


@bp.post("/press")
def press():
    """Follow an action URL of the last TwiML with keys (or silence, a recording, a dial outcome)."""
    try:
        phone = parse_phone(request.form.get("phone"))
        sid, step, query = _target(request.form)
    except (PhoneError, KeypadError) as error:
        return jsonify(error=str(error)), 400
    form = _form(sid, phone, request.form.get("kind") == "offer")
    if "digits" in request.form:
        form["Digits"] = request.form["digits"][:40]
    if request.form.get("dial_status"):
        form["DialCallStatus"] = request.form["dial_status"][:20]
    if request.form.get("recording"):
        form.update(RecordingUrl=f"simulator://recording/{sid}", RecordingDuration="5")
    return jsonify(_reply(sid, routes.answer(step, query, form)))


def _target(form) -> tuple[str, str, dict]:
    sid, parts = (form.get("call_sid") or "")[:64], urlsplit(form.get("action") or "")
    if not sid.startswith("CA"):
        raise KeypadError("没有进行中的通话。No call in progress.")
    if not parts.path.startswith("/twilio/voice"):
        raise KeypadError("不是语音热线的地址。Not a voice step.")
    step = parts.path[len("/twilio/voice"):].strip("/")
    if step not in routes.STEPS:
        raise KeypadError(f"未知的步骤 {step!r}。Unknown step.")
    return sid, step, dict(parse_qsl(parts.query))


@bp.post("/hangup")
def hangup():
    """Hang up: Twilio's call status callback, so a call that got nowhere becomes a call-back request."""
    try:
        phone = parse_phone(request.form.get("phone"))
    except PhoneError as error:
        return jsonify(error=str(error)), 400
    sid = (request.form.get("call_sid") or "")[:64]
    if not sid.startswith("CA"):
        return jsonify(error="没有进行中的通话。No call in progress."), 400
    form = _form(sid, phone, request.form.get("kind") == "offer")
    form["CallStatus"] = "completed"
    routes.call_status(form)
    return jsonify(call_sid=sid, ended=True, state=_state(sid))


@bp.get("/incoming")
def incoming():
    """Calls the hotline has placed to `phone` (a duty member, a leader, or a household's check-in) that nobody
    has answered yet."""
    try:
        phone = parse_phone(request.args.get("phone"))
    except PhoneError as error:
        return jsonify(error=str(error)), 400
    ours = (CallKind.offer, CallKind.leader, CallKind.checkin)
    calls = db.session.scalars(select(Call).where(Call.kind.in_(ours), Call.to_phone == phone,
                                                  Call.step == CallStep.placed)
                               .order_by(Call.id))
    return jsonify(calls=[{"call_sid": c.call_sid, "ref": c.request.ref if c.request else None,
                           "action": f"/twilio/voice/{c.kind}?call={c.id}"} for c in calls])


def gacha_numbers() -> list[tuple[str, str]]:
    """(number, name) of the places with a card number, for the keypad's crib sheet."""
    return list(db.session.execute(select(Place.short_number, Place.name).where(Place.short_number.is_not(None))
                                   .order_by(Place.short_number).limit(NUMBERS_SHOWN)).all())


def init_app(app):
    """Register the simulator's keypad, and the gacha numbers its page lists as a crib sheet."""
    app.register_blueprint(bp)
    app.add_template_global(gacha_numbers, "voice_gacha_numbers")
