"""What herders, members and leaders type is read the way they mean it."""
import pytest

from dispatch.conversation.parse import (MemberReply, is_help_request, is_open_calls_command, read_feedback,
                                         read_herder_message, read_member_reply)


@pytest.mark.parametrize("body, category, text", [
    ("1", 1, ""),
    ("１", 1, ""),  # full-width digit from a Chinese keypad
    ("2 发烧三天了", 2, "发烧三天了"),
    ("9", 9, ""),
    ("送药", 1, "送药"),
    ("帮我买药", 1, "帮我买药"),
    ("老伴病了要去医院", 2, "老伴病了要去医院"),
    ("住院", 2, "住院"),
    ("代购米面", 3, "代购米面"),
    ("家里停电了", 4, "家里停电了"),
    ("炉子灭了很冷", 4, "炉子灭了很冷"),
    ("救命", 9, "救命"),
    ("急！老人摔倒", 9, "急!老人摔倒"),  # full-width punctuation folded
    ("Эм хэрэгтэй", 1, "Эм хэрэгтэй"),
    ("эмч дуудаарай", 2, "эмч дуудаарай"),
    ("Ус алга", 4, "Ус алга"),
    ("тусламж хэрэгтэй", 5, "тусламж хэрэгтэй"),  # "help": must not read as "ус" (water)
    ("яаралтай", 9, "яаралтай"),
    ("ᠡᠮ ᠬᠡᠷᠡᠭᠲᠡᠢ", 1, "ᠡᠮ ᠬᠡᠷᠡᠭᠲᠡᠢ"),  # traditional script: "medicine needed"
    # Whole words: "эмээл"/"emeel" is a saddle, "эмээ" a grandmother, "тусламж" help, "emergency" not "em".
    ("эмээл эвдэрсэн", 5, "эмээл эвдэрсэн"),
    ("emeel evdersen", 5, "emeel evdersen"),
    ("эмээ минь ирсэн", 5, "эмээ минь ирсэн"),
    ("ᠡᠮᠡᠭᠡᠯ ᠡᠪᠳᠡᠷᠡᠪᠡ", 5, "ᠡᠮᠡᠭᠡᠯ ᠡᠪᠳᠡᠷᠡᠪᠡ"),  # saddle, traditional script
    ("usan tuslamj", 5, "usan tuslamj"),
    # Case endings and stems still count; Latin as phones type it.
    ("эмийн сан хол", 1, "эмийн сан хол"),
    ("em heregtei", 1, "em heregtei"),
    ("EM kheregtei", 1, "EM kheregtei"),
    ("усгүй болсон", 4, "усгүй болсон"),
    ("us baihgui", 4, "us baihgui"),
    ("tsahilgaan tasarsan", 4, "tsahilgaan tasarsan"),
    ("emch heregtei", 2, "emch heregtei"),
    ("толгой өвдөж байна", 2, "толгой өвдөж байна"),
    ("yaraltai!", 9, "yaraltai!"),
    ("hudaldaj avah", 3, "hudaldaj avah"),
    # Traditional script: a case ending after U+202F, a final -a/-e after U+180E, a free variation selector.
    ("ᠡᠮ\u202fᠦᠨ ᠬᠡᠷᠡᠭᠲᠡᠢ", 1, "ᠡᠮ\u202fᠦᠨ ᠬᠡᠷᠡᠭᠲᠡᠢ"),
    ("ᠤᠰᠤ\u202fᠦᠭᠡᠢ", 4, "ᠤᠰᠤ\u202fᠦᠭᠡᠢ"),
    ("ᠡᠮᠨᠡᠯᠭ\u180eᠡ ᠳᠦ ᠣᠴᠢᠨ᠎ᠠ", 2, "ᠡᠮᠨᠡᠯᠭ\u180eᠡ ᠳᠦ ᠣᠴᠢᠨ᠎ᠠ"),
    ("ᠶᠠᠭᠠᠷᠠᠯᠲᠠᠢ", 9, "ᠶᠠᠭᠠᠷᠠᠯᠲᠠᠢ"),
    ("ᠳ᠋ᠤᠯᠠᠭᠠᠨ ᠦᠭᠡᠢ", 4, "ᠳ᠋ᠤᠯᠠᠭᠠᠨ ᠦᠭᠡᠢ"),  # typed with FVS1 on the initial d
    ("ᠬᠤᠳᠠᠯᠳᠤᠨ ᠠᠪᠬᠤ", 3, "ᠬᠤᠳᠠᠯᠳᠤᠨ ᠠᠪᠬᠤ"),
    ("想问问政策", 5, "想问问政策"),
    ("7", 5, "7"),  # not a category digit: kept as text
])
def test_herder_text_maps_to_category(body, category, text):
    message = read_herder_message(body)
    assert (message.category, message.text) == (category, text)


