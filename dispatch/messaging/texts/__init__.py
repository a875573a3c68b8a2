"""Product texts: fixed templates with slots, one file per language, read once.

zh.txt Chinese; mn.txt Mongolian in the traditional script (what Inner Mongolia reads); mn-Cyrl.txt Mongolian in
Cyrillic. The names are the roster's `language` values (models.Language).
"""
from functools import cache
from pathlib import Path

LANGUAGES = ("zh", "mn", "mn-Cyrl")
FALLBACK = "zh"


@cache
def catalogue(language: str) -> dict[str, tuple[int, str]]:
    """Every template of `language`: key -> (most segments allowed, text)."""
    entries = {}
    for line in (Path(__file__).parent / f"{language}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, segments, text = (part.strip() for part in line.split("|", 2))
        entries[key] = (int(segments), text)
    return entries


def render(key: str, language: str, **slots) -> str:
    """The text `key` in `language` (Chinese when unknown), with its slots filled."""
    lang = language if language in LANGUAGES else FALLBACK
    return catalogue(lang)[key][1].format(**slots)


def category_name(category: int, language: str) -> str:
    """The short name of a request category ('送药')."""
    return render(f"cat_{category}", language)


def segments(text: str) -> int:
    """How many SMS `text` takes: GSM-7 when it can, else UCS-2 (70 alone, 67 each when split)."""
    if all(ord(ch) < 128 for ch in text):
        return 1 if len(text) <= 160 else -(-len(text) // 153)
    return 1 if units(text) <= 70 else -(-units(text) // 67)


TWO_SMS = 134  # UCS-2 units in two concatenated SMS (67 each): the most any text may take


def units(text: str) -> int:
    """How many UCS-2 units `text` takes (a character outside the BMP takes two)."""
    return len(text.encode("utf-16-le")) // 2


def age(minutes: int, language: str) -> str:
    """How long ago, as people say it: '12分钟', '3小时', '2天' (whole units, rounded down)."""
    if minutes < 60:
        return render("age_minutes", language, n=max(minutes, 0))
    if minutes < 48 * 60:
        return render("age_hours", language, n=minutes // 60)
    return render("age_days", language, n=minutes // (24 * 60))
