"""Lists of names in one or two SMS: as many as fit, the rest counted, never dropped silently."""
from ..messaging import texts

TWO_SMS = texts.TWO_SMS


def fit(render, count: int, limit: int = TWO_SMS) -> str:
    """`render(shown)` for the largest `shown` (at most `count`, at least one) whose text fits `limit` units.

    A text grows with `shown` (a name or a line more, a count of the rest a digit shorter at most), so this
    counts up and stops at the first that does not fit: a storm's thousands of open calls cost a leader's
    OPEN no more than the dozen that fit."""
    best = render(min(count, 1))
    for shown in range(2, count + 1):
        text = render(shown)
        if texts.units(text) > limit:
            break
        best = text
    return best


def written_in_chinese(language: str) -> bool:
    """Whether texts for `language` come out in Chinese (zh, or a language with no file of its own yet)."""
    return language == "zh" or language not in texts.LANGUAGES


def separator(language: str) -> str:
    """How names are joined: 、 in Chinese, a comma in Mongolian."""
    return "、" if written_in_chinese(language) else ", "
