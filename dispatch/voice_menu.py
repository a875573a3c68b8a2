"""The voice menu's decisions, pure: given the step, the keys pressed and the attempt, what comes next.

No database and no TwiML here: `dispatch/voice.py` acts on the decision and `hotline/voice/` renders it.
The same digits as SMS (`1`–`5`, `9`); silence or a wrong key repeats a step twice, then the caller is
asked to speak after the tone (the menu) or is let through without it (the gacha number).
"""
from dataclasses import dataclass

CATEGORIES = (1, 2, 3, 4, 5, 9)
EMERGENCY = 9
ANYTHING_ELSE = 5
MAX_REPEATS = 2  # a step is heard once, then repeated at most twice
LANGUAGE_KEYS = {"1": "mn", "2": "zh"}
MAX_GACHA_DIGITS = 6
# Twilio's final CallStatus values: the call is over.
FINAL_CALL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
ANSWERED_DIAL_STATUSES = ("completed", "answered")


@dataclass(frozen=True)
class Next:
    """What the caller meets next.

    step: language | gacha | menu | record | confirm | emergency | dial_done | accept | decline | offer | goodbye
    attempt: how many times this step has already been repeated; why: why it is repeated (no_key, wrong_key).
    """

    step: str
    attempt: int = 0
    why: str | None = None
    language: str | None = None
    category: int | None = None
    gacha: str | None = None
    answered: bool | None = None


def read_digits(raw) -> str:
    """The keys Twilio reports, cleaned: only 0-9, * and #, a trailing # (the end key) dropped."""
    keys = "".join(ch for ch in str(raw or "") if ch in "0123456789*#")
    return keys[:-1] if keys.endswith("#") else keys


def read_attempt(raw) -> int:
    """The attempt counter carried in an action URL; anything odd counts as the first try."""
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return 0
    return min(max(value, 0), MAX_REPEATS)


def start(known_language: str | None) -> Next:
    """A known caller goes straight to the menu in their language; an unknown caller chooses one."""
    if known_language:
        return Next("menu", language=known_language)
    return Next("language")


def _again(step: str, attempt: int, keys: str, **more) -> Next | None:
    """Repeat `step` when it may still be repeated; None once it has been repeated MAX_REPEATS times."""
    if attempt >= MAX_REPEATS:
        return None
    return Next(step, attempt=attempt + 1, why="wrong_key" if keys else "no_key", **more)


def after_language(keys: str, attempt: int) -> Next:
    """`1` Mongolian, `2` Chinese; after three tries nobody is kept at the door: they may just speak."""
    language = LANGUAGE_KEYS.get(keys)
    if language:
        return Next("gacha", language=language)
    return _again("language", attempt, keys) or Next("record", category=ANYTHING_ELSE)


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
    return _again("menu", attempt, keys, language=language) or \
        Next("record", language=language, category=ANYTHING_ELSE)


def after_dial(dial_status: str | None) -> Next:
    """After the emergency transfer: whether the shift lead took the call (DialCallStatus)."""
    return Next("dial_done", answered=(dial_status or "").lower() in ANSWERED_DIAL_STATUSES)


def after_offer(keys: str, attempt: int) -> Next:
    """A duty member hearing an offer: `1` accepts, `2` declines; three misses and the call ends."""
    if keys == "1":
        return Next("accept")
    if keys == "2":
        return Next("decline")
    return _again("offer", attempt, keys) or Next("goodbye")


def is_final(call_status: str | None) -> bool:
    """Whether Twilio's CallStatus says the call is over."""
    return (call_status or "").lower() in FINAL_CALL_STATUSES


def wants_callback(has_request: bool, reachable: bool, call_status: str | None) -> bool:
    """A call that ended before the caller chose anything becomes a call-back request, if we can call back."""
    return is_final(call_status) and not has_request and reachable


def spoken_digits(number: str) -> list[str]:
    """The digits of a reference or phone number, one prompt each ('4821' -> ['4', '8', '2', '1'])."""
    return [ch for ch in str(number) if ch.isdigit()]
