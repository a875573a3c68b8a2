"""What people type, read into plain values. Pure functions: no database, no clock."""
import re
import unicodedata
from dataclasses import dataclass

CATEGORIES = {1, 2, 3, 4, 5, 9}
OTHER = 5

# Checked in this order: an emergency word wins, then illness, then medicine, errands, utilities.
# "买药" (buy medicine) is medicine, "看病买药" (see a doctor, buy medicine) is the doctor.
CHINESE_KEYWORDS = [
    (9, ("急", "救", "危险", "快不行")),
    (2, ("医", "病", "住院", "发烧", "疼", "痛", "透析", "化疗")),
    (1, ("药",)),
    (3, ("买", "代购", "代办", "办事", "吃的", "粮")),
    (4, ("水", "电", "暖", "煤", "炉", "气")),
]
# Mongolian: Cyrillic word beginnings, the traditional script, and Latin spellings typed on old phones.
MONGOLIAN_KEYWORDS = [
    (9, ("яаралтай", "туслаач", "туслаарай", "аврах", "ᠶᠠᠭᠠᠷᠠᠤ", "ᠠᠪᠤᠷᠠ", "yaraltai", "sos", "emergency")),
    (2, ("эмч", "эмнэлэг", "өвч", "өвд", "халуу", "ᠡᠮᠴᠢ", "ᠡᠮᠨᠡᠯᠭᠡ", "ᠡᠪᠡᠳ", "emch", "emneleg")),
    (1, ("эм", "ᠡᠮ", "em")),
    (3, ("худалд", "дэлгүүр", "хүнс", "ᠬᠤᠳᠠᠯᠳᠤ", "hudald")),
    (4, ("ус", "цахилгаан", "гэрэл", "дулаан", "түлш", "нүүрс", "ᠤᠰᠤ", "ᠴᠠᠬᠢᠯᠭᠠᠨ", "ᠳᠤᠯᠠᠭᠠᠨ", "us", "tsahilgaan")),
]


def normalize(body: str | None) -> str:
    """Full-width digits and letters to plain ones, control characters out, spaces folded."""
    text = unicodedata.normalize("NFKC", body or "")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class HerderMessage:
    """A herder's text read as a request: the category (1–5, or 9 for an emergency) and what they wrote."""

    category: int
    text: str  # what the herder wrote, kept for the team


def read_herder_message(body: str | None) -> HerderMessage | None:
    """A category and the text, or None when there is nothing to read (the caller gets the menu)."""
    text = normalize(body)
    if not any(ch.isalnum() for ch in text):
        return None
    digit = re.match(r"^([0-9])(?:\s+|$|(?=\D))", text)
    if digit and int(digit.group(1)) in CATEGORIES:
        return HerderMessage(int(digit.group(1)), text[1:].strip())
    return HerderMessage(_category_from_words(text), text)


def _category_from_words(text: str) -> int:
    lowered = text.lower()
    words = re.findall(r"\w+", lowered)
    for category, keywords in CHINESE_KEYWORDS:
        if any(k in lowered for k in keywords):
            return category
    for category, keywords in MONGOLIAN_KEYWORDS:
        # Word beginnings, so "ус" (water) does not match inside "тусламж" (help).
        if any(word.startswith(k) for word in words for k in keywords):
            return category
    return OTHER


@dataclass(frozen=True)
class MemberReply:
    """A duty member's answer to an offer: accept, decline (with a reason) or done, and the reference if named."""

    action: str  # "accept", "decline" or "done"
    ref: str | None
    reason: str = ""


_ACCEPT = re.compile(r"^(?:1|y|yes|ok|好|接|接单|тийм)(?:\s*[#＃]?\s*(\d{4,6}))?$", re.I)
_DECLINE = re.compile(r"^(?:2|n|no|不|拒绝|үгүй)(?:\s*[#＃]?\s*(\d{4,6}))?(?:\s+(.*))?$", re.I)
_DONE = re.compile(r"^(?:0|done|完成|办结|дууссан)(?:\s*[#＃]?\s*(\d{4,6}))?$", re.I)


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
    """A leader asking for the open calls: OPEN, 列表 or жагсаалт."""
    return normalize(body).lower() in ("open", "列表", "жагсаалт", "open calls")


def read_feedback(body: str | None) -> bool | None:
    """A herder's answer to "was it solved?": 1 yes, 2 no, None when it is not an answer."""
    text = normalize(body).lower()
    if text in ("1", "y", "yes", "是", "解决", "已解决", "тийм"):
        return True
    if text in ("2", "n", "no", "否", "没有", "未解决", "үгүй"):
        return False
    return None
