"""Lists of names in one or two SMS: as many as fit, the rest counted, never dropped silently."""
from ..messaging import texts

TWO_SMS = texts.TWO_SMS


def fit(render, count: int, limit: int = TWO_SMS) -> str:
    """`render(shown)` for the largest `shown` (at most `count`, at least one) whose text fits `limit` units."""
    for shown in range(count, 1, -1):
        text = render(shown)
        if texts.units(text) <= limit:
            return text
    return render(min(count, 1))


def written_in_chinese(language: str) -> bool:
    """Whether texts for `language` come out in Chinese (zh, or a language with no file of its own yet)."""
    return language == "zh" or language not in texts.LANGUAGES


def separator(language: str) -> str:
    """How names are joined: 、 in Chinese, a comma in Mongolian."""
    return "、" if written_in_chinese(language) else ", "
