"""The sharing and price-report texts fit their SMS promise with the longest real values: 20-character team and
place names, the language's longest item name, a three-digit count."""
import re

import pytest

from dispatch.messaging import texts

TEAM = "鄂托克前旗昂素镇哈日根图嘎查第十三小分队"
PLACE = "鄂托克前旗昂素镇哈日根图嘎查第十三网格"[:19] + "区"
LONGEST = {"ref": "987654", "qty": "999", "name": "乌云其木格·巴特尔",
           "giver": "额尔敦毕力格·巴特尔", "phone": "+8613912345678", "giver_phone": "+8613912345678",
           "place": PLACE, "giver_place": PLACE, "team": TEAM, "member": "额尔敦毕力格（第三小分队）", "km": "128.4",
           "report": "镇上药店把布洛芬从十几元涨到一百多元一盒，还卖没有批号的假抗原" * 3}
KEYS = [k for k in texts.catalogue("zh") if k.startswith(("share_", "offer_share", "price_", "item_", "cat_"))]


def test_the_long_names_are_twenty_characters():
    assert len(TEAM) == len(PLACE) == 20
    assert texts.render("item_thermometer", "mn-Cyrl") == "Халуун хэмжигч"  # the longest item name in Cyrillic
    assert texts.render("item_cough", "mn") == "\u182c\u1820\u1828\u1822\u1836\u1820\u182f\u182d\u180e\u1820\u202f\u1836\u1822\u1828 \u1821\u182e"  # in the script


@pytest.mark.parametrize("language", texts.LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_a_sharing_text_fits_its_segments_with_long_names(language, key):
    limit, template = texts.catalogue(language)[key]
    slots = {name: LONGEST.get(name) for name in re.findall(r"{(\w+)}", template)}
    slots["item"] = max((texts.render(k, language) for k in KEYS if k.startswith("item_")), key=texts.units)
    if "report" in slots:  # the report is cut to fit (dispatch/sharing/prices.py): the rest must leave room
        slots["report"] = ""
    rendered = texts.render(key, language, **slots)
    assert texts.segments(rendered) <= limit, f"{language}/{key} ({texts.units(rendered)} units): {rendered}"
