"""The dashboard's Mongolian catalogue is complete: every string the code and templates ask for has a
traditional-script translation, none fuzzy, with the same placeholders as its Chinese source."""
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "hotline" / "translations" / "mn" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
MAPPING = [("hotline/dashboard/**.py", "python"), ("hotline/templates/dashboard/**.html", "jinja2")]


def source_strings() -> set[str]:
    """Every msgid the dashboard's code and templates use, read as pybabel extract reads them (babel.cfg)."""
    assert (ROOT / "babel.cfg").read_text().count("[") == 2, "babel.cfg changed: update MAPPING here"
    found = extract_from_dir(str(ROOT), method_map=MAPPING, keywords=KEYWORDS,
                             options_map={"hotline/templates/dashboard/**.html": {"extensions": "jinja2.ext.i18n"}})
    return {message for _, _, message, *_ in found if isinstance(message, str)}


def catalogue():
    with CATALOGUE.open("rb") as file:
        return read_po(file)


def test_every_dashboard_string_has_a_mongolian_translation():
    messages = {m.id: m for m in catalogue() if m.id}
    strings = source_strings()
    assert len(strings) > 300  # the extraction found the dashboard, lazy strings (labels.py) included
    missing = sorted(s for s in strings if s not in messages or not messages[s].string)
    fuzzy = sorted(s for s in strings if s in messages and messages[s].fuzzy)
    assert not missing, f"{len(missing)} without a Mongolian translation: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_translations_are_in_the_traditional_script_with_the_same_placeholders():
    for message in catalogue():
        if not message.id:
            continue
        text = message.string
        assert re.search("[\u1820-\u1842]", text), f"not in the traditional script: {message.id} -> {text}"
        assert not re.search("[\u0400-\u04ff]", text), f"Cyrillic left in: {message.id} -> {text}"
        assert sorted(re.findall(r"%\(\w+\)", text)) == sorted(re.findall(r"%\(\w+\)", message.id)), message.id
    assert not list(catalogue().check())  # Babel's own checks: format strings agree
