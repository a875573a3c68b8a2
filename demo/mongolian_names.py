"""Mongolian names (traditional script) of the demo's places, for the roster's name_mn column.

Only names of Mongolian origin, read back from their Chinese transcription by a non-native writer on 2026-12-03
(to be checked by a native speaker, docs/translations.md); places with Chinese names (村, 春苑社区…) have none and
Mongolian texts fall back to the Chinese name. Kind words: ᠭᠠᠴᠠᠭ᠎ᠠ gacha, ᠬᠣᠷᠢᠶ᠎ᠠ community, ᠪᠠᠯᠭᠠᠰᠤ town.
"""

NAMES = {
    "昂素": "ᠣᠩᠰᠤ",  # ongsu
    "乌兰道崩": "ᠤᠯᠠᠭᠠᠨ ᠳᠣᠪᠤᠨ",  # ulaγan dobun
    "塔班陶勒盖": "ᠲᠠᠪᠤᠨ ᠲᠣᠯᠤᠭᠠᠢ",  # tabun toluγai
    "查干巴拉嘎苏": "ᠴᠠᠭᠠᠨ ᠪᠠᠯᠭᠠᠰᠤ",  # čaγan balγasu
    "伊克乌素": "ᠶᠡᠬᠡ ᠤᠰᠤ",  # yeke usu
    "阿勒台": "ᠠᠯᠲᠠᠢ",  # altai
    "芒哈图": "ᠮᠠᠩᠬᠠᠲᠤ",  # mangqatu
    "陶利": "ᠲᠣᠯᠢ",  # toli
    "哈沙图": "ᠬᠠᠰᠢᠶᠠᠲᠤ",  # qasiyatu
    "公乌素": "ᠭᠦᠨ ᠤᠰᠤ",  # γün usu
    "希里": "ᠰᠢᠯᠢ",  # sili
    "敦达图": "ᠳᠤᠮᠳᠠᠲᠤ",  # dumdatu
    "巴彦希里": "ᠪᠠᠶᠠᠨ ᠰᠢᠯᠢ",  # bayan sili
    "阿日勒": "ᠠᠷᠠᠯ",  # aral
    "克泊日": "ᠬᠡᠪᠡᠷ",  # keber
    "伊克柴达木": "ᠶᠡᠬᠡ ᠴᠠᠶᠢᠳᠠᠮ",  # yeke čayidam
    "呼和陶勒盖": "ᠬᠥᠬᠡ ᠲᠣᠯᠤᠭᠠᠢ",  # köke toluγai
    "珠拉图": "ᠵᠤᠯᠠᠲᠤ",  # julatu
    "巴彦希泊日": "ᠪᠠᠶᠠᠨ ᠰᠢᠪᠡᠷ",  # bayan siber
    "巴彦柴达木": "ᠪᠠᠶᠠᠨ ᠴᠠᠶᠢᠳᠠᠮ",  # bayan čayidam
    "巴彦乌素": "ᠪᠠᠶᠠᠨ ᠤᠰᠤ",  # bayan usu
    "哈日根图": "ᠬᠠᠷᠠᠭᠠᠨᠠᠲᠤ",  # qaraγanatu
    "毛盖图": "ᠮᠣᠭᠠᠢᠲᠤ",  # moγaitu
    "苏力迪": "ᠰᠦᠯᠳᠡ",  # sülde
    "乌兰胡舒": "ᠤᠯᠠᠭᠠᠨ ᠬᠣᠰᠢᠭᠤ",  # ulaγan qosiγu
    "沙日胡舒": "ᠰᠢᠷ᠎ᠠ ᠬᠣᠰᠢᠭᠤ",  # sir-a qosiγu
    "巴彦乌珠日": "ᠪᠠᠶᠠᠨ ᠦᠵᠦᠭᠦᠷ",  # bayan üjüγür
    "明盖": "ᠮᠢᠩᠭ᠎ᠠ",  # mingγ-a
    "圐圙": "ᠬᠦᠷᠢᠶ᠎ᠡ",  # küriy-e
    "满都拉": "ᠮᠠᠨᠳᠤᠯᠠ",  # mandula
    "巴音": "ᠪᠠᠶᠠᠨ",  # bayan
    "赛罕": "ᠰᠠᠶᠢᠬᠠᠨ",  # sayiqan
    "乌兰": "ᠤᠯᠠᠭᠠᠨ",  # ulaγan
    "布拉格": "ᠪᠤᠯᠠᠭ",  # bulaγ
}
KINDS = {"嘎查": "ᠭᠠᠴᠠᠭ᠎ᠠ", "社区": "ᠬᠣᠷᠢᠶ᠎ᠠ", "镇": "ᠪᠠᠯᠭᠠᠰᠤ"}
ORDINAL = {1: "ᠳ᠋ᠦᠭᠡᠷ", 2: "ᠳ᠋ᠤᠭᠠᠷ", 3: "ᠳ᠋ᠤᠭᠠᠷ", 4: "ᠳ᠋ᠦᠭᠡᠷ", 5: "ᠳ᠋ᠤᠭᠠᠷ", 6: "ᠳ᠋ᠤᠭᠠᠷ", 7: "ᠳ᠋ᠤᠭᠠᠷ", 8: "ᠳ᠋ᠤᠭᠠᠷ", 9: "ᠳ᠋ᠦᠭᠡᠷ"}
TEAM = "ᠪᠠᠭ"  # team


def place_name_mn(name: str) -> str:
    """The Mongolian name of a demo place ("哈日根图嘎查" -> "ᠬᠠᠷᠠᠭᠠᠨᠠᠲᠤ ᠭᠠᠴᠠᠭ᠎ᠠ"), or "" when it has none."""
    for kind, word in KINDS.items():
        if name.endswith(kind) and name[: -len(kind)] in NAMES:
            return f"{NAMES[name[: -len(kind)]]} {word}"
    return ""


def team_name_mn(gacha_name_mn: str, number: int) -> str:
    """A team's Mongolian name, short enough for an SMS: the gacha's name without its kind word, the number."""
    if not gacha_name_mn:
        return ""
    return f"{gacha_name_mn.rsplit(' ', 1)[0]} {number} {ORDINAL[number]} {TEAM}"
