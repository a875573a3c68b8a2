"""What members and households type about the weekly contact, read into plain values. Pure: no database.

A member reports a contact: `V <n> <outcome>` or `访 <n> <outcome>` (Cyrillic `В` too), `<n>` the number in
their list or a household's roster ref; outcome `1` all well, `2` needs help (a category digit may follow), `3`
not reached, or the words below. A household answers the hotline's check-in SMS with a word nobody uses to ask
for help (平安 / амар), so it can never be read as a new request.
"""
import re
import unicodedata
from dataclasses import dataclass

from ..messaging.words import fold, folded_all

CATEGORIES = {1, 2, 3, 4, 5, 9}  # the menu's (conversation/parse.py), which a needs-help report may name

OUTCOMES = {
    "well": ("1", "好", "平安", "正常", "сайн", "амар", "sain", "amar", "ᠰᠠᠶᠢᠨ", "ᠠᠮᠤᠷ"),
    "needs_help": ("2", "帮", "帮助", "需帮助", "需要帮助", "тусламж", "tuslamj", "ᠲᠤᠰᠠᠯᠠᠮᠵᠢ"),
    "not_reached": ("3", "无", "未", "没见到", "未联系上", "олдсонгүй", "oldsongui", "ᠣᠯᠳᠠᠭᠰᠠᠨ"),
}
_WORD = {word: outcome for outcome, words in OUTCOMES.items() for word in words}
_START = re.compile(r"^(?:v|访|в)(?=\s|\d|$)\s*", re.I)
# Cyrillic, Latin and the traditional script (ᠠᠮᠤᠷ amur), as the check-in SMS asks in each.
ALL_WELL = folded_all(("平安", "平安1", "我平安", "都平安", "амар", "амар байна", "amar", "amar baina", "ᠠᠮᠤᠷ"))


@dataclass(frozen=True)
class VisitReport:
    """A member's `V` text: which household (`target`: a list number or a roster ref, None when missing),
    the outcome ('well', 'needs_help', 'not_reached'; None when missing or unreadable), a category for a
    needs-help report, and the words after it, kept as a note."""

    target: str | None
    outcome: str | None
    category: int | None = None
    note: str = ""


def read_visit_report(body: str | None) -> VisitReport | None:
    """A `V`/`访` report, possibly incomplete (the member is then told how to write it); None when the text
    is not one."""
    text = _plain(body)
    start = _START.match(text)
    if start is None:
        return None
    words = text[start.end():].split()
    if not words:
        return VisitReport(None, None)
    target, rest = words[0], words[1:]
    outcome = _WORD.get(rest[0].lower()) if rest else None
    if outcome is None:
        return VisitReport(target, None)
    rest = rest[1:]
    category = None
    if outcome == "needs_help" and rest and rest[0].isdigit() and int(rest[0]) in CATEGORIES:
        category, rest = int(rest[0]), rest[1:]
    return VisitReport(target, outcome, category, " ".join(rest))


def is_all_well(body: str | None) -> bool:
    """A household's answer to the check-in SMS that all is well: 平安, амар (and their spellings)."""
    return fold(body).rstrip("。.!！") in ALL_WELL  # fold: shaping marks too, as every keyword is read


def _plain(body: str | None) -> str:
    # Full-width letters and digits (a Chinese keyboard's) as plain ones, every run of spaces as one.
    return " ".join(unicodedata.normalize("NFKC", body or "").split())
