"""One cell of a leader's spreadsheet read into a plain value, or a reason it cannot be.

Cells arrive as openpyxl gives them (str, int, float, datetime) or as CSV text. Each reader takes the raw
cell and returns the clean value, or raises `CellError` whose text completes "members.csv, row 7, phone: ...".
"""
import re
import unicodedata
from functools import lru_cache
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from openpyxl.utils.datetime import from_excel

from ..messaging.phones import to_e164

# China's box, loosely: a point outside it is a typing mistake, not a herder's pasture.
PLAUSIBLE_LAT = (18.0, 54.0)
PLAUSIBLE_LON = (73.0, 135.0)

# Words a leader may type instead of the English values; the English values are matched case-insensitively.
ALIASES = {
    "镇": "township", "苏木": "township", "乡": "township", "嘎查": "gacha", "村": "gacha", "village": "gacha",
    "社区": "community",
    "队长": "captain", "队员": "member", "医生": "doctor", "村医": "doctor", "司机": "driver",
    "书记": "gacha_secretary", "嘎查书记": "gacha_secretary", "镇领导": "township_leader",
    "苏木领导": "township_leader",
    "蒙": "mn", "蒙语": "mn", "蒙古语": "mn", "mongolian": "mn", "汉": "zh", "汉语": "zh", "中文": "zh",
    "chinese": "zh", "红": "red", "黄": "yellow", "绿": "green",
    "蒙文": "mn", "传统蒙古文": "mn", "回鹘式蒙古文": "mn", "西里尔蒙古文": "mn-Cyrl", "新蒙文": "mn-Cyrl", "mn_cyrl": "mn-Cyrl",
    "cyrillic": "mn-Cyrl",
    "干部": "cadre", "嘎查干部": "cadre", "村干部": "cadre", "网格员": "grid_worker", "党员": "party_member",
    "党员中心户": "party_member", "第一书记": "first_secretary", "驻村第一书记": "first_secretary", "志愿者": "volunteer",
    "市场监管": "market_regulator", "市场监管所": "market_regulator",
}


class CellError(ValueError):
    """The reason one cell cannot be used, worded for the leader who typed it."""


def clean(raw) -> str:
    """A cell as trimmed text: full-width characters folded, a whole float shown without '.0'."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (int, float)):
        return str(raw)
    if isinstance(raw, (datetime, date, time)):
        return raw.isoformat(sep=" ")
    return unicodedata.normalize("NFKC", str(raw)).strip()


def text(raw, limit: int = 100) -> str:
    """Free text such as a name; inner runs of spaces folded to one."""
    value = " ".join(clean(raw).split())
    if len(value) > limit:
        raise CellError(f"{value[:20]!r}... is longer than {limit} characters")
    return value


def code(raw, limit: int = 40) -> str:
    """A key such as a place code or team code; Excel's 150623103.0 is read as '150623103'."""
    value = clean(raw)
    if re.fullmatch(r"\d+\.0+", value):
        value = value.split(".")[0]
    if len(value) > limit:
        raise CellError(f"{value!r} is longer than {limit} characters")
    return value


def plate(raw) -> str:
    """A vehicle plate, upper case without spaces or dots: '蒙K 12345' and '蒙k·12345' are one car."""
    value = re.sub(r"[\s·.\-]", "", clean(raw)).upper()
    if len(value) > 20:
        raise CellError(f"{value!r} is longer than 20 characters")
    return value


@lru_cache(maxsize=65536)  # a roster repeats its phones (every shift names its lead); parsing is the slow part
def phone(raw, region: str) -> str:
    """A phone number as E.164, from '139 1234 5678', '１３９１２３４５６７８', 13912345678.0 or '+86 139...'."""
    value = clean(raw)
    if re.fullmatch(r"\+?\d+\.0+", value):
        value = value.split(".")[0]
    if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", value):
        raise CellError(f"{value!r} is not a valid phone number (Excel shortened it: format the column as text)")
    e164 = to_e164(value, region)
    if e164 is None:
        raise CellError(f"{value!r} is not a valid phone number")
    return e164


def phones(raw, region: str) -> list[str]:
    """Several phones separated by ';' (also ',', '/', '、'); duplicates dropped, order kept."""
    found: list[str] = []
    for part in split_list(raw):
        number = phone(part, region)
        if number not in found:
            found.append(number)
    return found


def split_list(raw) -> list[str]:
    """The parts of a ';'-separated cell, trimmed, empty parts dropped."""
    return [part.strip() for part in re.split(r"[;,/、|]", clean(raw)) if part.strip()]


def choice(raw, allowed) -> str:
    """One of `allowed` (English values, any case; a few Chinese words too)."""
    value = clean(raw)
    word = re.sub(r"[\s\-]+", "_", value.lower())
    word = ALIASES.get(word, word)
    if word not in allowed:
        raise CellError(f"{value!r} is not one of {', '.join(allowed)}")
    return word


def number(raw) -> float:
    """A decimal number; '38.12°' is read as 38.12."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    value = clean(raw)
    try:
        return float(value.rstrip("°").strip())
    except ValueError:
        raise CellError(f"{value!r} is not a number") from None


def latitude(raw) -> float:
    """A latitude in degrees, within the range this service covers."""
    value = number(raw)
    if not -90 <= value <= 90:
        raise CellError(f"{clean(raw)!r} must be between -90 and 90")
    return _plausible(value, PLAUSIBLE_LAT, raw)


def longitude(raw) -> float:
    """A longitude in degrees, within the range this service covers."""
    value = number(raw)
    if not -180 <= value <= 180:
        raise CellError(f"{clean(raw)!r} must be between -180 and 180")
    return _plausible(value, PLAUSIBLE_LON, raw)


def _plausible(value: float, bounds: tuple[float, float], raw) -> float:
    if not bounds[0] <= value <= bounds[1]:
        raise CellError(f"{clean(raw)!r} is outside the plausible range ({bounds[0]:g} to {bounds[1]:g})")
    return value


def positive_int(raw) -> int:
    """A whole number above zero; Excel's 5.0 is 5."""
    value = number(raw)
    if not value.is_integer() or value < 1:
        raise CellError(f"{clean(raw)!r} must be a whole number above 0")
    return int(value)


TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
                "%Y.%m.%d %H:%M", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y年%m月%d日 %H时")


def moment(raw, zone: ZoneInfo) -> datetime:
    """An aware UTC datetime from an Excel date cell or text; a time without an offset is in `zone`."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime.combine(raw, time())
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw > 0:
        value = from_excel(raw)  # a date cell that lost its date format: Excel's day serial
    else:
        value = _parse_time_text(clean(raw))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(timezone.utc)


def _parse_time_text(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for layout in TIME_FORMATS:
        try:
            return datetime.strptime(value, layout)
        except ValueError:
            continue
    raise CellError(f"{value!r} is not a date and time like 2026-01-10 08:00")
