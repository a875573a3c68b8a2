"""/twilio/voice/checkin: the hotline's weekly check-in call to a household on the register, in the language
they hear: `1` all well, `2` I need help (a request is opened; they hear its reference); silence repeats the
question twice (dispatch/register/calls.py)."""
from flask import Response
from twilio.twiml.voice_response import VoiceResponse

from dispatch.messaging.keypad import Next
from dispatch.register import calls

from . import twiml as t
from .offer import ask_keys, pressed_key, read_call, say_and_end

CHECKIN = "/twilio/voice/checkin"


def read_checkin(query: dict, form: dict) -> Response:
    """The household picked up: the greeting and the question (or goodbye when it was answered already)."""
    return read_call(calls.answer_call, query, form, lambda state: "checkin_thanks",
                     lambda call, language: _ask(call, Next("checkin"), language))


def press_key(query: dict, form: dict) -> Response:
    """The household's key: thanks for a `1`; for a `2` the reference of the request opened, twice."""
    def press(session, call, keys, attempt, now, settings):  # the reference is read in the same transaction
        decision = calls.press_key(session, call, keys, attempt, now, settings)
        return decision, call.request.ref if call.request is not None else None

    call, pressed = pressed_key(calls.answer_call, press, query, form)
    decision, ref = pressed or (None, None)
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
