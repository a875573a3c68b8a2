"""The review sheets a native speaker reads (docs/translations.md, docs/voice-recording.md) say what the code
sends: they are regenerated whenever a template, a dashboard string, a prompt or a demo name changes."""
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "make_translations.py"


def test_the_review_sheets_are_up_to_date():
    spec = importlib.util.spec_from_file_location("make_translations", SCRIPT)
    sheets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sheets)
    assert sheets.main(["--check"]) == 0, "run python3 docs/make_translations.py"
    text = sheets.TRANSLATIONS.read_text(encoding="utf-8")
    for key in ("`offer`", "`emergency_lead`", "`welcome`"):  # SMS, the newest templates, voice
        assert key in text
