"""What people type, read into plain values. Pure functions: no database, no clock."""
import re
import unicodedata
from dataclasses import dataclass

from .keywords import CHINESE, compile_mongolian, matchable

CATEGORIES = {1, 2, 3, 4, 5, 9}
OTHER = 5

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


def read_herder_message(body: str | None) -> HerderMessage | None:
    """A category and the text, or None when there is nothing to read (the caller gets the menu)."""
    text = tidy(body)
    if not any(ch.isalnum() for ch in text):
        return None
    digit = re.match(r"^([0-9])(?:\s+|$|(?=\D))", text)
    if digit and int(digit.group(1)) in CATEGORIES:
        return HerderMessage(int(digit.group(1)), text[1:].strip())
    return HerderMessage(_category_from_words(normalize(text)), text)


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


def read_feedback(body: str | None) -> bool | None:
    """A herder's answer to "was it solved?": 1 yes, 2 no, None when it is not an answer."""
    text = normalize(body).lower()
    if text in ("1", "y", "yes", "是", "解决", "已解决", "тийм", "tiim", "ᠲᠡᠢᠮᠦ"):
        return True
    if text in ("2", "n", "no", "否", "没有", "未解决", "үгүй", "ugui", "ᠦᠭᠡᠢ"):
        return False
    return None
