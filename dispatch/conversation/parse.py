"""What people type, read into plain values. Pure functions: no database, no clock."""
import re
import unicodedata
from dataclasses import dataclass

from .keywords import CHINESE, compile_mongolian, matchable

CATEGORIES = {1, 2, 3, 4, 5, 9}
OTHER = 5
EMERGENCY = 9

_KEEP = {"\u202f", "\u180b", "\u180c", "\u180d", "\u180e"}  # the traditional script's spelling controls


def normalize(body: str | None) -> str:
    """For matching: full-width digits and letters to plain ones, controls out, spaces folded. The traditional
    script's vowel separator (U+180E) becomes a space, and NFKC makes its narrow no-break space (U+202F) one."""
    text = unicodedata.normalize("NFKC", body or "").replace("\u180e", " ")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    return " ".join(text.split())


def tidy(body: str | None) -> str:
    """For keeping: as `normalize`, but the traditional script's spelling controls stay, so the text reads right."""
    text = "".join(ch if ch in _KEEP else unicodedata.normalize("NFKC", ch) for ch in body or "")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in _KEEP or ch in "\n\t" else " " for ch in text)
    return re.sub(r"[^\S\u202f]+", " ", text).strip()


@dataclass(frozen=True)
class HerderMessage:
    """A herder's text read as a request: the category (1–5, or 9 for an emergency) and what they wrote."""

    category: int
    text: str  # what the herder wrote, kept for the team
    named: bool = True  # a digit or a keyword chose the category (not "matches nothing, so 5")


def read_herder_message(body: str | None) -> HerderMessage | None:
    """A category and the text, or None when there is nothing to read (the caller gets the menu)."""
    text = tidy(body)
    if not any(ch.isalnum() for ch in text):
        return None
    digit = re.match(r"^([0-9])(?:\s+|$|(?=\D))", text)
    if digit and int(digit.group(1)) in CATEGORIES:
        return HerderMessage(int(digit.group(1)), text[1:].strip())
    category = _category_from_words(normalize(text))
    return HerderMessage(category, text, named=category != OTHER)


_MONGOLIAN = compile_mongolian(normalize)


def _category_from_words(text: str) -> int:
    lowered = matchable(text)
    for category, keywords in CHINESE:
        if any(k in lowered for k in keywords):
            return category
    for category, pattern in _MONGOLIAN:
        if pattern.search(lowered):
            return category
    return OTHER


@dataclass(frozen=True)
class MemberReply:
    """A duty member's answer to an offer: accept, decline (with a reason) or done, and the reference if named."""

    action: str  # "accept", "decline" or "done"
    ref: str | None
    reason: str = ""


_ACCEPT = re.compile(r"^(?:1|y|yes|ok|好|接|接单|тийм|tiim|ᠲᠡᠢᠮᠦ)(?:\s*[#＃]?\s*(\d{4,6}))?$", re.I)
_DECLINE = re.compile(r"^(?:2|n|no|不|拒绝|үгүй|ugui|ᠦᠭᠡᠢ)(?:\s*[#＃]?\s*(\d{4,6}))?(?:\s+(.*))?$", re.I)
_DONE = re.compile(r"^(?:0|done|完成|办结|дууссан|duussan|ᠳᠠᠭᠤᠰᠪᠠ)(?:\s*[#＃]?\s*(\d{4,6}))?$", re.I)


def read_member_reply(body: str | None) -> MemberReply | None:
    """`1`, `Y`, `好` (accept), `2 4821 reason` (decline), `0 4821` or `DONE 4821` (done); None otherwise."""
    text = normalize(body)
    if match := _ACCEPT.match(text):
        return MemberReply("accept", match.group(1))
    if match := _DONE.match(text):
        return MemberReply("done", match.group(1))
    if match := _DECLINE.match(text):
        return MemberReply("decline", match.group(1), (match.group(2) or "").strip())
    return None


def is_open_calls_command(body: str | None) -> bool:
    """A leader asking for the open calls: OPEN, 列表, жагсаалт or ᠵᠢᠭᠰᠠᠭᠠᠯᠲᠠ."""
    return normalize(body).lower() in ("open", "列表", "жагсаалт", "jagsaalt", "ᠵᠢᠭᠰᠠᠭᠠᠯᠲᠠ", "open calls")


# The closing question's answers. Never a category digit: a bare `1` or `2` after the closing SMS is a new need.
_SOLVED = ("y", "yes", "ok", "好", "好了", "好的", "是", "解决", "已解决", "解决了",
           "тийм", "тиймээ", "шийдэгдсэн", "tiim", "ᠲᠡᠢᠮᠦ", "ᠲᠡᠶᠢᠮᠦ")
_UNSOLVED = ("n", "no", "没", "没有", "没解决", "否", "未解决", "不好", "үгүй", "шийдэгдээгүй", "ugui", "ᠦᠭᠡᠢ")


def read_feedback(body: str | None) -> bool | None:
    """A herder's answer to "was it solved?": Y/好/тийм yes, N/没/үгүй no, None when it is not an answer."""
    text = normalize(body).lower().rstrip("。.!！")
    if text in _SOLVED:
        return True
    if text in _UNSOLVED:
        return False
    return None


_THANKS = ("谢谢", "感谢", "谢谢你", "谢谢你们", "多谢", "thanks", "thank you", "баярлалаа", "bayarlalaa", "ᠪᠠᠶᠠᠷᠯᠠᠯ᠎ᠠ")


def is_thanks(body: str | None) -> bool:
    """A bare thank-you (谢谢, баярлалаа): after a closing SMS it is not a new need."""
    return normalize(body).lower().rstrip("。.!！~～") in _THANKS


# Explicit requests for help: what lets a member or a leader ask for help for themselves.
HELP_WORDS = ("求助", "求救", "救命", "帮帮我", "帮忙", "需要帮助", "help", "sos", "тусламж", "туслаач", "туслаарай",
              "ᠲᠤᠰᠠᠯᠠᠮᠵᠢ")


def is_help_request(body: str | None) -> bool:
    """Whether the text asks for help in so many words (求助, HELP, тусламж…) or is an emergency (9, 急, 救…)."""
    lowered = normalize(body).lower()
    if any(word in lowered for word in HELP_WORDS):
        return True
    message = read_herder_message(body)
    return message is not None and message.category == EMERGENCY


def is_category_request(body: str | None) -> bool:
    """Whether the text starts with a category digit (`1`, `2 家里没药了`…): a need, the way the menu asks."""
    return bool(re.match(r"^[1-59](?:\s|$|(?=\D))", normalize(body)))
