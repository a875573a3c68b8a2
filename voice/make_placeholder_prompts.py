#!/usr/bin/env python3
"""Make PLACEHOLDER voice prompts with espeak-ng, so the voice line works before real recordings exist.

    apt-get install -y espeak-ng sox
    python3 voice/make_placeholder_prompts.py            # every prompt not marked as recorded
    python3 voice/make_placeholder_prompts.py --missing  # only files that do not exist yet

Reads hotline/static/voice/manifest.json and writes hotline/static/voice/<lang>/<key>.wav: 8 kHz, mono, 16-bit,
spoken slowly. Keys listed under "recorded" (a native speaker's recording) are never overwritten.

espeak-ng has no Mongolian voice (1.51 has none of Mongolian, Buryat or Kalmyk) and cannot read the traditional
script. The Mongolian placeholders are its Kyrgyz voice reading the prompt's Cyrillic text (`mn-Cyrl` in the
manifest), respelled where Kyrgyz reads a letter unlike Mongolian: the nearest this machine has, and still not
Mongolian. `--mongolian zh` makes the other choice: the mn files say the Chinese text, and the manifest marks them
as a Chinese fallback, for a line where a listener found the Kyrgyz reading unintelligible (docs/voice.md).
Nothing runs this at run time or in CI; the files it makes are committed.
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "hotline" / "static" / "voice"
VOICES = {"zh": "cmn-latn-pinyin", "mn": "ky"}
# Mongolian Cyrillic letters Kyrgyz espeak-ng reads otherwise: ы is a long [iː] in Mongolian, з is [dz].
RESPELL = str.maketrans({"ы": "ии", "з": "дз", "З": "Дз"})
CHINESE_FALLBACK = ("CHINESE FALLBACK: the mn files say the Chinese text (espeak-ng -v cmn-latn-pinyin), made with "
                    "--mongolian zh because no Mongolian voice is available. Replace with Mongolian recordings.")
WORDS_PER_MINUTE = 130  # espeak-ng's default is 175: slower for elderly callers on a poor line


def make(text: str, voice: str, target: Path) -> None:
    """Speak `text` with espeak-ng, then resample to telephone quality with a little silence around it."""
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(target),
                        "gain", "-n", "-3", "pad", "0.1", "0.25"], check=True)


def spoken(texts: dict, language: str, mongolian: str) -> tuple[str, str]:
    """The words and the espeak-ng voice for one prompt's placeholder."""
    if language != "mn":
        return texts[language], VOICES[language]
    if mongolian == "zh":
        return texts["zh"], VOICES["zh"]
    return texts["mn-Cyrl"].translate(RESPELL), VOICES["mn"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--missing", action="store_true", help="only make files that do not exist yet")
    parser.add_argument("--language", choices=sorted(VOICES), action="append", help="only this language")
    parser.add_argument("--mongolian", choices=["ky", "zh"], default="ky",
                        help="the Mongolian placeholders: Kyrgyz reading the Cyrillic (default) or a marked Chinese fallback")
    args = parser.parse_args(argv)
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed: apt-get install -y espeak-ng sox", file=sys.stderr)
            return 1
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    made = 0
    for language in args.language or sorted(VOICES):
        recorded = set(manifest.get("recorded", {}).get(language, []))
        (FOLDER / language).mkdir(exist_ok=True)
        for key, texts in manifest["prompts"].items():
            target = FOLDER / language / f"{key}.wav"
            if key in recorded or (args.missing and target.exists()):
                continue
            make(*spoken(texts, language, args.mongolian), target)
            made += 1
    if "mn" in (args.language or VOICES) and args.mongolian == "zh":
        manifest["placeholder_voices"]["mn"] = CHINESE_FALLBACK
        (FOLDER / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"made {made} placeholder prompt(s) in {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
