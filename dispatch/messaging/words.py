"""Folding what people type so that words compare however they were typed (shared by the word lists of
sharing, price reports and sub-categories). Pure."""
import re
import unicodedata

# Mongolian in the traditional script carries invisible shaping marks (the vowel separator in ᠪᠠᠶᠢᠨ᠎ᠠ, free
# variation selectors, joiners) that phones type inconsistently. Folded away, two spellings of one word
# compare equal.
_INVISIBLE = dict.fromkeys(map(ord, "\u180b\u180c\u180d\u180e\u180f\u200b\u200c\u200d\u202f\u2060\ufeff"))


def fold(text: str | None) -> str:
    """Lower case, full-width forms plain, Mongolian shaping marks out, other control characters and runs of
    space to one space."""
    text = unicodedata.normalize("NFKC", (text or "").translate(_INVISIBLE)).lower()
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())


def words_of(folded: str) -> list[str]:
    """The words of a folded text (letters of any script, and digits)."""
    return re.findall(r"\w+", folded)


def says_any(folded: str, phrases) -> bool:
    """Whether the folded text holds one of the (folded) phrases: Chinese anywhere, other scripts only where a
    word begins ("ус" is not found inside "тусламж"). The traditional script is compared without spaces: a
    suffix is joined to its word by a narrow space, a plain one or none (ᠬᠠᠯᠠᠭᠤᠨ ᠤ, ᠬᠠᠯᠠᠭᠤᠨᠤ)."""
    joined = None
    for phrase in phrases:
        if not phrase:
            continue
        if _is_chinese(phrase[0]):
            if phrase in folded:
                return True
        elif _is_mongolian(phrase[0]):
            joined = joined if joined is not None else folded.replace(" ", "")
            if phrase.replace(" ", "") in joined:
                return True
        elif re.search(r"(?<!\w)" + re.escape(phrase), folded):
            return True
    return False


def first_named(text: str | None, table: dict[str, tuple[str, ...]]) -> str | None:
    """The first code of `table` (code -> folded phrases, in the order they are checked) whose phrase the text
    holds, or None."""
    folded = fold(text)
    return next((code for code, phrases in table.items() if says_any(folded, phrases)), None)


def folded_all(phrases) -> tuple[str, ...]:
    """The phrases folded as texts are, so that they are written in the source as people write them."""
    return tuple(fold(p) for p in phrases)


def _is_chinese(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _is_mongolian(ch: str) -> bool:
    return "\u1800" <= ch <= "\u18af"
