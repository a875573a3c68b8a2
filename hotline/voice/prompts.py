"""Voice prompts: a manifest of keys with their Chinese and Mongolian text, one audio file per key and language.

The manifest and the files live in hotline/static/voice/; a prompt without a file is said in Chinese instead.
"""
import json
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "static" / "voice"
MANIFEST = FOLDER / "manifest.json"
LANGUAGES = ("mn", "zh")
# Spoken Mongolian is one language whatever script a person reads: a Cyrillic reader hears the mn recordings.
SPOKEN = {"mn-Cyrl": "mn"}
EXTENSIONS = (".wav", ".mp3")  # Twilio plays both


@cache
def manifest() -> dict:
    """The manifest, read once."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def keys() -> list[str]:
    """Every prompt key, in the manifest's order."""
    return list(manifest()["prompts"])


def text(key: str, language: str) -> str:
    """The words of prompt `key` in `language`."""
    return manifest()["prompts"][key][SPOKEN.get(language, language)]


def audio_file(key: str, language: str) -> Path | None:
    """The recording of `key` in `language`, if there is one."""
    for extension in EXTENSIONS:
        path = FOLDER / SPOKEN.get(language, language) / f"{key}{extension}"
        if path.is_file():
            return path
    return None


def missing() -> list[tuple[str, str]]:
    """(language, key) of every prompt without a recording: those are said in Chinese by Twilio."""
    return [(language, key) for language in LANGUAGES for key in keys() if audio_file(key, language) is None]


def placeholders() -> list[tuple[str, str]]:
    """(language, key) of every file not yet replaced by a native speaker's recording."""
    recorded = manifest().get("recorded", {})
    return [(language, key) for language in LANGUAGES for key in keys()
            if audio_file(key, language) is not None and key not in recorded.get(language, [])]
