"""Voice prompts: every key has both texts and a file at telephone quality; the command lists what is missing."""
import re
import wave

from hotline.voice import prompts


def test_every_prompt_has_chinese_and_mongolian_text_and_the_digits_are_there():
    for key in prompts.keys():
        assert prompts.text(key, "zh").strip() and prompts.text(key, "mn").strip(), key
    assert {f"digit_{d}" for d in range(10)} <= set(prompts.keys())
    assert {f"cat_{c}" for c in (1, 2, 3, 4, 5, 9)} <= set(prompts.keys())


def test_the_shipped_files_are_small_telephone_audio_and_none_is_missing():
    assert prompts.missing() == []
    for language in prompts.LANGUAGES:
        for key in prompts.keys():
            with wave.open(str(prompts.audio_file(key, language))) as audio:
                assert (audio.getframerate(), audio.getnchannels()) == (8000, 1), (language, key)
                assert audio.getnframes() / audio.getframerate() < 12  # short prompts


def test_the_command_lists_missing_files(runner, monkeypatch, tmp_path):
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "welcome.wav").write_bytes(b"RIFF")
    monkeypatch.setattr(prompts, "FOLDER", tmp_path)
    result = runner.invoke(args=["voice-prompts"])
    assert result.exit_code == 0
    assert "missing  mn/welcome.wav" in result.output and "missing  zh/welcome.wav" not in result.output
    total = 2 * len(prompts.keys())
    assert f"1 of {total} prompt files present" in result.output
    assert runner.invoke(args=["voice-prompts", "--strict"]).exit_code == 1


def test_the_command_counts_placeholders(runner):
    result = runner.invoke(args=["voice-prompts", "--placeholders"])
    assert result.exit_code == 0 and "0 missing" in result.output
    assert "placeholder  mn/welcome" in result.output


def test_mongolian_prompts_are_written_in_the_traditional_script_and_their_placeholders_say_what_they_are():
    manifest = prompts.manifest()
    for key, text in manifest["prompts"].items():
        assert re.search("[\u1820-\u1842]", text["mn"]) and not re.search("[\u0400-\u04ff]", text["mn"]), key
        assert re.search("[\u0400-\u04ff]", text["mn-Cyrl"]), key  # what the placeholder voice reads
    voice = manifest["placeholder_voices"]["mn"]
    assert "NOT Mongolian" in voice or voice.startswith("CHINESE FALLBACK")
    assert prompts.text("welcome", "mn-Cyrl") == prompts.text("welcome", "mn")  # one spoken Mongolian
