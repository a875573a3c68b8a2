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


def call_id_of(query: dict) -> int | None:
    """The call id an action URL carries (?call=ID); None for anything that is not a plain, plausible id."""
    value = str(query.get("call", ""))
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def read_offer(query: dict, form: dict) -> Response:
    """The member picked up: read the offer and ask for a key (or say it is gone)."""
    return read_call(member_calls.answer_offer_call, query, form, lambda state: ENDINGS.get(state, "offer_stale"),
                     lambda call, language: _ask(call, Next("offer"), language))


def read_call(answer, query: dict, form: dict, ending, ask) -> Response:
    """A call we placed was picked up: `answer(session, call_id, sid)` gives (call, state); 'read' is asked with
    `ask(call, language)`, any other state ends with the prompt `ending(state)` (in both languages for a call
    that is not ours)."""
    call, state = run_and_commit(lambda s, now: answer(s, call_id_of(query), form["CallSid"]))
    if call is None:
        return say_and_end(VoiceResponse(), ending(state), t.BOTH)
    language = str(call.language or "zh")
    if state != "read":
        return say_and_end(VoiceResponse(), ending(state), language)
    return ask(call, language)


def pressed_key(answer, press, query: dict, form: dict, only_when_read: bool = True):
    """A key pressed on a call we placed, acted on in one transaction: `answer(session, call_id, sid)` gives
    (call, state), then `press(session, call, keys, attempt, now, settings)` decides. Returns (call, what press
    returned); (call, None) when the call is not ours, or (`only_when_read`) not at the question any more."""
    config, keys, attempt = current_app.config, read_digits(form.get("Digits")), read_attempt(query.get("attempt"))

    def act(session, now):
        call, state = answer(session, call_id_of(query), form["CallSid"])
        if call is None or (only_when_read and state != "read"):
            return call, None
        return call, press(session, call, keys, attempt, now, config)

    return run_and_commit(act)


def press_key(query: dict, form: dict) -> Response:
    """The member's key: accept or decline by the same rules as an SMS reply; silence repeats the offer twice.
    (Any state of the call: the offer's own rules say when it is stale.)"""
    call, pressed = pressed_key(member_calls.answer_offer_call, member_calls.press_offer_key, query, form,
                                only_when_read=False)
    if call is None:
        return say_and_end(VoiceResponse(), "offer_stale", t.BOTH)
    decision, outcome = pressed
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
        return say_and_end(response, ENDINGS[outcome], language)
    return t.goodbye(response, language)


def _ask(call, decision: Next, language: str) -> Response:
    """The offer read aloud inside a keypad gather: reference, need, place and name, then the keys."""
    def words(keypad):
        t.prompt(keypad, "offer_ref", language)
        read_request(keypad, call.offer.request, language)
        t.prompt(keypad, "offer_keys", language)

    return ask_keys(OFFER, call, decision, language, "offer_intro", words)


def ask_keys(path: str, call, decision: Next, language: str, intro: str, words) -> Response:
    """`words(keypad)` read inside a one-key gather that posts to `path`/answer, after `intro` (`again` when
    the step is repeated)."""
    response = VoiceResponse()
    url = t.action(f"{path}/answer", call=call.id, attempt=decision.attempt)
    keypad = t.gather(response, url, num_digits=1)
    t.prompt(keypad, "again" if decision.why else intro, language)
    words(keypad)
    t.after_gather(response, url)
    return t.twiml(response)


def read_request(verb, request, language: str) -> None:
    """A request read aloud: its reference, the need, then the gacha and the herder's name."""
    t.number(verb, request.ref, language)
    t.prompt(verb, "offer_need", language)
    t.prompt(verb, f"cat_{request.category}", language)
    name = request.household.head_name if request.household else texts.render("unknown_caller", "zh")
    verb.say(f"{request.place.name if request.place else '位置未知'}，{name}", **t.SAY)  # names: no recording


def say_and_end(response: VoiceResponse, key: str, languages) -> Response:
    """Play prompt `key`, say goodbye and hang up."""
    t.prompt(response, key, languages)
    return t.goodbye(response, languages)
