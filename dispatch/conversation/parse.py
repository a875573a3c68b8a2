"""What people type, read into plain values. Pure functions: no database, no clock."""
import re
import unicodedata
from dataclasses import dataclass

CATEGORIES = {1, 2, 3, 4, 5, 9}
OTHER = 5
EMERGENCY = 9

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
    named: bool = True  # a digit or a keyword chose the category (not "matches nothing, so 5")


def read_herder_message(body: str | None) -> HerderMessage | None:
    """A category and the text, or None when there is nothing to read (the caller gets the menu)."""
    text = normalize(body)
    if not any(ch.isalnum() for ch in text):
        return None
    digit = re.match(r"^([0-9])(?:\s+|$|(?=\D))", text)
    if digit and int(digit.group(1)) in CATEGORIES:
        return HerderMessage(int(digit.group(1)), text[1:].strip())
    category = _category_from_words(text)
    return HerderMessage(category, text, named=category != OTHER)


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


# The closing question's answers. Never a category digit: a bare `1` or `2` after the closing SMS is a new need.
_SOLVED = ("y", "yes", "ok", "好", "好了", "好的", "是", "解决", "已解决", "解决了",
           "тийм", "тиймээ", "шийдэгдсэн", "ᠲᠡᠶᠢᠮᠦ")
_UNSOLVED = ("n", "no", "没", "没有", "没解决", "否", "未解决", "不好", "үгүй", "шийдэгдээгүй", "ᠦᠭᠡᠢ")


def read_feedback(body: str | None) -> bool | None:
    """A herder's answer to "was it solved?": Y/好/тийм yes, N/没/үгүй no, None when it is not an answer."""
    text = normalize(body).lower().rstrip("。.!！")
    if text in _SOLVED:
        return True
    if text in _UNSOLVED:
        return False
    return None


_THANKS = ("谢谢", "感谢", "谢谢你", "谢谢你们", "多谢", "thanks", "thank you", "баярлалаа", "ᠪᠠᠶᠠᠷᠯᠠᠯ᠎ᠠ")


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

