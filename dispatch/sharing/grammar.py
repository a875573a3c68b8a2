"""What residents type to share medicine (`有 退烧药 2`, `需 抗原`, `антиген хэрэгтэй`) or to report price
gouging and fake goods (`药店哄抬物价`). Pure functions: no database, no clock.

A share text must say have or need AND name a catalogue item; anything else is left to the herder's path,
so "有人发烧" (someone has a fever) stays a request for a doctor. Mongolian puts the verb last
("парацетамол 2 байна"), so its have/need words count anywhere in the text. The traditional-script and Latin
spellings are to be reviewed by a native speaker.
"""
import re
from dataclasses import dataclass

from ..messaging.words import fold, folded_all, says_any, words_of
from .items import find_item

MAX_QUANTITY = 999

# Chinese: the sentence opens with have (有, 我有, 家里有…); "有没有…", "谁有…", "有…吗" ask, so they need.
_ZH_OPEN = r"^(?:我|我家|我们|家里|家中)?(?:还)?"
_ZH_HAVE = re.compile(_ZH_OPEN + r"(?:有(?!点|些|人|没有|无)|多余|剩|闲置|可提供|能提供|可以提供|可分享|分享)")
_ZH_NEED = ("需要", "需", "缺", "求", "想要", "没有", "有没有", "谁有", "哪里有", "哪有", "有无")
_ZH_ASKS = re.compile(r"(?:吗|么|嘛|呢|\?)\s*$")
_ZH_SURPLUS = ("多余", "闲置", "剩下", "用不完", "可以给", "可提供", "分享")
# Mongolian: Cyrillic, the traditional script (folded: ᠪᠠᠶᠢᠨ᠎ᠠ → ᠪᠠᠶᠢᠨᠠ), Latin letters.
_MN_NEED = folded_all(("хэрэгтэй", "хэрэг байна", "дутуу", "дутагдаж", "алга", "байхгүй", "олдохгүй",
                       "ᠬᠡᠷᠡᠭᠲᠡᠶ", "ᠬᠡᠷᠡᠭᠲᠡᠢ", "ᠬᠡᠷᠡᠭᠰᠡᠵᠦ", "ᠦᠭᠡᠢ", "heregtei", "kheregtei", "hergtei",
                       "algaa", "baihgui", "baikhgui"))
_MN_ASKS = folded_all(("байна уу", "бий юу", "байгаа юу", "ᠪᠠᠶᠢᠨ᠎ᠠ ᠤᠤ", "bain uu", "baina uu", "bii yu"))
_MN_HAVE = frozenset(folded_all(("байна", "байгаа", "бий", "илүү", "үлдсэн", "ᠪᠠᠶᠢᠨ᠎ᠠ", "ᠪᠠᠢᠨ᠎ᠠ", "ᠪᠤᠢ",
                       "ᠢᠯᠡᠭᠦᠦ", "bain", "baina", "baigaa", "bii", "iluu", "ilvv")))  # whole words

# A count: "2", "2盒", "两盒", "3ш"; never a dose ("300mg"), a model ("kn95") or part of a phone number.
_COUNT = re.compile(r"(?<![0-9a-z.])(\d{1,4})(?![\d.])(?!\s*(?:mg|ml|g\b|毫克|毫升|克|мг|мл))")
_ZH_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ZH_COUNT = re.compile(r"([一两二三四五六七八九十])\s*(?:盒|片|个|支|瓶|板|包|袋|只|份|人份|粒|根)")

# Price gouging and fake goods (哄抬物价、制假售假).
_PRICE = folded_all((
    "涨价", "哄抬", "抬价", "乱涨", "乱收费", "高价", "天价", "宰人", "宰客", "假药", "假货", "假冒", "伪劣", "制假",
    "售假", "卖假", "山寨", "以次充好", "囤积", "价格欺诈", "缺斤少两",
    "үнэ өсгө", "үнийг өсгө", "үнэ нэм", "үнийг нэм", "үнэ хөөрөгд", "үнийг хөөрөгд", "хуурамч", "луйвар",
    "ᠬᠤᠤᠷᠮᠠᠭ", "ᠦᠨ᠎ᠡ ᠥᠰᠬᠡ", "ᠦᠨ᠎ᠡ ᠨᠡᠮᠡ",
    "huuramch", "khuuramch", "une osgo", "une usg", "une nem",
))


@dataclass(frozen=True)
class ShareText:
    """A have or need read from a text: the catalogue item, how many (1 when not said) and the text as typed."""

    kind: str  # "have" or "need"
    item: str
    quantity: int
    text: str


def read_share(body: str | None) -> ShareText | None:
    """A have or a need, or None when the text does not offer or ask for a catalogue item."""
    folded = fold(body)
    item = find_item(folded)
    if item is None:
        return None
    kind = _kind(folded)
    if kind is None:
        return None
    return ShareText(kind, item, _quantity(folded), re.sub(r"[ \t\r\n]+", " ", body or "").strip())


def _kind(folded: str) -> str | None:
    if _ZH_HAVE.match(folded):
        return "need" if _ZH_ASKS.search(folded) else "have"
    if says_any(folded, _ZH_NEED) or says_any(folded, _MN_NEED) or says_any(folded, _MN_ASKS):
        return "need"
    if says_any(folded, _ZH_SURPLUS) or set(words_of(folded)) & _MN_HAVE:
        return "have"
    return None


def _quantity(folded: str) -> int:
    counts = [int(n) for n in _COUNT.findall(folded)] or [_ZH_NUMERALS[n] for n in _ZH_COUNT.findall(folded)]
    return min(max(counts[0], 1), MAX_QUANTITY) if counts else 1


def is_price_report(body: str | None) -> bool:
    """Whether the text reports price gouging or fake goods (涨价, 哄抬, 假药, 假货, хуурамч…)."""
    return says_any(fold(body), _PRICE)
