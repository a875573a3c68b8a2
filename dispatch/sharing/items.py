"""The small catalogue of medicines and test kits neighbours share, and the words that name them. Pure.

Names people read are templates (`item_<code>` in dispatch/messaging/texts/). The words below are what people
type: Chinese, Mongolian in Cyrillic, in the traditional script and in Latin letters. Mongolian words name the
medicine, never the symptom alone: "ханиалга байна" is "I have a cough", not "I have cough medicine".
The traditional-script and Latin spellings are to be reviewed by a native speaker.
"""
from ..messaging.words import first_named, folded_all

# Checked in this order: the first item whose word is in the text names it.
_WORDS = {
    "antigen": ("抗原", "试剂盒", "检测试剂", "自测盒", "检测盒", "антиген", "тест хайрцаг", "antigen"),
    "fever": ("退烧", "退热", "布洛芬", "对乙酰氨基酚", "扑热息痛", "芬必得", "美林", "泰诺", "散利痛",
              "халуун бууруулах", "халуун буулгах", "халууны эм", "ибупрофен", "парацетамол",
              "ᠬᠠᠯᠠᠭᠤᠨ ᠪᠠᠭᠤᠯᠭ", "ᠬᠠᠯᠠᠭᠤᠨ\u202fᠤ ᠡᠮ", "ibuprofen", "paracetamol", "haluunii em"),
    "cough": ("止咳", "咳嗽药", "川贝", "枇杷膏", "甘草片", "ханиалгын эм", "ханиалганы эм",
              "ᠬᠠᠨᠢᠶᠠᠯᠭ᠎ᠠ\u202fᠶᠢᠨ ᠡᠮ", "hanialgiin em"),
    "cold": ("感冒药", "感冒灵", "连花清瘟", "板蓝根", "ханиадны эм", "ᠬᠠᠨᠢᠶᠠᠳ\u202fᠤᠨ ᠡᠮ", "haniadnii em"),
    "mask": ("口罩", "n95", "kn95", "маск", "амны хаалт", "ᠠᠮᠠᠨ\u202fᠤ ᠬᠠᠭᠠᠯᠲᠠ", "mask"),
    "blood_pressure": ("血压药", "降压药", "硝苯地平", "氨氯地平", "厄贝沙坦", "缬沙坦", "даралтын эм",
                       "даралт бууруулах", "ᠳᠠᠷᠤᠯᠲᠠ\u202fᠶᠢᠨ ᠡᠮ", "daraltiin em"),
    "insulin": ("胰岛素", "инсулин", "ᠢᠨᠰᠦᠯᠢᠨ", "insulin"),
    "diabetes": ("降糖药", "二甲双胍", "格列", "сахар бууруулах", "чихрийн шижингийн эм", "метформин",
                 "metformin"),
    "oximeter": ("血氧仪", "指夹", "оксиметр", "хүчилтөрөгч хэмжигч", "oximeter"),
    "thermometer": ("体温计", "温度计", "体温枪", "термометр", "халуун хэмжигч", "ᠬᠠᠯᠠᠭᠤᠨ ᠬᠡᠮᠵᠢᠭᠦᠷ",
                    "thermometer"),
}
ITEMS = tuple(_WORDS)  # the catalogue's codes, in the order the dashboard lists them
_FOLDED = {code: folded_all(words) for code, words in _WORDS.items()}


def find_item(text: str | None) -> str | None:
    """The catalogue item a text names ('fever' for 布洛芬), or None when it names none."""
    return first_named(text, _FOLDED)
