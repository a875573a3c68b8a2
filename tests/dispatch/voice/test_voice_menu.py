"""The voice menu's decisions, as tables: keys and attempts in, the next step out."""
import pytest

from dispatch.ladder.member_calls import after_offer
from dispatch.messaging.keypad import Next, read_attempt, read_digits, spoken_digits
from dispatch.voice.menu import after_dial, after_gacha, after_language, after_menu, is_final, start, wants_callback


@pytest.mark.parametrize("raw, keys", [
    ("1", "1"), (" 9 ", "9"), ("301#", "301"), ("#", ""), ("", ""), (None, ""), ("abc", ""), ("1a2", "12"),
    ("*", "*"), ("１", ""),  # a full-width digit is not a key Twilio sends
])
def test_read_digits_keeps_only_keypad_keys(raw, keys):
    assert read_digits(raw) == keys


@pytest.mark.parametrize("raw, attempt", [("0", 0), ("1", 1), ("2", 2), ("7", 2), ("-3", 0), ("x", 0), (None, 0)])
def test_read_attempt_is_bounded(raw, attempt):
    assert read_attempt(raw) == attempt


def test_known_caller_goes_to_the_menu_in_their_language_unknown_caller_chooses():
    assert start("mn") == Next("menu", language="mn")
    assert start(None) == Next("language")


@pytest.mark.parametrize("keys, attempt, expected", [
    ("1", 0, Next("gacha", language="mn")),
    ("2", 2, Next("gacha", language="zh")),
    ("", 0, Next("language", attempt=1, why="no_key")),
    ("3", 1, Next("language", attempt=2, why="wrong_key")),
    ("", 2, Next("record", category=5)),  # nobody is kept at the door: they may just speak
    ("7", 2, Next("record", category=5)),
])
def test_language_choice(keys, attempt, expected):
    assert after_language(keys, attempt) == expected


@pytest.mark.parametrize("keys, attempt, known, expected", [
    ("301", 0, True, Next("menu", language="zh", gacha="301")),
    ("999", 0, False, Next("gacha", attempt=1, why="unknown_gacha", language="zh")),
    ("", 1, False, Next("gacha", attempt=2, why="no_key", language="zh")),
    ("999", 2, False, Next("menu", language="zh")),  # three misses: the call goes on without the gacha
    ("", 2, False, Next("menu", language="zh")),
])
def test_gacha_number(keys, attempt, known, expected):
    assert after_gacha(keys, attempt, known, "zh") == expected


@pytest.mark.parametrize("keys, attempt, expected", [
    ("1", 0, Next("confirm", language="mn", category=1)),
    ("4", 2, Next("confirm", language="mn", category=4)),
    ("5", 0, Next("confirm", language="mn", category=5)),
    ("9", 0, Next("emergency", language="mn", category=9)),
    ("", 0, Next("menu", attempt=1, why="no_key", language="mn")),
    ("6", 0, Next("menu", attempt=1, why="wrong_key", language="mn")),
    ("0", 1, Next("menu", attempt=2, why="wrong_key", language="mn")),
    ("19", 0, Next("menu", attempt=1, why="wrong_key", language="mn")),
    ("*", 1, Next("menu", attempt=2, why="wrong_key", language="mn")),
    ("", 2, Next("record", language="mn", category=5)),  # twice repeated: speak after the tone
    ("8", 2, Next("record", language="mn", category=5)),
])
def test_menu(keys, attempt, expected):
    assert after_menu(keys, attempt, "mn") == expected


@pytest.mark.parametrize("status, answered", [
    ("completed", True), ("answered", True), ("no-answer", False), ("busy", False), ("failed", False),
    ("canceled", False), (None, False), ("", False),
])
def test_dial_outcome(status, answered):
    assert after_dial(status) == Next("dial_done", answered=answered)


@pytest.mark.parametrize("keys, attempt, step", [
    ("1", 0, "accept"), ("2", 2, "decline"), ("", 0, "offer"), ("3", 1, "offer"), ("", 2, "goodbye"),
    ("9", 2, "goodbye"),
])
def test_member_offer_keys(keys, attempt, step):
    assert after_offer(keys, attempt).step == step


@pytest.mark.parametrize("status, final", [
    ("completed", True), ("no-answer", True), ("busy", True), ("canceled", True), ("failed", True),
    ("ringing", False), ("in-progress", False), ("initiated", False), (None, False),
])
def test_final_call_statuses(status, final):
    assert is_final(status) is final


@pytest.mark.parametrize("has_request, reachable, status, callback", [
    (False, True, "completed", True), (False, True, "canceled", True), (True, True, "completed", False),
    (False, False, "completed", False), (False, True, "in-progress", False),
])
def test_a_call_that_got_nowhere_wants_a_callback(has_request, reachable, status, callback):
    assert wants_callback(has_request, reachable, status) is callback


def test_spoken_digits():
    assert spoken_digits("4821") == ["4", "8", "2", "1"]
    assert spoken_digits("+86 139") == ["8", "6", "1", "3", "9"]
