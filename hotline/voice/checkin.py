"""/twilio/voice/checkin: the hotline's weekly check-in call to a household on the register, in the language
they hear: `1` all well, `2` I need help (a request is opened; they hear its reference); silence repeats the
question twice (dispatch/register/calls.py)."""
from flask import Response, current_app
from twilio.twiml.voice_response import VoiceResponse

from dispatch.messaging.keypad import Next, read_attempt, read_digits
from dispatch.register import calls
from dispatch.runtime.unit_of_work import run_and_commit

from . import twiml as t
from .offer import ask_keys, call_id_of, read_call, say_and_end

CHECKIN = "/twilio/voice/checkin"


def read_checkin(query: dict, form: dict) -> Response:
    """The household picked up: the greeting and the question (or goodbye when it was answered already)."""
    return read_call(calls.answer_call, query, form, lambda state: "checkin_thanks",
                     lambda call, language: _ask(call, Next("checkin"), language))


def press_key(query: dict, form: dict) -> Response:
    """The household's key: thanks for a `1`; for a `2` the reference of the request opened, twice."""
    config, keys, attempt = current_app.config, read_digits(form.get("Digits")), read_attempt(query.get("attempt"))

    def act(session, now):
        call, state = calls.answer_call(session, call_id_of(query), form["CallSid"])
        if call is None or state != "read":
            return call, None, None
        decision = calls.press_key(session, call, keys, attempt, now, config)
        return call, decision, call.request.ref if call.request is not None else None

    call, decision, ref = run_and_commit(act)
    if call is None:
        return say_and_end(VoiceResponse(), "checkin_thanks", t.BOTH)
    language = str(call.language or "zh")
    if decision is None or decision.step == "well":
        return say_and_end(VoiceResponse(), "checkin_thanks", language)
    if decision.step == "checkin":
        return _ask(call, decision, language)
    response = VoiceResponse()
    if decision.step == "help":
        t.prompt(response, "checkin_help", language)
        t.reference(response, ref, language)
    return t.goodbye(response, language)


def _ask(call, decision: Next, language: str) -> Response:
    """The question inside a one-key gather."""
    return ask_keys(CHECKIN, call, decision, language, "checkin_intro",
                    lambda keypad: t.prompt(keypad, "checkin_keys", language))
