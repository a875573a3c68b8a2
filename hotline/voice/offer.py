"""/twilio/voice/offer: the call we place to a duty member reads the offer; `1` accepts, `2` declines."""
from flask import Response, current_app
from twilio.twiml.voice_response import VoiceResponse

from dispatch.ladder import member_calls
from dispatch.messaging import texts
from dispatch.runtime.unit_of_work import run_and_commit
from dispatch.messaging.keypad import Next, read_attempt, read_digits

from . import twiml as t

OFFER = "/twilio/voice/offer"
ENDINGS = {"declined": "offer_declined", "taken": "offer_taken", "stale": "offer_stale"}


def _call_id(query: dict) -> int | None:
    try:
        return int(query.get("call", ""))
    except ValueError:
        return None


def read_offer(query: dict, form: dict) -> Response:
    """The member picked up: read the offer and ask for a key (or say it is gone)."""
    call, state = run_and_commit(lambda s, now: member_calls.answer_offer_call(s, _call_id(query), form["CallSid"]))
    if call is None:
        return _end(VoiceResponse(), "offer_stale", t.BOTH)
    language = str(call.language or "zh")
    if state != "read":
        return _end(VoiceResponse(), ENDINGS[state], language)
    return _ask(call, Next("offer"), language)


def press_key(query: dict, form: dict) -> Response:
    """The member's key: accept or decline by the same rules as an SMS reply; silence repeats the offer twice."""
    config, keys, attempt = current_app.config, read_digits(form.get("Digits")), read_attempt(query.get("attempt"))

    def act(session, now):
        call, state = member_calls.answer_offer_call(session, _call_id(query), form["CallSid"])
        if call is None:
            return None, None, None
        decision, outcome = member_calls.press_offer_key(session, call, keys, attempt, now, config)
        return call, decision, outcome

    call, decision, outcome = run_and_commit(act)
    if call is None:
        return _end(VoiceResponse(), "offer_stale", t.BOTH)
    language = str(call.language or "zh")
    if decision.step == "offer":
        return _ask(call, decision, language)
    response = VoiceResponse()
    if outcome == "accepted":
        t.prompt(response, "offer_accepted", language)  # the herder's phone, twice: the SMS may not arrive
        for _ in range(2):
            t.number(response, t.national(call.offer.request.caller_phone), language)
            response.pause(length=1)
        return t.goodbye(response, language)
    if outcome in ENDINGS:
        return _end(response, ENDINGS[outcome], language)
    return t.goodbye(response, language)


def _ask(call, decision: Next, language: str) -> Response:
    """The offer read aloud inside a keypad gather: reference, need, place and name, then the keys."""
    request = call.offer.request
    response = VoiceResponse()
    url = t.action(f"{OFFER}/answer", call=call.id, attempt=decision.attempt)
    keypad = t.gather(response, url, num_digits=1)
    t.prompt(keypad, "again" if decision.why else "offer_intro", language)
    t.prompt(keypad, "offer_ref", language)
    t.number(keypad, request.ref, language)
    t.prompt(keypad, "offer_need", language)
    t.prompt(keypad, f"cat_{request.category}", language)
    name = request.household.head_name if request.household else texts.render("unknown_caller", "zh")
    keypad.say(f"{request.place.name if request.place else '位置未知'}，{name}", **t.SAY)  # names: no recording
    t.prompt(keypad, "offer_keys", language)
    t.after_gather(response, url)
    return t.twiml(response)


def _end(response: VoiceResponse, key: str, languages) -> Response:
    t.prompt(response, key, languages)
    return t.goodbye(response, languages)
