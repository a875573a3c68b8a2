"""The words a contact card prints around its facts, in Chinese and in Mongolian in the traditional script.

The Mongolian follows docs/drafts/mn-traditional.txt (case suffixes joined with U+202F, a final -a after a
consonant with U+180E, the d of dugar with U+180B); to be reviewed by a native speaker with the rest.
"""
from ..messaging import texts

# The caller menu's digits, the same on SMS and keypad (design.md "What callers type and press").
DIGITS = (1, 2, 3, 4, 5, 9)

ZH = {
    "title": "便民服务联系卡",
    "head": "户主",
    "area": "区域",
    "team": "服务队",
    "paired": "包联人",
    "captain": "队长",
    "doctor": "村医",
    "services": "求助：发短信或来电按键",
    "hotline": "热线（值班电话）",
    "gacha_number": "嘎查号（来电时按键输入）",
    "none": "—",
}

MN = {
    "title": "ᠲᠤᠰᠠᠯᠠᠮᠵᠢ ᠶᠢᠨ ᠬᠣᠯᠪᠣᠭ᠎ᠠ ᠪᠠᠷᠢᠬᠤ ᠺᠠᠷᠲ",
    "head": "ᠠᠶᠢᠯ ᠤᠨ ᠡᠵᠡᠨ",
    "area": "ᠣᠷᠣᠨ ᠨᠤᠲᠤᠭ",
    "paired": "ᠬᠠᠷᠢᠭᠤᠴᠠᠭᠰᠠᠨ ᠬᠦᠮᠦᠨ",
    "captain": "ᠪᠠᠭ ᠤᠨ ᠳᠠᠷᠤᠭ᠎ᠠ",
    "doctor": "ᠡᠮᠴᠢ",
    "services": "ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ",
    "how": "ᠲᠣᠭ᠎ᠠ ᠢᠯᠡᠭᠡᠭᠡᠷᠡᠢ ᠪᠤᠶᠤ ᠳᠠᠷᠤᠭᠠᠷᠠᠢ",
    "hotline": "ᠲᠤᠰᠠᠯᠠᠮᠵᠢ ᠶᠢᠨ ᠤᠲᠠᠰᠤ",
    "gacha_number": "ᠭᠠᠴᠠᠭ᠎ᠠ ᠶᠢᠨ ᠳ᠋ᠤᠭᠠᠷ",
    "none": "ᠦᠭᠡᠢ",
}

# The menu's categories in the traditional script (mn.txt, the SMS file, is Cyrillic today).
MN_SERVICES = {
    1: "ᠡᠮ",
    2: "ᠡᠮᠴᠢ᠂ ᠡᠮᠨᠡᠯᠭᠡ",
    3: "ᠬᠤᠳᠠᠯᠳᠤᠨ ᠠᠪᠬᠤ",
    4: "ᠤᠰᠤ᠂ ᠴᠠᠬᠢᠯᠭᠠᠨ᠂ ᠳᠤᠯᠠᠭᠠᠨ",
    5: "ᠪᠤᠰᠤᠳ",
    9: "ᠶᠠᠭᠠᠷᠠᠯᠲᠠᠢ",
}


def services() -> list[tuple[int, str, str]]:
    """The menu as a card prints it: (digit, Chinese name, Mongolian name)."""
    return [(digit, texts.category_name(digit, "zh"), MN_SERVICES[digit]) for digit in DIGITS]
