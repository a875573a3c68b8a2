"""POST /twilio/voice and the steps under it: a herder's call, from the greeting to the reference number.

Each step parses Twilio's form, calls one function of dispatch/voice/ivr.py and renders its `Turn` as TwiML.
The state a step needs (the attempt) travels in the action URL, so the same post twice gets the same answer.
"""
import logging

from flask import Blueprint, Response, current_app, request
from twilio.twiml.voice_response import VoiceResponse

from dispatch.messaging import outbox
from dispatch.voice import ivr
from dispatch.runtime.unit_of_work import run_and_commit
from dispatch.messaging.keypad import Next, read_attempt, read_digits
from dispatch.voice.menu import CATEGORIES
from models import db

from ..signature import twilio_signed
from ..sms import storable
from . import checkin, leader, offer
from . import twiml as t

bp = Blueprint("twilio_voice", __name__, url_prefix="/twilio")
log = logging.getLogger(__name__)
VOICE = "/twilio/voice"
RECORD_SECONDS = 120
DIAL_SECONDS = 25


@bp.post("/voice")
@twilio_signed
def incoming():
    """A call to the duty number starts here."""
    return answer("", request.args.to_dict(), request.form.to_dict())


def answer(step: str, query: dict, form: dict) -> Response:
    """The TwiML for one step of a call; the webhooks and the simulator's keypad both come here."""
    form = {key: storable(value, 500) for key, value in form.items()}
    if not form.get("CallSid"):
        return sorry()
    try:
        return STEPS[step](query, form)
    except Exception:
        # The caller hears an apology, never a stack trace; the call's status callback still
        # turns a call that got nowhere into a call-back request.
        log.exception("voice step %r failed for call %s", step, form.get("CallSid"))
        db.session.rollback()
        outbox.discard(db.session)
        return sorry()


def start(query: dict, form: dict) -> Response:
    """A call's first step: store the call and greet the caller with the menu, or the language choice."""
    config = current_app.config
    turn = run_and_commit(lambda s, now: ivr.begin(s, form["CallSid"][:64], form.get("From", ""),
                                                     form.get("To", ""), now, config))
    return render(turn, greet=True)


def _keyed(press):
    """A step that takes keys: the call (stored if its first webhook was lost), the keys, the attempt."""

    def handle(query: dict, form: dict) -> Response:
        config, keys, attempt = current_app.config, read_digits(form.get("Digits")), read_attempt(query.get("attempt"))

        def act(session, now):
            call = ivr.begin(session, form["CallSid"][:64], form.get("From", ""), form.get("To", ""), now,
                               config).call
            return press(session, call, keys, attempt, now, config)

        return render(run_and_commit(act))

    return handle


def recorded(query: dict, form: dict) -> Response:
    """The Record verb's action: the voice message is kept with the request; the caller hears the reference."""
    turn = run_and_commit(lambda s, now: _recorded_turn(s, form, now))
    if turn is None:
        return sorry()
    response = VoiceResponse()
    return closing(response, turn, _languages(turn), first="message_received")


def _recorded_turn(session, form, now):
    ivr.keep_recording(session, form["CallSid"][:64], form.get("RecordingUrl"), now)
    call = ivr.find_call(session, form["CallSid"][:64])
    return ivr.Turn(Next("done"), call, call.request) if call is not None and call.request else None


def recording(query: dict, form: dict) -> Response:
    """recordingStatusCallback: the recording's final URL."""
    if (form.get("RecordingStatus") or "completed") == "completed":
        run_and_commit(lambda s, now: ivr.keep_recording(s, form["CallSid"][:64], form.get("RecordingUrl"), now))
    return Response(status=204)


def dialed(query: dict, form: dict) -> Response:
    """The Dial verb's action: DialCallStatus says whether the shift lead took the emergency call."""
    def act(session, now):
        call = ivr.find_call(session, form["CallSid"][:64])
        return ivr.dialed(session, call, form.get("DialCallStatus"), now) if call is not None else None

    turn = run_and_commit(act)
    return render(turn) if turn is not None and turn.request is not None else sorry()


def call_status(form: dict) -> Response:
    """A call status callback (from /twilio/status): a call that ended before any choice gets a call-back."""
    form = {key: storable(value, 500) for key, value in form.items()}
    config, status = current_app.config, (form.get("CallStatus") or "").lower()
    run_and_commit(lambda s, now: ivr.call_ended(s, form["CallSid"][:64], form.get("From", ""), form.get("To", ""),
                                                   status, now, config, direction=form.get("Direction", "")))
    return Response(status=204)


