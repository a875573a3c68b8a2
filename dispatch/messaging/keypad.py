"""What a caller's keys mean, whoever the caller is: the keys Twilio reports cleaned, the step that comes next,
a step repeated at most twice. Pure: the herder's menu (voice/menu.py) and the member's offer call
(ladder/member_calls.py) decide on top of this."""
from dataclasses import dataclass

MAX_REPEATS = 2  # a step is heard once, then repeated at most twice


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


def again(step: str, attempt: int, keys: str, **more) -> Next | None:
    """Repeat `step` when it may still be repeated; None once it has been repeated MAX_REPEATS times."""
    if attempt >= MAX_REPEATS:
        return None
    return Next(step, attempt=attempt + 1, why="wrong_key" if keys else "no_key", **more)


def spoken_digits(number: str) -> list[str]:
    """The digits of a reference or phone number, one prompt each ('4821' -> ['4', '8', '2', '1'])."""
    return [ch for ch in str(number) if ch.isdigit()]