@pytest.mark.parametrize("body", ["", "   ", None, "。。。", "\x00\x07", "？！"])
def test_unreadable_text_gets_the_menu(body):
    assert read_herder_message(body) is None


@pytest.mark.parametrize("body, expected", [
    ("1", MemberReply("accept", None)),
    ("Y", MemberReply("accept", None)),
    ("好", MemberReply("accept", None)),
    ("1 4821", MemberReply("accept", "4821")),
    ("１ ４８２１", MemberReply("accept", "4821")),
    ("2 4821 车坏了", MemberReply("decline", "4821", "车坏了")),
    ("2 4821", MemberReply("decline", "4821", "")),
    ("0 4821", MemberReply("done", "4821")),
    ("done 4821", MemberReply("done", "4821")),
    ("DONE 123456", MemberReply("done", "123456")),
    ("我在路上", None),
    ("1 48", None),
])
def test_member_reply_grammar(body, expected):
    assert read_member_reply(body) == expected


def test_leader_open_command():
    assert is_open_calls_command("OPEN") and is_open_calls_command(" open ") and is_open_calls_command("列表")
    assert not is_open_calls_command("opening")


@pytest.mark.parametrize("body, solved", [
    ("Y", True), ("y", True), ("好", True), ("解决了", True), ("тийм", True), ("Y。", True),
    ("N", False), ("没", False), ("没有", False), ("үгүй", False),
    # the category digits are needs, never answers to the closing question
    ("1", None), ("2", None), ("谢谢", None), ("1 药", None),
])
def test_feedback_answer_never_takes_a_category_digit(body, solved):
    assert read_feedback(body) is solved


@pytest.mark.parametrize("body, asks", [
    ("求助", True), ("HELP", True), ("тусламж хэрэгтэй", True), ("9", True), ("急 老人摔倒了", True),
    ("收到", False), ("你好", False), ("ok", False), ("DONE 1234", False), ("1", False),
])
def test_an_explicit_request_for_help(body, asks):
    assert is_help_request(body) is asks


def test_a_category_read_from_words_that_match_none_is_not_named():
    assert read_herder_message("快点来").named is False and read_herder_message("快点来").category == 5
    assert read_herder_message("5").named and read_herder_message("药没了").named
def test_normalize_reads_the_traditional_scripts_controls_as_spaces():
    from dispatch.conversation.parse import normalize
    assert normalize("\u1821\u182e\u202f\u1826\u1828") == "\u1821\u182e \u1826\u1828"  # NNBSP, by NFKC
    assert normalize("\u182d\u180e\u1820") == "\u182d \u1820"  # vowel separator


@pytest.mark.parametrize("body, expected", [
    ("ᠲᠡᠢᠮᠦ", MemberReply("accept", None)), ("tiim 4821", MemberReply("accept", "4821")),
    ("ᠦᠭᠡᠢ 4821 ᠮᠠᠰᠢᠨ ᠡᠪᠳᠡᠷᠡᠪᠡ", MemberReply("decline", "4821", "ᠮᠠᠰᠢᠨ ᠡᠪᠳᠡᠷᠡᠪᠡ")),
    ("ᠳᠠᠭᠤᠰᠪᠠ 4821", MemberReply("done", "4821")), ("duussan 4821", MemberReply("done", "4821")),
])
def test_member_replies_in_the_traditional_script_and_latin(body, expected):
    assert read_member_reply(body) == expected


def test_leader_open_command_in_mongolian():
    assert is_open_calls_command("ᠵᠢᠭᠰᠠᠭᠠᠯᠲᠠ") and is_open_calls_command("Jagsaalt") and is_open_calls_command("жагсаалт")