def _languages(turn):
    language = turn.next.language or (str(turn.call.language) if turn.call.language else None)
    return language or t.BOTH


def render(turn: ivr.Turn, greet: bool = False) -> Response:
    """The TwiML for the step a turn leads to."""
    response, step, languages = VoiceResponse(), turn.next.step, _languages(turn)
    if step == "language":
        url = t.action(f"{VOICE}/language", attempt=turn.next.attempt)
        keypad = t.gather(response, url, num_digits=1)
        for language in t.BOTH:
            t.prompt(keypad, "again" if turn.next.why else "welcome", language)
            t.prompt(keypad, "choose_language", language)
        t.after_gather(response, url)
    elif step == "gacha":
        url = t.action(f"{VOICE}/gacha", attempt=turn.next.attempt)
        keypad = t.gather(response, url, finish_on_key="#")
        if turn.next.why:
            t.prompt(keypad, "gacha_unknown" if turn.next.why == "unknown_gacha" else "again", languages)
        t.prompt(keypad, "ask_gacha", languages)
        t.after_gather(response, url)
    elif step == "menu":
        url = t.action(f"{VOICE}/menu", attempt=turn.next.attempt)
        keypad = t.gather(response, url, num_digits=1)
        if greet:  # a caller the roster knows, in their own language
            t.prompt(keypad, "welcome", languages)
        if turn.next.why:
            t.prompt(keypad, "again", languages)
        t.prompt(keypad, "menu_intro", languages)
        for category in CATEGORIES:  # slowly: a pause between choices
            keypad.pause(length=1)
            t.prompt(keypad, f"menu_{category}", languages)
        t.after_gather(response, url)
    elif step == "record":
        t.prompt(response, "record", languages)
        response.record(action=t.action(f"{VOICE}/recorded"), method="POST", max_length=RECORD_SECONDS, timeout=8,
                        finish_on_key="#", play_beep=True, recording_status_callback=t.action(f"{VOICE}/recording"),
                        recording_status_callback_method="POST")
        return closing(response, turn, languages)  # heard only when nothing was recorded
    elif step == "emergency" and turn.dial_to is not None:
        t.prompt(response, "emergency_connecting", languages)
        dial = response.dial(action=t.action(f"{VOICE}/dialed"), method="POST", timeout=DIAL_SECONDS,
                             answer_on_bridge=True)
        dial.number(turn.dial_to.phone)
    elif step in ("emergency", "dial_done"):
        if not turn.next.answered:
            t.prompt(response, "emergency_alerted", languages)  # nobody to put through, or nobody answered
        return closing(response, turn, languages)
    else:
        return closing(response, turn, languages)
    return t.twiml(response)


def closing(response: VoiceResponse, turn: ivr.Turn, languages, first: str = "received") -> Response:
    """What the caller hears last: what was received, the reference twice, the SMS, goodbye."""
    request = turn.request
    if turn.existing:
        t.prompt(response, "still_open", languages)
    else:
        t.prompt(response, first, languages)
        if first == "received":
            t.prompt(response, f"cat_{request.category}", languages)
    t.reference(response, request.ref, languages)
    if ivr.reachable(turn.call.from_phone, current_app.config):
        t.prompt(response, "sms_sent", languages)
    return t.goodbye(response, languages)


def sorry() -> Response:
    """Well-formed TwiML for what cannot be handled: an apology in both languages, then a clean hang-up."""
    response = VoiceResponse()
    t.prompt(response, "sorry", t.BOTH)
    response.hangup()
    return t.twiml(response)


STEPS = {
    "": start,
    "language": _keyed(ivr.press_language),
    "gacha": _keyed(ivr.press_gacha),
    "menu": _keyed(ivr.press_menu),
    "recorded": recorded,
    "recording": recording,
    "dialed": dialed,
    "offer": offer.read_offer,
    "offer/answer": offer.press_key,
    "leader": leader.read_escalation,
    "leader/answer": leader.press_key,
    "checkin": checkin.read_checkin,
    "checkin/answer": checkin.press_key,
}


def _step_view(name: str):
    """The signed view of one later step, reached through the action URL of the TwiML before it."""
    def view():
        return answer(name, request.args.to_dict(), request.form.to_dict())

    return twilio_signed(view)


for _name in STEPS:  # one fixed route per step: /twilio/voice/language, /twilio/voice/offer/answer, …
    if _name:
        bp.add_url_rule(f"/voice/{_name}", endpoint="step_" + _name.replace("/", "_"), view_func=_step_view(_name),
                        methods=["POST"])
