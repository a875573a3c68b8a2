"""/twilio/voice/leader: the call we place to a leader whose escalation SMS did not arrive reads the escalation;
`1` confirms it was heard (the timeline says so), anything else repeats it, and a leader who never confirms is
passed over for the next (dispatch/ladder/leader_calls.py)."""
from flask import Response
from twilio.twiml.voice_response import VoiceResponse

from dispatch.ladder import leader_calls
from dispatch.messaging.keypad import Next
from dispatch.messaging.phones import can_call_back

from . import twiml as t
from .offer import ask_keys, pressed_key, read_call, read_request, say_and_end

LEADER = "/twilio/voice/leader"


def read_escalation(query: dict, form: dict) -> Response:
    """The leader picked up: read the escalation and ask for `1` (or say someone has it in hand now)."""
    return read_call(leader_calls.answer_leader_call, query, form, lambda state: "leader_stale",
                     lambda call, language: _ask(call, Next("leader"), language))


def press_key(query: dict, form: dict) -> Response:
    """The leader's key: `1` confirms; silence or another key repeats the escalation twice, then goodbye."""
    call, decision = pressed_key(leader_calls.answer_leader_call, leader_calls.press_leader_key, query, form)
    if call is None or decision is None:
        return say_and_end(VoiceResponse(), "leader_stale", str(call.language or "zh") if call else t.BOTH)
    language = str(call.language or "zh")
    if decision.step == "leader":
        return _ask(call, decision, language)
    if decision.step == "confirmed":
        return say_and_end(VoiceResponse(), "leader_thanks", language)
    return t.goodbye(VoiceResponse(), language)


def _ask(call, decision: Next, language: str) -> Response:
    """The escalation read aloud inside a keypad gather: what it is, the request, the caller's number, the key."""
    request = call.request

    def words(keypad):
        t.prompt(keypad, "leader_ref", language)
        read_request(keypad, request, language)
        if can_call_back(request.caller_phone):
            t.prompt(keypad, "leader_caller", language)
            t.number(keypad, t.national(request.caller_phone), language)
        t.prompt(keypad, "leader_keys", language)

    return ask_keys(LEADER, call, decision, language, "leader_intro", words)
