"""Contact cards rendered to PDF and read back: eight to an A4 page, each with its household's people and
numbers in Chinese and in the traditional Mongolian script."""
import io
import re

import pypdf
import pytest

from dispatch.ledgers.period import place_scope
from dispatch.register.card_facts import card_facts
from dispatch.register.cards import scope_cards
from models import db

DUTY = "+864778512345"
MONGOLIAN = re.compile("[\u1800-\u18af]")


def national(phone: str) -> str:
    """+8613912345678 as a card prints it: 139 1234 5678."""
    return f"{phone[3:6]} {phone[6:10]} {phone[10:]}"


def read_pdf(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def cards_of(code: str):
    scope, _name = place_scope(db.session, code)
    return scope_cards(db.session, scope, DUTY, "CN")


def test_nine_households_fill_two_a4_pages_with_their_people_and_numbers(card_town):
    data, count = cards_of(card_town.north.code)
    pdf = read_pdf(data)
    assert count == 9 and len(pdf.pages) == 2
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for home in card_town.north_homes:
        assert home.head_name in text and home.ref in text
    captain, member, doctor = card_town.near_team.members
    for person in (captain, doctor):
        assert person.name in text and national(person.phone) in text
    assert member.name not in text  # a plain member is on no card: the paired one, the captain, the doctor
    assert "张三" in text and "138 0000 0077" in text  # a paired contact who is not a member
    assert "0477 851 2345" in text and "嘎查号" in text and "301" in text
    assert "昂素镇 哈日根图嘎查" in text
    for digit_and_service in ("1送药", "2就医", "3代购代办", "4水电暖", "5其他求助", "9紧急"):
        assert digit_and_service in text
    assert "南户" not in text  # another gacha's household


def test_the_cards_carry_the_traditional_mongolian_script(card_town):
    text = read_pdf(cards_of(card_town.north.code)[0]).pages[0].extract_text()
    assert len(MONGOLIAN.findall(text)) > 200  # eight cards' Mongolian side, not a stray word
    assert "ᠲᠤᠰᠠᠯᠠᠮᠵᠢ\u202fᠶᠢᠨ ᠬᠣᠯᠪᠣᠭ\u180eᠠ ᠪᠠᠷᠢᠬᠤ ᠺᠠᠷᠲ" in text  # the card's title (suffix joined by U+202F)
    assert card_town.north.name_mn in text  # the gacha's Mongolian name from the roster
    assert "ᠡᠮᠴᠢ" in text and "ᠶᠠᠭᠠᠷᠠᠯᠲᠠᠢ" in text  # doctor; emergency


def test_a_townships_cards_cover_its_gachas_and_the_fonts_are_embedded(card_town):
    data, count = cards_of(card_town.township.code)
    pdf = read_pdf(data)
    assert count == 10 and len(pdf.pages) == 2
    fonts = {font["/BaseFont"] for page in pdf.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Noto-Sans-Mongolian" in str(f) for f in fonts) and any("Noto-Sans-CJK-SC" in str(f) for f in fonts)


@pytest.mark.parametrize("households, pages", [(1, 1), (8, 1), (17, 3)])
def test_eight_cards_make_a_page(make, households, pages):
    gacha = make.gacha()
    for i in range(households):
        make.household(place=gacha, name=f"户{i}")
    db.session.commit()
    data, count = cards_of(gacha.code)
    assert count == households and len(read_pdf(data).pages) == pages


def test_a_place_without_households_has_no_cards(make):
    gacha = make.gacha()
    db.session.commit()
    assert cards_of(gacha.code) == (None, 0)


def test_the_card_of_a_household_paired_with_another_team_names_that_team(card_town):
    [card] = card_facts(db.session, [card_town.paired_far], DUTY, "CN")
    assert card.team == "北二队"
    assert card.paired.name == card.captain.name == "额尔敦"
    assert card.doctor.name == "乌日娜"  # 北二队 has no doctor: the gacha's doctor
    assert (card.gacha_number, card.duty_number, card.township) == ("301", "0477 851 2345", "昂素镇")


def test_an_unpaired_household_gets_the_nearest_team_of_its_gacha_and_a_gacha_without_doctor_says_so(card_town):
    [south] = card_facts(db.session, [card_town.south_home], DUTY, "CN")
    assert south.paired is None and south.team == "南一队" and south.captain.name == "其其格"
    assert south.doctor is None and south.gacha_number == "302"
    card_town.outsider_paired.lat, card_town.outsider_paired.lon = 38.39, 108.39  # next to 北二队's base
    [outsider] = card_facts(db.session, [card_town.outsider_paired], DUTY, "CN")
    assert outsider.team == "北二队" and outsider.paired.name == "张三"
