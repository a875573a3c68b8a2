"""CARD / 卡 / карт by SMS through the signed webhook: the household's card essentials in its language, in at
most two SMS; stored first like every message, and never taken for a request."""
import pytest
from sqlalchemy import select

from dispatch.messaging import texts
from models import InboundMessage, Request, db
from tests.dispatch.register.conftest import build_card_town
from tests.support.webhooks import signed_post, sms_form, twiml_messages


@pytest.fixture
def card_town(make):
    return build_card_town(make)


def digits(phone: str) -> str:
    """+8613900000012 as the SMS gives it: 13900000012."""
    return phone[3:]


@pytest.mark.parametrize("body", ["CARD", "card", "卡", "  卡 ", "ＣＡＲＤ", "联系卡"])
def test_a_household_texting_card_gets_its_card(app, client, ctx, card_town, body):
    home = card_town.paired_far
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(home.phones[0].phone, body)))
    captain = card_town.far_captain
    doctor = card_town.near_team.members[2]
    assert answer == (f"【联系卡】包联{captain.name} {digits(captain.phone)}；队长{captain.name} {digits(captain.phone)}；"
                      f"村医{doctor.name} {digits(doctor.phone)}；热线04778512345，嘎查号301。"
                      "回1送药2就医3代购4水电暖5其他9紧急")
    assert texts.segments(answer) <= 2
    stored = db.session.scalar(select(InboundMessage))
    assert stored.body == body and stored.reply == answer and stored.request_id is None
    assert db.session.scalar(select(Request)) is None  # a card asked for is not a need


@pytest.mark.parametrize("body", ["карт", "ᠺᠠᠷᠲ"])
def test_a_mongolian_household_gets_it_in_mongolian(app, client, ctx, card_town, body):
    home = card_town.south_home  # language mn; its gacha has no doctor, and nobody is paired with it
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(home.phones[0].phone, body)))
    captain = card_town.south_team.members[0]
    assert answer == (f"ᠬᠠᠷᠢᠭᠤᠴᠠᠭᠴᠢ —᠂ ᠳᠠᠷᠤᠭ᠎ᠠ {captain.name} {digits(captain.phone)}᠂ ᠡᠮᠴᠢ —᠂ "
                      "ᠤᠲᠠᠰᠤ 04778512345᠂ ᠭᠠᠴᠠᠭ᠎ᠠ 302")
    home.language = "mn-Cyrl"  # a Cyrillic reader gets it in Cyrillic
    db.session.commit()
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(home.phones[0].phone, body)))
    assert answer == (f"Карт: хариуцагч —; дарга {captain.name} {digits(captain.phone)}; эмч —; "
                      "утас 04778512345; гацаа 302")


def test_a_phone_the_roster_does_not_know_is_told_where_to_get_a_card(app, client, ctx, card_town):
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form("+8613711112222", "卡")))
    assert answer == "没有找到您的住户登记，联系卡请向嘎查干部要。求助请发短信或拨打04778512345。"
    assert db.session.scalar(select(Request)) is None


def test_a_text_that_merely_mentions_a_card_is_still_a_request(app, client, ctx, card_town):
    home = card_town.north_homes[0]
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(home.phones[0].phone, "医保卡丢了")))
    request = db.session.scalar(select(Request))
    assert request is not None and request.ref in answer
