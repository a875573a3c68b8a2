"""Every product text renders in all three languages (zh, mn traditional script, mn-Cyrl) and fits the SMS segments its template promises."""
import re
from pathlib import Path

import pytest

from dispatch.messaging import texts

# Long but realistic values: the longest names and numbers a real message carries.
LONG = {
    "ref": "987654", "refs": "4821、5932、6043", "need": "看病就医", "name": "乌云其木格·巴特尔",
    "phone": "+8613912345678", "place": "昂素镇哈日根图嘎查第三网格", "km": "128.4",
    "team": "哈日根图嘎查第三网格暖心服务小分队", "vehicle": "蒙K·A12345", "member": "额尔敦毕力格（第三小分队）",
    "offers": "3", "count": "12",
    # w9: a herder's added detail as passed to the holder (cut to DETAIL_CHARS), an age in whole units
    "text": "老人早上摔倒了腿疼站不起来家里没有人，请带上担架和止疼药，路口有白色的蒙古包请在那里", "n": "59",
    "code": "123456",  # a dashboard sign-in code
    # the leaders' daily digest: a date, counts in the hundreds, overdue households' names
    "day": "12-31", "open": "123", "escalated": "123", "done": "123", "overdue": "123",
    "names": "乌云其木格、额尔敦毕力格、巴特尔",
    # Neighbour sharing and price reports: the longest item name (Mongolian), a count, a giver, a report.
    "item": "Халуун хэмжигч", "qty": "999", "giver": "乌云其木格·巴特尔", "giver_phone": "+8613912345678",
    "giver_place": "昂素镇哈日根图嘎查第三网格", "report": "镇上药店把布洛芬从十几元涨到一百多元一盒，还卖没有批号的假抗原",
    # The contact card by SMS: three people, each a name and a phone as dialled (a fixed line with its area code
    # is the longest), the duty number, a gacha number of the voice line's longest.
    "contact": "乌云其木格·巴特尔 047785123456", "captain": "额尔敦毕力格 047785123456",
    "doctor": "乌云其木格·巴特尔 047785123456",
    "duty": "047785123456", "gacha_number": "12345678",
    # The register's weekly contact: a member's numbered list (as much as fits), a household's roster ref, what
    # a member typed for a household that is not theirs.
    "items": "1乌云其木格·巴特尔、2额尔敦毕力格、3巴特尔", "household": "H123456", "target": "H1234567",
}
KEYS = sorted(texts.catalogue("zh"))


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_every_language_has_the_same_templates(language):
    assert sorted(texts.catalogue(language)) == KEYS


@pytest.mark.parametrize("language", texts.LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_template_fits_its_segments(language, key):
    limit, template = texts.catalogue(language)[key]
    slots = {name: LONG[name] for name in re.findall(r"{(\w+)}", template)}
    rendered = texts.render(key, language, **slots)
    assert limit in (1, 2)
    assert texts.segments(rendered) <= limit, f"{language}/{key} ({len(rendered)} chars): {rendered}"


def test_segments_counts_ucs2_and_gsm():
    assert texts.segments("a" * 160) == 1 and texts.segments("a" * 161) == 2
    assert texts.segments("药" * 70) == 1 and texts.segments("药" * 71) == 2
    assert texts.segments("药" * 134) == 2 and texts.segments("药" * 135) == 3


def test_unknown_language_falls_back_to_chinese():
    assert texts.render("ack", "fr", ref="4821") == texts.render("ack", "zh", ref="4821")


# w9b: the longest real values in each script: gacha and team names of 20 characters (Chinese, and Mongolian
# in the traditional script, which the roster's name_mn carries), the language's longest category name.
TWENTY_ZH = "锡尼乌苏哈日根图嘎查第三网格暖心服务队"[:20].ljust(20, "队")
TWENTY_MN = "\u1828\u1820\u1837\u1822\u182d\u1820\u1828 \u1832\u1826\u182d\u1826\u1837\u1822\u182d \u1833\u1826\u182d\u1826\u1837\u1822"[:20]
FILES = sorted(p.stem for p in Path(texts.__file__).parent.glob("*.txt"))


def longest_values(language):
    def longest(prefix):
        return max((text for key, (_, text) in texts.catalogue(language).items() if key.startswith(prefix)),
                   key=texts.units)
    # Only traditional-script texts carry name_mn; Cyrillic ones fall back to the Chinese name (messaging/names.py).
    twenty = TWENTY_MN if language == "mn" else TWENTY_ZH
    return dict(LONG, need=longest("cat_"), item=longest("item_"), place=twenty, team=twenty, giver_place=twenty)


@pytest.mark.parametrize("language", FILES)
def test_every_language_file_renders_within_its_promise_with_twenty_character_names(language):
    catalogue = texts.catalogue(language)
    values = longest_values(language)
    too_long = []
    for key, (limit, template) in catalogue.items():
        rendered = template.format(**{name: values[name] for name in re.findall(r"{(\w+)}", template)})
        if limit not in (1, 2) or texts.segments(rendered) > limit:
            too_long.append(f"{key}: {texts.segments(rendered)} > {limit}: {rendered}")
    assert not too_long, "\n".join(too_long)


# The traditional script's controls, as Unicode's Mongolian rules use them: a free variation selector (U+180B–D)
# follows a Mongolian letter; the vowel separator (U+180E) stands between a letter and a word-final a or e; the
# narrow no-break space (U+202F) joins a case suffix (a Mongolian letter) to the word or slot before it.
LETTER = "[\u1820-\u1842]"
MISUSED = re.compile(
    f"(?<!{LETTER})[\u180b-\u180d]"                       # a selector with no letter before it
    f"|(?<!{LETTER}|[\u180b-\u180d])\u180e|\u180e(?![\u1820\u1821](?:[^\u1820-\u1842\u180b-\u180d]|$))"
    f"|\u202f(?!{LETTER})|(?<![\u1820-\u1842\u180b-\u180d}}])\u202f")


def test_traditional_script_controls_follow_the_mongolian_rules():
    misused = [f"{key}: {text}" for key, (_, text) in texts.catalogue("mn").items() if MISUSED.search(text)]
    assert not misused, "\n".join(misused)
    words = [f"{key}: {text}" for key, (_, text) in texts.catalogue("mn").items()
             if re.search(r"[^\W\d_]", re.sub(r"{\w+}|km", "", text)) and not re.search(LETTER, text)]
    assert not words, "texts with words but no traditional script:\n" + "\n".join(words)


def test_the_rule_check_catches_a_misplaced_control():
    assert MISUSED.search("\u1832\u1820 \u202f1") and MISUSED.search("\u180e\u1820") and MISUSED.search("\u1832\u180e\u1822")
    assert not MISUSED.search("\u182d\u180e\u1820 \u1832\u1820\u1828\u202f\u1824 {ref}\u202f\u1822")


def test_mongolian_files_are_in_their_own_scripts():
    assert all(not re.search("[\u0400-\u04ff]", text) for _, text in texts.catalogue("mn").values())
    assert all(not re.search("[\u1820-\u18af]", text) for _, text in texts.catalogue("mn-Cyrl").values())
