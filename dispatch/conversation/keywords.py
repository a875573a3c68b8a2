"""The words that name a category, in Chinese, Mongolian (traditional script, Cyrillic) and Latin spellings.

Chinese has no spaces, so its keywords match anywhere in the text. Mongolian ones match whole words: "эм"/"em"
(medicine) must not fire inside "эмээл"/"emeel" (saddle) or "эмээ" (grandmother). A keyword ending in `*` is a
stem and matches a word that begins with it (verbs and adjectives: "өвдөж", "өвчтэй"); a short noun takes only
the case endings listed, so "эмийн" and "усгүй" still count. In the traditional script a case ending is a word
of its own after U+202F, which matching reads as a space, so the noun alone is enough there.
"""
import re
import unicodedata

CHINESE = [
    (9, ("急", "救", "危险", "快不行")),
    (2, ("医", "病", "住院", "发烧", "疼", "痛", "透析", "化疗")),
    (1, ("药",)),
    (3, ("买", "代购", "代办", "办事", "吃的", "粮")),
    (4, ("水", "电", "暖", "煤", "炉", "气")),
]
# Checked in this order, as the Chinese ones: an emergency word wins, then illness, medicine, errands, utilities.
MONGOLIAN = [
    (9, ("яаралтай", "туслаач", "туслаарай", "авраарай", "аврах",                      # Cyrillic
         "ᠶᠠᠭᠠᠷᠠᠯᠲᠠᠢ", "ᠶᠠᠭᠠᠷᠠᠤ", "ᠠᠪᠤᠷᠠ*", "ᠲᠤᠰᠠᠯᠠᠭᠠᠷᠠᠢ",                             # traditional script
         "yaraltai", "yaaraltai", "yagaraltai", "tuslaach", "tuslaarai", "avraarai", "sos", "emergency")),
    (2, ("эмч", "эмнэлэг*", "өвч*", "өвд*", "халуу*",
         "ᠡᠮᠴᠢ", "ᠡᠮᠨᠡᠯᠭᠡ", "ᠡᠮᠨᠡᠯᠭ᠎ᠡ", "ᠡᠪᠡᠳ*", "ᠬᠠᠯᠠᠭᠤᠷᠠ*",
         "emch", "emchi", "emneleg*", "emnelge*", "ovch*", "uvch*", "ovd*", "uvd*", "ebed*")),
    (1, ("эм",
         "ᠡᠮ",
         "em")),
    (3, ("худалд*", "дэлгүүр*", "хүнс*",
         "ᠬᠤᠳᠠᠯᠳᠤ*", "ᠳᠡᠯᠭᠡᠭᠦᠷ*",
         "hudald*", "khudald*", "qudaldu*", "delguur*", "huns*")),
    (4, ("ус", "цахилгаан*", "гэрэл*", "дулаан*", "түлш*", "нүүрс*",
         "ᠤᠰᠤ", "ᠴᠠᠬᠢᠯᠭᠠᠨ", "ᠳᠤᠯᠠᠭᠠᠨ", "ᠨᠡᠭᠦᠷᠡᠰᠦ*", "ᠲᠦᠯᠢᠰ*",
         "us", "usu", "tsahilgaan*", "tsakhilgaan*", "chakilgan*", "dulaan*", "dulagan*", "nuurs*", "tulsh*")),
]
# Case endings a short Cyrillic or Latin noun may carry and still be that word (genitive, accusative, dative,
# comitative, privative, instrumental). Not "ээ": "эмээ" is a grandmother.
ENDINGS = {
    "эм": ("ийн", "ийг", "д", "тэй", "гүй", "ээр", "үүд"),
    "ус": ("ны", "ыг", "анд", "тай", "гүй", "аар", "аа"),
    "em": ("iin", "iig", "d", "tei", "gui", "eer"),
    "us": ("nii", "ny", "iig", "tai", "gui", "aar", "aa"),
    "эмч": ("ийн", "ийг", "ид", "тэй", "гүй", "ээр"),
    "emch": ("iin", "iig", "id", "tei", "gui"),
}
_FREE_VARIATION = dict.fromkeys(range(0x180B, 0x180E))  # U+180B–D: shape choices, not spelling


def matchable(text: str) -> str:
    """Lower case, the free variation selectors dropped, so a word typed with or without one is the same."""
    return text.lower().translate(_FREE_VARIATION)


def _pattern(keyword: str, normalize) -> str:
    word = re.escape(matchable(normalize(keyword.rstrip("*"))))
    if keyword.endswith("*"):
        return rf"(?<!\w){word}\w*"
    endings = "|".join(re.escape(e) for e in ENDINGS.get(keyword, ()))
    return rf"(?<!\w){word}(?:{endings})?(?!\w)" if endings else rf"(?<!\w){word}(?!\w)"


def compile_mongolian(normalize) -> list[tuple[int, re.Pattern]]:
    """One whole-word pattern per category, keywords read the same way as the text they are matched in."""
    return [(category, re.compile("|".join(_pattern(unicodedata.normalize("NFC", k), normalize) for k in words)))
            for category, words in MONGOLIAN]
