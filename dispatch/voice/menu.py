"""The voice menu's decisions, pure: given the step, the keys pressed and the attempt, what comes next.

No database and no TwiML here: `voice/ivr.py` acts on the decision and `hotline/voice/` renders it.
The same digits as SMS (`1`–`5`, `9`); silence or a wrong key repeats a step twice, then the caller is
asked to speak after the tone (the menu) or is let through without it (the gacha number).
"""
from ..messaging.keypad import MAX_REPEATS, Next, again

CATEGORIES = (1, 2, 3, 4, 5, 9)
EMERGENCY = 9
ANYTHING_ELSE = 5
LANGUAGE_KEYS = {"1": "mn", "2": "zh"}
MAX_GACHA_DIGITS = 6
# Twilio's final CallStatus values: the call is over.
FINAL_CALL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
ANSWERED_DIAL_STATUSES = ("completed", "answered")


def start(known_language: str | None) -> Next:
    """A known caller goes straight to the menu in their language; an unknown caller chooses one."""
    if known_language:
        return Next("menu", language=known_language)
    return Next("language")


def after_language(keys: str, attempt: int) -> Next:
    """`1` Mongolian, `2` Chinese; after three tries nobody is kept at the door: they may just speak."""
    language = LANGUAGE_KEYS.get(keys)
    if language:
        return Next("gacha", language=language)
    return again("language", attempt, keys) or Next("record", category=ANYTHING_ELSE)


def after_gacha(keys: str, attempt: int, known: bool, language: str) -> Next:
    """A gacha number from the contact card; after three tries the call goes on without it."""
    if keys and known:
        return Next("menu", language=language, gacha=keys)
    why = "unknown_gacha" if keys else "no_key"
    if attempt < MAX_REPEATS:
        return Next("gacha", attempt=attempt + 1, why=why, language=language)
    return Next("menu", language=language)


def after_menu(keys: str, attempt: int, language: str) -> Next:
    """The category keyed; `9` is an emergency; three misses and the caller is recorded instead."""
    if keys.isdigit() and len(keys) == 1 and int(keys) in CATEGORIES:
        category = int(keys)
        return Next("emergency" if category == EMERGENCY else "confirm", language=language, category=category)
    return again("menu", attempt, keys, language=language) or \
        Next("record", language=language, category=ANYTHING_ELSE)


def after_dial(dial_status: str | None) -> Next:
    """After the emergency transfer: whether the shift lead took the call (DialCallStatus)."""
    return Next("dial_done", answered=(dial_status or "").lower() in ANSWERED_DIAL_STATUSES)


def is_final(call_status: str | None) -> bool:
    """Whether Twilio's CallStatus says the call is over."""
    return (call_status or "").lower() in FINAL_CALL_STATUSES


def wants_callback(has_request: bool, reachable: bool, call_status: str | None) -> bool:
    """A call that ended before the caller chose anything becomes a call-back request, if we can call back."""
    return is_final(call_status) and not has_request and reachable
