"""Write the review sheets a native speaker checks: docs/translations.md (every Mongolian text beside its Chinese
source: SMS templates, dashboard strings, voice prompts, the demo's place names) and docs/voice-recording.md
(what to record, prompt by prompt, in the traditional script).

    python3 docs/make_translations.py          # rewrite both files
    python3 docs/make_translations.py --check  # exit 1 when they are stale (tests/test_review_sheets.py runs it)
"""
import argparse
import csv
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dispatch.messaging import texts  # noqa: E402  (the repository is not installed as a package)

TRANSLATIONS, RECORDING = ROOT / "docs" / "translations.md", ROOT / "docs" / "voice-recording.md"


def cell(text: str) -> str:
    """A table cell: pipes escaped, the script's controls kept (they are part of the spelling)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def sms_rows() -> list[str]:
    zh, mn, cyrillic = (texts.catalogue(lang) for lang in ("zh", "mn", "mn-Cyrl"))
    return [f"| `{key}` | {limit} | {cell(zh[key][1])} | {cell(mn[key][1])} | {cell(cyrillic[key][1])} |"
            for key, (limit, _) in zh.items()]


def dashboard_rows() -> list[str]:
    with (ROOT / "hotline" / "translations" / "mn" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalogue = read_po(file)
    return [f"| {cell(m.id)} | {cell(m.string)} | {cell(' '.join(m.user_comments))} |" for m in catalogue if m.id]


def prompts() -> dict:
    return json.loads((ROOT / "hotline" / "static" / "voice" / "manifest.json").read_text(encoding="utf-8"))


def place_rows() -> list[str]:
    rows = []
    for sheet in ("places", "teams"):
        with (ROOT / "demo" / "roster" / f"{sheet}.csv").open(encoding="utf-8") as file:
            rows += [f"| {sheet} | {cell(r['name'])} | {cell(r['name_mn'])} |" for r in csv.DictReader(file) if r["name_mn"]]
    return rows


def translations_md() -> str:
    voice = prompts()["prompts"]
    return "\n".join([
        "# Mongolian texts for review (generated: `python3 docs/make_translations.py`; do not edit by hand)",
        "",
        "Every Mongolian text of the hotline beside its Chinese source. The traditional-script texts (`mn`) were",
        "written by a non-native writer from Latin transliteration and have not been checked by a native speaker;",
        "the Cyrillic ones (`mn-Cyrl`) neither. A reviewer corrects the source files named in each section, then runs",
        "the script again. In the script, a case ending is joined with a narrow no-break space (U+202F), a final",
        "-a/-e after a consonant follows a vowel separator (U+180E), and a free variation selector (U+180B) picks a",
        "letter's other form (the initial d of ᠳ᠋ᠤᠭᠠᠷ): a reviewer's keyboard (e.g. Menksoft, Delehi) types them.",
        "",
        "## SMS templates (`dispatch/messaging/texts/zh.txt`, `mn.txt`, `mn-Cyrl.txt`)",
        "",
        "Segments: the most SMS a text may take with long real values (70 UCS-2 characters make one;",
        "`tests/dispatch/messaging/test_texts.py` checks it). `{slots}` are filled in by the program.",
        "",
        "| key | SMS | Chinese | Mongolian (traditional script) | Mongolian (Cyrillic) |",
        "|---|---|---|---|---|",
        *sms_rows(),
        "",
        "## Dashboard (`hotline/translations/mn/LC_MESSAGES/messages.po`)",
        "",
        "The third column is the writer's transliteration (or the SMS template reused), to help a reviewer read intent.",
        "",
        "| Chinese | Mongolian (traditional script) | transliteration |",
        "|---|---|---|",
        *dashboard_rows(),
        "",
        "## Voice prompts (`hotline/static/voice/manifest.json`; how to record them: `docs/voice-recording.md`)",
        "",
        "| key | Chinese | Mongolian (traditional script) | Cyrillic (what the placeholder voice reads) |",
        "|---|---|---|---|",
        *(f"| `{k}` | {cell(v['zh'])} | {cell(v['mn'])} | {cell(v['mn-Cyrl'])} |" for k, v in voice.items()),
        "",
        "## Demo place and team names (`demo/mongolian_names.py`, the roster's `name_mn`)",
        "",
        "| sheet | Chinese | Mongolian |",
        "|---|---|---|",
        *place_rows(),
        "",
    ])


def recording_md() -> str:
    manifest = prompts()
    recorded = set(manifest.get("recorded", {}).get("mn", []))
    example = ", ".join(manifest["prompts"][f"digit_{d}"]["mn"] for d in "4821")
    return "\n".join([
        "# Recording the Mongolian prompts (generated: `python3 docs/make_translations.py`)",
        "",
        "For a native speaker of Mongolian, ideally of the region the line serves (Ordos). What ships today is a",
        f"placeholder: {manifest['placeholder_voices']['mn']}",
        "",
        "1. Read each text below aloud as you would say it to an elderly herder on a poor line: slowly, warmly,",
        "   with a short pause at each comma. Say numbers as words. The Chinese is there so you know what it means;",
        "   if the Mongolian reads badly, say it the natural way and write your wording in the notes column of a",
        "   copy of this file (it becomes the new text in `hotline/static/voice/manifest.json`).",
        "2. One file per prompt, named as in the table, about 0.2 s of quiet before and after. A quiet room, the",
        "   phone or microphone a hand's width from the mouth. Any recorder will do (a phone's recorder app too).",
        "3. Convert to telephone quality and put it in place:",
        "   `sox in.wav -r 8000 -c 1 -b 16 hotline/static/voice/mn/<key>.wav gain -n -3`",
        "4. Add the key to `recorded.mn` in the manifest, so the placeholder script never overwrites it, and run",
        "   `flask --app wsgi voice-prompts --placeholders` to see what is left.",
        f"5. The digits are read one at a time inside a reference (4821: {example}): record each alone,",
        "   evenly, with no rising tone, so they join well. Prompts ending in a colon are followed by such digits.",
        "",
        "| file | status | Mongolian (say this) | Chinese (meaning) |",
        "|---|---|---|---|",
        *(f"| `mn/{k}.wav` | {'recorded' if k in recorded else 'placeholder'} | {cell(v['mn'])} | {cell(v['zh'])} |"
          for k, v in manifest["prompts"].items()),
        "",
    ])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    args = parser.parse_args(argv)
    stale = []
    for path, text in ((TRANSLATIONS, translations_md()), (RECORDING, recording_md())):
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("stale: " + ", ".join(stale) + " (run python3 docs/make_translations.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
